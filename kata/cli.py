"""The command line: `python -m kata COMMAND`. Run `python -m kata --help` for the list."""

import argparse
import sys
import tempfile
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
    from kata.platforms import classroom50, gradescope
    from kata.release import release, release_grader

    if not (ROOT / "solutions" / "linreg.py").is_file():
        print(
            f"{ROOT} is a learner template or a grader bundle (it has no solutions/): `kata release` "
            "works from the instructor's repository."
        )
        return 2
    chosen = [(name, getattr(args, name)) for name in ("grader", "classroom50", "gradescope")]
    chosen = [(name, value) for name, value in chosen if value]
    if len(chosen) + bool(args.out) != 1:
        print("give one of: OUT (the learner template), --grader OUT, --classroom50 OUT, --gradescope ZIP")
        return 2
    kind, out = chosen[0] if chosen else ("template", args.out)
    write, what = {
        "template": (release, "the learner template"),
        "grader": (release_grader, "the grader bundle"),
        "classroom50": (classroom50.release_classroom50, "Classroom 50's autograder and template"),
        "gradescope": (lambda o: gradescope.release_zip(o, args.hidden_visibility), "Gradescope's zip"),
    }[kind]
    try:
        names = write(Path(out))
    except FileExistsError as error:
        print(error)
        return 2
    print(f"wrote {what} ({len(names)} files) to {out}")
    return 0


def _grade(args) -> int:
    from kata import gradebook
    from kata.grading import grade_all
    from kata.submissions import learner_names

    problem = _grade_usage_problem(args)
    if problem:
        print(problem, file=sys.stderr)
        return 2
    if _class_mode(args):
        return _grade_class(args)
    keep = args.resume or args.merge
    store = gradebook.JsonLines(Path(args.jsonl), keep=keep) if args.jsonl else None
    earlier = store.grades() if store else []
    if args.merge and not store and args.json and Path(args.json).exists():
        earlier = gradebook.read_json(Path(args.json))
    todo = args.submissions
    if args.resume:
        done = {g.learner for g in earlier}
        todo = [s for s, name in zip(todo, learner_names(todo), strict=True) if name not in done]
    bar = _progress_bar(len(todo), quiet=args.step is not None)

    def graded(grade) -> None:
        if store:
            store.append(grade)
        bar.set_postfix_str(f"{grade.learner}: {grade.points}/{grade.max_points}", refresh=False)
        bar.update()

    try:
        grades = grade_all(todo, args.jobs, args.timeout, args.step, args.before, graded) if todo else []
    except KeyboardInterrupt:
        bar.close()
        kept = f"; the {bar.n} graded are in {args.jsonl}: add --resume to go on" if store else ""
        print(f"interrupted: {bar.n} of {len(todo)} graded{kept}", file=sys.stderr)
        return 130
    bar.close()
    grades = gradebook.merged(earlier, grades) if keep else grades
    _write_reports(args, grades)
    if args.step:  # a command grader: the exit status is the verdict
        for grade in grades:
            for line in gradebook.failures(grade):
                print(line)
        return 0 if all(g.status == "pass" for g in grades) else 1
    return 0


def _grade_usage_problem(args) -> str:
    """Why these `grade` options cannot work together, or ""."""
    if args.jobs is not None and args.jobs < 1:
        return f"--jobs must be at least 1 (got {args.jobs})"
    if args.timeout <= 0:
        return f"--timeout must be above 0 seconds (got {args.timeout:g})"
    if args.resume and not args.jsonl:
        return "--resume continues the run recorded in --jsonl FILE: name that file"
    if args.resume and args.merge:
        return "--resume and --merge cannot go together: --resume skips learners already graded"
    earlier = Path(args.jsonl) if args.jsonl else None
    if earlier and earlier.is_file() and earlier.stat().st_size and not (args.resume or args.merge):
        return (
            f"{earlier} holds the results of an earlier run: add --resume to go on with it, --merge "
            "to regrade some learners into it, or remove it to start again"
        )
    single = [name for name in ("gradescope", "classroom50") if getattr(args, name)]
    if single and len(args.submissions) != 1:
        return f"--{single[0]} writes the result of one submission: give exactly one"
    return _class_usage_problem(args)


def _class_mode(args) -> bool:
    """Whether this run grades a class: a roster, a late policy, exports or a comparison."""
    return bool(args.roster or args.late_until or args.compare)


def _class_usage_problem(args) -> str:
    """Why the roster, deadline and export options cannot work together, or ""."""
    if (args.canvas or args.moodle) and not args.roster:
        return "--canvas and --moodle write a row per roster student: give --roster FILE"
    if args.canvas and not args.assignment:
        return '--canvas needs --assignment "Title (id)", the assignment\'s column in Canvas'
    if args.late_penalty is not None and not args.late_until:
        return "--late-penalty applies in a late window: give --late-until DATE"
    if args.late_until and not args.before:
        return "--late-until is the end of a window that starts at the deadline: give --before DATE"
    if args.late_until and args.late_penalty is None:
        return "--late-until needs --late-penalty PERCENT (per day started; 0 for none)"
    if args.late_penalty is not None and not 0 <= args.late_penalty <= 100:
        return f"--late-penalty is a percent of the points per day, 0 to 100 (got {args.late_penalty:g})"
    if _class_mode(args) and args.merge:
        return "--merge works without --roster, --late-until and --compare: grade the class again"
    if _class_mode(args) and (args.gradescope or args.classroom50):
        return "--gradescope and --classroom50 grade one submission: leave out --roster and --late-until"
    return ""


def _grade_class(args) -> int:
    """`kata grade` with a roster, personal deadlines, a late policy, exports or --compare."""
    from kata import gradebook

    try:
        columns, students, settings, earlier = _class_inputs(args)
    except (ValueError, OSError) as error:  # the roster, a date, --compare's file, an export's columns
        print(error, file=sys.stderr)
        return 2
    grades = _class_grades(args, students, settings)
    if grades is None:
        return 130
    if args.jsonl:
        store = gradebook.JsonLines(Path(args.jsonl), keep=False)
        for grade in grades:
            store.append(grade)
    _write_reports(args, grades, columns)
    strangers = [g.learner for g in grades if not g.roster] if students is not None else []
    if strangers:
        print(f"not on the roster (graded, and apart in the reports: on_roster no): {', '.join(strangers)}")
    if earlier is not None:
        _compared(args, earlier, grades)
    if args.step:  # a command grader: the exit status is the verdict
        return 0 if all(g.status == "pass" for g in grades) else 1
    return 0


def _class_inputs(args):
    """(roster columns, students or None, classbook.Settings, the --compare grades or None),
    every file and date read before anything is graded."""
    from kata import classbook, exports, regrades
    from kata.deadlines import parse_date
    from kata.late import Policy
    from kata.roster import read

    columns, students = read(Path(args.roster)) if args.roster else ([], None)
    for student in students or []:
        if student.deadline:
            parse_date(student.deadline)
    before, until = (parse_date(d) if d else None for d in (args.before, args.late_until))
    if args.canvas:
        exports.canvas_ready(columns)
    if args.moodle:
        exports.moodle_identifier(columns)
    earlier = regrades.previous(Path(args.compare)) if args.compare else None
    policy = Policy(until, args.late_penalty or 0.0)
    settings = classbook.Settings(before, policy, args.jobs, args.timeout, args.step)
    return columns, students, settings, earlier


def _class_grades(args, students, settings):
    """The class's rows, with a progress bar; None when interrupted (Ctrl-C). With --jsonl,
    each file graded is recorded as it ends, for --resume (kata.graded_files)."""
    from kata import classbook
    from kata.graded_files import GradedFiles, path_for

    memo = GradedFiles(path_for(Path(args.jsonl)), args.resume, args.step) if args.jsonl else None
    bars = []  # made once the number of files to grade is known

    def graded(grade) -> None:
        bars[0].set_postfix_str(f"{grade.learner}: {grade.points}/{grade.max_points}", refresh=False)
        bars[0].update()

    try:
        with tempfile.TemporaryDirectory(prefix="kata-class-") as scratch:
            grades = classbook.grade_class(
                args.submissions,
                students,
                settings,
                Path(scratch),
                on_graded=graded,
                on_planned=lambda count: bars.append(_progress_bar(count, quiet=False)),
                memo=memo,
            )
    except KeyboardInterrupt:
        done = f"{bars[0].n} of {bars[0].total}" if bars else "none"
        for bar in bars:
            bar.close()
        kept = f"; those graded are in {memo.path}: add --resume to go on" if memo else ""
        print(f"interrupted: {done} graded, no report written{kept}", file=sys.stderr)
        return None
    for bar in bars:
        bar.close()
    return grades


def _compared(args, earlier, grades) -> None:
    """Print and write what changed since the --compare run."""
    from kata import regrades

    found = regrades.changes(earlier, grades)
    for line in regrades.lines(found):
        print(line)
    out = Path(args.compare_out) if args.compare_out else regrades.default_path(Path(args.compare))
    regrades.write(found, out)
    print(f"changes written to {out}")


def _progress_bar(total: int, quiet: bool):
    """done / total, elapsed time and the time left, on stderr (tqdm)."""
    from tqdm import tqdm

    return tqdm(total=total, desc="grading", unit="submission", file=sys.stderr, disable=quiet, mininterval=1)


def _write_reports(args, grades, roster_columns=()) -> None:
    from kata import gradebook

    print(gradebook.table(grades))
    if args.json:
        gradebook.write_json(grades, Path(args.json))
    if args.csv:
        gradebook.write_csv(grades, Path(args.csv), merge=args.merge, roster_columns=roster_columns)
    if args.canvas or args.moodle:
        _write_exports(args, grades, roster_columns)
    if args.feedback:
        from kata.feedback import write_all

        write_all(grades, Path(args.feedback))
    if args.gradescope:
        from kata.platforms import gradescope

        gradescope.write_results(grades[0], Path(args.gradescope), args.hidden_visibility)
    if args.classroom50:
        from kata.platforms import classroom50

        classroom50.write_result(grades[0], Path(args.classroom50))


def _write_exports(args, grades, roster_columns) -> None:
    """The Canvas and Moodle import files, one row per roster student."""
    from kata import exports

    max_points = max((g.max_points for g in grades), default=0)
    if args.canvas:
        exports.write_canvas(grades, Path(args.canvas), args.assignment, max_points)
        print(f"Canvas import file: {args.canvas}")
    if args.moodle:
        left_out = exports.write_moodle(grades, Path(args.moodle), roster_columns, args.assignment or "grade")
        print(f"Moodle import file: {args.moodle}")
        for grade in left_out:
            print(f"  left out of {args.moodle} (no email or idnumber in the roster): {grade.learner}")


def _collect(args) -> int:
    from kata import collect
    from kata.roster import RosterError, read

    if args.jobs < 1:
        print(f"--jobs must be at least 1 (got {args.jobs})", file=sys.stderr)
        return 2
    if bool(args.url_template) == bool(args.org):
        print("give one of --url-template URL (with --roster) or --org ORG (with gh)", file=sys.stderr)
        return 2
    try:
        students = read(Path(args.roster))[1] if args.roster else []
        if args.org:
            targets = collect.from_organisation(args.org, args.prefix)
        elif not args.roster:
            raise collect.CollectError("--url-template names each repository from --roster FILE: give it")
        else:
            targets = collect.from_template([s.github for s in students if s.github], args.url_template)
    except (RosterError, collect.CollectError) as error:
        print(error, file=sys.stderr)
        return 2
    outcomes = collect.collect_all(targets, Path(args.into), args.jobs)
    listed, known = {t.github.casefold() for t in targets}, {s.key for s in students}
    unlisted = [s.github for s in students if s.github and s.key not in listed]
    strangers = [t.github for t in targets if students and t.github.casefold() not in known]
    for line in collect.report(outcomes, unlisted, sum(not s.github for s in students), strangers):
        print(line)
    return 0


def _points(args) -> int:
    """A step's verdict from a `kata grade --json` report (one submission): exit 0 when it
    earned its points. The autograding workflow's command-grader steps run this."""
    from kata import gradebook
    from kata.feedback import step_text, steps

    listing = Path(args.edited) if args.edited else None
    edited = listing.read_text(encoding="utf-8").split() if listing and listing.is_file() else []
    if edited:
        print(
            "The kata's own files were changed since the template's first commit: "
            f"{', '.join(edited)}. Restore them (git checkout <first commit> -- FILE) to get points."
        )
        return 1
    try:
        (grade,) = gradebook.read_json(Path(args.results))
    except (OSError, ValueError) as error:
        print(f"no grading results to read ({error}): see the grading step's log")
        return 1
    (feedback,) = [f for f in steps(grade) if f.number == args.step] or [None]
    if feedback is None:
        print(f"step {args.step} was not graded")
        return 1
    print(f"Step {feedback.number}: {feedback.title}: {feedback.points}/{feedback.max_points}")
    print(step_text(feedback))
    return 0 if feedback.passed else 1


def _hidden_visibility_option(parser) -> None:
    from kata.platforms import GRADESCOPE_VISIBILITIES

    parser.add_argument(
        "--hidden-visibility",
        default="after_due_date",
        choices=GRADESCOPE_VISIBILITIES,
        help="when Gradescope shows the hidden checks' entries (default after_due_date)",
    )


def _class_options(grade) -> None:
    """The options of `kata grade` that grade a class against its roster (instructors)."""
    grade.add_argument("--roster", metavar="CSV", help="one row per student, matched by its github column")
    grade.add_argument(
        "--late-until", metavar="DATE", help="late work counts until DATE (ISO 8601), less --late-penalty"
    )
    grade.add_argument(
        "--late-penalty", type=float, metavar="PERCENT", help="percent of the points per day started"
    )
    grade.add_argument(
        "--canvas", metavar="FILE", help="write Canvas's gradebook import CSV (needs --roster)"
    )
    grade.add_argument("--assignment", metavar='"TITLE (ID)"', help="the assignment's column in Canvas")
    grade.add_argument("--moodle", metavar="FILE", help="write Moodle's grade import CSV (needs --roster)")
    grade.add_argument(
        "--compare", metavar="JSONL", help="list whose points changed since this earlier --jsonl"
    )
    grade.add_argument(
        "--compare-out", metavar="FILE", help="write the changes here (default: beside --compare)"
    )


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
    grade.add_argument(
        "submissions", nargs="+", help="linreg.py files, folders holding one, or learners' repositories"
    )
    grade.add_argument("--json", metavar="FILE", help="write the results as JSON to FILE")
    grade.add_argument("--csv", metavar="FILE", help="write a gradebook (a row per learner) to FILE")
    grade.add_argument("--jsonl", metavar="FILE", help="append each result to FILE as it is graded")
    grade.add_argument("--resume", action="store_true", help="skip the learners already in --jsonl FILE")
    grade.add_argument(
        "--merge",
        action="store_true",
        help="keep the other learners' rows of an existing --csv/--jsonl/--json (regrade a few)",
    )
    grade.add_argument("--feedback", metavar="DIR", help="write one Markdown file per learner to DIR")
    grade.add_argument(
        "--before",
        metavar="DATE",
        help="grade each repository as of its last commit before DATE (as git reads it, e.g. "
        "'2026-12-01 23:59 +0100'; ISO 8601 with --roster or --late-until)",
    )
    grade.add_argument("--jobs", type=int, help="submissions graded at once (default: one per core)")
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
    grade.add_argument("--gradescope", metavar="FILE", help="write Gradescope's results.json (one learner)")
    _hidden_visibility_option(grade)
    grade.add_argument("--classroom50", metavar="FILE", help="write Classroom 50's result.json (one learner)")
    _class_options(grade)
    grade.set_defaults(run=_grade)

    collect = commands.add_parser("collect", help="clone or update the learners' repositories (instructors)")
    collect.add_argument("--roster", metavar="CSV", help="the class roster: a CSV with a github column")
    collect.add_argument("--url-template", metavar="URL", help="each repository's URL, with {github}")
    collect.add_argument("--org", help="list the repositories of this GitHub organisation (needs gh)")
    collect.add_argument("--prefix", default="linreg-", help="with --org: the repositories' name prefix")
    collect.add_argument("--into", metavar="DIR", default="repos", help="where the clones go (default repos)")
    collect.add_argument("--jobs", type=int, default=8, help="clones at a time (default 8)")
    collect.set_defaults(run=_collect)

    points = commands.add_parser("points", help="a step's verdict from a --json report (autograding)")
    points.add_argument("results", help="the --json FILE of `kata grade` on one submission")
    points.add_argument("--step", type=int, required=True, choices=step_numbers)
    points.add_argument("--edited", metavar="FILE", help="a list of edited harness files: no points if any")
    points.set_defaults(run=_points)

    release = commands.add_parser("release", help="build what instructors hand out (instructors)")
    release.add_argument("out", nargs="?", help="the learner template: an empty or new folder")
    release.add_argument("--grader", metavar="OUT", help="the grader bundle (no solutions): a new folder")
    release.add_argument(
        "--classroom50", metavar="OUT", help="Classroom 50's autograder and learner template: a new folder"
    )
    release.add_argument("--gradescope", metavar="ZIP", help="Gradescope's autograder zip: a new file")
    _hidden_visibility_option(release)
    release.set_defaults(run=_release)

    for name, module, what in (
        ("stubs", "stubs", "exercises/linreg.py"),
        ("classroom", "platforms.github", ".github/workflows/classroom.yml"),
        ("gradescope", "platforms.gradescope", "handout/gradescope/"),
        ("classroom50", "platforms.classroom50", "handout/classroom50/"),
    ):
        gen = commands.add_parser(name, help=f"regenerate {what} (maintainers)")
        gen.add_argument("--check", action="store_true", help="only check that it is up to date")
        gen.set_defaults(run=_generated(module, what))
    return parser


def main(argv=None) -> int:
    from kata.safe_text import tolerant_output

    tolerant_output()
    args = build_parser().parse_args(argv)
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
