"""The page's questions at scale on both store backends: fill a store with synthetic events, then time what
a slider change asks of the database (``page_data.StoreData``: the markers, and the counts and timeline)
for a 30-day window and for the whole range, the same with a text search, and a clicked place's panel.

    .venv/bin/python benchmarks/store_bench.py                        # 1,000,000 events, SQLite and a
                                                                      # throwaway PostgreSQL server
    .venv/bin/python benchmarks/store_bench.py --events 100000 --pg-url postgresql://me@host/bench

Target: under 1 s per slider change at 1,000,000 events on the server backend. The rows are written by
bulk SQL (the analysis is measured by ingest_bench), with the schema made by the stores themselves.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from dashboard.event_sql import Selection  # noqa: E402
from dashboard.filters import Filters  # noqa: E402
from dashboard.page_data import StoreData  # noqa: E402
from dashboard.panel import PANEL_LIMIT  # noqa: E402
from dashboard.store import Store  # noqa: E402
from dashboard.stores import open_store  # noqa: E402

PLACES = 1000
FIRST_DAY = dt.date(2020, 1, 1)

_SQLITE_FILL = (
    "INSERT INTO articles (id, path, name, sha256, published, published_precision, language, title, text, analysis)"
    " SELECT value, 'a' || value, 'a' || value, 'sha' || value, '2020-01-01', 'day', 'en', 't', 't', 3"
    " FROM generate_series(0, :articles - 1)",
    "INSERT INTO places SELECT 'p' || value, 'Place ' || value, -60 + (value % 120), -170 + (value * 7 % 340),"
    " 'settlement', 'XK', 1000, 'bench' FROM generate_series(0, :places - 1)",
    "INSERT INTO events (id, place_id, date, precision) SELECT value, 'p' || (value % :places),"
    " date(:first, '+' || (value / :places) || ' days'), 'day' FROM generate_series(0, :events - 1)",
    "INSERT INTO event_sources SELECT value, value % :articles, 's ' || (value % 97), 0, 1, 'on Friday', 1,"
    " 'other', 't s ' || (value % 97)"
    " FROM generate_series(0, :events - 1)",
    "ANALYZE",
)

_PG_FILL = (
    "INSERT INTO articles (id, path, name, sha256, published, published_precision, language, title, text, analysis)"
    " SELECT n, 'a' || n, 'a' || n, 'sha' || n, '2020-01-01', 'day', 'en', 't', 't', 3"
    " FROM generate_series(0, %(articles)s - 1) n",
    "INSERT INTO places (id, name, lat, lon, level, country, population, source) SELECT 'p' || n, 'Place ' || n,"
    " -60 + (n %% 120), -170 + (n * 7 %% 340), 'settlement', 'XK', 1000, 'bench' FROM generate_series(0, %(places)s - 1) n",
    "INSERT INTO events (id, place_id, date, precision) SELECT n, 'p' || (n %% %(places)s),"
    " %(first)s::date + (n / %(places)s), 'day' FROM generate_series(0, %(events)s - 1) n",
    "INSERT INTO event_sources SELECT n, n %% %(articles)s, 's ' || (n %% 97), 0, 1, 'on Friday', true, 'other',"
    " 't s ' || (n %% 97)"
    " FROM generate_series(0, %(events)s - 1) n",
    "VACUUM ANALYZE",  # what autovacuum does on a live server: index-only scans need the visibility map
)


def fill_sqlite(path: Path, events: int) -> None:
    import sqlite3

    Store(path).close()
    params = {"articles": max(1, events // 10), "places": PLACES, "events": events, "first": FIRST_DAY.isoformat()}
    with sqlite3.connect(path) as db:
        for statement in _SQLITE_FILL:
            db.execute(_with_series(statement), params)


def _with_series(statement: str) -> str:
    """SQLite has no generate_series in every build: spell it as a recursive CTE."""
    if "generate_series" not in statement:
        return statement
    head, _, tail = statement.partition("FROM generate_series(0, ")
    bound = tail.rsplit(")", 1)[0]
    cte = f"WITH RECURSIVE series(value) AS (SELECT 0 UNION ALL SELECT value + 1 FROM series WHERE value < {bound}) "
    return cte + head + "FROM series"


def fill_postgres(url: str, events: int) -> None:
    import psycopg

    open_store(url).close()
    params = {"articles": max(1, events // 10), "places": PLACES, "events": events, "first": FIRST_DAY}
    with psycopg.connect(url, autocommit=True) as db:
        for statement in _PG_FILL:
            db.execute(statement, params)


def timed(call: Callable[[int], object], *, repeat: int = 5) -> float:
    """The median seconds of ``repeat`` calls (after one warm-up), each told its number: the page caches
    its answer for a selection, so each call asks about another one, as successive slider moves do."""
    call(0)
    times = []
    for index in range(1, repeat + 1):
        started = time.perf_counter()
        call(index)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


@dataclass(frozen=True, slots=True)
class PageFigure:
    backend: str
    events: int
    open_seconds: float  # places, date bounds and filter options, once per store version
    window_seconds: float  # a slider change to a 30-day window: markers, counts and timeline
    whole_seconds: float
    search_seconds: float  # the 30-day window with a word to search
    panel_seconds: float
    markers: int


def measure(backend: str, target: str, events: int) -> PageFigure:
    """Time the page's questions to the store at ``target`` as the app asks them past the aggregation limit."""
    days = events // PLACES
    middle = FIRST_DAY + dt.timedelta(days=days // 2)
    window = Selection(middle, middle + dt.timedelta(days=29))
    data = StoreData.of(target, events)

    def moved(start: dt.date, length: int, text: str = "") -> Callable[[int], Selection]:
        return lambda step: Selection(start + dt.timedelta(days=step), start + dt.timedelta(days=step + length - 1),
                                      Filters(text=text))  # fmt: skip

    def slider(selection: Callable[[int], Selection]) -> Callable[[int], object]:
        return lambda step: (data.summaries(selection(step)), data.tallies(selection(step)))

    return PageFigure(
        backend=backend,
        events=events,
        open_seconds=timed(lambda _: StoreData.of(target, events), repeat=1),
        window_seconds=timed(slider(moved(middle, 30))),
        whole_seconds=timed(slider(moved(FIRST_DAY, days)), repeat=3),
        search_seconds=timed(slider(moved(middle, 30, "s 42")), repeat=3),
        panel_seconds=timed(lambda step: data.place_events(f"p{step}", window, limit=PANEL_LIMIT)),
        markers=len(data.summaries(window)),
    )


def print_figure(figure: PageFigure) -> None:
    print(f"{figure.backend:>10}  {figure.events:>10,} events  open: {figure.open_seconds * 1000:7.0f} ms  "
          f"slider (30 days): {figure.window_seconds * 1000:7.0f} ms  whole range: {figure.whole_seconds * 1000:7.0f} ms  "
          f"search: {figure.search_seconds * 1000:7.0f} ms  panel: {figure.panel_seconds * 1000:5.0f} ms  "
          f"markers: {figure.markers}")  # fmt: skip


@contextmanager
def throwaway_server() -> Iterator[str]:
    from tests.pg_server import running_server

    with running_server() as server:
        yield server.new_database()


def both_backends(events: int, *, pg_url: str | None = None, only: str | None = None) -> list[PageFigure]:
    """Fill a temporary SQLite store and a PostgreSQL database (``pg_url``, or a throwaway server) with
    ``events`` and time each; ``only`` names one backend."""
    figures = []
    if only != "postgresql":
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "bench.db"
            fill_sqlite(path, events)
            figures.append(measure("sqlite", str(path), events))
    if only != "sqlite":
        with nullcontext(pg_url) if pg_url else throwaway_server() as url:
            fill_postgres(url, events)
            figures.append(measure("postgresql", url, events))
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--pg-url", help="an empty database to fill (default: start a throwaway server)")
    parser.add_argument("--only", choices=["sqlite", "postgresql"])
    args = parser.parse_args()
    for figure in both_backends(args.events, pg_url=args.pg_url, only=args.only):
        print_figure(figure)


if __name__ == "__main__":
    main()
