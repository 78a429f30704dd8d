"""The event store on a PostgreSQL server with PostGIS: the same interface and rules as ``store.Store``.

Where it differs from the SQLite store: places carry a PostGIS ``geography(Point)`` column with a GiST index,
event dates are ``date`` values with btree indexes, and several processes may write at once. Each write is one
transaction that first takes a transaction-level advisory lock (``pg_advisory_xact_lock``), so writes are
serialised as SQLite's ``BEGIN IMMEDIATE`` serialises them and every check inside a write sees what the
writers before it committed; analysis, the slow part, runs outside it. Uniqueness is still kept by the schema
(articles by path and by content hash, events by their merge key, sources by event and article), written with
``INSERT … ON CONFLICT``, and a transaction that fails on a serialization failure or deadlock is run again.

The schema version lives in ``meta`` (PostgreSQL has no ``user_version``); it is created or upgraded under
the same lock, so two processes opening a new database at once do not both create it.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import psycopg
from psycopg import errors as pg_errors
from psycopg.conninfo import conninfo_to_dict

from .dialects import POSTGRES, Query
from .errors import StoreError, StoreUnreachableError
from .models import PRECISIONS, Article, Event, Mention, Problem, UnknownPlace
from .store import (
    ANALYSIS_VERSION,
    EVENT_ORDER,
    PlaceToReview,
    StoreStats,
    _article,
    _events,
    _place,
    _place_row,
    _places_to_review,
    _related_ids,
    event_select,
    search_text,
)
from .text import fold

if TYPE_CHECKING:  # geopy is imported only when geocoding
    from .geocoding import GeocodeResult

SCHEMA_VERSION = 4
"""The SQLite store's ``user_version`` this schema matches, table for table."""
WRITE_LOCK = 0x6E65_7773  # the advisory lock key every write transaction takes ("news")
RETRIES = 8
CONNECT_SECONDS = 10

_T = TypeVar("_T")

_SCHEMA = (
    "CREATE EXTENSION IF NOT EXISTS postgis",
    """CREATE TABLE articles (
        id BIGSERIAL PRIMARY KEY,
        path TEXT NOT NULL UNIQUE,
        name TEXT NOT NULL,
        sha256 TEXT NOT NULL UNIQUE,
        published TEXT NOT NULL,
        published_precision TEXT NOT NULL,
        language TEXT NOT NULL,
        title TEXT NOT NULL,
        text TEXT NOT NULL,
        analysis INTEGER NOT NULL
    )""",
    """CREATE TABLE places (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        lat DOUBLE PRECISION NOT NULL,
        lon DOUBLE PRECISION NOT NULL,
        level TEXT NOT NULL,
        country TEXT NOT NULL,
        population BIGINT NOT NULL,
        source TEXT NOT NULL,
        location geography(Point, 4326)
            GENERATED ALWAYS AS (ST_SetSRID(ST_MakePoint(lon, lat), 4326)::geography) STORED
    )""",
    "CREATE INDEX places_location ON places USING GIST (location)",
    """CREATE TABLE events (
        id BIGSERIAL PRIMARY KEY,
        place_id TEXT NOT NULL REFERENCES places(id),
        date DATE NOT NULL,
        precision TEXT NOT NULL,
        UNIQUE (place_id, date, precision)
    )""",
    "CREATE INDEX events_date ON events(date)",
    "CREATE INDEX events_date_place ON events(date, place_id)",
    "CREATE INDEX events_precision_date ON events(precision, date) INCLUDE (place_id, id)",
    """CREATE TABLE event_sources (
        event_id BIGINT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
        article_id BIGINT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        sentence TEXT NOT NULL,
        start INTEGER NOT NULL,
        "end" INTEGER NOT NULL,
        date_evidence TEXT NOT NULL,
        date_resolved BOOLEAN NOT NULL,
        event_type TEXT NOT NULL,
        PRIMARY KEY (event_id, article_id)
    )""",
    "CREATE INDEX event_sources_article ON event_sources(article_id)",
    "CREATE INDEX event_sources_type ON event_sources(event_type)",
    """CREATE TABLE mentions (
        article_id BIGINT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        place_id TEXT NOT NULL REFERENCES places(id),
        surface TEXT NOT NULL,
        start INTEGER NOT NULL,
        "end" INTEGER NOT NULL,
        PRIMARY KEY (article_id, start, place_id)
    )""",
    "CREATE INDEX mentions_place ON mentions(place_id)",
    """CREATE TABLE problems (
        path TEXT NOT NULL,
        line INTEGER,
        message TEXT NOT NULL,
        PRIMARY KEY (path, message)
    )""",
    """CREATE TABLE unknown_places (
        article_id BIGINT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        folded TEXT NOT NULL,
        surface TEXT NOT NULL,
        start INTEGER NOT NULL,
        "end" INTEGER NOT NULL,
        sentence TEXT NOT NULL,
        PRIMARY KEY (article_id, start)
    )""",
    "CREATE INDEX unknown_places_folded ON unknown_places(folded)",
    "INSERT INTO meta VALUES ('revision', 0) ON CONFLICT DO NOTHING",
)


def _run(statements: Sequence[str]) -> Callable[[psycopg.Connection[Any]], None]:
    def apply(db: psycopg.Connection[Any]) -> None:
        for statement in statements:
            db.execute(statement)

    return apply


_GEOCODE_CACHE_TABLE = """CREATE TABLE IF NOT EXISTS geocode_cache (
    key TEXT NOT NULL,
    countries TEXT NOT NULL,
    name TEXT NOT NULL,
    found BOOLEAN NOT NULL,
    lat DOUBLE PRECISION,
    lon DOUBLE PRECISION,
    display_name TEXT NOT NULL DEFAULT '',
    country TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (key, countries)
)"""
_FOLD_BATCH = 10_000


def _to_v4(db: psycopg.Connection[Any]) -> None:
    """The folded text of each source, which the page's text filter searches (see ``event_sql``), and the
    online geocoder's answers (the SQLite store has kept them since schema 3).

    ``text.fold`` runs in Python, so the sources are read in batches through a server-side cursor, their
    folded text copied into a temporary table, and the column set by one UPDATE.
    """
    db.execute(_GEOCODE_CACHE_TABLE)
    db.execute("ALTER TABLE event_sources ADD COLUMN folded TEXT NOT NULL DEFAULT ''")
    db.execute("CREATE TEMP TABLE folded_sources (event_id BIGINT, article_id BIGINT, folded TEXT) ON COMMIT DROP")
    with db.cursor(name="sources_to_fold") as sources, db.cursor() as writer:
        sources.execute(
            "SELECT s.event_id, s.article_id, a.title, s.sentence FROM event_sources s JOIN articles a ON a.id = s.article_id"
        )
        while batch := sources.fetchmany(_FOLD_BATCH):
            with writer.copy("COPY folded_sources FROM STDIN") as copy:
                for event_id, article_id, title, sentence in batch:
                    copy.write_row((event_id, article_id, search_text(title, sentence)))
    db.execute(
        "UPDATE event_sources s SET folded = f.folded FROM folded_sources f"
        " WHERE s.event_id = f.event_id AND s.article_id = f.article_id"
    )


# _MIGRATIONS[n] takes a database from schema n to n + 1 (0 is an empty database). The server store starts at
# the SQLite store's schema 3, so a new database runs the step that builds that, then the later ones.
_MIGRATIONS: dict[int, Callable[[psycopg.Connection[Any]], None]] = {0: _run(_SCHEMA), 3: _to_v4}

_EVENT_COLUMNS = event_select("e.date::text")

_RELATED_QUERY = """
SELECT wide.id, narrow.id
FROM events wide
JOIN events narrow
  ON narrow.place_id = wide.place_id
 AND narrow.date >= wide.date
 AND narrow.date < wide.date + CASE wide.precision WHEN 'month' THEN interval '1 month' ELSE interval '1 year' END
 AND (narrow.precision = 'day' OR (wide.precision = 'year' AND narrow.precision = 'month'))
WHERE wide.precision IN ('month', 'year')
"""

_UPSERT_PLACE = """
INSERT INTO places (id, name, lat, lon, level, country, population, source) VALUES (%s, %s, %s, %s, %s, %s, %s, %s)
ON CONFLICT (id) DO UPDATE SET name = excluded.name, lat = excluded.lat, lon = excluded.lon,
    level = excluded.level, country = excluded.country, population = excluded.population, source = excluded.source
WHERE (places.name, places.lat, places.lon, places.level, places.country, places.population, places.source)
    IS DISTINCT FROM (excluded.name, excluded.lat, excluded.lon, excluded.level, excluded.country,
                      excluded.population, excluded.source)
"""


def mask_url(url: str) -> str:
    """The URL with any password replaced by ``***``, for messages and logs."""
    scheme, sep, rest = url.partition("://")
    if not sep or "@" not in rest.split("/", 1)[0]:
        return url
    credentials, host = rest.split("/", 1)[0].rsplit("@", 1), rest.partition("/")
    user = credentials[0].split(":", 1)[0]
    masked = f"{user}:***" if ":" in credentials[0] else user
    return f"{scheme}://{masked}@{credentials[1]}{host[1]}{host[2]}"


class PgStore:
    """Events on a PostgreSQL server; open with a ``postgresql://`` URL (libpq also reads ~/.pgpass and
    ``PGSERVICE``, so the password need not be in the URL).

    Raises:
        StoreUnreachableError: the server cannot be reached or refuses the login.
        StoreError: the database holds a schema from a newer program.
    """

    DIALECT = POSTGRES

    def __init__(self, url: str) -> None:
        self.url = url
        self.name = mask_url(url)
        database = conninfo_to_dict(url).get("dbname") or "postgres"
        self.path = Path.cwd() / f"{database}.db"  # only names the user gazetteer file, database.places.csv
        try:
            # JIT compiling pays off for long analytic queries; the page's take tenths of a second, which it
            # would lengthen by its own compile time.
            self._db = psycopg.connect(url, autocommit=True, connect_timeout=CONNECT_SECONDS, options="-c jit=off")
        except psycopg.Error as exc:
            raise StoreUnreachableError(f"{self.name}: cannot connect ({_first_line(exc)})") from None
        try:
            self._migrate()
        except BaseException:
            self._db.close()
            raise

    def __enter__(self) -> PgStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._db.close()

    def _migrate(self) -> None:
        def upgrade(db: psycopg.Connection[Any]) -> None:
            db.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value BIGINT NOT NULL)")
            db.execute("INSERT INTO meta VALUES ('schema', 0) ON CONFLICT DO NOTHING")
            version = self._schema_version(db)
            if version > SCHEMA_VERSION:
                raise StoreError(
                    f"{self.name}: schema {version} is newer than this program's {SCHEMA_VERSION}; update the program"
                )
            for step in range(version, SCHEMA_VERSION):
                if step in _MIGRATIONS:
                    _MIGRATIONS[step](db)
            db.execute("UPDATE meta SET value = %s WHERE key = 'schema'", (SCHEMA_VERSION,))

        if self._schema_version_or_none() != SCHEMA_VERSION:
            self._write(upgrade)

    def _schema_version_or_none(self) -> int | None:
        try:
            return self._schema_version(self._db)
        except pg_errors.UndefinedTable:
            return None

    @staticmethod
    def _schema_version(db: psycopg.Connection[Any]) -> int:
        row = db.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()
        return int(row[0]) if row else 0

    def _write(self, work: Callable[[psycopg.Connection[Any]], _T]) -> _T:
        """Run ``work`` in one transaction holding the write lock, again after a serialization failure.

        Raises:
            StoreError: the write failed for another reason, or kept failing.
        """
        for attempt in range(RETRIES):
            try:
                with self._db.transaction():
                    self._db.execute("SELECT pg_advisory_xact_lock(%s)", (WRITE_LOCK,))
                    return work(self._db)
            except (pg_errors.SerializationFailure, pg_errors.DeadlockDetected) as exc:
                if attempt == RETRIES - 1:
                    raise StoreError(f"{self.name}: write failed ({_first_line(exc)})") from None
            except psycopg.OperationalError as exc:
                raise StoreUnreachableError(f"{self.name}: write failed ({_first_line(exc)})") from None
            except psycopg.Error as exc:
                raise StoreError(f"{self.name}: write failed ({_first_line(exc)})") from None
        raise AssertionError("unreachable")

    def _read(self, query: str, params: Sequence[object] | dict[str, object] = ()) -> list[tuple[Any, ...]]:
        try:
            return self._db.execute(query, params).fetchall()
        except psycopg.OperationalError as exc:
            raise StoreUnreachableError(f"{self.name}: read failed ({_first_line(exc)})") from None

    # what is stored -------------------------------------------------------------------------------

    def stored_shas(self) -> frozenset[str]:
        rows = self._read("SELECT sha256 FROM articles WHERE analysis >= %s", (ANALYSIS_VERSION,))
        return frozenset(row[0] for row in rows)

    def is_stored(self, sha256: str) -> bool:
        query = "SELECT 1 FROM articles WHERE sha256 = %s AND analysis >= %s LIMIT 1"
        return bool(self._read(query, (sha256, ANALYSIS_VERSION)))

    def has_article(self, article: Article) -> bool:
        return self.is_stored(article.sha256)

    def stored_sha(self, path: str) -> str | None:
        rows = self._read("SELECT sha256 FROM articles WHERE path = %s", (path,))
        return rows[0][0] if rows else None

    def file_paths(self) -> list[str]:
        return [row[0] for row in self._read("SELECT path FROM articles UNION SELECT path FROM problems ORDER BY path")]

    # writing --------------------------------------------------------------------------------------

    def save_article(
        self,
        article: Article,
        events: Iterable[Event],
        mentions: Iterable[Mention] = (),
        unknown: Iterable[UnknownPlace] = (),
    ) -> None:
        """Store an article with its rows in one transaction, replacing what its path gave before.

        When another writer stored the same text under another path since this one checked, this path gets
        nothing (one text is one article), as a single ingest would have found the text stored already.
        """
        events, mentions, unknown = list(events), list(mentions), list(unknown)

        def save(db: psycopg.Connection[Any]) -> None:
            copy = db.execute(
                "SELECT 1 FROM articles WHERE sha256 = %s AND path <> %s AND analysis >= %s",
                (article.sha256, article.path, ANALYSIS_VERSION),
            ).fetchone()
            _delete_where(db, "path = %s OR (sha256 = %s AND analysis < %s)", (article.path, article.sha256,
                                                                               ANALYSIS_VERSION))  # fmt: skip
            db.execute("DELETE FROM problems WHERE path = %s", (article.path,))
            _bump(db)
            if copy:
                return
            row = db.execute(
                "INSERT INTO articles (path, name, sha256, published, published_precision, language, title, text,"
                " analysis) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s) RETURNING id",
                (article.path, article.name, article.sha256, article.published.isoformat(),
                 article.published_precision, article.language, article.title, article.text, ANALYSIS_VERSION),
            ).fetchone()  # fmt: skip
            article_id = row[0] if row else None
            places = {p.id: p for p in [*(e.place for e in events), *(m.place for m in mentions)]}
            with db.cursor() as cursor:
                cursor.executemany(_UPSERT_PLACE, [_place_row(p) for p in sorted(places.values(), key=_id)])
                for event in events:
                    _add_sources(cursor, article_id, event)
                cursor.executemany(
                    'INSERT INTO mentions (article_id, place_id, surface, start, "end") VALUES (%s, %s, %s, %s, %s)'
                    " ON CONFLICT DO NOTHING",
                    [(article_id, m.place.id, m.surface, m.start, m.end) for m in mentions],
                )
                cursor.executemany(
                    'INSERT INTO unknown_places (article_id, name, folded, surface, start, "end", sentence)'
                    " VALUES (%s, %s, %s, %s, %s, %s, %s) ON CONFLICT DO NOTHING",
                    [(article_id, u.name, fold(u.name), u.surface, u.start, u.end, u.sentence) for u in unknown],
                )

        self._write(save)

    def remove_article(self, path: str) -> bool:
        return self.prune([path]) > 0

    def prune(self, paths: Iterable[str]) -> int:
        """Remove the articles and problems of these file paths in one transaction; returns articles removed."""
        stored = set(self.file_paths()) & set(paths)
        if not stored:
            return 0

        def prune(db: psycopg.Connection[Any]) -> int:
            removed = 0
            for path in sorted(stored):
                removed += _delete_where(db, "path = %s", (path,))
                db.execute("DELETE FROM problems WHERE path = %s", (path,))
            _bump(db)
            return removed

        return self._write(prune)

    def record_problem(self, problem: Problem) -> None:
        recorded = self._read("SELECT line, message FROM problems WHERE path = %s", (problem.path,))
        if recorded == [(problem.line, problem.message)] and self.stored_sha(problem.path) is None:
            return

        def record(db: psycopg.Connection[Any]) -> None:
            _delete_where(db, "path = %s", (problem.path,))
            db.execute("DELETE FROM problems WHERE path = %s", (problem.path,))
            db.execute("INSERT INTO problems VALUES (%s, %s, %s)", (problem.path, problem.line, problem.message))
            _bump(db)

        self._write(record)

    def clear_problems(self, path: str) -> None:
        if not self._read("SELECT 1 FROM problems WHERE path = %s", (path,)):
            return

        def clear(db: psycopg.Connection[Any]) -> None:
            db.execute("DELETE FROM problems WHERE path = %s", (path,))
            _bump(db)

        self._write(clear)

    # reading --------------------------------------------------------------------------------------

    def version(self) -> int:
        return int(self._read("SELECT value FROM meta WHERE key = 'revision'")[0][0])

    def article_count(self) -> int:
        return int(self._read("SELECT count(*) FROM articles")[0][0])

    def event_count(self) -> int:
        return int(self._read("SELECT count(*) FROM events")[0][0])

    def problems(self) -> list[Problem]:
        rows = self._read("SELECT path, line, message FROM problems ORDER BY path, line, message")
        return [Problem(path, line, message) for path, line, message in rows]

    def article_text(self, name: str) -> str | None:
        rows = self._read("SELECT text FROM articles WHERE name = %s ORDER BY id LIMIT 1", (name,))
        return rows[0][0] if rows else None

    def mentions(self, path: str) -> list[Mention]:
        rows = self._read(
            'SELECT p.id, p.name, p.lat, p.lon, p.level, p.country, p.population, p.source, m.start, m."end",'
            " m.surface FROM mentions m JOIN places p ON p.id = m.place_id JOIN articles a ON a.id = m.article_id"
            " WHERE a.path = %s ORDER BY m.start",
            (path,),
        )
        return [Mention(_place(row[:8]), row[8], row[9], row[10]) for row in rows]

    def unknown_places(self) -> list[PlaceToReview]:
        rows = self._read(
            "SELECT u.folded, u.name, u.article_id, u.sentence, a.name FROM unknown_places u"
            " JOIN articles a ON a.id = u.article_id ORDER BY a.published, a.path, u.start"
        )
        return _places_to_review(rows)

    def unknown_names(self) -> set[tuple[str, str]]:
        rows = self._read(
            "SELECT DISTINCT u.folded, a.language FROM unknown_places u JOIN articles a ON a.id = u.article_id"
        )
        return {(folded, language) for folded, language in rows}

    def articles_to_reread(self, keys: Collection[str], *, written: Collection[str] = ()) -> list[Article]:
        keys, written = sorted(set(keys)), sorted({w for w in written if w})
        conditions = [
            "id IN (SELECT article_id FROM unknown_places WHERE folded = ANY(%s::text[]))",
            *["strpos(text, %s) > 0"] * len(written),
        ]
        rows = self._read(
            "SELECT path, name, published, published_precision, title, text, sha256, language FROM articles"
            f" WHERE {' OR '.join(conditions)} ORDER BY path",
            [keys, *written],
        )
        return [_article(row) for row in rows]

    def outdated_count(self) -> int:
        return int(self._read("SELECT count(*) FROM articles WHERE analysis < %s", (ANALYSIS_VERSION,))[0][0])

    def event_labels(self) -> set[tuple[str, str, str]]:
        rows = self._read("SELECT p.name, e.date::text, e.precision FROM events e JOIN places p ON p.id = e.place_id")
        return {(name, day, precision) for name, day, precision in rows}

    def events(self) -> list[Event]:
        with self._db.transaction(), self._repeatable_read():
            rows = self._read(f"{_EVENT_COLUMNS} {EVENT_ORDER}")
            related = _related_ids(self._read(_RELATED_QUERY))
        return _events(rows, related)

    def related_events(self, event_id: int) -> list[Event]:
        with self._db.transaction(), self._repeatable_read():
            related = _related_ids(self._read(_RELATED_QUERY))
            ids = sorted(related.get(event_id, ()))
            rows = self._read(f"{_EVENT_COLUMNS} WHERE e.id = ANY(%s::bigint[]) {EVENT_ORDER}", (ids,))
        return _events(rows, related)

    def select(self, query: Query) -> list[tuple[Any, ...]]:
        """The rows of a read-only query built by ``event_sql`` for this store's ``DIALECT``."""
        return self._read(query.sql, query.params)

    def events_by_ids(self, ids: Collection[int]) -> list[Event]:
        """The events with these ids, each with its place and sources (``related`` is left empty)."""
        return _events(self._read(f"{_EVENT_COLUMNS} WHERE e.id = ANY(%s::bigint[]) {EVENT_ORDER}", (sorted(ids),)), {})

    def geocode_cache(self) -> PgGeocodeCache:
        """The online geocoder's answers, kept in this database (``geocoding.GeocodeCache``)."""
        return PgGeocodeCache(self)

    def stats(self) -> StoreStats:
        with self._db.transaction(), self._repeatable_read():

            def count(table: str) -> int:
                return int(self._read(f"SELECT count(*) FROM {table}")[0][0])

            by_precision = dict.fromkeys(PRECISIONS, 0)
            by_precision.update(self._read("SELECT precision, count(*) FROM events GROUP BY precision"))
            first, last = self._read("SELECT min(date), max(date) FROM events")[0]
            to_review = int(self._read("SELECT count(DISTINCT folded) FROM unknown_places")[0][0])
            return StoreStats(
                articles=count("articles"), events=by_precision, sources=count("event_sources"),
                places=count("places"), mentions=count("mentions"), problems=count("problems"),
                places_to_review=to_review, first_date=first, last_date=last,
                schema_version=self._schema_version(self._db), version=self.version(),
            )  # fmt: skip

    def _repeatable_read(self) -> _Snapshot:
        return _Snapshot(self._db)


class PgGeocodeCache:
    """The geocoder's answers in the server's ``geocode_cache`` table, the counterpart of
    ``geocoding.SqliteGeocodeCache``: one row per folded name and countries searched."""

    def __init__(self, store: PgStore) -> None:
        self._store = store

    def get(self, name: str, countries: tuple[str, ...] = ()) -> GeocodeResult | None:
        from .geocoding import CACHE_COLUMNS, cache_key, cached_result

        query = f"SELECT {CACHE_COLUMNS} FROM geocode_cache WHERE key = %s AND countries = %s"
        rows = self._store._read(query, cache_key(name, countries))
        return cached_result(rows[0], countries) if rows else None

    def put(self, result: GeocodeResult) -> None:
        """Keep an answer, replacing an earlier one for the same name and countries.

        Raises:
            ValueError: the result is an error, which is no answer to keep.
        """
        from .geocoding import cache_row

        row = cache_row(result)
        self._store._write(
            lambda db: db.execute(
                "INSERT INTO geocode_cache (key, countries, name, found, lat, lon, display_name, country)"
                " VALUES (%s, %s, %s, %s, %s, %s, %s, %s) ON CONFLICT (key, countries) DO UPDATE SET"
                " name = excluded.name, found = excluded.found, lat = excluded.lat, lon = excluded.lon,"
                " display_name = excluded.display_name, country = excluded.country",
                row,
            )
        )

    def close(self) -> None:
        """Nothing to close: the connection is the store's."""


class _Snapshot:
    """Inside a transaction: switch it to REPEATABLE READ so several queries see one state."""

    def __init__(self, db: psycopg.Connection[Any]) -> None:
        self._db = db

    def __enter__(self) -> None:
        self._db.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")

    def __exit__(self, *exc: object) -> None:
        return None


def _id(place: Any) -> str:
    return str(place.id)


def _bump(db: psycopg.Connection[Any]) -> None:
    db.execute("UPDATE meta SET value = value + 1 WHERE key = 'revision'")


def _add_sources(cursor: psycopg.Cursor[Any], article_id: int | None, event: Event) -> None:
    """The event by its merge key, made if new (ON CONFLICT finds the one another writer made), and its sources."""
    cursor.execute(
        "INSERT INTO events (place_id, date, precision) VALUES (%s, %s, %s)"
        " ON CONFLICT (place_id, date, precision) DO UPDATE SET precision = excluded.precision RETURNING id",
        (event.place.id, event.date, event.precision),
    )
    row = cursor.fetchone()
    event_id = row[0] if row else None
    cursor.executemany(
        'INSERT INTO event_sources (event_id, article_id, sentence, start, "end", date_evidence, date_resolved,'
        " event_type, folded) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s) ON CONFLICT DO NOTHING",
        [(event_id, article_id, s.sentence, s.start, s.end, s.date_evidence, s.date_resolved, s.event_type,
          search_text(s.title, s.sentence)) for s in event.sources],
    )  # fmt: skip


def _delete_where(db: psycopg.Connection[Any], condition: str, params: tuple[object, ...]) -> int:
    """Delete the matching articles with their rows, then the events and places left without any."""
    ids = [row[0] for row in db.execute(f"SELECT id FROM articles WHERE {condition}", params).fetchall()]
    if not ids:
        return 0
    events = [
        r[0] for r in db.execute("SELECT event_id FROM event_sources WHERE article_id = ANY(%s::bigint[])", (ids,))
    ]
    places = {r[0] for r in db.execute("SELECT place_id FROM mentions WHERE article_id = ANY(%s::bigint[])", (ids,))}
    places |= {r[0] for r in db.execute(
        "SELECT e.place_id FROM events e JOIN event_sources s ON s.event_id = e.id WHERE s.article_id = ANY(%s::bigint[])",
        (ids,),
    )}  # fmt: skip
    for table in ("event_sources", "mentions", "unknown_places"):
        db.execute(f"DELETE FROM {table} WHERE article_id = ANY(%s::bigint[])", (ids,))
    db.execute("DELETE FROM articles WHERE id = ANY(%s::bigint[])", (ids,))
    db.execute(
        "DELETE FROM events e WHERE e.id = ANY(%s::bigint[])"
        " AND NOT EXISTS (SELECT 1 FROM event_sources s WHERE s.event_id = e.id)",
        (events,),
    )
    db.execute(
        "DELETE FROM places p WHERE p.id = ANY(%s::text[]) AND NOT EXISTS (SELECT 1 FROM events e WHERE e.place_id = p.id)"
        " AND NOT EXISTS (SELECT 1 FROM mentions m WHERE m.place_id = p.id)",
        (sorted(places),),
    )
    return len(ids)


def _first_line(exc: BaseException) -> str:
    """The first line of a driver message (libpq adds hints on further lines); never the URL's password."""
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__
