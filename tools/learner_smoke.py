"""A learner's first hour, on whatever system this runs: the commands of the README, checked.

    python tools/learner_smoke.py

Releases the learner template into a folder whose path has spaces and non-ASCII letters (as
`C:\\Users\\Zoë\\OneDrive - University\\linreg kata\\` has), then, there:
- `python -m pytest` on a correct linreg.py (saved with CRLF line endings and a BOM, as
  Notepad saves): exit 0, every step done;
- `python -m pytest` on one with a wrong mse: exit 1, naming mse and its likely mistake;
- `python -m kata fit --step 1 --plot`: a PNG;
- `python -m kata watch`: a save gets a second verdict;
- `python -m kata grade` on both files: 100 and less.
Prints one line per check and exits 1 at the first that fails. The GitHub workflow runs it on
Windows, macOS and Linux (.github/workflows/ci.yml); the kata's own tests run it here too,
with what Windows and macOS lack taken away (tests/selfcheck/no_unix).
"""

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
WRONG_MSE = "\n\ndef mse(y_true, y_pred):\n    return ((y_true - y_pred) ** 2).sum()\n"


def run(*args, cwd: Path, timeout: float = 600) -> subprocess.CompletedProcess:
    env = os.environ | {"PYTHONIOENCODING": "utf-8"}
    return subprocess.run(
        [PY, *map(str, args)],
        cwd=cwd,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=timeout,
        env=env,
    )


def check(ok: bool, what: str, detail: str = "") -> None:
    print(f"{'ok  ' if ok else 'FAIL'} {what}", flush=True)
    if not ok:
        print(detail[-3000:])
        sys.exit(1)


def watch_sees_a_save(template: Path, target: Path) -> bool:
    """`kata watch` prints a verdict at start, and another after a save."""
    env = os.environ | {"PYTHONIOENCODING": "utf-8"}
    watcher = subprocess.Popen(
        [PY, "-m", "kata", "watch"], cwd=template, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env
    )
    seen, started = [], time.monotonic()
    try:
        for raw in watcher.stdout:
            line = raw.decode("utf-8", errors="replace")
            if "Watching" in line:
                seen.append(time.monotonic() - started)
                if len(seen) == 2:
                    return True
                time.sleep(1.0)
                target.write_bytes(target.read_bytes())  # a save, unchanged
            if time.monotonic() - started > 300:
                return False
        return False
    finally:
        watcher.terminate()
        watcher.wait(timeout=60)


def main() -> int:
    reference = (ROOT / "solutions" / "linreg.py").read_text(encoding="utf-8")
    with tempfile.TemporaryDirectory() as tmp:
        template = Path(tmp) / "OneDrive - Universität" / "linreg kata Zoë"
        done = run("-m", "kata", "release", template, cwd=ROOT)
        check(done.returncode == 0, "release the learner template", done.stdout + done.stderr)
        target = template / "exercises" / "linreg.py"
        windows_file = "\ufeff" + reference.replace("\n", "\r\n")
        target.write_bytes(windows_file.encode("utf-8"))

        done = run("-m", "pytest", cwd=template)
        check(done.returncode == 0 and "steps are done" in done.stdout, "pytest: a correct file", done.stdout)

        wrong = template / "wrong" / "linreg.py"
        wrong.parent.mkdir()
        wrong.write_text(reference + WRONG_MSE, encoding="utf-8")
        done = run("-m", "pytest", f"--impl={wrong}", cwd=template)
        named = "mse" in done.stdout and "sum instead of mean" in done.stdout
        check(done.returncode == 1 and named, "pytest: a wrong mse is named, with its mistake", done.stdout)

        picture = template / "fit.png"
        done = run("-m", "kata", "fit", "--step", "1", "--plot", picture, cwd=template)
        png = picture.exists() and picture.read_bytes()[:4] == b"\x89PNG"
        check(done.returncode == 0 and png, "kata fit --plot", done.stdout + done.stderr)

        check(watch_sees_a_save(template, target), "kata watch: a save gets a verdict")

        report = template / "grades.json"
        done = run("-m", "kata", "grade", target, wrong, "--json", report, cwd=template)
        points = (
            [g["points"] for g in json.loads(report.read_text())["submissions"]] if report.exists() else []
        )
        check(
            points[:1] == [100] and len(points) == 2 and points[1] < 100,
            "kata grade",
            done.stdout + done.stderr,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
