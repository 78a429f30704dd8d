"""The command line: ``ingest`` articles into a store, ``export`` its events, ``stats`` and ``problems``.

Exit codes: 0 done; 1 with ``--strict`` when any file had a problem, or when a command could not finish;
2 for usage errors (argparse's own convention); 130 when interrupted with Ctrl-C. Progress, problems and
errors go to stderr; results (the summary table, statistics, the problem list) to stdout.
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TypeAlias

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    Task,
    TextColumn,
    TimeRemainingColumn,
)
from rich.table import Table
from rich.text import Text

from .config import DB_ENV, GAZETTEER_CSV, available_cpus, resolve_db_path
from .errors import DashboardError, StoreError
from .export import WRITERS, export_events, select_events
from .models import IngestReport
from .store import Store, StoreStats

_Commands: TypeAlias = "argparse._SubParsersAction[argparse.ArgumentParser]"  # generic for type checkers only
_DB_HELP = f"SQLite store (default: ${DB_ENV}, else events.db in the project folder)"
_PERIOD = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?$")
_COUNTRY = re.compile(r"^[A-Za-z]{2}$")

_INGEST_EPILOG = """\
examples:
  python -m dashboard ingest articles/                 read every *.txt under articles/
  python -m dashboard ingest articles/ --prune         ... and forget files deleted from it
  python -m dashboard ingest a.txt b.txt --strict      exit 1 if any file could not be read

Unchanged files are skipped, so running it again after adding files reads only the new ones; an
interrupted ingest keeps every article it finished, and running it again completes it."""

_EXPORT_EPILOG = """\
examples:
  python -m dashboard export -o events.geojson
  python -m dashboard export --format csv -o - --since 2023-05 --until 2023-06 --country XK
  python -m dashboard export -o zvecan.geojson --place Zvečan --place Leposavić

An event is in a date range when any of its days is: a month event overlaps a range inside its month."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m dashboard",
        description="News-event map: read dated news articles into an event store, and export the events.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    _add_ingest(commands)
    _add_export(commands)
    stats = _command(commands, "stats", "count what the store holds", "Counts of articles, events, sources, places.")
    stats.add_argument("--db", help=_DB_HELP)
    problems = _command(
        commands,
        "problems",
        "list the files that could not be read, with the reason",
        "Each file the last ingests could not use, as FILE:LINE: REASON, one per line.",
    )
    problems.add_argument("--db", help=_DB_HELP)
    return parser


def _command(
    commands: _Commands, name: str, summary: str, description: str, epilog: str = ""
) -> argparse.ArgumentParser:
    return commands.add_parser(
        name,
        help=summary,
        description=description,
        epilog=epilog or None,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )


def _add_ingest(commands: _Commands) -> None:
    ingest = _command(
        commands,
        "ingest",
        "read article files (or folders of *.txt) into the store",
        "Read article files, and every *.txt under the folders given, into the store.",
        _INGEST_EPILOG,
    )
    ingest.add_argument("paths", nargs="+", type=Path, metavar="PATH", help="article file or folder")
    ingest.add_argument("--db", help=_DB_HELP)
    ingest.add_argument("--strict", action="store_true", help="exit 1 when any file had a problem")
    ingest.add_argument("--prune", action="store_true", help="remove stored articles whose files are gone from PATH")
    ingest.add_argument(
        "--gazetteer",
        type=Path,
        default=GAZETTEER_CSV,
        metavar="CSV",
        help="places to look for (default: data/gazetteer.csv; see data/README.md for its columns)",
    )
    ingest.add_argument(
        "--workers",
        type=_positive_int,
        default=available_cpus(),
        metavar="N",
        help=f"processes reading and analysing (default: the CPUs here, {available_cpus()}; a few files are "
        "read in one)",
    )


def _add_export(commands: _Commands) -> None:
    export = _command(
        commands,
        "export",
        "write the stored events as GeoJSON or CSV",
        "Write the stored events as GeoJSON (one Point feature per event) or CSV (one row per source).",
        _EXPORT_EPILOG,
    )
    export.add_argument("--db", help=_DB_HELP)
    export.add_argument("--format", choices=sorted(WRITERS), default="geojson", help="default: geojson")
    export.add_argument("-o", "--output", required=True, metavar="FILE", help='file to write, or "-" for stdout')
    export.add_argument("--since", type=_since, metavar="DATE", help="events on or after YYYY[-MM[-DD]]")
    export.add_argument("--until", type=_until, metavar="DATE", help="events on or before YYYY[-MM[-DD]]")
    export.add_argument(
        "--country", type=_country, action="append", default=[], metavar="CODE", help="ISO code such as XK; repeatable"
    )
    export.add_argument(
        "--place", action="append", default=[], metavar="NAME", help="place name or gazetteer id; repeatable"
    )


def _positive_int(value: str) -> int:
    if not value.isdigit() or int(value) < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of at least 1, got {value!r}")
    return int(value)


def _period(value: str) -> tuple[dt.date, dt.date]:
    """The first and last day of YYYY, YYYY-MM or YYYY-MM-DD."""
    match = _PERIOD.match(value)
    try:
        if match is None:
            raise ValueError
        year, month, day = (int(g) if g else None for g in match.groups())
        first = dt.date(year or 1, month or 1, day or 1)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a date YYYY-MM-DD, YYYY-MM or YYYY, got {value!r}") from None
    if day:
        return first, first
    if month:
        return first, (first.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)
    return first, first.replace(month=12, day=31)


def _since(value: str) -> dt.date:
    return _period(value)[0]


def _until(value: str) -> dt.date:
    return _period(value)[1]


def _country(value: str) -> str:
    if not _COUNTRY.match(value):
        raise argparse.ArgumentTypeError(f"expected a two-letter country code such as XK, got {value!r}")
    return value.upper()


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    console = Console(stderr=True, highlight=False)
    try:
        return _COMMANDS[args.command](args, console)
    except DashboardError as exc:
        console.print(f"[red]error:[/red] {exc}")
        return 1
    except OSError as exc:
        where = f"{exc.filename}: " if exc.filename else ""
        console.print(f"[red]error:[/red] {where}{exc.strerror or exc}")
        return 1
    except KeyboardInterrupt:
        console.print("interrupted: every article stored so far is complete; run the command again to finish")
        return 130


def _ingest(args: argparse.Namespace, console: Console) -> int:
    # Imported here: the analysis modules take a good part of a second to import, and only ingest needs them.
    from .pipeline import ingest_paths, worker_count

    db = resolve_db_path(args.db)
    started = time.monotonic()
    with Store(db) as store, _progress(console) as progress:
        task = progress.add_task("ingest", total=None)

        def advance(done: int, total: int, _path: str) -> None:
            progress.update(task, completed=done, total=total)

        report = ingest_paths(
            args.paths, store, args.gazetteer, progress=advance, workers=args.workers, prune=args.prune
        )
    for problem in report.problems:
        console.print(f"[yellow]problem:[/yellow] {problem}", soft_wrap=True)
    _print_report(report, db, time.monotonic() - started, worker_count(report.read, args.workers))
    return 1 if args.strict and report.problems else 0


class _RateColumn(ProgressColumn):
    """Articles per second, as rich measures it over the last seconds."""

    def render(self, task: Task) -> Text:
        speed = task.finished_speed or task.speed
        return Text(f"{speed:,.0f} articles/s" if speed else "… articles/s", style="progress.data.speed")


def _progress(console: Console) -> Progress:
    return Progress(
        TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(), _RateColumn(),
        TimeRemainingColumn(), TextColumn("left"), console=console, transient=True,
        disable=not console.is_terminal,  # no bar in logs and pipes
    )  # fmt: skip


def _print_report(report: IngestReport, db: Path, seconds: float, workers: int) -> None:
    table = Table(title=f"ingest into {db}")
    counts = {
        "read": report.read, "new": report.new, "changed": report.changed, "unchanged": report.unchanged,
        "pruned": report.pruned, "problems": len(report.problems), "events in store": report.events,
    }  # fmt: skip
    for column in counts:
        table.add_column(column, justify="right")
    table.add_row(*(f"{n:,}" for n in counts.values()))
    rate = report.read / seconds if seconds > 0 else 0.0
    processes = "1 process" if workers == 1 else f"{workers} worker processes"
    table.caption = f"{report.read:,} files in {seconds:.1f} s ({rate:,.0f} files/s), {processes}"
    Console().print(table)


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
        events = store.events()
    chosen = select_events(events, since=args.since, until=args.until, countries=args.country, places=args.place)
    if args.output == "-":
        count = WRITERS[args.format](chosen, sys.stdout)
    else:
        count = export_events(chosen, Path(args.output), args.format)
    console.print(f"wrote {count} of {len(events)} events to {args.output}")
    return 0


def _stats(args: argparse.Namespace, console: Console) -> int:
    db = _existing_store(args)
    with Store(db) as store:
        stats = store.stats()
    Console().print(_stats_table(stats, db))
    return 0


def _stats_table(stats: StoreStats, db: Path) -> Table:
    table = Table(title=f"store {db}", show_header=False)
    table.add_column("what")
    table.add_column("count", justify="right")
    by_precision = ", ".join(f"{n:,} {p}" for p, n in stats.events.items())
    dates = f"{stats.first_date} to {stats.last_date}" if stats.first_date else "none"
    rows = [
        ("articles", f"{stats.articles:,}"), ("events", f"{sum(stats.events.values()):,}"),
        ("  by date precision", by_precision), ("sources", f"{stats.sources:,}"), ("places", f"{stats.places:,}"),
        ("place mentions", f"{stats.mentions:,}"), ("problems", f"{stats.problems:,}"), ("event dates", dates),
        ("schema version", str(stats.schema_version)), ("store version", str(stats.version)),
    ]  # fmt: skip
    for row in rows:
        table.add_row(*row)
    return table


def _problems(args: argparse.Namespace, console: Console) -> int:
    with Store(_existing_store(args)) as store:
        problems = store.problems()
    for problem in problems:
        print(problem)
    console.print(f"{len(problems)} file(s) could not be read" if problems else "no problems")
    return 0


_COMMANDS = {"ingest": _ingest, "export": _export, "stats": _stats, "problems": _problems}


if __name__ == "__main__":
    sys.exit(main())
