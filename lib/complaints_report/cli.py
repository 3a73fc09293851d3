"""The ``complaints-report`` command: validate an export and compute a year's figures.

Each command imports what it needs inside its own function: ``--help`` answers at once, and
``run`` starts its warm kernel (``run/kernels.py``) before pandas and the library are imported.
"""

from __future__ import annotations

import argparse
import logging
import sys

from . import __version__, paths
from .files import write_json_atomic
from .run import kernels

log = logging.getLogger("complaints_report")

EXIT_OK, EXIT_DATA, EXIT_USAGE, EXIT_BUSY = 0, 1, 2, 3
EXIT_INTERRUPTED = 130  # as a shell reports Ctrl+C


def _setup_logging(verbose: bool) -> None:
    logging.basicConfig(
        level=logging.DEBUG if verbose else logging.INFO,
        format="%(levelname)s: %(message)s" if verbose else "%(message)s",
        stream=sys.stderr,
    )


def cmd_validate(args: argparse.Namespace) -> int:
    from .data.validation import validate_dataset
    from .params import load_params

    data_dir = paths.resolve(args.data_dir)
    columns = load_params(args.year).columns if args.year else _default_columns()
    if not data_dir.is_dir():
        print(
            f"{data_dir}: no such data set folder; check the DATA_DIR given to validate",
            file=sys.stderr,
        )
        return EXIT_DATA
    problems = validate_dataset(data_dir, columns)
    if problems:
        print(
            f"{data_dir}: {len(problems)} problem(s) found; nothing was written.", file=sys.stderr
        )
        for p in problems:
            print(str(p), file=sys.stderr)
        return EXIT_DATA
    print(f"{data_dir}: the data set follows the data contract.")
    return EXIT_OK


def _default_columns() -> dict[str, dict[str, str]]:
    """The column map of ``params/defaults.yml`` (none if there is no such file)."""
    import yaml

    from .params import ParamsError

    defaults = paths.PARAMS_DIR / "defaults.yml"
    if not defaults.is_file():
        return {}
    try:
        settings = yaml.safe_load(defaults.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise ParamsError(f"{defaults}: cannot be read as YAML ({exc})") from exc
    columns = settings.get("columns") if isinstance(settings, dict) else None
    if columns is not None and not isinstance(columns, dict):
        raise ParamsError(
            f"{defaults}: 'columns' must map tables to headings (see params/README.md)"
        )
    return columns or {}


def _shown_path(path) -> str:
    """A path as the user would type it: relative to the repository when inside it."""
    return str(path.relative_to(paths.ROOT)) if path.is_relative_to(paths.ROOT) else str(path)


def _no_data_folder(params, given: str | None) -> str:
    """Why there is no data set to read, and where to fix it: the --data given, or the params
    file whose ``data:`` names the folder."""
    from .params import year_params_path

    data_dir = params.data_dir
    if given is not None:
        return f"{data_dir}: no such data set folder; check the --data path"
    year_file = year_params_path(params.financial_year)
    source = paths.PARAMS_DIR / "defaults.yml"
    if year_file.is_file():
        import yaml

        try:
            year = yaml.safe_load(year_file.read_text(encoding="utf-8"))
        except (OSError, yaml.YAMLError):
            year = None
        if isinstance(year, dict) and "data" in year:
            source = year_file
    advice = f"Fix 'data' in {_shown_path(source)} (it says {params.data!r})"
    if source != year_file:
        advice += f", or set 'data' in {_shown_path(year_file)} for {params.financial_year} alone"
    return f"{data_dir}: no such data set folder. {advice}, or pass --data DIR."


def cmd_figures(args: argparse.Namespace) -> int:
    from .data.loading import load_dataset
    from .data.model import DataError
    from .figures.engine import compute_figures, prepare
    from .params import load_params
    from .run.editions import run_record
    from .run.year import check_coverage

    params = load_params(args.fy, overrides={"data": args.data})
    data_dir = params.data_dir
    log.info(
        "financial year %s; data set %s%s",
        params.financial_year,
        data_dir,
        " (synthetic records, calibrated to the published figures)"
        if params.synthetic_data
        else "",
    )
    log.info(
        "council %s; Stage 1 target %d working days; %d theme(s) mapped",
        params.council,
        params.targets.stage1_working_days,
        len(params.theme_map),
    )
    if not data_dir.is_dir():
        print(_no_data_folder(params, args.data), file=sys.stderr)
        return EXIT_DATA
    try:
        ds = load_dataset(data_dir, params.columns)
        check_coverage(ds, params)
    except DataError as exc:
        print(
            f"{data_dir}: {len(exc.problems)} problem(s) found; nothing was written.",
            file=sys.stderr,
        )
        for p in exc.problems:
            print(str(p), file=sys.stderr)
        return EXIT_DATA
    figures = compute_figures(prepare(ds, params), params.fy)
    year_dir = paths.year_output_dir(params.financial_year, args.out)
    target = year_dir / "figures.json"
    from .run.staging import YearBusy, year_lock

    try:
        with year_lock(year_dir, "ask for the figures"):  # not while a run swaps the year in
            write_json_atomic(target, figures)
            write_json_atomic(year_dir / "run.json", run_record(params, ds.files))
    except YearBusy as exc:
        print(f"The figures for {params.financial_year} were not written: {exc}", file=sys.stderr)
        return EXIT_BUSY
    council = figures["council"]
    log.info(
        "%s: %d complaints council-wide (%d formal, %d informal); wrote %s",
        params.financial_year,
        council["complaints"],
        council["formal"],
        council["informal"],
        target,
    )
    return EXIT_OK


def _print_problems(data_dir, problems) -> None:
    print(f"{data_dir}: {len(problems)} problem(s) found; nothing was written.", file=sys.stderr)
    for p in problems:
        print(str(p), file=sys.stderr)


def cmd_run(args: argparse.Namespace) -> int:
    from .data.model import DataError
    from .publish.book import PublishError
    from .run.staging import YearBusy
    from .run.year import NoDataFolder, RunFailed, run_year

    try:
        result = run_year(
            args.fy,
            data=args.data,
            out=args.out,
            only=args.only,
            workers=args.workers,
            progress=not args.no_progress,
            publish=not args.no_publish,
            force=args.force,
            warm=args.warm,
            to_quarter=args.to,
        )
    except YearBusy as exc:
        print(f"The run for {args.financial_year} did not start: {exc}", file=sys.stderr)
        return EXIT_BUSY
    except NoDataFolder as exc:  # raised before the run takes the year's lock or writes anything
        print(_no_data_folder(exc.params, args.data), file=sys.stderr)
        print("Nothing was written; the last good outputs are as they were.", file=sys.stderr)
        return EXIT_DATA
    except DataError as exc:
        _print_problems(exc.data_dir or "data set", exc.problems)
        return EXIT_DATA
    except RunFailed as exc:
        print(
            f"The run for {args.financial_year} stopped: nothing was published and the last good "
            "outputs are as they were.",
            file=sys.stderr,
        )
        print(str(exc), file=sys.stderr)
        return EXIT_DATA
    except PublishError as exc:
        print(
            f"Publishing {args.financial_year} failed; the last good outputs and site are "
            f"untouched: {exc}",
            file=sys.stderr,
        )
        return EXIT_DATA
    except KeyboardInterrupt:
        print(
            f"The run for {args.financial_year} was interrupted: the last good outputs are as "
            "they were.",
            file=sys.stderr,
        )
        return EXIT_INTERRUPTED
    if result.nothing_changed:
        print(
            f"{result.financial_year}: nothing changed since the last run; the report in "
            f"{result.year_dir} is up to date (use --force to redo it all)."
        )
        return EXIT_OK
    if result.site is not None:
        print(f"{result.financial_year}: report website {result.site / 'index.html'}")
    print(
        f"{result.financial_year}: {len(result.executed)} section(s) executed in "
        f"{result.seconds:.1f} s; see {result.year_dir}"
    )
    return EXIT_OK


def cmd_publish(args: argparse.Namespace) -> int:
    from .params import load_params
    from .publish.book import PublishError
    from .publish.build import publish_index, publish_year
    from .run.staging import YearBusy, year_lock

    try:
        # Loaded once; publishing reads these.
        params = load_params(args.fy, overrides={"to_quarter": args.to})
        with year_lock(paths.year_output_dir(params.edition_name, args.out), "publish"):
            site = publish_year(params, args.out, incremental=not args.force)
        publish_index(args.out)
    except YearBusy as exc:
        print(f"Publishing {args.financial_year} did not start: {exc}", file=sys.stderr)
        return EXIT_BUSY
    except PublishError as exc:
        print(
            f"Publishing {args.financial_year} failed; the last good site is untouched: {exc}",
            file=sys.stderr,
        )
        return EXIT_DATA
    print(f"{args.financial_year}: report website {site / 'index.html'}")
    return EXIT_OK


def cmd_new_year(args: argparse.Namespace) -> int:
    from .params import TO_FILL_IN, new_year

    path = new_year(args.financial_year, force=args.force)
    rel = path.relative_to(paths.ROOT) if path.is_relative_to(paths.ROOT) else path
    print(f"Created {rel}.")
    print("Next:")
    print(f"  1. Fill in the meeting date and every '{TO_FILL_IN}' commentary in {rel}.")
    print("  2. Put the new export in a data set folder (data/<set>/) and set 'data:' if it moved.")
    print("  3. complaints-report validate <that folder>")
    print(
        f"  4. complaints-report run {args.financial_year}   (or: make report FY={args.financial_year})"
    )
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="complaints-report",
        description="Produce the annual children's services complaints report from a complaints export.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument("-v", "--verbose", action="store_true", help="more detail in the log")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    v = sub.add_parser(
        "validate",
        help="check a data set against the data contract",
        description="Check every table of a data set folder against the data contract and "
        "print one line per problem (file, row, column, value, what was expected). "
        "Exits 1 when there is any problem.",
    )
    v.add_argument("data_dir", metavar="DATA_DIR", help="the data set folder, e.g. data/demo")
    v.add_argument(
        "--year",
        metavar="FY",
        help="use this year's params (its column map); default: defaults.yml",
    )
    v.set_defaults(func=cmd_validate)

    f = sub.add_parser(
        "figures",
        help="compute a financial year's figures.json",
        description="Validate the data set and write <out>/<FY>/figures.json as the data "
        "contract specifies. Nothing is written if the data set has problems.",
    )
    f.add_argument("financial_year", metavar="FY", help="financial year, e.g. 2023-24")
    f.add_argument(
        "--data", metavar="DIR", help="data set folder (default: the one params name, data/demo)"
    )
    f.add_argument("--out", metavar="DIR", help="outputs folder (default: outputs)")
    f.set_defaults(func=cmd_figures)

    r = sub.add_parser(
        "run",
        help="produce a financial year's report",
        description="Validate the data set, write figures.json, and execute every section "
        "notebook with Papermill into <out>/<FY>/notebooks/ (in parallel), then publish the "
        "site. All or nothing: the run works in <out>/.runs/<FY>/ and replaces <out>/<FY>/ "
        "only when every step succeeded. A failing notebook stops the run with the section, "
        "the cell and the error. Exits 1 for a bad export or a failed section, 3 when another "
        "run of the year is in progress, 130 when interrupted.",
    )
    r.add_argument("financial_year", metavar="FY", help="financial year, e.g. 2023-24")
    r.add_argument(
        "--data", metavar="DIR", help="data set folder (default: the one params name, data/demo)"
    )
    r.add_argument("--out", metavar="DIR", help="outputs folder (default: outputs)")
    r.add_argument(
        "--only",
        nargs="+",
        metavar="SECTION",
        help="run only these sections (slug, number or notebook name)",
    )
    r.add_argument(
        "--workers", type=int, metavar="N", help="notebooks at once (default: the CPU count)"
    )
    r.add_argument(
        "--to",
        metavar="QUARTER",
        choices=["Q1", "Q2", "Q3", "Q4"],
        help="the in-year pack instead: the year to date, 1 April to the end of QUARTER "
        "(Q1..Q4), in <out>/<FY>-<QUARTER>/",
    )
    r.add_argument("--no-progress", action="store_true", help="no progress bar (logs only)")
    r.add_argument("--no-publish", action="store_true", help="stop after executing the notebooks")
    r.add_argument(
        "--force", action="store_true", help="ignore what the last run left and redo everything"
    )
    r.set_defaults(func=cmd_run)

    pb = sub.add_parser(
        "publish",
        help="rebuild a year's website and PDF from its executed notebooks",
        description="Build <out>/<FY>/site/ (website and PDF) from the notebooks the last run "
        "executed, with Quarto when it is on PATH, else the offline publisher. Nothing is "
        "re-executed; the last good site stays until the new one is complete.",
    )
    pb.add_argument("financial_year", metavar="FY", help="financial year, e.g. 2023-24")
    pb.add_argument("--out", metavar="DIR", help="outputs folder (default: outputs)")
    pb.add_argument(
        "--force",
        action="store_true",
        help="with Quarto, render every page again (by default only the pages whose notebooks "
        "changed since the last publish)",
    )
    pb.add_argument(
        "--to",
        metavar="QUARTER",
        choices=["Q1", "Q2", "Q3", "Q4"],
        help="publish the in-year pack run with --to QUARTER (<out>/<FY>-<QUARTER>/)",
    )
    pb.set_defaults(func=cmd_publish)

    n = sub.add_parser(
        "new-year",
        help="start params/<FY>.yml from the previous year's",
        description="Create params/<FY>.yml from the previous year's file, with the "
        "commentary emptied and marked to fill in, and say what to do next.",
    )
    n.add_argument("financial_year", metavar="FY", help="financial year, e.g. 2024-25")
    n.add_argument("--force", action="store_true", help="overwrite an existing file")
    n.set_defaults(func=cmd_new_year)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return EXIT_USAGE
    _setup_logging(args.verbose)
    # A run starts the warm process its sections' kernels are forked from (kernels.py) before
    # anything else, pandas included, is imported: it imports while the run gets going.
    args.warm = kernels.warm_up() if args.func is cmd_run else None
    try:
        from .data.calendar import FinancialYear
        from .params import ParamsError

        try:
            if getattr(args, "financial_year", None):
                # Parsed once, here: every command works with the year's one label (2023/24 and
                # 2023-2024 are 2023-24), so a command names the same folders and lock as a run.
                args.fy = FinancialYear.parse(args.financial_year)
                args.financial_year = args.fy.label
            return args.func(args)
        except ParamsError as exc:
            print(f"params: {exc}", file=sys.stderr)
            return EXIT_USAGE
        except ValueError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return EXIT_USAGE
    finally:
        if args.warm:
            args.warm.close()


def entry() -> int:
    """The ``complaints-report`` command: :func:`main`, then a quicker exit.

    Everything still alive is frozen out of the garbage collector's last pass, which otherwise
    walks every object of pandas, pyarrow and the rest once more as the interpreter shuts down
    (about 0.25 s here, with the reader waiting); exit handlers still run. Only for the
    command's own process: tests call :func:`main` in theirs."""
    import gc

    try:
        return main()
    finally:
        gc.freeze()


if __name__ == "__main__":
    raise SystemExit(entry())
