"""The command line: ``ingest`` articles into a store, ``export`` its events, ``stats``, ``problems`` and
``review`` (the names that read like places but that no gazetteer row has).

Exit codes: 0 done; 1 with ``--strict`` when any file had a problem (or a geocoder request failed), or when a
command could not finish; 2 for usage errors (argparse's own convention); 130 when interrupted with Ctrl-C.
Progress, problems and errors go to stderr; results (the summary table, statistics, the problem list, the
places to review) to stdout. File names, lines read from files and sentences are printed as plain text,
never read as rich markup: a file called ``[red]a.txt`` is printed as it is named.
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import shlex
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, TypeAlias

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

from .config import DB_ENV, GAZETTEER_CSV, available_cpus, resolve_db_target
from .errors import DashboardError, GazetteerError, StoreError, StoreUnreachableError
from .export import WRITERS, export_events, select_events
from .models import IngestReport
from .store import PlaceToReview, StoreStats
from .stores import display_name, is_server, open_store, sqlite_path
from .text import shorten

if TYPE_CHECKING:  # imported where used: the analysis modules take a good part of a second to import
    from .gazetteer import Gazetteer
    from .geocoding import GeocodeResult
    from .review import Resolution

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

_REVIEW_EPILOG = """\
examples:
  python -m dashboard review                      the names to review, most mentioned first
  python -m dashboard review --resolve Orlane --lat 42.8961 --lon 21.2145 --country XK
  python -m dashboard review --resolve "Ibar bridge" --lat 42.8915 --lon 20.8665 --country XK --level site \\
      --alias "Most na Ibru" --alias "Ura e Ibrit"
  python -m dashboard review --geocode --country XK            ask the online geocoder (off unless set up)
  python -m dashboard review --geocode --country XK --accept   ... and add every place it finds

A resolved place is added to the user gazetteer beside the store (events.db keeps events.places.csv), and
the stored articles that name it are read again, so its events appear on the map and in exports. Online
geocoding is off unless $DASHBOARD_GEOCODER_URL and $DASHBOARD_GEOCODER_USER_AGENT are set (see README)."""
SENTENCE_LIMIT = 200


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
    _add_review(commands)
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


def _gazetteer_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--gazetteer",
        type=Path,
        default=GAZETTEER_CSV,
        metavar="CSV",
        help="places to look for (default: data/gazetteer.csv; see data/README.md for its columns); the user "
        "gazetteer beside the store is added to it",
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
    _gazetteer_option(ingest)
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


def _add_review(commands: _Commands) -> None:
    review = _command(
        commands,
        "review",
        "list the names that read like places but are not in the gazetteer; resolve them",
        "List the names articles use like places (in X, near X, the village of X, u X-u) that no gazetteer row "
        "has, most mentioned first, with a sentence each; resolve one by giving its position.",
        _REVIEW_EPILOG,
    )
    review.add_argument("--db", help=_DB_HELP)
    action = review.add_mutually_exclusive_group()
    action.add_argument(
        "--resolve", metavar="NAME", help="add NAME to the user gazetteer at --lat, --lon in --country, and read "
        "the articles that name it again"
    )  # fmt: skip
    action.add_argument(
        "--geocode", action="store_true", help="ask the online geocoder where each name is (cached in the store)"
    )
    review.add_argument("--lat", type=float, metavar="DEGREES", help="with --resolve: the place's latitude")
    review.add_argument("--lon", type=float, metavar="DEGREES", help="with --resolve: the place's longitude")
    review.add_argument(
        "--country", type=_country, action="append", default=[], metavar="CODE",
        help="ISO code such as XK: with --resolve the place's country; with --geocode search only there (repeatable)",
    )  # fmt: skip
    review.add_argument("--level", choices=("settlement", "site"), default="settlement", help="default: settlement")
    review.add_argument(
        "--alias", action="append", default=[], metavar="NAME", help="with --resolve: another spelling; repeatable"
    )
    review.add_argument("--accept", action="store_true", help="with --geocode: add every place found to the gazetteer")
    review.add_argument("--strict", action="store_true", help="with --geocode: exit 1 when a request failed")
    review.add_argument("--limit", type=_positive_int, metavar="N", help="only the N most mentioned names")
    _gazetteer_option(review)


def _review_usage(args: argparse.Namespace) -> str | None:
    """What is wrong with a ``review`` command line that argparse cannot tell, or None."""
    if args.resolve is not None:
        if args.lat is None or args.lon is None:
            return "review --resolve needs --lat and --lon"
        if len(args.country) != 1:
            return "review --resolve needs one --country, the place's ISO code (XK for Kosovo)"
    elif args.lat is not None or args.lon is not None or args.alias:
        return "review: --lat, --lon and --alias go with --resolve"
    if not args.geocode and (args.accept or args.strict):
        return "review: --accept and --strict go with --geocode"
    return None


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
    parser = build_parser()
    args = parser.parse_args(argv)
    usage = _review_usage(args) if args.command == "review" else None
    if usage:
        parser.error(usage)
    console = Console(stderr=True, highlight=False)
    try:
        return _COMMANDS[args.command](args, console)
    except StoreUnreachableError as exc:
        _say(console, "error:", "red", str(exc))
        return 2
    except DashboardError as exc:
        _say(console, "error:", "red", str(exc))
        return 1
    except OSError as exc:
        where = f"{exc.filename}: " if exc.filename else ""
        _say(console, "error:", "red", f"{where}{exc.strerror or exc}")
        return 1
    except KeyboardInterrupt:
        console.print("interrupted: every article stored so far is complete; run the command again to finish")
        return 130


def _ingest(args: argparse.Namespace, console: Console) -> int:
    # Imported here: the analysis modules take a good part of a second to import, and only ingest needs them.
    from .pipeline import ingest_paths, worker_count

    db = resolve_db_target(args.db)
    started = time.monotonic()
    with open_store(db) as store, _progress(console) as progress:
        task = progress.add_task("ingest", total=None)

        def advance(done: int, total: int, _path: str) -> None:
            progress.update(task, completed=done, total=total)

        report = ingest_paths(
            args.paths, store, args.gazetteer, progress=advance, workers=args.workers, prune=args.prune
        )
    for problem in report.problems:
        _say(console, "problem:", "yellow", str(problem))
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


def _say(console: Console, label: str, style: str, message: str) -> None:
    """A coloured label, then text that may come from files (names, lines, sentences), never read as markup."""
    console.print(Text.assemble((label, style), " ", message), soft_wrap=True)


def _print_report(report: IngestReport, db: str, seconds: float, workers: int) -> None:
    table = Table(title=Text(f"ingest into {display_name(db)}"))
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


def _existing_store(args: argparse.Namespace) -> str:
    """The store a reading command names; a file must exist (reading never creates an empty store by mistake).

    Raises:
        StoreError: there is no store at that path.
    """
    db = resolve_db_target(args.db)
    if not is_server(db) and not sqlite_path(db).exists():
        path = sqlite_path(db)
        raise StoreError(f"no store at {path}; run `python -m dashboard ingest PATH --db {path}` first")
    return db


def _export(args: argparse.Namespace, console: Console) -> int:
    with open_store(_existing_store(args)) as store:
        events = store.events()
    chosen = select_events(events, since=args.since, until=args.until, countries=args.country, places=args.place)
    if args.output == "-":
        count = WRITERS[args.format](chosen, sys.stdout)
    else:
        count = export_events(chosen, Path(args.output), args.format)
    console.print(Text(f"wrote {count} of {len(events)} events to {args.output}"))
    return 0


def _stats(args: argparse.Namespace, console: Console) -> int:
    db = _existing_store(args)
    with open_store(db) as store:
        stats = store.stats()
    Console().print(_stats_table(stats, db))
    return 0


def _stats_table(stats: StoreStats, db: str) -> Table:
    table = Table(title=Text(f"store {display_name(db)}"), show_header=False)
    table.add_column("what")
    table.add_column("count", justify="right")
    by_precision = ", ".join(f"{n:,} {p}" for p, n in stats.events.items())
    dates = f"{stats.first_date} to {stats.last_date}" if stats.first_date else "none"
    rows = [
        ("articles", f"{stats.articles:,}"), ("events", f"{sum(stats.events.values()):,}"),
        ("  by date precision", by_precision), ("sources", f"{stats.sources:,}"), ("places", f"{stats.places:,}"),
        ("place mentions", f"{stats.mentions:,}"), ("places to review", f"{stats.places_to_review:,}"),
        ("problems", f"{stats.problems:,}"), ("event dates", dates),
        ("schema version", str(stats.schema_version)), ("store version", str(stats.version)),
    ]  # fmt: skip
    for row in rows:
        table.add_row(*row)
    return table


def _problems(args: argparse.Namespace, console: Console) -> int:
    with open_store(_existing_store(args)) as store:
        problems = store.problems()
    for problem in problems:
        print(problem)
    console.print(f"{len(problems)} file(s) could not be read" if problems else "no problems")
    return 0


def _review(args: argparse.Namespace, console: Console) -> int:
    db = _existing_store(args)
    if args.resolve is not None:
        return _resolve(args, db)
    if args.geocode:
        return _geocode(args, db, console)
    with open_store(db) as store:
        places, outdated = store.unknown_places(), store.outdated_count()
    shown = places[: args.limit]
    if shown:
        Console().print(_review_table(shown, db))
        more = f" (the first {len(shown)} shown)" if len(shown) < len(places) else ""
        console.print(Text(f"{len(places)} name(s) to review{more}; resolve one with"))
        example = _resolve_command("NAME", args.db, lat="LAT", lon="LON", country="CODE")
        console.print(Text(f"  {example}"), soft_wrap=True)
    else:
        console.print("no places to review")
    if outdated:
        console.print(
            f"{outdated} article(s) were stored by an earlier version, which did not look for unknown places: "
            "ingest their files again to review them too"
        )
    return 0


def _review_table(places: Sequence[PlaceToReview], db: str) -> Table:
    table = Table(title=Text(f"places to review in {display_name(db)}"))
    table.add_column("name")
    table.add_column("mentions", justify="right")
    table.add_column("articles", justify="right")
    table.add_column("sample sentence", ratio=1)
    for place in places:
        table.add_row(
            Text(place.name),
            f"{place.mentions:,}",
            f"{place.articles:,}",
            Text(shorten(place.sentence, SENTENCE_LIMIT)),
        )
    return table


def _resolve_command(name: str, db: str | None, **values: object) -> str:
    """The ``review --resolve`` command line for a name, quoted for a POSIX shell (a password in the store's
    URL masked: output is no place for it)."""
    words = ["python", "-m", "dashboard", "review", "--resolve", name]
    for option, value in values.items():
        words += [f"--{option}", str(value)]
    if db:
        words += ["--db", display_name(db)]
    return shlex.join(words)


def _resolve(args: argparse.Namespace, db: str) -> int:
    from .gazetteer_cache import cached_gazetteer
    from .review import resolve_place

    base = cached_gazetteer(args.gazetteer)  # loaded first: a gazetteer that fails to load writes nothing
    with open_store(db) as store:
        resolution = resolve_place(
            store, base, name=args.resolve, lat=args.lat, lon=args.lon, country=args.country[0], level=args.level,
            aliases=args.alias,
        )  # fmt: skip
    _print_resolution(resolution)
    return 0


def _print_resolution(resolution: Resolution) -> None:
    """What a resolve did, as plain text: the row written, the articles read again and the events they changed."""
    place, reread = resolution.place, resolution.reread
    where = f"{_degrees(place.lat)}, {_degrees(place.lon)}, {place.country}, {place.level}"
    print(f"added {place.name} ({place.id}) at {where} to {resolution.path}")
    print(f"read {reread.articles} article(s) again: {len(reread.added)} event(s) added, {len(reread.removed)} removed")
    for mark, labels in (("+", reread.added), ("-", reread.removed)):
        for name, day, precision in labels:
            print(f"  {mark} {name} {day} ({precision})")
    for problem in reread.problems:
        print(f"  problem: {problem}")


def _degrees(value: float) -> str:
    """A coordinate to six decimals (about 0.1 m), without trailing zeros."""
    return f"{value:.6f}".rstrip("0").rstrip(".")


def _geocode(args: argparse.Namespace, db: str, console: Console) -> int:
    """Ask the geocoder about every name to review; print each place found as the ``--resolve`` command that
    adds it, or add it with ``--accept``. A failed request is reported, asked again next time, and never stops
    the run."""
    from .gazetteer_cache import cached_gazetteer
    from .geocoding import URL_ENV, USER_AGENT_ENV, geocoder_settings
    from .review import store_geocoder

    settings = geocoder_settings()
    if settings is None:
        needed = f"set ${URL_ENV} to a Nominatim service and ${USER_AGENT_ENV} to a name for this application"
        _say(console, "error:", "red", f"online geocoding is off: {needed} (see README)")
        return 1
    with open_store(db) as store:
        places = store.unknown_places()[: args.limit]
    pace = f"at most one request every {settings.min_delay_seconds:g} s"
    console.print(
        Text(f"asking {settings.url} about {len(places)} name(s), {pace}; answers are kept in {display_name(db)}")
    )
    base = cache(lambda: cached_gazetteer(args.gazetteer))
    outcomes: Counter[str] = Counter()
    with store_geocoder(db, settings) as geocoder:
        for place in places:
            result = geocoder.lookup(place.name, country_codes=args.country)
            outcomes[_report_geocoded(args, db, result, base, console)] += 1
    found = outcomes["found"] + outcomes["added"]
    added = f" ({outcomes['added']} added)" if args.accept else ""
    failed = f"{outcomes['failed']} failed (asked again next time)"
    console.print(f"{len(places)} name(s): {found} found{added}, {outcomes['not found']} not found, {failed}")
    return 1 if args.strict and outcomes["failed"] else 0


def _report_geocoded(
    args: argparse.Namespace, db: str, result: GeocodeResult, base: Callable[[], Gazetteer], console: Console
) -> str:
    """Print one answer, and add the place with ``--accept``; returns found, added, not found or failed."""
    if result.error is not None:
        _say(console, "failed:", "yellow", result.error)
        return "failed"
    if not result.found or result.lat is None or result.lon is None:
        print(f"{result.name}: not found")
        return "not found"
    country = result.country or (args.country[0] if len(args.country) == 1 else "")
    lat, lon = _degrees(result.lat), _degrees(result.lon)
    print(f"{result.name}: found at {lat}, {lon}" + (f" in {country}" if country else "") + f" ({result.display_name})")
    options: dict[str, object] = {"lat": lat, "lon": lon, "country": country or "CODE"}
    if args.level != "settlement":
        options["level"] = args.level
    command = _resolve_command(result.name, args.db, **options)
    if not (args.accept and country):
        print(f"  {'not added, no country given: ' if args.accept else ''}{command}")
        return "found"
    from .review import resolve_place

    try:
        with open_store(db) as store:
            resolution = resolve_place(
                store, base(), name=result.name, lat=result.lat, lon=result.lon, country=country, level=args.level
            )
    except GazetteerError as exc:
        _say(console, "not added:", "yellow", str(exc))
        return "found"
    _print_resolution(resolution)
    return "added"


_COMMANDS: dict[str, Callable[[argparse.Namespace, Console], int]] = {
    "ingest": _ingest, "export": _export, "stats": _stats, "problems": _problems, "review": _review,
}  # fmt: skip


if __name__ == "__main__":
    sys.exit(main())
