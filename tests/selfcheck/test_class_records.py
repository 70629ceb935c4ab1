"""The pieces of the class path, one rule at a time and in process (fast): the roster as
Canvas exports it, push records as GitHub's activity API returns them, the late penalty,
the Canvas and Moodle files as their importers read them, formulas kept out of every CSV,
--compare, and what `kata collect` refuses."""

import csv
import json
import os
import subprocess
from pathlib import Path

import pytest

from kata import collect, deadlines, exports, gradebook, late, pushes, regrades, roster
from kata.grading import Grade
from kata.submissions import MAX_LINREG_BYTES

SAMPLE = Path(__file__).parent / "samples" / "activity.json"


def grade(learner, points=100, message="", row=None, steps=(30, 20, 20, 30)) -> Grade:
    listed = [
        {"step": n, "points": p, "max_points": [30, 20, 20, 30][n - 1], "reason": ""}
        for n, p in enumerate(steps, 1)
    ]
    return Grade("", "pass", points, 100, listed, message=message, learner=learner, roster=row or {})


def test_a_canvas_export_with_a_github_column_is_a_roster(tmp_path):
    path = tmp_path / "export.csv"
    path.write_bytes(
        "\ufeffStudent,ID,SIS User ID,SIS Login ID,Section,Kata (1),github\r\n"
        "    Points Possible,,,,,100,\r\n"
        '"Lefèvre, Amélie ""Ali""",101,S1,al,A,,Alice\r\n'
        "Short Row,102\r\n".encode()
    )
    columns, students = roster.read(path)
    assert columns[0] == "Student", f"the byte order mark must not stick to the first column: {columns}"
    assert [s.row["Student"] for s in students] == ['Lefèvre, Amélie "Ali"', "Short Row"], (
        "the Points Possible row is no student; a short row is padded"
    )
    matched = roster.match(students, ["repos/alice", "repos/zoe"], ["alice", "zoe"])
    assert roster._student({"github": "@bob"}).github == "bob", "a GitHub name written @bob is bob"
    assert [g for _, g in matched.pairs] == ["repos/alice"], "GitHub names match whatever their case"
    assert matched.strangers == ["repos/zoe"] and [s.row["ID"] for s in matched.missing] == ["102"], matched


def test_a_roster_naming_an_account_twice_is_refused(tmp_path):
    path = tmp_path / "r.csv"
    path.write_text("github\nalice\nALICE\n")
    with pytest.raises(roster.RosterError, match="twice"):
        roster.read(path)


def test_push_records_from_the_activity_api_sample():
    text = SAMPLE.read_text().replace("{grace_initial}", "a" * 40).replace("{grace_work}", "b" * 40)
    found = pushes.from_activity(pushes.pages(text + text[:0]))
    assert [p["activity_type"] for p in found] == ["branch_creation", "push"], (
        f"a branch deletion moves no branch to a commit, and pushes are sorted oldest first: {found}"
    )
    main = "refs/heads/main"
    assert pushes.head_at(found, main, pushes.parse_time("2026-12-21T00:00:00Z")) == (
        "a" * 40,
        found[0]["timestamp"],
    )
    assert pushes.head_at(found, main, pushes.parse_time("2026-12-23T00:00:00Z"))[0] == "b" * 40
    assert pushes.head_at(found, main, pushes.parse_time("2026-11-01T00:00:00Z")) is None, "nothing before"


def test_pages_of_gh_paginate_are_joined():
    assert pushes.pages('[{"a": 1}]\n[{"a": 2}]\n') == [{"a": 1}, {"a": 2}], (
        "gh api --paginate prints a page per array"
    )


@pytest.mark.skipif(os.name != "posix", reason="the stand-in gh is a shell script")
@pytest.mark.parametrize(
    ("script", "what"),
    [
        ("sleep 30", "an API that does not answer"),
        ("echo 'API rate limit exceeded' >&2; exit 1", "a rate limit used up"),
        ("echo '[{\"after\": '", "an answer cut short"),
    ],
)
def test_a_push_record_that_cannot_be_had_is_none(tmp_path, monkeypatch, script, what):
    """Then the row says that the commit date was trusted (kata.classbook)."""
    gh = tmp_path / "gh"
    gh.write_text(f"#!/bin/sh\n{script}\n")
    gh.chmod(0o755)
    monkeypatch.setenv("PATH", f"{tmp_path}{os.pathsep}{os.environ['PATH']}")
    assert pushes.fetch("org/linreg-alice", timeout=1.0) is None, f"{what} gave pushes"


def test_a_force_push_counts_from_its_own_time():
    records = [
        {
            "ref": "refs/heads/main",
            "before": "a" * 40,
            "after": "b" * 40,
            "timestamp": "2026-12-19T10:00:00Z",
        },
        {
            "ref": "refs/heads/main",
            "before": "b" * 40,
            "after": "c" * 40,
            "timestamp": "2026-12-22T10:00:00Z",
        },
    ]
    found = pushes.from_activity(records)
    assert pushes.head_at(found, "refs/heads/main", pushes.parse_time("2026-12-21T00:00:00Z"))[0] == "b" * 40
    assert pushes.head_at(found, "refs/heads/main", pushes.parse_time("2026-11-01T00:00:00Z")) == (
        "a" * 40,
        "",
    ), "before the first recorded push, the branch held what that push replaced"


@pytest.mark.parametrize(
    "hours, percent", [(0, 0), (0.5, 10), (24, 10), (24.01, 20), (24 * 30, 100)], ids=str
)
def test_the_penalty_is_per_day_started_and_at_most_everything(hours, percent):
    policy = late.Policy(until=1e12, percent_per_day=10)
    assert late.penalty_percent(hours * 3600, 0, policy) == percent, f"{hours} h late should cost {percent}%"


def test_points_after_a_penalty():
    assert late.after_penalty(70, 15) == 59.5 and late.after_penalty(100, 10) == 90, "points less the penalty"
    assert late.late_window(10.0, late.Policy(5.0, 10)) is None, "a deadline past the late window has none"


def test_canvas_file_follows_the_importer(tmp_path):
    row = {"Student": "Nuñez, Carol", "ID": "7", "SIS User ID": "S7", "SIS Login ID": "cn", "Section": "B"}
    grades = [grade("carol", 90, row=row | {"github": "carol"}), grade("zoe", 100)]
    exports.write_canvas(grades, tmp_path / "c.csv", "Kata (9)", 100)
    rows = list(csv.reader((tmp_path / "c.csv").open(newline="", encoding="utf-8")))
    assert rows == [
        ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", "Kata (9)"],
        ["Points Possible", "", "", "", "", "100"],
        ["Nuñez, Carol", "7", "S7", "cn", "B", "90"],
    ], f"Section last, a Points Possible row, roster students only: {rows}"
    with pytest.raises(exports.ExportError, match="Canvas columns"):
        exports.canvas_ready(["github", "email"])


def test_moodle_file_never_names_someone_moodle_would_not_know(tmp_path):
    grades = [
        grade("ann", 80, '=HYPERLINK("http://x")', {"github": "ann", "idnumber": "42"}),
        grade("ben", 0, row={"github": "ben", "idnumber": ""}),
        grade("zoe", 100),
    ]
    left_out = exports.write_moodle(grades, tmp_path / "m.csv", ["github", "idnumber"])
    rows = list(csv.reader((tmp_path / "m.csv").open(newline="", encoding="utf-8")))
    assert rows[0] == ["idnumber", "grade", "feedback"] and [r[0] for r in rows[1:]] == ["42"], rows
    assert [g.learner for g in left_out] == ["ben"], "a student without an identifier is named, not written"
    assert rows[1][2].startswith("80/100"), f"feedback starts with the points: {rows[1][2]}"
    with pytest.raises(exports.ExportError):
        exports.moodle_identifier(["github", "Student"])


@pytest.mark.parametrize("text", ["=1+2", "+1", "-1", "@SUM(A1)", "\t=1"])
def test_no_cell_from_a_learner_starts_a_formula(tmp_path, text):
    graded = grade("ann", 0, text, {"github": "ann"})
    gradebook.write_csv([graded], tmp_path / "g.csv", roster_columns=["github"])
    (row,) = csv.DictReader((tmp_path / "g.csv").open(newline="", encoding="utf-8"))
    assert row["reason"] == "'" + text, f"a reason starting a formula must be made inert: {row['reason']!r}"
    change = {"learner": "ann", "step": 1, "old_points": 0, "new_points": 30, "reason": text}
    regrades.write([change], tmp_path / "changes.csv")
    (row,) = csv.DictReader((tmp_path / "changes.csv").open(newline="", encoding="utf-8"))
    assert row["reason"] == "'" + text, f"the changes file must hold no formula: {row['reason']!r}"


def test_compare_lists_only_the_steps_that_moved():
    before = [grade("ann", 70, steps=(0, 20, 20, 30)), grade("ben", 100), grade("gone", 10)]
    now = [grade("ann", 100), grade("ben", 100), grade("new", 0, steps=(0, 0, 0, 0))]
    found = regrades.changes(before, now)
    assert [(c["learner"], c["step"], c["old_points"], c["new_points"]) for c in found] == [
        ("ann", 1, 0, 30),
        ("ann", "total", 70, 100),
    ], f"only learners graded in both runs, only what moved: {found}"
    assert regrades.lines([])[0].endswith("no points changed"), "an empty comparison says so"


@pytest.mark.parametrize(
    "url, refused",
    [
        ("https://x-access-token:ghp_abc@github.com/o/r-{github}.git", True),
        ("https://ghp_abc@github.com/o/r-{github}.git", True),
        ("https://github.com/o/r-{github}.git", False),
        ("git@github.com:o/r-{github}.git", False),
        ("file:///srv/class/r-{github}.git", False),
    ],
)
def test_collect_refuses_a_url_holding_credentials(url, refused):
    if refused:
        with pytest.raises(collect.CollectError, match="token"):
            collect.from_template(["alice"], url)
    else:
        (target,) = collect.from_template(["alice"], url)
        assert target.url == url.replace("{github}", "alice"), target


def test_collect_knows_a_github_repository_by_its_url():
    assert collect.on_github("git@github.com:org/linreg-alice.git") == "org/linreg-alice"
    assert collect.on_github("https://github.com/org/linreg-alice") == "org/linreg-alice"
    assert collect.on_github("https://gitlab.com/org/linreg-alice.git") == "", "GitHub only"


def test_the_stubs_are_recognised_whatever_the_line_ends(tmp_path):
    stubs = collect.stubs_text()
    (tmp_path / "exercises").mkdir()
    (tmp_path / "exercises" / "linreg.py").write_bytes(stubs.replace("\n", "\r\n").encode())
    assert collect.holds_stubs(tmp_path), "stubs saved with Windows line ends are still the untouched stubs"
    (tmp_path / "exercises" / "linreg.py").write_text(stubs + "\nx = 1\n")
    assert not collect.holds_stubs(tmp_path), "a changed file is not the stubs"


def test_a_grade_taken_from_the_record_names_the_learner_s_own_file(tmp_path):
    """--resume takes bob's grade from the record of an earlier run, where his file was graded
    from a scratch copy: his row names his file. Alice's record of the same bytes is never
    bob's: a message their code writes may name its own folder."""
    from kata import classbook, graded_files
    from kata.submissions import Submission

    alice, bob = (tmp_path / name / "linreg.py" for name in ("alice", "bob"))
    for path in (alice, bob):
        path.parent.mkdir()
        path.write_text("def predict(x, weights, bias:\n")
    digest = classbook._digest(Submission("", "bob", bob))
    memo = graded_files.GradedFiles(tmp_path / "g.jsonl.files", keep=False, step=None)
    said = f"cannot import your linreg.py ({alice}): SyntaxError"
    memo.add(
        digest,
        Grade(str(alice.parent), "error", 0, 100, _steps_saying(said), message=said, learner="alice"),
        str(alice),
    )
    assert ("bob", digest) not in memo.known(), "alice's grade of the same bytes was taken as bob's"
    scratch = tmp_path / "scratch-of-an-earlier-run" / "linreg.py"
    said = f"cannot import your linreg.py ({scratch}): SyntaxError"
    memo.add(
        digest,
        Grade(str(bob.parent), "error", 0, 100, _steps_saying(said), message=said, learner="bob"),
        str(scratch),
    )
    mine, planned = Submission(str(bob.parent), "bob", bob), []
    row = classbook.grade_once([mine], tmp_path, classbook.Settings(), on_planned=planned.append, memo=memo)[
        id(mine)
    ]
    assert planned == [0], f"bob's file was graded again instead of taken from the record: {planned}"
    texts = [row.message, *(s["reason"] for s in row.steps)]
    assert all(str(bob) in t and "scratch" not in t for t in texts), f"bob's row names another file: {texts}"


def _steps_saying(reason: str) -> list[dict]:
    return [
        {"step": n, "points": 0, "max_points": p, "reason": reason} for n, p in enumerate((30, 20, 20, 30), 1)
    ]


def test_grades_read_back_with_the_new_fields(tmp_path):
    graded = grade("ann", 90, row={"github": "ann"})
    graded.submitted = {"late": True, "penalty_percent": 10}
    store = gradebook.JsonLines(tmp_path / "g.jsonl", keep=False)
    store.append(graded)
    (back,) = store.grades()
    assert back.roster == {"github": "ann"} and back.submitted["late"] is True, json.dumps(back.as_dict())[
        :300
    ]


def test_moodle_feedback_names_no_folder_of_the_instructor_s_machine():
    graded = grade("ivan", 0, "cannot import your linreg.py (/tmp/kata-x/tmp1/linreg.py): SyntaxError")
    graded.path = "/home/teacher/repos/ivan/"
    text = exports.feedback_text(graded)
    assert "/tmp" not in text and "/home" not in text and "(linreg.py)" in text, f"Moodle feedback: {text}"


def test_a_push_record_older_than_the_clone_is_not_used(tmp_path):
    clone = tmp_path / "repos" / "ann"
    clone.mkdir(parents=True)
    env = {"GIT_AUTHOR_DATE": "2026-12-19T10:00:00Z", "GIT_COMMITTER_DATE": "2026-12-19T10:00:00Z"}
    for args in (
        ["init", "-q", "-b", "main"],
        ["-c", "user.name=a", "-c", "user.email=a@x", "commit", "-q", "--allow-empty", "-m", "x"],
    ):
        subprocess.run(["git", "-C", str(clone), *args], check=True, env=os.environ | env)
    head = subprocess.run(
        ["git", "-C", str(clone), "rev-parse", "HEAD"], capture_output=True, text=True
    ).stdout.strip()
    push = {
        "ref": "refs/heads/main",
        "before": "0" * 40,
        "timestamp": "2026-12-22T10:00:00Z",
        "activity_type": "push",
    }
    deadline = pushes.parse_time("2026-12-20T23:59:00Z")
    pushes.store(clone, "o/ann", [push | {"after": head}])
    assert deadlines.version_at(clone, deadline) is None, (
        "pushed on the 22nd: nothing was submitted by the 20th"
    )
    pushes.store(clone, "o/ann", [push | {"after": "f" * 40}])
    version = deadlines.version_at(clone, deadline)
    assert version.commit == head and version.source == deadlines.TRUSTED, (
        f"a record whose last push is not the clone's commit is older than the clone: {version}"
    )


@pytest.mark.parametrize("name", ["..", ".hidden", "-x", "a/b", "a b"])
def test_collect_takes_no_name_that_could_leave_its_folder(tmp_path, name):
    (target,) = collect.from_template([name], "file:///nowhere/{github}.git")
    outcome = collect.clone_or_update(target, tmp_path / "repos")
    assert outcome.problem.startswith("not a GitHub name") and not outcome.done, f"{name!r}: {outcome}"


# --- the class-path attack round (issue 19): each finding, now refused -----------------------
def test_pushes_made_in_the_same_second_keep_their_order():
    """The API lists the newest first; two pushes in one second must not swap, or the record
    looks older than the clone and the commit dates (set by the learner) are trusted."""
    newest_first = [
        {"ref": "refs/heads/main", "after": "b" * 40, "timestamp": "2026-12-21T10:00:00Z"},
        {"ref": "refs/heads/main", "after": "y" * 40, "timestamp": "2026-12-21T10:00:00Z"},
        {"ref": "refs/heads/main", "after": "a" * 40, "timestamp": "2026-12-20T10:00:00Z"},
    ]
    order = [p["after"][0] for p in pushes.from_activity(newest_first)]
    assert order == ["a", "y", "b"], f"pushes, oldest first, should be a, y, b; got {order}"
    record = pushes.from_activity(newest_first)
    stored = [p["after"][0] for p in pushes.from_activity(record, newest_first=False)]
    assert stored == ["a", "y", "b"], f"read back from the record, the pushes should be a, y, b; got {stored}"


def _repo_with_a_tag_named_main(tmp_path: Path) -> Path:
    served = tmp_path / "served.git"
    work = tmp_path / "work"
    env = os.environ | {"GIT_AUTHOR_NAME": "m", "GIT_AUTHOR_EMAIL": "m@x", "GIT_COMMITTER_NAME": "m"}
    env |= {"GIT_COMMITTER_EMAIL": "m@x"}
    for args in (
        ["init", "-q", "--bare", "-b", "main", str(served)],
        ["init", "-q", "-b", "main", str(work)],
    ):
        subprocess.run(["git", *args], check=True, env=env)
    for args in (
        ["commit", "-q", "--allow-empty", "-m", "one"],
        ["tag", "main"],
        ["push", "-q", str(served), "refs/heads/main", "refs/tags/main"],
    ):
        subprocess.run(["git", "-C", str(work), *args], check=True, env=env)
    return served


def test_a_tag_named_like_the_branch_leaves_the_clone_on_its_branch(tmp_path):
    served = _repo_with_a_tag_named_main(tmp_path)
    target = collect.Target("mallory", served.as_uri())
    for _ in range(2):  # clone, then update
        outcome = collect.clone_or_update(target, tmp_path / "repos")
        assert outcome.done and not outcome.problem, f"collect: {outcome.problem}"
    head = subprocess.run(
        ["git", "-C", str(tmp_path / "repos" / "mallory"), "symbolic-ref", "HEAD"],
        capture_output=True,
        text=True,
    ).stdout.strip()
    assert head == "refs/heads/main", f"after an update the clone is on {head}, not refs/heads/main"


def _repo_with_a_tree_of(tmp_path: Path, linreg: bytes, depth: int, mode: str = "100644") -> Path:
    """A bare repository whose one commit holds exercises/linreg.py and a "git bomb": one
    small file under 10 ** depth paths (10 trees of 10 entries, `depth` deep), in a few
    hundred bytes of objects."""
    served = tmp_path / "bomb.git"
    subprocess.run(["git", "init", "-q", "--bare", "-b", "main", str(served)], check=True)

    def git(*args, given=None):
        done = subprocess.run(["git", "-C", str(served), *args], input=given, capture_output=True, check=True)
        return done.stdout.decode().strip()

    node = ("blob", git("hash-object", "-w", "--stdin", given=b"boom\n"))
    for _ in range(depth):
        listing = "".join(
            f"{'040000' if node[0] == 'tree' else '100644'} {node[0]} {node[1]}\tf{i}\n" for i in range(10)
        )
        node = ("tree", git("mktree", given=listing.encode()))
    linreg_blob = git("hash-object", "-w", "--stdin", given=linreg)
    exercises = git("mktree", given=f"{mode} blob {linreg_blob}\tlinreg.py\n".encode())
    root = git("mktree", given=f"040000 tree {node[1]}\tbomb\n040000 tree {exercises}\texercises\n".encode())
    env = {"GIT_AUTHOR_NAME": "m", "GIT_AUTHOR_EMAIL": "m@x", "GIT_COMMITTER_NAME": "m"}
    env |= {"GIT_COMMITTER_EMAIL": "m@x", "PATH": os.environ["PATH"]}
    made = subprocess.run(
        ["git", "-C", str(served), "commit-tree", root, "-m", "work"],
        env=env,
        capture_output=True,
        check=True,
    )
    git("update-ref", "refs/heads/main", made.stdout.decode().strip())
    return served


def test_collect_writes_out_only_linreg_py_whatever_the_tree_holds(tmp_path):
    """A tree of 100,000 paths is not checked out (a git bomb of 10 ** 8 would fill the
    machine); exercises/linreg.py is, and is graded from there."""
    served = _repo_with_a_tree_of(tmp_path, b"x = 1\n", depth=5)
    target = collect.Target("mallory", served.as_uri())
    for _ in range(2):  # clone, then update
        outcome = collect.clone_or_update(target, tmp_path / "repos")
        assert outcome.done and not outcome.problem and not outcome.not_taken, outcome
    clone = tmp_path / "repos" / "mallory"
    written = sorted(str(p.relative_to(clone)) for p in clone.rglob("*") if ".git" not in p.parts)
    assert written == ["exercises", str(Path("exercises") / "linreg.py")], f"collect wrote out {written[:5]}"
    assert (clone / "exercises" / "linreg.py").read_bytes() == b"x = 1\n"


def test_collect_does_not_take_a_linreg_py_no_one_would_write(tmp_path):
    served = _repo_with_a_tree_of(tmp_path, b"#" * (MAX_LINREG_BYTES + 1), depth=1)
    outcome = collect.clone_or_update(collect.Target("mallory", served.as_uri()), tmp_path / "repos")
    assert outcome.done and "not taken" not in outcome.problem and "more than" in outcome.not_taken, outcome
    assert not (tmp_path / "repos" / "mallory" / "exercises" / "linreg.py").exists(), (
        "a huge linreg.py was written"
    )
    lines = collect.report([outcome], [], 0, [])
    assert any(line.startswith("not taken from mallory: ") for line in lines), lines


def test_collect_says_why_a_linreg_py_that_is_a_link_is_not_taken(tmp_path):
    served = _repo_with_a_tree_of(tmp_path, b"/etc/passwd", depth=1, mode="120000")
    outcome = collect.clone_or_update(collect.Target("mallory", served.as_uri()), tmp_path / "repos")
    assert outcome.done and outcome.not_taken == "exercises/linreg.py is a symbolic link: not taken", outcome
    assert not (tmp_path / "repos" / "mallory" / "exercises" / "linreg.py").exists()


@pytest.mark.skipif(os.name != "posix", reason="the bound on git's files is POSIX's RLIMIT_FSIZE")
def test_a_history_too_large_for_this_machine_is_not_collected(tmp_path, monkeypatch):
    """git may write no file (a pack) larger than GIT_FILE_BYTES: here 1 MB, for 3 MB of
    random bytes somewhere in the history."""
    served = _repo_with_a_tree_of(tmp_path, b"x = 1\n", depth=1)
    work = tmp_path / "work"
    subprocess.run(["git", "clone", "-q", str(served), str(work)], check=True, capture_output=True)
    (work / "big.bin").write_bytes(os.urandom(3 << 20))
    env = os.environ | {"GIT_AUTHOR_NAME": "m", "GIT_AUTHOR_EMAIL": "m@x"}
    env |= {"GIT_COMMITTER_NAME": "m", "GIT_COMMITTER_EMAIL": "m@x"}
    for args in (["add", "-A"], ["commit", "-qm", "big"], ["push", "-q", "origin", "HEAD:main"]):
        subprocess.run(["git", "-C", str(work), *args], check=True, capture_output=True, env=env)
    monkeypatch.setattr(collect, "GIT_FILE_BYTES", 1 << 20)
    outcome = collect.clone_or_update(collect.Target("mallory", served.as_uri()), tmp_path / "repos")
    assert outcome.problem and not outcome.done, (
        f"a history of 3 MB was collected under a 1 MB bound: {outcome}"
    )
    assert not (tmp_path / "repos" / "mallory").exists(), "the clone that failed was left behind"


def test_a_large_linreg_py_left_on_the_server_is_never_downloaded(tmp_path):
    """Where the server allows a filtered clone (GitHub does), a linreg.py over 1 MB stays on
    the server: telling its size must not fetch it."""
    served = _repo_with_a_tree_of(tmp_path, os.urandom(3 << 20), depth=1)
    subprocess.run(["git", "-C", str(served), "config", "uploadpack.allowFilter", "true"], check=True)
    outcome = collect.clone_or_update(collect.Target("mallory", served.as_uri()), tmp_path / "repos")
    assert outcome.done and "not taken" in outcome.not_taken, outcome
    objects = tmp_path / "repos" / "mallory" / ".git" / "objects"
    held = sum(p.stat().st_size for p in objects.rglob("*") if p.is_file())
    assert held < 1 << 20, f"the clone holds {held} bytes of objects: the 3 MB linreg.py was downloaded"


def test_a_clone_that_failed_is_made_afresh_next_time(tmp_path):
    target = collect.Target("mallory", (tmp_path / "nowhere.git").as_uri())
    outcome = collect.clone_or_update(target, tmp_path / "repos")
    assert outcome.problem and not (tmp_path / "repos" / "mallory").exists(), "a failed clone left its folder"


def test_a_linreg_py_that_is_a_long_link_is_a_row_not_a_crash(tmp_path):
    folder = tmp_path / "mallory"
    (folder / "exercises").mkdir(parents=True)
    (folder / "exercises" / "linreg.py").symlink_to("a" * 300)
    assert not collect.holds_stubs(folder, "anything"), "a link was taken for the stubs"
    from kata.impl import ImplError, resolve

    with pytest.raises(ImplError):
        resolve(folder)


def test_git_messages_that_are_not_utf8_do_not_stop_collect(tmp_path):
    done = collect._git("clone", "--quiet", "--", str(tmp_path / ("\udcff" * 3)), str(tmp_path / "x"))
    assert done.returncode != 0 and isinstance(done.stderr, str), "git's answer could not be read"


def test_moodle_feedback_shows_a_learner_s_html_as_text():
    graded = grade(
        "ivan", 0, 'cannot import your linreg.py: RuntimeError: <a href="https://evil.example">x</a>'
    )
    text = exports.feedback_text(graded)
    assert "<a" not in text and "&lt;a" in text, f"Moodle feedback: {text}"


def test_collect_names_a_repository_with_no_linreg_py(tmp_path):
    """An empty repository (no commit), and one whose branch has no exercises/linreg.py, are
    collected, and the report names them: grading would only say there is nothing to grade."""
    env = {"GIT_AUTHOR_NAME": "m", "GIT_AUTHOR_EMAIL": "m@x", "GIT_COMMITTER_NAME": "m"}
    env |= {"GIT_COMMITTER_EMAIL": "m@x", "PATH": os.environ["PATH"]}
    outcomes = []
    for name, commits in (("nemo", False), ("ned", True)):
        served = tmp_path / f"{name}.git"
        subprocess.run(["git", "init", "-q", "--bare", "-b", "main", str(served)], check=True)

        def git(*args, served=served):
            done = subprocess.run(["git", "-C", str(served), *args], env=env, capture_output=True, check=True)
            return done.stdout.decode().strip()

        if commits:  # one commit, of a tree with only a README
            readme = (
                subprocess.run(
                    ["git", "-C", str(served), "hash-object", "-w", "--stdin"],
                    input=b"hi\n",
                    capture_output=True,
                )
                .stdout.decode()
                .strip()
            )
            tree = (
                subprocess.run(
                    ["git", "-C", str(served), "mktree"],
                    input=f"100644 blob {readme}\tREADME.md\n".encode(),
                    capture_output=True,
                )
                .stdout.decode()
                .strip()
            )
            git("update-ref", "refs/heads/main", git("commit-tree", tree, "-m", "nothing"))
        outcomes.append(collect.clone_or_update(collect.Target(name, served.as_uri()), tmp_path / "repos"))
    assert all(o.done and o.absent and not o.not_taken for o in outcomes), outcomes
    lines = collect.report(outcomes, [], 0, [])
    for name in ("nemo", "ned"):
        assert f"no exercises/linreg.py on its default branch (or no commit): {name}" in lines, lines


def test_before_grades_the_commit_before_the_deadline_whatever_the_branch_holds_now(tmp_path):
    """--before reads the file from the last commit before the deadline, even where the
    working tree no longer holds it (deleted, or a link that collect did not take)."""
    from kata.submissions import find

    repo = tmp_path / "repos" / "lea"
    (repo / "exercises").mkdir(parents=True)
    (repo / "exercises" / "linreg.py").write_text("x = 1\n")
    env = os.environ | {"GIT_AUTHOR_NAME": "l", "GIT_AUTHOR_EMAIL": "l@x", "GIT_COMMITTER_NAME": "l"}
    env |= {"GIT_COMMITTER_EMAIL": "l@x"}

    def commit(when: str) -> None:
        dated = env | {"GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when}
        for args in (["add", "-A"], ["commit", "-qm", "work"]):
            subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, env=dated)

    subprocess.run(["git", "init", "-q", "-b", "main", str(repo)], check=True)
    commit("2026-12-01T10:00:00+00:00")
    (repo / "exercises" / "linreg.py").unlink()
    (repo / "exercises" / "linreg.py").symlink_to("/etc/passwd")
    commit("2026-12-03T10:00:00+00:00")
    (repo / "exercises" / "linreg.py").unlink()  # as collect leaves a link it did not take
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    sub = find(repo, "lea", "2026-12-02 00:00 +0000", scratch)
    assert not sub.problem and sub.path.read_text() == "x = 1\n", sub
    assert sub.shown == "exercises/linreg.py" and sub.commit, sub
    late = find(repo, "lea", "2026-12-04 00:00 +0000", scratch)
    assert "is a symbolic link: not graded" in late.problem, late
