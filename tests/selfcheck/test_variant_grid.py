"""A sample of tools/variant_grid.py: no setting that lands a correct fit is refused.

The whole grid (every num_iter to 20,000, 306 learning rates, 20 held-out series) takes
about half an hour; this sample keeps every num_iter up to 1500, for 20 rates and two
held-out series, and the rates of the gallery's border entries.
"""

from kata.manifest import ROOT
from tests.selfcheck.helpers import run_kata


def test_no_setting_that_lands_is_refused():
    done = run_kata(
        ROOT / "tools" / "variant_grid.py", "--rates", 20, "--seeds", 2, "--max-iter", 1500, module=False
    )
    assert done.returncode == 0 and "settings refused in all: 0" in done.stdout, (
        f"correct fits would be refused (exit {done.returncode}):\n{done.stdout[-3000:]}{done.stderr[-2000:]}"
    )
