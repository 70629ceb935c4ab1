"""`python -m kata watch` runs the checks again when linreg.py is saved."""

import threading
import time

from kata.watching import watch


def test_saving_the_file_runs_the_checks_again(tmp_path):
    target = tmp_path / "linreg.py"
    target.write_text("x = 1\n")
    (tmp_path / "other.py").write_text("")
    runs, stop = [], threading.Event()

    def run(path):
        runs.append(path)
        if len(runs) == 2:
            stop.set()

    watcher = threading.Thread(target=watch, args=(target, run, stop))
    watcher.start()
    time.sleep(1.0)  # let the watcher start before the edits it must see
    (tmp_path / "other.py").write_text("y = 2\n")  # not the learner's file: no run
    target.write_text("x = 2\n")
    watcher.join(timeout=30)
    stop.set()
    assert runs == [target, target], f"expected a run at start and one after the save, got {runs}"
