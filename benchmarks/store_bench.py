"""The map's aggregation at scale on both store backends: fill a store with synthetic events, then time
``place_counts`` for what a slider change asks (a 30-day window) and for the whole range.

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
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from dashboard.store import Store  # noqa: E402
from dashboard.stores import AnyStore, open_store  # noqa: E402

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
    "INSERT INTO event_sources SELECT value, value % :articles, 's', 0, 1, 'on Friday', 1, 'other'"
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
    "INSERT INTO event_sources SELECT n, n %% %(articles)s, 's', 0, 1, 'on Friday', true, 'other'"
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


def timed(call: Callable[[], object], *, repeat: int = 5) -> float:
    """The median seconds of ``repeat`` calls (after one warm-up)."""
    call()
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        call()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def measure(name: str, store: AnyStore, events: int) -> None:
    days = events // PLACES
    middle = FIRST_DAY + dt.timedelta(days=days // 2)
    window = timed(lambda: store.place_counts(since=middle, until=middle + dt.timedelta(days=29)))
    whole = timed(lambda: store.place_counts())
    markers = len(store.place_counts(since=middle, until=middle + dt.timedelta(days=29)))
    print(f"{name:>10}  {events:>10,} events  slider (30 days): {window * 1000:7.1f} ms  "
          f"whole range: {whole * 1000:7.1f} ms  markers: {markers}")  # fmt: skip


@contextmanager
def throwaway_server() -> Iterator[str]:
    from tests.pg_server import running_server

    with running_server() as server:
        yield server.new_database()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--pg-url", help="an empty database to fill (default: start a throwaway server)")
    parser.add_argument("--only", choices=["sqlite", "postgresql"])
    args = parser.parse_args()
    if args.only != "postgresql":
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "bench.db"
            fill_sqlite(path, args.events)
            with Store(path) as store:
                measure("sqlite", store, args.events)
    if args.only != "sqlite":
        with nullcontext(args.pg_url) if args.pg_url else throwaway_server() as url:
            fill_postgres(url, args.events)
            with open_store(url) as store:
                measure("postgresql", store, args.events)


if __name__ == "__main__":
    main()
