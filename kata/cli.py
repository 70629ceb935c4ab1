"""The command line: `python -m kata fit|stubs ...`."""

import argparse
from pathlib import Path

from kata import stubs
from kata.manifest import STEPS, get_step


def _fit(args) -> int:
    from kata import data, impl, training

    step = get_step(args.step)
    try:
        module = impl.load(args.impl)
        x, y = data.load_xy()
        result = training.run_step(module, step, x, y)
    except (impl.ImplError, data.DataError, training.SettingsError, training.Diverged) as error:
        print(error)
        return 1
    except NotImplementedError as error:
        print(f"Step {step.number} cannot run yet: {error}.")
        return 1
    low, high = step.band
    weights = ", ".join(f"{w:.3f}" for w in result.weights.flatten().tolist())
    print(f"Step {step.number}: {step.title} ({step.model}, {step.loss.upper()})")
    print(
        f"Final Loss: {result.final_loss:.3f}, final weights: [{weights}], "
        f"final bias: [{result.bias.item():.3f}]"
    )
    verdict = "inside" if low <= result.final_loss <= high else "outside"
    print(f"Target band: {low} to {high} ({verdict})")
    if args.plot:
        from kata.plotting import plot_fit

        plot_fit(result, x, y, Path(args.plot))
        print(f"Plot saved to {args.plot}")
    return 0


def _stubs(args) -> int:
    if args.check:
        diff = stubs.drift()
        if diff:
            print("exercises/linreg.py is out of date; run `python -m kata stubs`:\n" + diff)
            return 1
        print("exercises/linreg.py matches solutions/linreg.py")
        return 0
    stubs.write()
    print(f"wrote {stubs.EXERCISE_FILE}")
    return 0


def _grade(args) -> int:
    from kata import gradebook
    from kata.grading import grade_all

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
    commands = parser.add_subparsers(dest="command", required=True)

    fit = commands.add_parser("fit", help="run one step's fit and print the final loss")
    fit.add_argument("--step", type=int, required=True, choices=[s.number for s in STEPS])
    fit.add_argument(
        "--impl", default="exercises", help="exercises (default), solutions, or a path to a linreg.py"
    )
    fit.add_argument("--plot", metavar="FILE", help="save the loss curve and the fit to FILE")
    fit.set_defaults(run=_fit)

    gen = commands.add_parser("stubs", help="generate exercises/linreg.py from solutions/")
    gen.add_argument(
        "--check", action="store_true", help="only check that the committed stubs are up to date"
    )
    gen.set_defaults(run=_stubs)

    grade = commands.add_parser("grade", help="grade many submissions with the kata's tests")
    grade.add_argument("submissions", nargs="+", help="linreg.py files, or folders holding one")
    grade.add_argument("--json", metavar="FILE", help="write the results as JSON to FILE")
    grade.add_argument("--jobs", type=int, default=2, help="submissions graded at once")
    grade.add_argument("--timeout", type=float, default=120.0, help="seconds per submission")
    grade.add_argument("--csv", metavar="FILE", help="write a gradebook (one row per submission) to FILE")
    grade.add_argument(
        "--step",
        type=int,
        choices=[s.number for s in STEPS],
        help="grade only this step, and exit 1 unless every submission passes it",
    )
    grade.set_defaults(run=_grade)
    return parser


def main(argv=None) -> int:
    args = build_parser().parse_args(argv)
    return args.run(args)
