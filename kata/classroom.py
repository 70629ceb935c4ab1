"""The GitHub Classroom autograding workflow, generated from the step manifest.

`python -m kata classroom` writes .github/workflows/classroom.yml; `--check` fails when
the committed file differs. One command-grader step per kata step, with the step's points,
then the reporter. The grading command is `python -m kata grade --step N`: the verdict is
the exit status of the grading parent, which never runs submitted code, so a submission
that exits early or patches pytest cannot score.
"""

from kata.manifest import ROOT, STEPS

WORKFLOW_FILE = ROOT / ".github" / "workflows" / "classroom.yml"
CPU_INDEX = "https://download.pytorch.org/whl/cpu"
PROTECTED = "tests conftest.py kata data pyproject.toml constraints.txt .github"

HEADER = f"""\
# Generated from kata/steps.toml by `python -m kata classroom`: edit the manifest, not this file.
#
# Private grader (recommended): set the repository (or organization) variable
# KATA_GRADER_REPO to owner/name of the instructor's repository, and the secret
# KATA_GRADER_TOKEN to a token that can read it. Grading then uses that repository's
# tests, hidden checks and harness. Without it, the learner's own copy of the visible tests
# is used, and the "Tests unchanged" check flags any change to {PROTECTED}.
name: Autograding Tests
"on":
  - push
  - repository_dispatch
permissions:
  checks: write
  actions: read
  contents: read
jobs:
  run-autograding-tests:
    runs-on: ubuntu-latest
    if: github.actor != 'github-classroom[bot]'
    env:
      KATA_GRADER_REPO: ${{{{ vars.KATA_GRADER_REPO }}}}
    steps:
      - name: Check out the submission
        uses: actions/checkout@v5
        with:
          fetch-depth: 0
      - name: Set up Python
        uses: actions/setup-python@v6
        with:
          python-version: "3.11"
          cache: pip
          cache-dependency-path: |
            pyproject.toml
            constraints.txt
      - name: Check out the private grader
        if: env.KATA_GRADER_REPO != ''
        uses: actions/checkout@v5
        with:
          repository: ${{{{ vars.KATA_GRADER_REPO }}}}
          token: ${{{{ secrets.KATA_GRADER_TOKEN }}}}
          path: .grader
      - name: Use the visible tests
        if: env.KATA_GRADER_REPO == ''
        run: |
          mkdir .grader
          cp -r conftest.py pyproject.toml constraints.txt README.md kata tests data .grader/
      - name: Install the grader with CPU torch
        run: |
          python -m pip install --upgrade pip
          python -m pip install -e ./.grader -c ./.grader/constraints.txt --extra-index-url {CPU_INDEX}
      - name: Tests unchanged
        id: unchanged
        uses: classroom-resources/autograding-command-grader@v1
        with:
          test-name: Tests unchanged
          command: git diff --stat --exit-code "$(git rev-list --max-parents=0 HEAD | tail -n 1)" HEAD -- {PROTECTED}
          timeout: 1
          max-score: 0
"""

STEP = """\
      - name: "Step {number}: {title}"
        id: {marker}
        uses: classroom-resources/autograding-command-grader@v1
        with:
          test-name: "Step {number}: {title}"
          command: cd .grader && python -m kata grade ../exercises/linreg.py --step {number}
          timeout: 10
          max-score: {points}
"""

REPORTER = """\
      - name: Autograding Reporter
        uses: classroom-resources/autograding-grading-reporter@v1
        env:
{env}
        with:
          runners: {runners}
"""


def render() -> str:
    """The workflow's text, from the manifest."""
    runners = ["unchanged"] + [s.marker for s in STEPS]
    env = "\n".join(f'          {r.upper()}_RESULTS: "${{{{ steps.{r}.outputs.result }}}}"' for r in runners)
    steps = "".join(
        STEP.format(number=s.number, title=s.title, marker=s.marker, points=s.points) for s in STEPS
    )
    return HEADER + steps + REPORTER.format(env=env, runners=",".join(runners))


def drift() -> bool:
    """Whether the committed workflow differs from what the manifest gives."""
    return not WORKFLOW_FILE.exists() or WORKFLOW_FILE.read_text(encoding="utf-8") != render()


def write() -> None:
    WORKFLOW_FILE.parent.mkdir(parents=True, exist_ok=True)
    WORKFLOW_FILE.write_text(render(), encoding="utf-8")
