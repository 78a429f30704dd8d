"""The event store: one SQLite file holding articles, their place mentions, places, events and every source.

Events merge across articles by their key (place, date, precision): a second report of the same event
adds a source, not an event. Each article is written in one transaction, so an interrupted ingest leaves
every article either fully stored or absent. A write that would change nothing is not made, so re-reading
unchanged files leaves the file untouched (``PRAGMA data_version`` stays put). ``version()`` is a counter
bumped by every write, which readers such as the app use as a cache key; the file is in WAL mode, so they
read while an ingest writes.

Beside the events it keeps the names that read like places but that no gazetteer row has
(``unknown_places``, written with the article's events so they always agree), for review, and the online
geocoder's answers (``geocode_cache``, see ``geocoding.SqliteGeocodeCache``).

The schema is versioned with ``PRAGMA user_version``; opening an older store upgrades it in one
transaction (see ``_MIGRATIONS``), and a store from a newer program is refused with what to do.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections import Counter, defaultdict
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .dialects import SQLITE, Query
from .errors import StoreError
from .event_types import OTHER, classify_event
from .models import PRECISIONS, Article, Event, Mention, Place, Problem, Source, UnknownPlace
from .text import fold, shorten

if TYPE_CHECKING:  # geopy is imported only when geocoding
    from .geocoding import SqliteGeocodeCache

ANALYSIS_VERSION = 3
"""The analysis an article's rows come from; an article stored by an older one is analysed again when its
file is next ingested (schema 1 stored no mentions and no event types, schema 2 no unknown places)."""
SUMMARY_LIMIT = 280
BUSY_SECONDS = 30

_Row = Sequence[Any]  # a row of a query, its columns in the SELECT's order

_V1_TABLES = (
    """CREATE TABLE IF NOT EXISTS articles (
        id INTEGER PRIMARY KEY,
        path TEXT NOT NULL UNIQUE,
        name TEXT NOT NULL,
        sha256 TEXT NOT NULL,
        published TEXT NOT NULL,
        published_precision TEXT NOT NULL,
        language TEXT NOT NULL,
        title TEXT NOT NULL,
        text TEXT NOT NULL
    )""",
    "CREATE INDEX IF NOT EXISTS articles_sha ON articles(sha256)",
    """CREATE TABLE IF NOT EXISTS places (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        lat REAL NOT NULL,
        lon REAL NOT NULL,
        level TEXT NOT NULL,
        country TEXT NOT NULL,
        population INTEGER NOT NULL,
        source TEXT NOT NULL
    )""",
    """CREATE TABLE IF NOT EXISTS events (
        id INTEGER PRIMARY KEY,
        place_id TEXT NOT NULL REFERENCES places(id),
        date TEXT NOT NULL,
        precision TEXT NOT NULL,
        UNIQUE (place_id, date, precision)
    )""",
    "CREATE INDEX IF NOT EXISTS events_date ON events(date)",
    """CREATE TABLE IF NOT EXISTS event_sources (
        event_id INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
        article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        sentence TEXT NOT NULL,
        start INTEGER NOT NULL,
        "end" INTEGER NOT NULL,
        date_evidence TEXT NOT NULL,
        date_resolved INTEGER NOT NULL,
        PRIMARY KEY (event_id, article_id)
    )""",
    "CREATE INDEX IF NOT EXISTS event_sources_article ON event_sources(article_id)",
    """CREATE TABLE IF NOT EXISTS problems (
        path TEXT NOT NULL,
        line INTEGER,
        message TEXT NOT NULL,
        PRIMARY KEY (path, message)
    )""",
    "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL)",
    "INSERT OR IGNORE INTO meta VALUES ('revision', 0)",
)

_V1_TABLE_NAMES = frozenset({"articles", "places", "events", "event_sources", "problems", "meta"})

_V2_CHANGES = (
    f"ALTER TABLE event_sources ADD COLUMN event_type TEXT NOT NULL DEFAULT '{OTHER}'",
    "ALTER TABLE articles ADD COLUMN analysis INTEGER NOT NULL DEFAULT 1",
    """CREATE TABLE mentions (
        article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        place_id TEXT NOT NULL REFERENCES places(id),
        surface TEXT NOT NULL,
        start INTEGER NOT NULL,
        "end" INTEGER NOT NULL,
        PRIMARY KEY (article_id, start, place_id)
    )""",
    "CREATE INDEX mentions_place ON mentions(place_id)",
    "CREATE INDEX events_place_date ON events(place_id, date)",
)

GEOCODE_CACHE_TABLE = """CREATE TABLE IF NOT EXISTS geocode_cache (
        key TEXT NOT NULL,
        countries TEXT NOT NULL,
        name TEXT NOT NULL,
        found INTEGER NOT NULL CHECK (found IN (0, 1)),
        lat REAL,
        lon REAL,
        display_name TEXT NOT NULL DEFAULT '',
        country TEXT NOT NULL DEFAULT '',
        PRIMARY KEY (key, countries)
    )"""
"""The online geocoder's answers by folded name and countries searched (``geocoding.SqliteGeocodeCache``)."""

_V3_CHANGES = (
    """CREATE TABLE unknown_places (
        article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        folded TEXT NOT NULL,
        surface TEXT NOT NULL,
        start INTEGER NOT NULL,
        "end" INTEGER NOT NULL,
        sentence TEXT NOT NULL,
        PRIMARY KEY (article_id, start)
    )""",
    "CREATE INDEX unknown_places_folded ON unknown_places(folded)",
    # A cache SqliteGeocodeCache may have made here before has no country column; it is only a cache.
    "DROP TABLE IF EXISTS geocode_cache",
    GEOCODE_CACHE_TABLE,
)

_ARTICLE_COLUMNS = "path, name, published, published_precision, title, text, sha256, language"


def event_select(date_column: str = "e.date") -> str:
    """The SELECT every reader of events uses, its columns in the order ``_events`` maps them; a backend
    whose driver returns dates as dates passes a cast that gives text (``e.date::text``)."""
    return f"""
SELECT e.id, {date_column}, e.precision,
       p.id, p.name, p.lat, p.lon, p.level, p.country, p.population, p.source,
       a.name, a.path, a.title, a.published, a.published_precision,
       s.sentence, s.date_evidence, s.date_resolved, s.start, s."end", s.event_type
FROM events e
JOIN places p ON p.id = e.place_id
JOIN event_sources s ON s.event_id = e.id
JOIN articles a ON a.id = s.article_id
"""


_EVENT_COLUMNS = event_select()
EVENT_ORDER = "ORDER BY e.date, e.id, s.date_resolved DESC, a.published, a.name"

# A month or year event and the finer events of the same place inside its range (a month and its days).
_RELATED_QUERY = """
SELECT wide.id, narrow.id
FROM events wide
JOIN events narrow
  ON narrow.place_id = wide.place_id
 AND narrow.date >= wide.date
 AND narrow.date < date(wide.date, CASE wide.precision WHEN 'month' THEN '+1 month' ELSE '+1 year' END)
 AND (narrow.precision = 'day' OR (wide.precision = 'year' AND narrow.precision = 'month'))
WHERE wide.precision IN ('month', 'year')
"""

_UPSERT_PLACE = """
INSERT INTO places (id, name, lat, lon, level, country, population, source) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (id) DO UPDATE SET name = excluded.name, lat = excluded.lat, lon = excluded.lon,
    level = excluded.level, country = excluded.country, population = excluded.population, source = excluded.source
"""


@dataclass(frozen=True, slots=True)
class PlaceToReview:
    """A name some articles use like a place's that no gazetteer row has: how often, and a sentence using it.

    ``name`` is the spelling most used for the folded ``key``; ``sentence`` comes from the earliest article.
    """

    name: str
    key: str
    mentions: int
    articles: int
    sentence: str
    article: str


@dataclass(frozen=True, slots=True)
class StoreStats:
    """What a store holds, for ``python -m dashboard stats``."""

    articles: int
    events: dict[str, int]  # by precision: day, month, year
    sources: int
    places: int
    mentions: int
    problems: int
    places_to_review: int
    first_date: dt.date | None
    last_date: dt.date | None
    schema_version: int
    version: int


def search_text(title: str, sentence: str) -> str:
    """What the page's text filter searches in a source, folded (``text.fold``) as the filter's words are."""
    return fold(f"{title} {sentence}")


def _backfill_event_types(db: sqlite3.Connection) -> None:
    """Schema 1 kept no event types: classify each stored sentence in its article's language."""
    rows = db.execute(
        "SELECT s.rowid, s.sentence, a.language FROM event_sources s JOIN articles a ON a.id = s.article_id"
    ).fetchall()
    db.executemany(
        "UPDATE event_sources SET event_type = ? WHERE rowid = ?",
        [(classify_event(sentence, language), rowid) for rowid, sentence, language in rows],
    )


def _run(statements: Sequence[str]) -> Callable[[sqlite3.Connection], None]:
    def apply(db: sqlite3.Connection) -> None:
        for statement in statements:
            db.execute(statement)

    return apply


def _to_v2(db: sqlite3.Connection) -> None:
    _run(_V2_CHANGES)(db)
    _backfill_event_types(db)


# _MIGRATIONS[n] takes a store from schema n to n + 1; a new store runs them all. Schema 3 added the unknown
# places, found when an article is next analysed (ANALYSIS_VERSION 3), and the geocoder's cache; schema 4 the
# folded text of each source, which the page's text filter searches in the database (``event_sql``).
def _to_v4(db: sqlite3.Connection) -> None:
    db.execute("ALTER TABLE event_sources ADD COLUMN folded TEXT NOT NULL DEFAULT ''")
    rows = db.execute("SELECT s.rowid, a.title, s.sentence FROM event_sources s JOIN articles a ON a.id = s.article_id")
    db.executemany(
        "UPDATE event_sources SET folded = ? WHERE rowid = ?",
        [(search_text(title, sentence), rowid) for rowid, title, sentence in rows.fetchall()],
    )


_MIGRATIONS: tuple[Callable[[sqlite3.Connection], None], ...] = (
    _run(_V1_TABLES),
    _to_v2,
    _run(_V3_CHANGES),
    _to_v4,
)
SCHEMA_VERSION = len(_MIGRATIONS)


class Store:
    """A SQLite event store; use as a context manager or call ``close()``.

    Raises:
        StoreError: the file is not a store this version can open (not SQLite, another program's
            database, a store from a newer program), or it is locked for longer than ``BUSY_SECONDS``.
    """

    DIALECT = SQLITE

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            # Autocommit: transactions are begun explicitly, IMMEDIATE for writes (see _transaction).
            self._db = sqlite3.connect(self.path, timeout=BUSY_SECONDS, isolation_level=None, check_same_thread=False)
        except (OSError, sqlite3.Error) as exc:
            raise StoreError(f"{self.path}: cannot open the event store ({exc})") from exc
        try:
            self._db.execute("PRAGMA foreign_keys = ON")
            self._db.execute("PRAGMA journal_mode = WAL")
            # In WAL mode NORMAL loses no committed transaction when the process is killed, only on power loss.
            self._db.execute("PRAGMA synchronous = NORMAL")
            self._migrate()
        except sqlite3.DatabaseError as exc:
            self._db.close()
            raise StoreError(f"{self.path}: not a usable event store ({exc})") from exc
        except StoreError:
            self._db.close()
            raise

    def _schema_version(self) -> int:
        return int(self._db.execute("PRAGMA user_version").fetchone()[0])

    def _migrate(self) -> None:
        """Bring the store to ``SCHEMA_VERSION`` in one transaction (nothing to do, and no write, when current).

        Raises:
            StoreError: the store is newer than this program, or it is some other program's database.
        """
        if self._schema_version() == SCHEMA_VERSION:
            return
        with self._transaction() as db:
            version = self._schema_version()  # another process may have upgraded it meanwhile
            self._check_can_upgrade(version)
            try:
                for step in _MIGRATIONS[version:]:
                    step(db)
                db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            except sqlite3.DatabaseError as exc:
                what = "create the store" if version == 0 else f"upgrade the store from schema version {version}"
                raise StoreError(
                    f"{self.path}: cannot {what} to {SCHEMA_VERSION} ({exc}); it is left as it was: "
                    "ingest into a new store with --db"
                ) from exc

    def _check_can_upgrade(self, version: int) -> None:
        if version > SCHEMA_VERSION:
            raise StoreError(
                f"{self.path}: store has schema version {version}, newer than this program's {SCHEMA_VERSION}; "
                "upgrade the program, or ingest into a new store with --db"
            )
        tables = {row[0] for row in self._db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        foreign = tables - _V1_TABLE_NAMES
        if version == 0 and foreign:
            raise StoreError(
                f"{self.path}: a SQLite database but not an event store (it has tables {', '.join(sorted(foreign))}); "
                "choose another file with --db"
            )

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._db.close()

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction, taking the write lock at its start so it never fails half-way on a lock.

        Rolled back on any exception, KeyboardInterrupt included, so the store keeps only whole articles.

        Raises:
            StoreError: the write failed (disk full, read-only file, lock held too long).
        """
        try:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except BaseException:
                if self._db.in_transaction:  # SQLite rolls back by itself after some errors (disk full)
                    self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{self.path}: write failed ({exc})") from exc

    @contextmanager
    def _snapshot(self) -> Iterator[sqlite3.Connection]:
        """A read transaction, so several queries see the same state while another process writes."""
        self._db.execute("BEGIN")
        try:
            yield self._db
        finally:
            self._db.execute("COMMIT")

    # what is stored -------------------------------------------------------------------------------

    def stored_shas(self) -> frozenset[str]:
        """The hashes of the texts stored by the current analysis (under any file name)."""
        rows = self._db.execute("SELECT sha256 FROM articles WHERE analysis >= ?", (ANALYSIS_VERSION,))
        return frozenset(row[0] for row in rows)

    def is_stored(self, sha256: str) -> bool:
        """True when a text with this hash is stored, under any file name, by the current analysis."""
        row = self._db.execute(
            "SELECT 1 FROM articles WHERE sha256 = ? AND analysis >= ? LIMIT 1", (sha256, ANALYSIS_VERSION)
        ).fetchone()
        return row is not None

    def has_article(self, article: Article) -> bool:
        """True when this text is stored already, at this path or under another name."""
        return self.is_stored(article.sha256)

    def stored_sha(self, path: str) -> str | None:
        """The content hash stored for ``path``, or None when the path is not in the store."""
        row = self._db.execute("SELECT sha256 FROM articles WHERE path = ?", (path,)).fetchone()
        return row[0] if row else None

    def file_paths(self) -> list[str]:
        """The file paths of the stored articles, and of the files recorded as problems."""
        rows = self._db.execute("SELECT path FROM articles UNION SELECT path FROM problems ORDER BY path")
        return [row[0] for row in rows]

    # writing --------------------------------------------------------------------------------------

    def save_article(
        self,
        article: Article,
        events: Iterable[Event],
        mentions: Iterable[Mention] = (),
        unknown: Iterable[UnknownPlace] = (),
    ) -> None:
        """Store an article with its events, mentions and unknown places in one transaction.

        What the same path gave before is replaced (its events with no other source go), and so is a copy of
        the same text stored by an older analysis under another name: one text is one article.
        """
        events, mentions = list(events), list(mentions)
        with self._transaction() as db:
            self._delete_where(
                db, "path = ? OR (sha256 = ? AND analysis < ?)", (article.path, article.sha256, ANALYSIS_VERSION)
            )
            article_id = db.execute(
                "INSERT INTO articles (path, name, sha256, published, published_precision, language, title, text,"
                " analysis) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (article.path, article.name, article.sha256, article.published.isoformat(),
                 article.published_precision, article.language, article.title, article.text, ANALYSIS_VERSION),
            ).lastrowid  # fmt: skip
            places = {p.id: p for p in [*(e.place for e in events), *(m.place for m in mentions)]}
            db.executemany(_UPSERT_PLACE, [_place_row(p) for p in places.values()])
            self._add_sources(db, article_id, events)
            db.executemany(
                'INSERT OR IGNORE INTO mentions (article_id, place_id, surface, start, "end") VALUES (?, ?, ?, ?, ?)',
                [(article_id, m.place.id, m.surface, m.start, m.end) for m in mentions],
            )
            db.executemany(
                'INSERT OR IGNORE INTO unknown_places (article_id, name, folded, surface, start, "end", sentence)'
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                [(article_id, u.name, fold(u.name), u.surface, u.start, u.end, u.sentence) for u in unknown],
            )
            db.execute("DELETE FROM problems WHERE path = ?", (article.path,))
            self._bump(db)

    def _add_sources(self, db: sqlite3.Connection, article_id: int | None, events: Sequence[Event]) -> None:
        """Each event's sources under the stored event of its key, created (in the events' order) when there is
        none; a few statements for all of an article's events, which an article has by the dozen."""
        keys = [(event.place.id, event.date.isoformat(), event.precision) for event in events]
        db.executemany(
            "INSERT INTO events (place_id, date, precision) VALUES (?, ?, ?)"
            " ON CONFLICT (place_id, date, precision) DO NOTHING",
            keys,
        )
        ids: dict[tuple[str, str, str], int] = {}
        unique = list(dict.fromkeys(keys))
        for first in range(0, len(unique), 300):  # three parameters a key, well under SQLite's limit
            chunk = unique[first : first + 300]
            rows = db.execute(
                "SELECT e.place_id, e.date, e.precision, e.id FROM (VALUES "
                + ", ".join(["(?, ?, ?)"] * len(chunk))
                + ") AS k JOIN events AS e ON e.place_id = k.column1 AND e.date = k.column2 AND e.precision = k.column3",
                [value for key in chunk for value in key],
            )
            ids.update({(place, date, precision): event_id for place, date, precision, event_id in rows})
        db.executemany(
            'INSERT OR IGNORE INTO event_sources (event_id, article_id, sentence, start, "end", date_evidence,'
            " date_resolved, event_type, folded) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(ids[key], article_id, s.sentence, s.start, s.end, s.date_evidence, int(s.date_resolved), s.event_type,
              search_text(s.title, s.sentence)) for key, event in zip(keys, events, strict=True) for s in event.sources],
        )  # fmt: skip

    def remove_article(self, path: str) -> bool:
        """Remove what the article at ``path`` contributed (events with no other source go too)."""
        return self.prune([path]) > 0

    def prune(self, paths: Iterable[str]) -> int:
        """Remove the articles and problems of these file paths in one transaction; returns articles removed.

        Writes nothing when none of the paths is stored.
        """
        stored = set(self.file_paths()) & set(paths)
        if not stored:
            return 0
        with self._transaction() as db:
            removed = 0
            for path in sorted(stored):
                removed += self._delete_where(db, "path = ?", (path,))
                db.execute("DELETE FROM problems WHERE path = ?", (path,))
            self._bump(db)
        return removed

    def _delete_where(self, db: sqlite3.Connection, condition: str, params: tuple[object, ...]) -> int:
        """Delete the matching articles with their sources and mentions, then the events and places left
        without any; returns how many articles went."""
        ids = [row[0] for row in db.execute(f"SELECT id FROM articles WHERE {condition}", params)]
        for article_id in ids:
            events = [
                r[0] for r in db.execute("SELECT event_id FROM event_sources WHERE article_id = ?", (article_id,))
            ]
            places = {r[0] for r in db.execute("SELECT place_id FROM mentions WHERE article_id = ?", (article_id,))}
            places |= {r[0] for r in db.execute(
                "SELECT e.place_id FROM events e JOIN event_sources s ON s.event_id = e.id WHERE s.article_id = ?",
                (article_id,),
            )}  # fmt: skip
            db.execute("DELETE FROM event_sources WHERE article_id = ?", (article_id,))
            db.execute("DELETE FROM mentions WHERE article_id = ?", (article_id,))
            db.execute("DELETE FROM unknown_places WHERE article_id = ?", (article_id,))
            db.execute("DELETE FROM articles WHERE id = ?", (article_id,))
            db.executemany(
                "DELETE FROM events WHERE id = ?1 AND NOT EXISTS (SELECT 1 FROM event_sources WHERE event_id = ?1)",
                [(e,) for e in events],
            )
            db.executemany(
                "DELETE FROM places WHERE id = ?1 AND NOT EXISTS (SELECT 1 FROM events WHERE place_id = ?1)"
                " AND NOT EXISTS (SELECT 1 FROM mentions WHERE place_id = ?1)",
                [(p,) for p in places],
            )
        return len(ids)

    def record_problem(self, problem: Problem) -> None:
        """Record why a file could not be used, replacing what its path gave before (a stored article too:
        a file that can no longer be read contributes nothing). Writes nothing when already recorded."""
        recorded = self._db.execute("SELECT line, message FROM problems WHERE path = ?", (problem.path,)).fetchall()
        if recorded == [(problem.line, problem.message)] and self.stored_sha(problem.path) is None:
            return
        with self._transaction() as db:
            self._delete_where(db, "path = ?", (problem.path,))
            db.execute("DELETE FROM problems WHERE path = ?", (problem.path,))
            db.execute("INSERT INTO problems VALUES (?, ?, ?)", (problem.path, problem.line, problem.message))
            self._bump(db)

    def clear_problems(self, path: str) -> None:
        """Forget the problems of a file that reads well now; writes nothing when there are none."""
        if self._db.execute("SELECT 1 FROM problems WHERE path = ?", (path,)).fetchone() is None:
            return
        with self._transaction() as db:
            db.execute("DELETE FROM problems WHERE path = ?", (path,))
            self._bump(db)

    def _bump(self, db: sqlite3.Connection) -> None:
        db.execute("UPDATE meta SET value = value + 1 WHERE key = 'revision'")

    # reading --------------------------------------------------------------------------------------

    def version(self) -> int:
        """A number that changes whenever the stored content changes (kept by the store, not the file's mtime)."""
        return int(self._db.execute("SELECT value FROM meta WHERE key = 'revision'").fetchone()[0])

    def article_count(self) -> int:
        return int(self._db.execute("SELECT count(*) FROM articles").fetchone()[0])

    def event_count(self) -> int:
        return int(self._db.execute("SELECT count(*) FROM events").fetchone()[0])

    def problems(self) -> list[Problem]:
        rows = self._db.execute("SELECT path, line, message FROM problems ORDER BY path, line, message")
        return [Problem(path, line, message) for path, line, message in rows]

    def article_text(self, name: str) -> str | None:
        row = self._db.execute("SELECT text FROM articles WHERE name = ? ORDER BY id LIMIT 1", (name,)).fetchone()
        return row[0] if row else None

    def mentions(self, path: str) -> list[Mention]:
        """The places the article at ``path`` names, in text order, with their offsets in its text."""
        rows = self._db.execute(
            'SELECT p.id, p.name, p.lat, p.lon, p.level, p.country, p.population, p.source, m.start, m."end",'
            " m.surface FROM mentions m JOIN places p ON p.id = m.place_id JOIN articles a ON a.id = m.article_id"
            " WHERE a.path = ? ORDER BY m.start",
            (path,),
        )
        return [Mention(_place(row[:8]), row[8], row[9], row[10]) for row in rows]

    def unknown_places(self) -> list[PlaceToReview]:
        """The names articles use like places' that no gazetteer row has, grouped by folded name, most
        mentioned first (then in most articles, then by name), each with a sentence from its earliest article."""
        rows = self._db.execute(
            "SELECT u.folded, u.name, u.article_id, u.sentence, a.name FROM unknown_places u"
            " JOIN articles a ON a.id = u.article_id ORDER BY a.published, a.path, u.start"
        ).fetchall()
        return _places_to_review(rows)

    def unknown_names(self) -> set[tuple[str, str]]:
        """Each folded unknown name with the language of an article using it, to check against a new gazetteer."""
        rows = self._db.execute(
            "SELECT DISTINCT u.folded, a.language FROM unknown_places u JOIN articles a ON a.id = u.article_id"
        )
        return {(folded, language) for folded, language in rows}

    def articles_to_reread(self, keys: Collection[str], *, written: Collection[str] = ()) -> list[Article]:
        """The stored articles with an unknown place under one of the folded ``keys``, or whose text contains
        one of the ``written`` names as written: those a new gazetteer row may give events to."""
        keys, written = sorted(set(keys)), sorted({w for w in written if w})
        conditions = [
            f"id IN (SELECT article_id FROM unknown_places WHERE folded IN ({', '.join('?' * len(keys))}))",
            *["instr(text, ?) > 0"] * len(written),
        ]
        rows = self._db.execute(
            f"SELECT {_ARTICLE_COLUMNS} FROM articles WHERE {' OR '.join(conditions)} ORDER BY path", [*keys, *written]
        )
        return [_article(row) for row in rows]

    def outdated_count(self) -> int:
        """How many articles an older analysis stored: they have no unknown places until read again."""
        query = "SELECT count(*) FROM articles WHERE analysis < ?"
        return int(self._db.execute(query, (ANALYSIS_VERSION,)).fetchone()[0])

    def event_labels(self) -> set[tuple[str, str, str]]:
        """(place name, date, precision) of every event, a light view for saying what a change added."""
        rows = self._db.execute("SELECT p.name, e.date, e.precision FROM events e JOIN places p ON p.id = e.place_id")
        return {(name, day, precision) for name, day, precision in rows}

    def events(self) -> list[Event]:
        """Every event with its place, sources (clearest first: read date, then earliest) and related events."""
        with self._snapshot() as db:
            rows = db.execute(f"{_EVENT_COLUMNS} {EVENT_ORDER}").fetchall()
            related = _related_ids(db.execute(_RELATED_QUERY))
        return _events(rows, related)

    def related_events(self, event_id: int) -> list[Event]:
        """The events at the same place that contain this one's date or lie inside its month or year.

        A month-precision report ("in May") stays its own event; this lists the day events inside it, and
        for a day event the month and year events that contain it.
        """
        with self._snapshot() as db:
            related = _related_ids(db.execute(_RELATED_QUERY))
            ids = sorted(related.get(event_id, ()))
            marks = ", ".join("?" * len(ids))
            rows = db.execute(f"{_EVENT_COLUMNS} WHERE e.id IN ({marks}) {EVENT_ORDER}", ids).fetchall()
        return _events(rows, related)

    def select(self, query: Query) -> list[tuple[Any, ...]]:
        """The rows of a read-only query built by ``event_sql`` for this store's ``DIALECT``."""
        return self._db.execute(query.sql, query.params).fetchall()

    def events_by_ids(self, ids: Collection[int]) -> list[Event]:
        """The events with these ids, each with its place and sources (``related`` is left empty)."""
        ids = sorted(ids)
        rows = self._db.execute(f"{_EVENT_COLUMNS} WHERE e.id IN ({', '.join('?' * len(ids))}) {EVENT_ORDER}", ids)
        return _events(rows.fetchall(), {})

    def geocode_cache(self) -> SqliteGeocodeCache:
        """The online geocoder's answers, kept in this store's file (``geocoding.GeocodeCache``)."""
        from .geocoding import SqliteGeocodeCache

        return SqliteGeocodeCache(self._db)

    def stats(self) -> StoreStats:
        """Counts of what the store holds, read in one snapshot."""
        with self._snapshot() as db:

            def count(table: str) -> int:
                return int(db.execute(f"SELECT count(*) FROM {table}").fetchone()[0])

            by_precision = dict.fromkeys(PRECISIONS, 0)
            by_precision.update(db.execute("SELECT precision, count(*) FROM events GROUP BY precision").fetchall())
            first, last = db.execute("SELECT min(date), max(date) FROM events").fetchone()
            to_review = int(db.execute("SELECT count(DISTINCT folded) FROM unknown_places").fetchone()[0])
            return StoreStats(
                articles=count("articles"), events=by_precision, sources=count("event_sources"),
                places=count("places"), mentions=count("mentions"), problems=count("problems"),
                places_to_review=to_review,
                first_date=dt.date.fromisoformat(first) if first else None,
                last_date=dt.date.fromisoformat(last) if last else None,
                schema_version=self._schema_version(), version=self.version(),
            )  # fmt: skip


def _place_row(place: Place) -> tuple[object, ...]:
    return (place.id, place.name, place.lat, place.lon, place.level, place.country, place.population, place.source)


def _place(row: _Row) -> Place:
    return Place(
        id=row[0], name=row[1], lat=row[2], lon=row[3], level=row[4], country=row[5], population=row[6], source=row[7]
    )


def _article(row: _Row) -> Article:
    return Article(
        path=row[0], name=row[1], published=dt.date.fromisoformat(row[2]), published_precision=row[3],
        title=row[4], text=row[5], sha256=row[6], language=row[7],
    )  # fmt: skip


def _places_to_review(rows: Iterable[_Row]) -> list[PlaceToReview]:
    """Rows (folded, name, article id, sentence, article name), earliest article first, grouped by folded name."""
    spellings: dict[str, Counter[str]] = defaultdict(Counter)
    articles: dict[str, set[int]] = defaultdict(set)
    first: dict[str, tuple[str, str]] = {}
    for key, name, article_id, sentence, article in rows:
        spellings[key][name] += 1
        articles[key].add(article_id)
        first.setdefault(key, (sentence, article))
    places = [
        PlaceToReview(
            name=min(names, key=lambda n: (-names[n], n)),
            key=key,
            mentions=names.total(),
            articles=len(articles[key]),
            sentence=first[key][0],
            article=first[key][1],
        )
        for key, names in spellings.items()
    ]
    return sorted(places, key=lambda p: (-p.mentions, -p.articles, p.key))


def _related_ids(pairs: Iterable[tuple[int, int]]) -> dict[int, set[int]]:
    """Both directions of each (wide, narrow) pair: a month lists its days, and each day its month."""
    related: dict[int, set[int]] = defaultdict(set)
    for wide, narrow in pairs:
        related[wide].add(narrow)
        related[narrow].add(wide)
    return related


def _events(rows: Iterable[_Row], related: dict[int, set[int]]) -> list[Event]:
    grouped: dict[int, tuple[_Row, list[Source]]] = {}
    for row in rows:
        entry = grouped.setdefault(row[0], (row, []))
        entry[1].append(_source(row))
    return [_event(row, sources, tuple(sorted(related.get(row[0], ())))) for row, sources in grouped.values()]


def _source(row: _Row) -> Source:
    return Source(
        article=row[11], path=row[12], title=row[13], published=dt.date.fromisoformat(row[14]),
        published_precision=row[15], sentence=row[16], date_evidence=row[17], date_resolved=bool(row[18]),
        start=row[19], end=row[20], event_type=row[21],
    )  # fmt: skip


def _event(row: _Row, sources: list[Source], related: tuple[int, ...]) -> Event:
    return Event(
        place=_place(row[3:11]),
        date=dt.date.fromisoformat(row[1]),
        precision=row[2],
        sources=tuple(sources),
        summary=shorten(sources[0].sentence, SUMMARY_LIMIT),
        date_resolved=any(s.date_resolved for s in sources),
        id=row[0],
        related=related,
    )
