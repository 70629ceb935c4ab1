"""The generated autograding workflow (.github/workflows/classroom.yml), run here the way
GitHub's runner runs it, without GitHub: its steps in order, their `if:` conditions, the
expressions it uses, each command grader's exit status made into points, the reporter's sum.

What is simulated rather than run: `actions/checkout` of the grader bundle is a `git clone`
of a local repository, writing the token into .git/config as the real action does unless
`persist-credentials: false`; `actions/setup-python` and the `pip install` step are skipped
(the kata's own environment is used). Everything else runs as written, with bash.
"""

import base64
import json
import os
import re
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from kata.platforms.github import WORKFLOW_FILE

EXPRESSION = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")
COMPARISON = re.compile(r"([\w.-]+) (==|!=) '([^']*)'")


@dataclass
class WorkflowRun:
    points: dict = field(default_factory=dict)  # command grader id -> points earned
    max_points: dict = field(default_factory=dict)
    log: list = field(default_factory=list)  # (step name, "ok" | "failed" | "skipped", output)

    @property
    def total(self) -> int:
        return sum(self.points.values())

    def outcome(self, name_start: str) -> str:
        return next(outcome for name, outcome, _ in self.log if name.startswith(name_start))

    def output(self) -> str:
        return "\n".join(f"--- {name} ({outcome})\n{out}" for name, outcome, out in self.log)


class Runner:
    def __init__(self, repo: Path, variables: dict, secrets: dict, bundles: dict, temp: Path):
        self.repo, self.variables, self.secrets, self.temp = repo, variables, secrets, temp
        self.bundles = bundles  # repository name -> a local repository checkout may clone
        self.env, self.outputs = {}, {}

    def value(self, name: str) -> str:
        scope, _, key = name.partition(".")
        if scope == "env":
            return self.env.get(key, "")
        if scope in ("vars", "secrets"):
            return (self.variables if scope == "vars" else self.secrets).get(key, "")
        if name == "runner.temp":
            return str(self.temp)
        match = re.fullmatch(r"steps\.([\w-]+)\.outputs\.result", name)
        if match:
            return self.outputs.get(match[1], "")
        raise ValueError(f"the simulator does not know {name!r}")

    def evaluate(self, expression: str):
        """The expression forms the workflow uses: always(), NAME, NAME ==/!= 'text', joined by &&."""
        parts = [p.strip() for p in expression.split("&&")]
        if len(parts) > 1:
            return all(self.evaluate(p) for p in parts)
        if expression == "always()":
            return True
        match = COMPARISON.fullmatch(expression)
        if match:
            return (self.value(match[1]) == match[3]) == (match[2] == "==")
        return self.value(expression)

    def substitute(self, text: str) -> str:
        def one(match):
            result = self.evaluate(match[1])
            return str(result).lower() if isinstance(result, bool) else str(result)

        return EXPRESSION.sub(one, text)

    def bash(self, script: str, cwd: Path, timeout: float = 600) -> subprocess.CompletedProcess:
        env = os.environ | self.env | {"PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}"}
        return subprocess.run(
            ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", script],
            cwd=cwd,
            env=env,
            text=True,
            capture_output=True,
            timeout=timeout,
        )


def _checkout(runner: Runner, inputs: dict) -> tuple[bool, str]:
    """actions/checkout of another repository: clone it; keep the token as the action does."""
    source = runner.bundles.get(inputs["repository"])
    target = runner.repo / inputs.get("path", ".")
    if source is None or not inputs.get("token"):
        return False, f"cannot read {inputs['repository']!r} without a token that may"
    subprocess.run(["git", "clone", "-q", str(source), str(target)], check=True)
    if inputs.get("persist-credentials", "true") != "false":
        header = base64.b64encode(f"x-access-token:{inputs['token']}".encode()).decode()
        subprocess.run(
            [
                "git",
                "-C",
                str(target),
                "config",
                "http.https://github.com/.extraheader",
                f"AUTHORIZATION: basic {header}",
            ],
            check=True,
        )
    return True, f"cloned {inputs['repository']}"


def run_workflow(repo: Path, variables: dict, secrets: dict, bundles: dict, workflow: Path = WORKFLOW_FILE):
    """Run the workflow's one job on the checked-out learner repository `repo`. `bundles`
    maps repository names (owner/name) to local git repositories that checkout may clone."""
    job = yaml.safe_load(workflow.read_text(encoding="utf-8"))["jobs"]["run-autograding-tests"]
    temp = repo.parent / f"{repo.name}-runner-temp"
    temp.mkdir()
    runner, run, healthy = Runner(repo, variables, secrets, bundles, temp), WorkflowRun(), True
    runner.env = {key: runner.substitute(str(value)) for key, value in job.get("env", {}).items()}
    for step in job["steps"]:
        name, condition = step.get("name", step.get("uses", "")), step.get("if")
        wanted = runner.evaluate(condition) if condition else True
        if not wanted or not (healthy or "always()" in (condition or "")):
            run.log.append((name, "skipped", ""))
            continue
        ok, output = _step(runner, run, step)
        healthy = healthy and ok
        run.log.append((name, "ok" if ok else "failed", output))
    return run


def _command_grader(runner: Runner, run: WorkflowRun, step_id: str, inputs: dict) -> tuple[bool, str]:
    """As autograding-command-grader v1 does: the command in /bin/sh with only PATH and HOME
    (not the job's env), its exit status the verdict, the result as base64 JSON."""
    env = {"PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}", "HOME": os.environ.get("HOME", "/")}
    done = subprocess.run(
        ["/bin/sh", "-c", inputs["command"]],
        cwd=runner.repo,
        env=env | {"FORCE_COLOR": "true"},
        text=True,
        capture_output=True,
        timeout=60 * float(inputs["timeout"]),
    )
    passed = done.returncode == 0
    run.max_points[step_id] = int(inputs["max-score"])
    run.points[step_id] = run.max_points[step_id] if passed else 0
    result = {"version": 1, "status": "pass" if passed else "fail", "max_score": run.max_points[step_id]}
    runner.outputs[step_id] = base64.b64encode(json.dumps(result).encode()).decode()
    return True, done.stdout + done.stderr


def _text(value) -> str:
    """An input as the runner hands it to an action: a string (YAML's false is "false")."""
    return str(value).lower() if isinstance(value, bool) else str(value)


def _step(runner: Runner, run: WorkflowRun, step: dict) -> tuple[bool, str]:
    uses = step.get("uses", "")
    inputs = {key: runner.substitute(_text(value)) for key, value in step.get("with", {}).items()}
    if uses.startswith("actions/checkout"):
        if "repository" in inputs:
            return _checkout(runner, inputs)
        return True, "the learner's repository is checked out already"
    if uses.startswith("actions/setup-python"):
        return True, "the kata's own Python"
    if uses.startswith("classroom-resources/autograding-command-grader"):
        return _command_grader(runner, run, step["id"], inputs)
    if uses.startswith("classroom-resources/autograding-grading-reporter"):
        env = {key: runner.substitute(str(value)) for key, value in step.get("env", {}).items()}
        missing = [r for r in inputs["runners"].split(",") if not env.get(f"{r.strip().upper()}_RESULTS")]
        if missing:  # the real reporter fails on a runner without results, and reports nothing
            return False, f"no results from {missing}"
        return True, f"{run.total}/{sum(run.max_points.values())}"
    script = runner.substitute(step["run"])
    if "pip install" in script:
        return True, "skipped: the kata's own environment has the grader's dependencies"
    done = runner.bash(script, runner.repo / step.get("working-directory", "."))
    return done.returncode == 0, done.stdout + done.stderr
