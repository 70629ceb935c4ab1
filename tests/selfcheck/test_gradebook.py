"""`python -m kata grade` as an instructor runs it on a class: progress, results kept as they
come (JSON lines), --resume, regrading one learner with --merge, feedback files, Ctrl-C,
and options that cannot work."""

import csv
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kata.manifest import ROOT, TOTAL_POINTS
from tests.selfcheck.helpers import run_kata

REFERENCE = ROOT / "solutions" / "linreg.py"
STUBS = ROOT / "exercises" / "linreg.py"


def rows(book: Path) -> dict:
    return {row["learner"]: row for row in csv.DictReader(book.open())}


@pytest.fixture(scope="module")
def klass(tmp_path_factory):
    """alice (correct) and bob (the stubs) graded; then carol added with --resume; then bob,
    corrected, regraded with --merge. Returns the folder and each run's result."""
    folder = tmp_path_factory.mktemp("class")
    for name, source in (("alice", REFERENCE), ("bob", STUBS), ("carol", STUBS)):
        (folder / "repos" / name).mkdir(parents=True)
        shutil.copy(source, folder / "repos" / name / "linreg.py")
    repos = [folder / "repos" / name for name in ("alice", "bob", "carol")]
    reports = ["--jsonl", folder / "grades.jsonl", "--csv", folder / "book.csv"]
    first = run_kata("grade", *repos[:2], *reports, "--feedback", folder / "feedback")
    first_book = rows(folder / "book.csv")
    resumed = run_kata("grade", *repos, *reports, "--resume")
    shutil.copy(REFERENCE, repos[1] / "linreg.py")
    merged = run_kata("grade", repos[1], *reports, "--merge")
    for done in (first, resumed, merged):
        assert done.returncode == 0, done.stdout + done.stderr
    return folder, {"first": first, "first_book": first_book, "resumed": resumed, "merged": merged}


def test_progress_is_shown_while_grading(klass):
    _, runs = klass
    assert "grading" in runs["first"].stderr and "2/2" in runs["first"].stderr, runs["first"].stderr[-500:]


def test_resume_grades_only_the_learners_not_yet_graded(klass):
    folder, runs = klass
    assert set(runs["first_book"]) == {"alice", "bob"}, runs["first_book"]
    assert "1/1" in runs["resumed"].stderr, (
        f"--resume graded more than carol: {runs['resumed'].stderr[-300:]}"
    )
    assert "carol" in runs["resumed"].stdout and "alice" in runs["resumed"].stdout, runs["resumed"].stdout


def test_merge_replaces_only_the_regraded_learners_row(klass):
    folder, runs = klass
    book = rows(folder / "book.csv")
    assert list(book) == ["alice", "bob", "carol"], list(book)
    assert book["bob"]["points"] == str(TOTAL_POINTS), f"bob was regraded after his fix: {book['bob']}"
    assert book["alice"] == runs["first_book"]["alice"], "alice's row must stay as it was"
    assert book["carol"]["points"] == "0", book["carol"]


def test_feedback_files_hold_the_visible_messages_and_no_hidden_check(klass):
    folder, _ = klass
    text = (folder / "feedback" / "bob.md").read_text()
    assert "0 / 30" in text and "predict" in text and "Hint:" in text, text[:1500]
    assert "tests/hidden" not in text and "test_hidden" not in text, "a hidden check's name reached a learner"


@pytest.mark.parametrize(
    "args, words",
    [
        (["--jobs", "0"], "--jobs must be at least 1"),
        (["--jobs", "-1"], "--jobs must be at least 1"),
        (["--timeout", "0"], "--timeout must be above 0"),
        (["--resume"], "--resume continues the run recorded in --jsonl"),
    ],
)
def test_options_that_cannot_work_are_refused_at_once(args, words):
    done = run_kata("grade", REFERENCE, *args)
    assert done.returncode == 2 and words in done.stderr, done.stdout + done.stderr


def _ctrl_c_not_ignored() -> None:
    """SIGINT as a terminal's foreground job has it. A job started in the background of a
    shell (`.ci/run &`) ignores SIGINT, and passes that on: Python then never raises
    KeyboardInterrupt, and the run would go on to its end."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _zygotes(started_in: Path) -> set[int]:
    """The zygotes still running that were started in `started_in` (the TMPDIR of the run that
    started them: a zygote works there), whatever else runs on the machine."""
    found = set()
    for entry in Path("/proc").iterdir():
        try:
            zygote = entry.name.isdigit() and b"kata.worker.zygote" in (entry / "cmdline").read_bytes()
            if zygote and Path(os.readlink(entry / "cwd")).is_relative_to(started_in):
                found.add(int(entry.name))
        except OSError:
            continue
    return found


def test_ctrl_c_stops_every_process_and_keeps_what_was_graded(tmp_path):
    hang = tmp_path / "hangs" / "linreg.py"
    hang.parent.mkdir()
    hang.write_text("while True:\n    pass\n")
    own_tmp = tmp_path / "tmp"
    own_tmp.mkdir()
    grading = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "kata",
            "grade",
            REFERENCE,
            hang,
            "--jobs",
            "1",
            "--jsonl",
            tmp_path / "g.jsonl",
        ],
        cwd=ROOT,
        env=os.environ | {"TMPDIR": str(own_tmp)},  # its zygote works there: it can be told apart
        start_new_session=True,  # a process group of its own, as a terminal's foreground job
        preexec_fn=_ctrl_c_not_ignored,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline, results = time.monotonic() + 120, tmp_path / "g.jsonl"
    while time.monotonic() < deadline and not (results.exists() and results.read_text().strip()):
        time.sleep(0.5)  # the reference is graded first; then the hang runs
    assert _zygotes(own_tmp), (
        "the run's zygote cannot be told apart by its folder: the check below would see nothing"
    )
    time.sleep(2)
    os.killpg(grading.pid, signal.SIGINT)  # what Ctrl-C in a terminal does
    out, err = grading.communicate(timeout=60)
    assert grading.returncode == 130 and "--resume" in err, (
        f"exit {grading.returncode}: {err[-600:]}{out[-300:]}"
    )
    end = time.monotonic() + 10
    while _zygotes(own_tmp) and time.monotonic() < end:
        time.sleep(0.2)
    assert not _zygotes(own_tmp), "a zygote or a worker outlived the interrupted run by 10 s"
    lines = (tmp_path / "g.jsonl").read_text().splitlines()
    assert len(lines) == 1 and '"learner": "solutions"' in lines[0], lines


def test_results_of_an_earlier_run_are_not_overwritten_by_mistake(tmp_path):
    earlier = tmp_path / "grades.jsonl"
    earlier.write_text('{"learner": "alice"}\n')
    done = run_kata("grade", REFERENCE, "--jsonl", earlier)
    assert done.returncode == 2 and "--resume" in done.stderr, done.stdout + done.stderr
    assert earlier.read_text() == '{"learner": "alice"}\n', "the earlier results were changed"
