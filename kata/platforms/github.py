"""The autograding workflow of a learner's repository (GitHub Actions), generated from the
step manifest.

`python -m kata classroom` writes .github/workflows/classroom.yml; `--check` fails when
the committed file differs. The workflow grades once per push (`kata grade --json`), then
one `autograding-command-grader` step per kata step reads that step's verdict from the
report (`kata points`), and `autograding-grading-reporter` adds them up. The grading code
is never the learner's working copy: it is the grader bundle (a private repository, see
`kata release --grader`) or the template's harness as first committed.
"""

import json

from kata.manifest import ROOT, STEPS

WORKFLOW_FILE = ROOT / ".github" / "workflows" / "classroom.yml"
CPU_INDEX = "https://download.pytorch.org/whl/cpu"
HARNESS = "conftest.py pyproject.toml constraints.txt kata tests data"
RESULTS = "${{ runner.temp }}/kata-results.json"
EDITED = "${{ runner.temp }}/kata-edited.txt"

HEADER = f"""\
# Generated from kata/steps.toml by `python -m kata classroom`: edit the manifest, not this file.
#
# Feedback on every push. Learners control their repository, this file included, so these
# points are feedback; the grade is `python -m kata grade` run by the instructor on the
# collected repositories (README, "For instructors").
#
# Grader bundle (recommended): set the variable KATA_GRADER_REPO to owner/name of the
# repository holding `python -m kata release --grader` output, and the secret
# KATA_GRADER_TOKEN to a token that can read that repository and nothing else. Without the
# variable, grading uses the template's harness as first committed (never the working
# copy), and an edit of {HARNESS} costs every step its points.
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
    env:
      KATA_GRADER_REPO: ${{{{ vars.KATA_GRADER_REPO }}}}
      KATA_GRADER_TOKEN_SET: ${{{{ secrets.KATA_GRADER_TOKEN != '' }}}}
    steps:
      - name: Check out the submission
        uses: actions/checkout@v5
        with:
          fetch-depth: 0
          persist-credentials: false
      - name: Set up Python
        uses: actions/setup-python@v6
        with:
          python-version: "3.11"
          cache: pip
          cache-dependency-path: constraints.txt
      - name: "Grader token missing: add the secret KATA_GRADER_TOKEN"
        if: env.KATA_GRADER_REPO != '' && env.KATA_GRADER_TOKEN_SET != 'true'
        run: |
          echo "::error::The variable KATA_GRADER_REPO is set, the secret KATA_GRADER_TOKEN is not: the grader bundle cannot be read."
          exit 1
      - name: Check out the grader bundle
        if: env.KATA_GRADER_REPO != ''
        uses: actions/checkout@v5
        with:
          repository: ${{{{ vars.KATA_GRADER_REPO }}}}
          token: ${{{{ secrets.KATA_GRADER_TOKEN }}}}
          path: .grader
          persist-credentials: false
      - name: Use the template's harness as first committed
        if: env.KATA_GRADER_REPO == ''
        run: |
          first="$(git rev-list --max-parents=0 HEAD | tail -n 1)"
          mkdir .grader
          git archive "$first" {HARNESS} | tar -x -C .grader
          git diff --name-only "$first" HEAD -- {HARNESS} > "{EDITED}"
      - name: Install the grader with CPU torch
        working-directory: .grader
        run: python -P -m pip install -e . -c constraints.txt --extra-index-url {CPU_INDEX}
      - name: Grade every step at once
        working-directory: .grader
        run: |
          touch "{EDITED}"
          python -m kata grade ../exercises/linreg.py --json "{RESULTS}"
      - name: Tests unchanged
        id: unchanged
        if: always()
        uses: classroom-resources/autograding-command-grader@v1
        with:
          test-name: Tests unchanged
          command: if [ -s "{EDITED}" ]; then echo "Changed since the template's first commit:"; cat "{EDITED}"; exit 1; fi
          timeout: 1
          max-score: 0
"""

STEP = """\
      - name: {name}
        id: {marker}
        if: always()
        uses: classroom-resources/autograding-command-grader@v1
        with:
          test-name: {name}
          command: cd .grader && python -m kata points "{results}" --step {number} --edited "{edited}"
          timeout: 1
          max-score: {points}
"""

REPORTER = """\
      - name: Autograding Reporter
        if: always()
        uses: classroom-resources/autograding-grading-reporter@v1
        env:
{env}
        with:
          runners: {runners}
"""


def render() -> str:
    """The workflow's text, from the manifest. Titles are written as JSON strings, which
    YAML reads as double-quoted scalars whatever characters they hold."""
    runners = ["unchanged"] + [s.marker for s in STEPS]
    env = "\n".join(f'          {r.upper()}_RESULTS: "${{{{ steps.{r}.outputs.result }}}}"' for r in runners)
    steps = "".join(
        STEP.format(
            name=json.dumps(f"Step {s.number}: {s.title}"),
            marker=s.marker,
            number=s.number,
            points=s.points,
            results=RESULTS,
            edited=EDITED,
        )
        for s in STEPS
    )
    return HEADER + steps + REPORTER.format(env=env, runners=",".join(runners))


def drift() -> bool:
    """Whether the committed workflow differs from what the manifest gives."""
    return not WORKFLOW_FILE.exists() or WORKFLOW_FILE.read_text(encoding="utf-8") != render()


def write() -> None:
    WORKFLOW_FILE.parent.mkdir(parents=True, exist_ok=True)
    WORKFLOW_FILE.write_text(render(), encoding="utf-8")
