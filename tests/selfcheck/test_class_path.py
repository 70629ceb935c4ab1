"""A class from its repositories to the LMS gradebook: `kata collect` twice (a push between),
then `kata grade --roster` with personal deadlines, the late policy, the Canvas and Moodle
exports and --compare.

Twelve bare repositories under file:// URLs; a roster of fourteen: eleven with a repository,
two whose repositories do not exist, one who never gave a GitHub name; one repository (zoe)
is on no roster row. `gh` is a stand-in on PATH: it lists the organisation's repositories
and answers GitHub's activity API for grace from a stored sample response
(samples/activity.json). Few distinct files are graded in full: most repositories hold the
stubs, a syntax error, an empty file or the same reference, so the run stays short.
"""

import csv
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from kata.manifest import ROOT, TOTAL_POINTS
from tests.selfcheck.helpers import run_kata

SAMPLES = Path(__file__).parent / "samples"
REFERENCE = (ROOT / "solutions" / "linreg.py").read_text(encoding="utf-8")
STUBS = (ROOT / "exercises" / "linreg.py").read_text(encoding="utf-8")
SYNTAX_ERROR = "def predict(x, weights, bias:\n    pass\n"
NO_STEP_4 = REFERENCE + "\n\ndef hinge_features(x, knots):\n    raise RuntimeError('not done')\n"
DEADLINE = "2026-12-20 23:59 +00:00"
LATE_UNTIL = "2026-12-23 23:59 +00:00"
ORG = "kata-class"
ASSIGNMENT = "Linreg kata (1234)"

# github -> [(linreg.py text, or None to delete it; commit date)], after the template's commit
WORK = {
    "alice": [(REFERENCE, "2026-12-18T10:00:00+00:00")],
    "bob": [],
    "carol": [(REFERENCE, "2026-12-25T10:00:00+00:00")],  # her own deadline is the 27th
    "dave": [(SYNTAX_ERROR, "2026-12-19T10:00:00+00:00"), (REFERENCE, "2026-12-21T10:00:00+00:00")],
    "erin": [(REFERENCE, "2026-12-18T10:00:00+00:00"), ("", "2026-12-22T10:00:00+00:00")],
    "frank": [],  # pushes the reference between the two collect runs
    "grace": [(REFERENCE, "2026-12-20T20:00:00+00:00")],  # dated on time, pushed on the 22nd
    "heidi": [(NO_STEP_4, "2026-12-18T10:00:00+00:00")],
    "ivan": [(SYNTAX_ERROR, "2026-12-18T10:00:00+00:00")],
    "kim": [(None, "2026-12-18T10:00:00+00:00")],
    "leo": [(REFERENCE, "2026-12-18T10:00:00+00:00"), ("README", "2026-12-21T10:00:00+00:00")],
    "zoe": [(SYNTAX_ERROR, "2026-12-18T10:00:00+00:00")],  # on no roster row
}
CANVAS = ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]
ROSTER_HEADER = [*CANVAS, ASSIGNMENT, "Current Score", "github", "email", "deadline"]
NAMES = {
    "alice": 'Lefèvre, Amélie "Ali"',
    "bob": "Øster, Bo",
    "carol": "Nuñez, Carol",
    "mallory": "Mallet, Mal",
    "niaj": "Niaj, N.",
    "oscar": "Ōta, Oscar",
}


def roster_rows() -> list[list[str]]:
    """A Canvas gradebook export with github, email and deadline columns added."""
    github = [name for name in WORK if name != "zoe"] + ["mallory", "niaj", ""]
    rows = [["    Points Possible", "", "", "", "", "100", "", "", "", ""]]
    for number, name in enumerate(github, start=1):
        shown = NAMES.get(name or "oscar", f"{name.title()}, Student")
        email = "" if name == "niaj" else f"{name or 'oscar'}@uni.example"
        deadline = "2026-12-27 23:59 +00:00" if name == "carol" else ""
        section = "Section A" if number % 2 else "Section B, Tuesday"
        rows.append([shown, str(100 + number), f"S{number:03d}", f"login{number}", section])
        rows[-1] += ["", "", name, email, deadline]
    return rows


def git(*args, cwd=None, when="2026-12-01T09:00:00+00:00"):
    env = os.environ | {"GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when}
    env |= {"GIT_AUTHOR_NAME": "l", "GIT_AUTHOR_EMAIL": "l@x", "GIT_COMMITTER_NAME": "l"}
    env |= {"GIT_COMMITTER_EMAIL": "l@x"}
    done = subprocess.run(
        ["git", *map(str, args)], cwd=cwd, env=env, check=True, capture_output=True, text=True
    )
    return done.stdout.strip()


def commit(work: Path, text, when: str) -> str:
    linreg = work / "exercises" / "linreg.py"
    if text is None:
        linreg.unlink()
    elif text == "README":
        (work / "README.md").write_text("more notes\n")
    else:
        linreg.write_text(text, encoding="utf-8")
    git("add", "-A", cwd=work)
    git("commit", "-qm", "my work", cwd=work, when=when)
    return git("rev-parse", "HEAD", cwd=work)


def learner_repo(origin: Path, work: Path, name: str) -> dict:
    """A bare repository served at origin, pushed from a work copy: the template's commit
    (the stubs), then the learner's commits. Returns each commit's id."""
    bare = origin / f"linreg-{name}.git"
    git("init", "-q", "--bare", "-b", "main", bare)
    (work / "exercises").mkdir(parents=True)
    (work / "README.md").write_text("the kata\n")
    (work / "exercises" / "linreg.py").write_text(STUBS, encoding="utf-8")
    git("init", "-q", "-b", "main", cwd=work)
    git("add", "-A", cwd=work)
    git("commit", "-qm", "Initial commit", cwd=work)
    commits = [git("rev-parse", "HEAD", cwd=work)]
    commits += [commit(work, text, when) for text, when in WORK[name]]
    git("remote", "add", "origin", bare.as_uri(), cwd=work)
    git("push", "-q", "origin", "main", cwd=work)
    return {"bare": bare, "work": work, "commits": commits}


FAKE_GH = """\
#!{python}
# A stand-in for GitHub's CLI: `gh repo list ORG ...` and `gh api repos/ORG/NAME/activity...`.
import json, sys
from pathlib import Path
data = Path({data!r})
args = sys.argv[1:]
if args[:2] == ["repo", "list"]:
    print((data / "repos.json").read_text())
elif args[:1] == ["api"]:
    path = [a for a in args[1:] if not a.startswith("-")][0]
    answer = data / (path.split("/")[2] + ".activity.json")
    if not answer.exists():
        sys.exit("gh: Not Found (HTTP 404)")
    print(answer.read_text())
else:
    sys.exit("gh stand-in: unexpected " + " ".join(args))
"""


def fake_gh(folder: Path, repos: dict) -> Path:
    """A `gh` on PATH that lists the repositories and has grace's pushes (the stored sample)."""
    data, bin_ = folder / "gh-data", folder / "bin"
    data.mkdir()
    bin_.mkdir()
    listing = [
        {"name": f"linreg-{n}", "url": r["bare"].as_uri(), "nameWithOwner": f"{ORG}/linreg-{n}"}
        for n, r in repos.items()
    ]
    (data / "repos.json").write_text(json.dumps(listing))
    sample = (SAMPLES / "activity.json").read_text()
    grace = repos["grace"]["commits"]
    sample = sample.replace("{grace_initial}", grace[0]).replace("{grace_work}", grace[1])
    (data / "linreg-grace.activity.json").write_text(sample)
    gh = bin_ / "gh"
    gh.write_text(FAKE_GH.format(python=sys.executable, data=str(data)))
    gh.chmod(0o755)
    return bin_


def run(*args, cwd, env) -> subprocess.CompletedProcess:
    done = subprocess.run(
        [sys.executable, "-m", "kata", *map(str, args)], cwd=cwd, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, f"kata {args[0]} failed: {done.stdout[-2000:]}{done.stderr[-2000:]}"
    return done


@pytest.fixture(scope="module")
def klass(tmp_path_factory):
    folder = tmp_path_factory.mktemp("class")
    origin = folder / "served" / "github.com" / ORG  # a file:// URL that names a GitHub repository
    origin.mkdir(parents=True)
    repos = {name: learner_repo(origin, folder / "work" / name, name) for name in WORK}
    env = os.environ | {"PATH": f"{fake_gh(folder, repos)}{os.pathsep}{os.environ['PATH']}"}
    course = folder / "course"
    course.mkdir()
    with (course / "roster.csv").open("w", newline="", encoding="utf-8") as out:
        csv.writer(out).writerows([ROSTER_HEADER, *roster_rows()])
    template = f"{origin.as_uri()}/linreg-{{github}}.git"
    first = run(
        "collect",
        "--roster",
        "roster.csv",
        "--url-template",
        template,
        "--into",
        "repos",
        cwd=course,
        env=env,
    )
    repos["frank"]["commits"].append(commit(repos["frank"]["work"], REFERENCE, "2026-12-19T10:00:00+00:00"))
    git("push", "-q", "origin", "main", cwd=repos["frank"]["work"])
    second = run("collect", "--roster", "roster.csv", "--org", ORG, "--into", "repos", cwd=course, env=env)
    previous = [{"path": "", "learner": "alice", "points": 70, "steps": _steps(0, 20, 20, 30)}]
    previous += [{"path": "", "learner": "bob", "points": 0, "steps": _steps(0, 0, 0, 0)}]
    (course / "previous.jsonl").write_text("".join(json.dumps(p) + "\n" for p in previous))
    graded = run(
        "grade",
        *sorted(str(p) for p in (course / "repos").iterdir() if not p.name.startswith(".")),
        *("--roster", "roster.csv", "--before", DEADLINE, "--late-until", LATE_UNTIL, "--late-penalty", "10"),
        *("--csv", "gradebook.csv", "--jsonl", "grades.jsonl", "--canvas", "canvas.csv"),
        *("--assignment", ASSIGNMENT, "--moodle", "moodle.csv", "--compare", "previous.jsonl"),
        cwd=course,
        env=env,
    )
    return {"course": course, "repos": repos, "first": first, "second": second, "graded": graded}


def _steps(*points) -> list[dict]:
    return [
        {"step": n, "points": p, "max_points": [30, 20, 20, 30][n - 1], "reason": ""}
        for n, p in enumerate(points, 1)
    ]


def read_csv(path: Path) -> list[list[str]]:
    with path.open(newline="", encoding="utf-8") as source:
        return list(csv.reader(source))


def test_the_first_collect_clones_and_reports_what_is_missing(klass):
    out = klass["first"].stdout
    assert "collected 11 of 13 repositories (11 cloned, 0 updated)" in out, f"first collect: {out}"
    for name in ("mallory", "niaj"):
        assert f"could not reach {name}" in out, f"{name} has no repository; the first collect said: {out}"
    assert "1 roster student(s) have no github name" in out, out
    assert "still the untouched stubs: bob" in out and "still the untouched stubs: frank" in out, out
    assert "push times from GitHub stored for 1 of 11" in out, f"grace's pushes were not stored: {out}"
    assert "collecting" in klass["first"].stderr, "no progress bar on stderr"


def test_the_second_collect_updates_and_lists_the_repository_on_no_roster_row(klass):
    out = klass["second"].stdout
    assert "collected 12 of 12 repositories (1 cloned, 11 updated)" in out, f"second collect: {out}"
    assert "no repository listed for mallory" in out and "not on the roster: zoe" in out, out
    assert "untouched stubs: frank" not in out, f"frank's push between the runs was not fetched: {out}"
    frank = klass["course"] / "repos" / "frank"
    head = git("rev-parse", "HEAD", cwd=frank)
    assert head == klass["repos"]["frank"]["commits"][-1], "frank's clone is not at the commit he pushed"


def test_no_clone_holds_a_token_and_grace_has_her_push_record(klass):
    repos = klass["course"] / "repos"
    for clone in repos.iterdir():
        if clone.name.startswith("."):
            continue
        url = git("remote", "get-url", "origin", cwd=clone)
        assert url.startswith("file://") and "@" not in url, (
            f"{clone.name}'s remote URL holds credentials: {url}"
        )
    record = json.loads((repos / ".kata-pushes" / "grace.json").read_text())
    assert record["repository"] == f"{ORG}/linreg-grace", record
    assert [p["activity_type"] for p in record["pushes"]] == ["branch_creation", "push"], (
        f"the stored pushes should be grace's branch creation and push, oldest first: {record}"
    )


EXPECTED = {  # github: (points, status, late, penalty, time source, which commit: index or None)
    "alice": (100, "pass", "no", 0, "commit date (trusted)", 1),
    "bob": (0, "fail", "no", 0, "commit date (trusted)", 0),
    "carol": (100, "pass", "no", 0, "commit date (trusted)", 1),
    "dave": (90, "pass", "yes", 10, "commit date (trusted)", 2),
    "erin": (100, "pass", "no", 0, "commit date (trusted)", 1),
    "frank": (100, "pass", "no", 0, "commit date (trusted)", 1),
    "grace": (80, "pass", "yes", 20, "push", 1),
    "heidi": (70, "fail", "no", 0, "commit date (trusted)", 1),
    "ivan": (0, "error", "no", 0, "commit date (trusted)", 1),
    "kim": (0, "error", "no", 0, "commit date (trusted)", 1),
    "leo": (100, "pass", "no", 0, "commit date (trusted)", 1),
    "mallory": (0, "missing", "", "", "", None),
    "niaj": (0, "missing", "", "", "", None),
    "(Ōta, Oscar)": (0, "missing", "", "", "", None),
    "zoe": (0, "error", "no", 0, "commit date (trusted)", 1),
}


def gradebook(klass) -> dict:
    with (klass["course"] / "gradebook.csv").open(newline="", encoding="utf-8") as source:
        return {row["learner"]: row for row in csv.DictReader(source)}


def test_the_gradebook_has_the_roster_columns_then_the_grade(klass):
    header = read_csv(klass["course"] / "gradebook.csv")[0]
    expected = [*ROSTER_HEADER, "learner", "commit", "commit_time", "time_source", "late", "penalty_percent"]
    expected += ["graded_at", "step1", "step2", "step3", "step4", "points", "max_points", "status", "reason"]
    expected += ["submission", "on_roster"]
    assert header == expected, f"gradebook.csv header: {header}"


def test_every_roster_student_has_one_row_and_the_stranger_is_apart(klass):
    rows = read_csv(klass["course"] / "gradebook.csv")[1:]
    learners = [row[ROSTER_HEADER.index("github")] for row in rows]
    roster = [row[ROSTER_HEADER.index("github")] for row in roster_rows()[1:]]
    assert learners == [*roster, ""], f"one row per roster student, in roster order, then zoe: {learners}"
    book = gradebook(klass)
    assert book["zoe"]["on_roster"] == "no" and book["zoe"]["Student"] == "", book["zoe"]
    assert all(book[n]["on_roster"] == "yes" for n in EXPECTED if n != "zoe"), (
        "a roster row says not on roster"
    )
    assert "not on the roster (graded, and apart in the reports: on_roster no): " in klass["graded"].stdout


@pytest.mark.parametrize("learner", list(EXPECTED))
def test_each_row_says_what_was_graded_when_and_how_late(klass, learner):
    row = gradebook(klass)[learner]
    points, status, late, penalty, source, index = EXPECTED[learner]
    shown = {k: row[k] for k in ("points", "status", "late", "penalty_percent", "time_source", "reason")}
    assert row["points"] == str(points) and row["status"] == status, f"{learner}: {shown}"
    assert row["late"] == late and row["penalty_percent"] in (str(penalty), f"{penalty}.0"), (
        f"{learner}: {shown}"
    )
    assert row["time_source"] == source, f"{learner}'s commit time should come from the {source}: {shown}"
    if index is not None:
        name = learner
        assert row["commit"] == klass["repos"][name]["commits"][index], f"{learner}: graded the wrong commit"
        assert row["commit_time"], f"{learner}: no commit time"
    else:
        assert row["commit"] == "" and row["submission"] == "", f"{learner} has no repository: {row}"


def test_grace_s_backdated_commit_counts_from_its_push(klass):
    row = gradebook(klass)["grace"]
    assert row["commit_time"] == "2026-12-22T09:00:00+00:00", f"grace's push time, not her commit date: {row}"
    assert "late by 2 day(s)" in row["reason"], row["reason"]


def test_a_file_graded_from_a_commit_is_named_as_in_the_repository(klass):
    """ivan's syntax error is read out of his commit into a scratch folder (dave's first commit
    and zoe hold the same bytes): ivan's reports name his exercises/linreg.py, never a
    scratch path of the grading machine or another's folder."""
    rows = [json.loads(line) for line in (klass["course"] / "grades.jsonl").open()]
    ivan = next(row for row in rows if row["learner"] == "ivan")
    texts = [ivan["message"], *(s["reason"] for s in ivan["steps"]), *(t["message"] for t in ivan["tests"])]
    assert "cannot import your linreg.py (exercises/linreg.py)" in ivan["message"], ivan["message"]
    others = ("kata-grade-", "kata-class-", "/tmp", "dave", "zoe")
    leaked = [t for t in texts if any(other in t for other in others)]
    assert not leaked, f"ivan's reports name a scratch path or another's file: {leaked[:2]}"


def test_canvas_import_file(klass):
    rows = read_csv(klass["course"] / "canvas.csv")
    assert rows[0] == [*CANVAS, ASSIGNMENT], (
        f"Canvas header: Section must be the last student column: {rows[0]}"
    )
    assert rows[1] == ["Points Possible", "", "", "", "", str(TOTAL_POINTS)], (
        f"Points Possible row: {rows[1]}"
    )
    students = [r[:5] for r in roster_rows()[1:]]
    assert [r[:5] for r in rows[2:]] == students, "one Canvas row per roster student, names and ids as given"
    book = gradebook(klass)
    points = {r[1]: r[5] for r in rows[2:]}
    for row in book.values():
        if row["on_roster"] == "yes":
            assert points[row["ID"]] == row["points"], f"{row['learner']}: Canvas has {points[row['ID']]}"
    assert len(rows) == 2 + 14, f"no row for zoe, who is on no roster row: {len(rows)} rows"


def test_moodle_import_file(klass):
    rows = read_csv(klass["course"] / "moodle.csv")
    assert rows[0] == ["email", ASSIGNMENT, "feedback"], f"Moodle header: {rows[0]}"
    emails = [r[0] for r in rows[1:]]
    expected = [f"{n or 'oscar'}@uni.example" for n in [*list(WORK)[:-1], "mallory", ""]]
    assert emails == expected, f"one row per roster student with an email, none for zoe or niaj: {emails}"
    assert "left out of moodle.csv (no email or idnumber in the roster): niaj" in klass["graded"].stdout
    feedback = {r[0]: (r[1], r[2]) for r in rows[1:]}
    assert feedback["dave@uni.example"][0] == "90" and "late by 1 day" in feedback["dave@uni.example"][1], (
        feedback
    )
    assert all(not text.startswith(("=", "+", "-", "@")) for _, text in feedback.values()), feedback


def test_compare_lists_whose_points_changed(klass):
    out = klass["graded"].stdout
    assert "alice: step 1: 0 -> 30 (all its checks pass)" in out, f"--compare output: {out[-1500:]}"
    assert "alice: total: 70 -> 100" in out and "bob:" not in out.split("compared with")[1], out[-1500:]
    rows = read_csv(klass["course"] / "previous.changes.csv")
    assert rows[0] == ["learner", "step", "old_points", "new_points", "reason"], rows[0]
    assert [r[:4] for r in rows[1:]] == [["alice", "1", "0", "30"], ["alice", "total", "70", "100"]], rows


def test_names_with_commas_quotes_and_accents_survive_the_round_trip(klass):
    canvas = {r[1]: r[0] for r in read_csv(klass["course"] / "canvas.csv")[2:]}
    for row in roster_rows()[1:]:
        assert canvas[row[1]] == row[0], f"Canvas name of ID {row[1]}: {canvas[row[1]]!r}, roster {row[0]!r}"
    raw = (klass["course"] / "canvas.csv").read_bytes()
    assert '"Lefèvre, Amélie ""Ali"""'.encode() in raw, "the quoted name is not written as CSV quotes it"


def test_usage_errors(tmp_path):
    roster = tmp_path / "r.csv"
    roster.write_text("name\nx\n")
    done = run_kata("grade", ROOT / "solutions", "--roster", roster)
    assert done.returncode == 2 and "no `github` column" in done.stderr, done.stderr
    done = run_kata("grade", ROOT / "solutions", "--canvas", tmp_path / "c.csv")
    assert done.returncode == 2 and "--roster" in done.stderr, done.stderr
    done = run_kata("grade", ROOT / "solutions", "--late-until", "2026-12-23", "--late-penalty", "5")
    assert done.returncode == 2 and "--before" in done.stderr, (
        f"a late window needs a deadline: {done.stderr}"
    )
    roster.write_text("github\nx\n")
    done = run_kata("collect", "--url-template", "https://u:tok@github.com/o/{github}", "--roster", roster)
    assert done.returncode == 2 and "token" in done.stderr, (
        f"a token in the URL must be refused: {done.stderr}"
    )


def test_resume_takes_every_file_already_graded_from_the_record(klass):
    course = klass["course"]
    repos = sorted(str(p) for p in (course / "repos").iterdir() if not p.name.startswith("."))
    args = [
        "--roster",
        "roster.csv",
        "--before",
        DEADLINE,
        "--late-until",
        LATE_UNTIL,
        "--late-penalty",
        "10",
    ]
    env = os.environ | {"PATH": f"{course.parent / 'bin'}{os.pathsep}{os.environ['PATH']}"}
    again = run(
        "grade",
        *repos,
        *args,
        "--jsonl",
        "grades.jsonl",
        "--resume",
        "--csv",
        "again.csv",
        cwd=course,
        env=env,
    )
    assert "1/1" in again.stderr and "2/2" not in again.stderr, (
        f"--resume should take every file from the record (kim has none to grade): {again.stderr[-500:]}"
    )
    first, second = (read_csv(course / name) for name in ("gradebook.csv", "again.csv"))
    at, kim = first[0].index("graded_at"), [row[0] for row in first].index("Kim, Student")
    for row in (first[kim], second[kim]):
        row[at] = ""  # kim's row, with no file to grade, is made again
    assert first == second, "the resumed run's gradebook differs from the run it resumed (graded_at included)"
