"""Measure the figures the issues ask for, on this machine. Prints one line per figure.

    python tools/benchmark.py              everything (several minutes)
    python tools/benchmark.py batch        only the batch-grading ratio
    python tools/benchmark.py watch        only `kata watch` and `kata hint`
    python tools/benchmark.py first --portable    the first runs with the portable workers
                                           (KATA_WORKER=portable, as on Windows and macOS)

Figures: the wall time of `pytest --impl solutions` next to that of importing torch,
pandas and hypothesis; the length of a fresh clone's first `pytest`; how long an endless
loop in mae takes to be reported; batch grading of N submissions against N separate
`pytest --impl` runs.
"""

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # the gallery's helpers live in the tests package

from tests.gallery.entries import GALLERY, whole_submission  # noqa: E402

PY = sys.executable


ENV = dict(os.environ)  # --portable adds KATA_WORKER=portable


def wall(command, cwd=ROOT, repeat=1) -> tuple[float, subprocess.CompletedProcess]:
    """Median wall time of a command, and its last result."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        done = subprocess.run(command, cwd=cwd, capture_output=True, text=True, env=ENV)
        times.append(time.perf_counter() - start)
    return statistics.median(times), done


def import_floor() -> float:
    imports, _ = wall([PY, "-c", "import torch, pandas, hypothesis"], repeat=3)
    print(f"python -c 'import torch, pandas, hypothesis': {imports:.1f} s (median of 3)")
    return imports


def imports_and_suite():
    import_floor()
    layers = [
        "tests/test_1_values.py",
        "tests/test_2_gradients.py",
        "tests/test_3_updates.py",
        "tests/test_4_fits.py",
        "tests/hidden",
    ]
    learner, _ = wall([PY, "-m", "pytest", "--impl", "solutions", *layers], repeat=3)
    print(
        f"pytest --impl solutions, the learner's checks and hidden checks only: {learner:.1f} s (median of 3)"
    )
    full, done = wall([PY, "-m", "pytest", "--impl", "solutions"])
    print(
        f"pytest --impl solutions, the whole maintainers' suite: {full:.1f} s "
        f"({done.stdout.strip().splitlines()[-1]})"
    )


def solved_template(folder: Path) -> Path:
    """A released learner template in `folder`/solved, with the reference as exercises/linreg.py."""
    template = folder / "solved"
    subprocess.run([PY, "-m", "kata", "release", str(template)], cwd=ROOT, check=True, capture_output=True)
    (template / "exercises" / "linreg.py").write_text((ROOT / "solutions" / "linreg.py").read_text())
    return template


def first_run_and_endless_loop():
    with tempfile.TemporaryDirectory() as tmp:
        template = Path(tmp) / "template"
        subprocess.run(
            [PY, "-m", "kata", "release", str(template)], cwd=ROOT, check=True, capture_output=True
        )
        solved = solved_template(Path(tmp))
        ratios, colds, floors = [], [], []
        for _ in range(5):  # interleaved: this machine's speed drifts by half within a minute
            floor, _ = wall([PY, "-c", "import torch, pandas, hypothesis"])
            cold, done = wall([PY, "-m", "pytest", "-p", "no:cacheprovider"], cwd=solved)
            ratios.append(cold / floor)
            colds.append(cold)
            floors.append(floor)
        print(
            f"`pytest` in a released template on a correct linreg.py: {statistics.median(colds):.1f} s, "
            f"the import floor {statistics.median(floors):.1f} s; ratio {statistics.median(ratios):.2f} "
            f"(median of 5 interleaved pairs: {', '.join(f'{r:.2f}' for r in ratios)}; "
            f"{done.stdout.strip().splitlines()[-1]})"
        )
        seconds, done = wall([PY, "-m", "pytest"], cwd=template)
        lines = done.stdout.splitlines()
        print(
            f"first `pytest` in a fresh learner template: {len(lines)} lines, {seconds:.1f} s, "
            f"names predict: {'write `predict` in exercises/linreg.py' in done.stdout}"
        )
        endless = whole_submission(GALLERY / "wrong" / "mae_endless_loop.py", Path(tmp))
        seconds, done = wall([PY, "-m", "pytest", f"--impl={endless}"], cwd=template)
        print(
            f"endless loop in mae: the run ends after {seconds:.1f} s; names mae: "
            f"{'mae did not return' in done.stdout}"
        )
        hang = Path(tmp) / "predict_hangs.py"
        hang.write_text(
            (ROOT / "solutions" / "linreg.py").read_text()
            + "\n\ndef predict(x, weights, bias):\n    while True:\n        pass\n"
        )
        seconds, done = wall([PY, "-m", "pytest", f"--impl={hang}"], cwd=solved)
        print(
            f"endless loop in predict: the run ends after {seconds:.1f} s (a correct run: "
            f"{statistics.median(colds):.1f} s); names predict: {'predict did not return' in done.stdout}"
        )


def watch_and_hint():
    """Save-to-verdict of `kata watch` against a cold `pytest`, and `kata hint` twice, in a
    released template with a correct linreg.py."""
    with tempfile.TemporaryDirectory() as tmp:
        template = solved_template(Path(tmp))
        target = template / "exercises" / "linreg.py"
        cold, _ = wall([PY, "-m", "pytest", "-p", "no:cacheprovider"], cwd=template, repeat=3)
        watcher = subprocess.Popen(
            [PY, "-m", "kata", "watch"],
            cwd=template,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            env=ENV,
        )
        verdicts = []
        try:
            _wait_for_line(watcher, "Watching")
            for _ in range(3):
                time.sleep(1.0)
                saved = time.perf_counter()
                target.write_text(target.read_text())
                _wait_for_line(watcher, "Watching")
                verdicts.append(time.perf_counter() - saved)
        finally:
            watcher.terminate()
            watcher.wait()
        verdict = statistics.median(verdicts)
        print(
            f"kata watch, save to verdict: {verdict:.1f} s (median of 3); a cold `pytest`: {cold:.1f} s; "
            f"ratio {verdict / cold:.2f}"
        )
        first, _ = wall([PY, "-m", "kata", "hint"], cwd=template)
        second, done = wall([PY, "-m", "kata", "hint"], cwd=template, repeat=3)
        print(f"kata hint: {first:.1f} s, then {second:.2f} s on the unchanged file ({done.stdout.strip()})")


def _wait_for_line(process, text: str) -> None:
    for line in process.stdout:
        if text in line.decode(errors="replace"):
            return
    raise RuntimeError(f"the watcher ended before printing {text!r}")


def batch(count: int = 10):
    with tempfile.TemporaryDirectory() as tmp:
        wrong = sorted((GALLERY / "wrong").glob("*.py"))[: count - count // 2]
        entries = sorted((GALLERY / "right").glob("*.py"))[: count // 2] + [
            whole_submission(p, Path(tmp)) for p in wrong
        ]
        separate, _ = wall(
            [
                PY,
                "-c",
                "import subprocess, sys\n"
                f"for p in {[str(e) for e in entries]!r}:\n"
                "    subprocess.run([sys.executable, '-m', 'pytest', '-q', '--impl=' + p],"
                " capture_output=True)",
            ]
        )
        cpu_before = os.times()
        together, done = wall([PY, "-m", "kata", "grade", *map(str, entries)])
        cpu_after = os.times()
        cpu = (cpu_after.children_user + cpu_after.children_system) - (
            cpu_before.children_user + cpu_before.children_system
        )
        print(
            f"grading {len(entries)} submissions: {len(entries)} separate `pytest --impl` runs "
            f"{separate:.1f} s, `kata grade` {together:.1f} s, ratio {together / separate:.2f}; "
            f"CPU {cpu / len(entries):.1f} s per submission"
        )


if __name__ == "__main__":
    which = [a for a in sys.argv[1:] if not a.startswith("--")] or ["suite", "first", "watch", "batch"]
    if "--portable" in sys.argv:
        ENV["KATA_WORKER"] = "portable"
        print("with the portable workers (KATA_WORKER=portable)")
    if "suite" in which:
        imports_and_suite()
    if "first" in which:
        first_run_and_endless_loop()
    if "watch" in which:
        watch_and_hint()
    if "batch" in which:
        batch()
