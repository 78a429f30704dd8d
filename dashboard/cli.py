"""The command line: ``ingest`` articles into a store, ``export`` its events, ``stats`` and ``problems``.

Exit codes: 0 done; 1 with ``--strict`` when any file had a problem, or when a command could not finish;
2 for usage errors (argparse's own convention).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from .config import DB_ENV, resolve_db_path
from .errors import DashboardError, StoreError
from .export import WRITERS, export_events
from .gazetteer import load_gazetteer
from .models import IngestReport
from .pipeline import ingest_paths
from .store import Store

_DB_HELP = f"SQLite store (default: ${DB_ENV}, else events.db in the project folder)"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m dashboard", description="News-event map: ingest and export.")
    commands = parser.add_subparsers(dest="command", required=True)

    ingest = commands.add_parser("ingest", help="read article files (or folders of *.txt) into the store")
    ingest.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    ingest.add_argument("--db", help=_DB_HELP)
    ingest.add_argument("--strict", action="store_true", help="exit 1 when any file had a problem")

    export = commands.add_parser("export", help="write the stored events as GeoJSON or CSV")
    export.add_argument("--db", help=_DB_HELP)
    export.add_argument("--format", choices=sorted(WRITERS), default="geojson")
    export.add_argument("-o", "--output", type=Path, required=True, metavar="FILE")

    stats = commands.add_parser("stats", help="count what the store holds")
    stats.add_argument("--db", help=_DB_HELP)

    problems = commands.add_parser("problems", help="list the files that could not be read, with the reason")
    problems.add_argument("--db", help=_DB_HELP)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    console = Console(stderr=True)
    try:
        return _COMMANDS[args.command](args, console)
    except DashboardError as exc:
        console.print(f"[red]error:[/red] {exc}", markup=True, highlight=False)
        return 1
    except KeyboardInterrupt:
        console.print("interrupted; every article stored so far is complete, run the command again to finish")
        return 130


def _ingest(args: argparse.Namespace, console: Console) -> int:
    db = resolve_db_path(args.db)
    gazetteer = load_gazetteer()
    with Store(db) as store, _progress(console) as progress:
        task = progress.add_task("ingest", total=None)

        def advance(done: int, total: int, _path: str) -> None:
            progress.update(task, completed=done, total=total)

        report = ingest_paths(args.paths, store, gazetteer, progress=advance)
    _print_report(report, db, console)
    return 1 if args.strict and report.problems else 0


def _progress(console: Console) -> Progress:
    return Progress(
        TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
        console=console, transient=True,
    )  # fmt: skip


def _print_report(report: IngestReport, db: Path, console: Console) -> None:
    for problem in report.problems:
        console.print(f"[yellow]problem:[/yellow] {problem}", highlight=False)
    table = Table(title=f"ingest into {db}", show_header=True)
    for column in ("read", "new", "unchanged", "problems", "events in store"):
        table.add_column(column, justify="right")
    table.add_row(str(report.read), str(report.new), str(report.unchanged), str(len(report.problems)),
                  str(report.events))  # fmt: skip
    console.print(table)


def _existing_store(args: argparse.Namespace) -> Path:
    """The store a reading command names; it must exist (reading never creates an empty store by mistake).

    Raises:
        StoreError: there is no store at that path.
    """
    db = resolve_db_path(args.db)
    if not db.exists():
        raise StoreError(f"no store at {db}; run `python -m dashboard ingest PATH --db {db}` first")
    return db


def _export(args: argparse.Namespace, console: Console) -> int:
    with Store(_existing_store(args)) as store:
        count = export_events(store.events(), args.output, args.format)
    console.print(f"wrote {count} events to {args.output}", highlight=False)
    return 0


def _stats(args: argparse.Namespace, console: Console) -> int:
    with Store(_existing_store(args)) as store:
        print(f"articles: {store.article_count()}\nevents: {store.event_count()}\nproblems: {len(store.problems())}")
    return 0


def _problems(args: argparse.Namespace, console: Console) -> int:
    with Store(_existing_store(args)) as store:
        for problem in store.problems():
            print(problem)
    return 0


_COMMANDS = {"ingest": _ingest, "export": _export, "stats": _stats, "problems": _problems}


if __name__ == "__main__":
    sys.exit(main())
