"""The command line: `python -m kata COMMAND`. Run `python -m kata --help` for the list."""

import argparse
import sys
from pathlib import Path

from kata.manifest import LIMITS, STEPS, get_step

IMPL_HELP = "exercises (default), solutions, or a path to a linreg.py (or its folder)"


def _fit(args) -> int:
    from kata import data, fits, impl
    from kata.learner import LearnerFailure, NotReturning, open_learner

    step = get_step(args.step)
    try:
        x, y = data.load_xy()
        with open_learner(impl.resolve(args.impl)) as learner:
            problem = learner.report.problem(learner.path)
            if problem:
                print(problem)
                return 1
            result = fits.run_step(learner, step, x, y)
    except (impl.ImplError, data.DataError, fits.SettingsError, NotReturning) as error:
        print(error)
        return 1
    except LearnerFailure as error:
        print(f"Step {step.number} cannot run: {error}")
        return 1
    print(f"Step {step.number}: {step.title} ({step.model}, {step.loss.upper()})")
    if result.diverged_at is not None or result.problem:
        print(
            result.problem
            or f"The loss became {result.losses[-1]} at iteration {result.diverged_at}: "
            f"the learning rate {result.learning_rate} is too large."
        )
        _save_plot(args.plot, result, x, y)
        return 1
    low, high = step.band
    weights = ", ".join(f"{w:.3f}" for w in result.params.weights.flatten().tolist())
    print(
        f"Final Loss: {result.final_loss:.3f}, final weights: [{weights}], "
        f"final bias: [{result.params.bias.item():.3f}]"
    )
    verdict = "inside" if low <= result.final_loss <= high else "outside"
    print(f"Target band: {low} to {high} ({verdict})")
    _save_plot(args.plot, result, x, y)
    return 0


def _save_plot(path, result, x, y) -> None:
    """The loss curve and the fit, saved to `path` when one was asked for (--plot)."""
    if path:
        from kata.plotting import save_fit_plot

        save_fit_plot(result, x, y, Path(path))
        print(f"Plot saved to {path}")


def _records(impl: str) -> list[dict]:
    """The records of the last whole `pytest` run if linreg.py has not changed since; else run."""
    from kata.impl import ImplError, resolve
    from kata.manifest import ROOT
    from kata.progress import last_run_records, save_last_run

    def run() -> list[dict]:
        from kata.runner import run_tests  # pytest, torch: only when the checks must run

        return run_tests(impl)

    try:
        path = resolve(impl)
    except ImplError:
        return run()  # its records say what is wrong with the path
    saved = last_run_records(path, ROOT / ".pytest_cache")
    if saved is None:
        saved = run()
        save_last_run(path, saved, ROOT / ".pytest_cache")
    return saved


def _progress(args) -> int:
    from kata.progress import pending_steps, summary_lines

    records = _records(args.impl)
    for line in summary_lines(records, args.impl)[1:]:
        print(line)
    return 1 if pending_steps(records) else 0


def _hint(args) -> int:
    from kata.progress import pending_steps

    if args.step is None:
        pending = pending_steps(_records(args.impl))
        if not pending:
            print("All steps are done: no hint needed.")
            return 0
        step = pending[0]
    else:
        step = get_step(args.step)
    low, high = step.band
    functions = ", ".join(step.functions) or "nothing new: tune FIT_SETTINGS"
    print(
        f"Step {step.number}: {step.title}. Model {step.model}, loss {step.loss.upper()}, "
        f"target {low} to {high}.\nYou write: {functions}.\n\n{step.hint}"
    )
    return 0


def _watch(args) -> int:
    from kata.impl import resolve
    from kata.watching import watch

    try:
        watch(resolve(args.impl))
    except KeyboardInterrupt:
        print()
    return 0


def _explore(args) -> int:
    from kata.explorer import main

    main(save=args.save, weights={"w1": args.w1, "w2": args.w2, "bias": args.bias})
    return 0


def _generated(module_name: str, what: str):
    """The handler of `stubs` and `classroom`: write a generated file, or --check it."""

    def run(args) -> int:
        import importlib

        module = importlib.import_module(f"kata.{module_name}")
        if args.check:
            difference = module.drift()
            if difference:
                print(f"{what} is out of date; run `python -m kata {args.command}`.")
                if isinstance(difference, str):
                    print(difference)
                return 1
            print(f"{what} is up to date.")
            return 0
        module.write()
        print(f"wrote {what}")
        return 0

    return run


def _release(args) -> int:
    from kata.manifest import ROOT
    from kata.release import release

    if not (ROOT / "solutions" / "linreg.py").is_file():
        print(
            f"{ROOT} is a learner template (it has no solutions/): `kata release` builds templates "
            "from the instructor's repository."
        )
        return 2
    try:
        names = release(Path(args.out))
    except FileExistsError as error:
        print(error)
        return 2
    print(f"wrote the learner template ({len(names)} files) to {args.out}")
    return 0


def _grade(args) -> int:
    from kata import gradebook
    from kata.grading import grade_all

    if args.jobs < 1 or args.timeout <= 0:
        print("--jobs must be at least 1 and --timeout above 0")
        return 2
    grades = grade_all(args.submissions, jobs=args.jobs, timeout=args.timeout, step=args.step)
    print(gradebook.table(grades))
    if args.json:
        gradebook.write_json(grades, Path(args.json))
    if args.csv:
        gradebook.write_csv(grades, Path(args.csv))
    if args.step:  # the Classroom's command grader: the exit status is the verdict
        for grade in grades:
            for line in gradebook.failures(grade):
                print(line)
        return 0 if all(g.status == "pass" for g in grades) else 1
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m kata", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    step_numbers = [s.number for s in STEPS]

    fit = commands.add_parser("fit", help="run one step's fit and print the final loss")
    fit.add_argument("--step", type=int, required=True, choices=step_numbers)
    fit.add_argument("--impl", default="exercises", help=IMPL_HELP)
    fit.add_argument("--plot", metavar="FILE", help="save the loss curve and the fit to FILE")
    fit.set_defaults(run=_fit)

    progress = commands.add_parser("progress", help="where you stand: one line per step")
    progress.add_argument("--impl", default="exercises", help=IMPL_HELP)
    progress.set_defaults(run=_progress)

    hint = commands.add_parser("hint", help="the hint of a step (default: the first not done)")
    hint.add_argument("step", type=int, nargs="?", choices=step_numbers)
    hint.add_argument("--impl", default="exercises", help=IMPL_HELP)
    hint.set_defaults(run=_hint)

    watch = commands.add_parser("watch", help="run the checks again each time linreg.py is saved")
    watch.add_argument("--impl", default="exercises", help=IMPL_HELP)
    watch.set_defaults(run=_watch)

    explore = commands.add_parser("explore", help="mix the two hinge functions of step 4 with sliders")
    explore.add_argument("--save", metavar="FILE", help="save a picture instead of opening a window")
    for name in ("w1", "w2", "bias"):
        explore.add_argument(f"--{name}", type=float, help=f"the starting {name}")
    explore.set_defaults(run=_explore)

    grade = commands.add_parser("grade", help="grade many submissions (instructors)")
    grade.add_argument("submissions", nargs="+", help="linreg.py files, or folders holding one")
    grade.add_argument("--json", metavar="FILE", help="write the results as JSON to FILE")
    grade.add_argument("--csv", metavar="FILE", help="write a gradebook (a row per submission) to FILE")
    grade.add_argument("--jobs", type=int, default=2, help="submissions graded at once (default 2)")
    grade.add_argument(
        "--timeout",
        type=float,
        default=LIMITS.seconds_per_submission,
        help=f"seconds per submission (default {LIMITS.seconds_per_submission:g})",
    )
    grade.add_argument(
        "--step",
        type=int,
        choices=step_numbers,
        help="grade only this step; exit 1 unless every submission passes it",
    )
    grade.set_defaults(run=_grade)

    release = commands.add_parser("release", help="build the learner template (instructors)")
    release.add_argument("out", help="an empty or new folder")
    release.set_defaults(run=_release)

    for name, module, what in (
        ("stubs", "stubs", "exercises/linreg.py"),
        ("classroom", "classroom", ".github/workflows/classroom.yml"),
    ):
        gen = commands.add_parser(name, help=f"regenerate {what} (maintainers)")
        gen.add_argument("--check", action="store_true", help="only check that it is up to date")
        gen.set_defaults(run=_generated(module, what))
    return parser


def main(argv=None) -> int:
    args = build_parser().parse_args(argv)
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
