"""The event store: one SQLite file holding articles, places, events and every source of each event.

Events merge across articles by their key (place, date, precision): a second report of the same event
adds a source, not an event. Each article is written in one transaction, so an interrupted ingest leaves
every article either fully stored or absent. ``version()`` changes whenever the content does, for caches.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .errors import StoreError
from .models import Article, Event, Place, Problem, Source
from .text import shorten

SCHEMA_VERSION = 1
SUMMARY_LIMIT = 280

_SCHEMA = """
CREATE TABLE IF NOT EXISTS articles (
    id INTEGER PRIMARY KEY,
    path TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    published TEXT NOT NULL,
    published_precision TEXT NOT NULL,
    language TEXT NOT NULL,
    title TEXT NOT NULL,
    text TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS articles_sha ON articles(sha256);
CREATE TABLE IF NOT EXISTS places (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    lat REAL NOT NULL,
    lon REAL NOT NULL,
    level TEXT NOT NULL,
    country TEXT NOT NULL,
    population INTEGER NOT NULL,
    source TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS events (
    id INTEGER PRIMARY KEY,
    place_id TEXT NOT NULL REFERENCES places(id),
    date TEXT NOT NULL,
    precision TEXT NOT NULL,
    UNIQUE (place_id, date, precision)
);
CREATE INDEX IF NOT EXISTS events_date ON events(date);
CREATE TABLE IF NOT EXISTS event_sources (
    event_id INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    sentence TEXT NOT NULL,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    date_evidence TEXT NOT NULL,
    date_resolved INTEGER NOT NULL,
    PRIMARY KEY (event_id, article_id)
);
CREATE INDEX IF NOT EXISTS event_sources_article ON event_sources(article_id);
CREATE TABLE IF NOT EXISTS problems (
    path TEXT NOT NULL,
    line INTEGER,
    message TEXT NOT NULL,
    PRIMARY KEY (path, message)
);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL);
INSERT OR IGNORE INTO meta VALUES ('revision', 0);
"""

_EVENTS_QUERY = """
SELECT e.id, e.date, e.precision,
       p.id, p.name, p.lat, p.lon, p.level, p.country, p.population, p.source,
       a.name, a.path, a.title, a.published, a.published_precision,
       s.sentence, s.date_evidence, s.date_resolved, s.start, s."end"
FROM events e
JOIN places p ON p.id = e.place_id
JOIN event_sources s ON s.event_id = e.id
JOIN articles a ON a.id = s.article_id
ORDER BY e.date, e.id, s.date_resolved DESC, a.published, a.name
"""


class Store:
    """A SQLite event store; use as a context manager or call ``close()``.

    Raises:
        StoreError: the file is not a store this version can open.
    """

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(self.path, timeout=30, check_same_thread=False)
            self._db.execute("PRAGMA foreign_keys = ON")
            self._db.execute("PRAGMA journal_mode = WAL")
            self._migrate()
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{self.path}: not a usable event store ({exc})") from exc

    def _migrate(self) -> None:
        version = self._db.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise StoreError(
                f"{self.path}: store has schema version {version}, newer than this program's {SCHEMA_VERSION}; "
                "upgrade the program or ingest into a new store"
            )
        with self._db:
            self._db.executescript(_SCHEMA)
            self._db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._db.close()

    # writing ---------------------------------------------------------------------------------------

    def has_article(self, article: Article) -> bool:
        """True when this path holds this text already, or the same text is stored under another name."""
        row = self._db.execute("SELECT 1 FROM articles WHERE sha256 = ? LIMIT 1", (article.sha256,)).fetchone()
        return row is not None

    def stored_sha(self, path: str) -> str | None:
        """The content hash stored for ``path``, or None when the path is not in the store."""
        row = self._db.execute("SELECT sha256 FROM articles WHERE path = ?", (path,)).fetchone()
        return row[0] if row else None

    def remove_article(self, path: str) -> None:
        """Remove what the article at ``path`` contributed (events with no other source go too)."""
        with self._transaction() as db:
            old = db.execute("SELECT id FROM articles WHERE path = ?", (path,)).fetchone()
            if old:
                self._delete_article(db, old[0])
                self._bump(db)

    def save_article(self, article: Article, events: list[Event]) -> None:
        """Store an article and its events in one transaction, replacing what the same path gave before."""
        with self._transaction() as db:
            old = db.execute("SELECT id FROM articles WHERE path = ?", (article.path,)).fetchone()
            if old:
                self._delete_article(db, old[0])
            article_id = db.execute(
                "INSERT INTO articles (path, name, sha256, published, published_precision, language, title, text)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (article.path, article.name, article.sha256, article.published.isoformat(),
                 article.published_precision, article.language, article.title, article.text),
            ).lastrowid  # fmt: skip
            for event in events:
                self._add_event(db, article_id, event)
            db.execute("DELETE FROM problems WHERE path = ?", (article.path,))
            self._bump(db)

    def _add_event(self, db: sqlite3.Connection, article_id: int | None, event: Event) -> None:
        p = event.place
        db.execute(
            "INSERT OR REPLACE INTO places VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (p.id, p.name, p.lat, p.lon, p.level, p.country, p.population, p.source),
        )
        db.execute(
            "INSERT OR IGNORE INTO events (place_id, date, precision) VALUES (?, ?, ?)",
            (p.id, event.date.isoformat(), event.precision),
        )
        event_id = db.execute(
            "SELECT id FROM events WHERE place_id = ? AND date = ? AND precision = ?",
            (p.id, event.date.isoformat(), event.precision),
        ).fetchone()[0]
        for s in event.sources:
            db.execute(
                "INSERT OR IGNORE INTO event_sources VALUES (?, ?, ?, ?, ?, ?, ?)",
                (event_id, article_id, s.sentence, s.start, s.end, s.date_evidence, int(s.date_resolved)),
            )

    def _delete_article(self, db: sqlite3.Connection, article_id: int) -> None:
        db.execute("DELETE FROM event_sources WHERE article_id = ?", (article_id,))
        db.execute("DELETE FROM articles WHERE id = ?", (article_id,))
        db.execute("DELETE FROM events WHERE id NOT IN (SELECT event_id FROM event_sources)")

    def record_problem(self, problem: Problem) -> None:
        with self._transaction() as db:
            db.execute(
                "INSERT OR REPLACE INTO problems VALUES (?, ?, ?)", (problem.path, problem.line, problem.message)
            )
            self._bump(db)

    def _bump(self, db: sqlite3.Connection) -> None:
        db.execute("UPDATE meta SET value = value + 1 WHERE key = 'revision'")

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        try:
            with self._db:
                yield self._db
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{self.path}: write failed ({exc})") from exc

    # reading ---------------------------------------------------------------------------------------

    def version(self) -> int:
        """A number that changes whenever the stored content changes (kept by the store, not the file's mtime)."""
        return int(self._db.execute("SELECT value FROM meta WHERE key = 'revision'").fetchone()[0])

    def article_count(self) -> int:
        return int(self._db.execute("SELECT count(*) FROM articles").fetchone()[0])

    def event_count(self) -> int:
        return int(self._db.execute("SELECT count(*) FROM events").fetchone()[0])

    def problems(self) -> list[Problem]:
        rows = self._db.execute("SELECT path, line, message FROM problems ORDER BY path, line")
        return [Problem(path, line, message) for path, line, message in rows]

    def article_text(self, name: str) -> str | None:
        row = self._db.execute("SELECT text FROM articles WHERE name = ? ORDER BY id LIMIT 1", (name,)).fetchone()
        return row[0] if row else None

    def events(self) -> list[Event]:
        """Every event with its place and sources; sources ordered clearest first (read date, then earliest)."""
        grouped: dict[int, tuple[tuple, list[Source]]] = {}
        for row in self._db.execute(_EVENTS_QUERY):
            entry = grouped.setdefault(row[0], (row, []))
            entry[1].append(_source(row))
        return [_event(row, sources) for row, sources in grouped.values()]


def _source(row: tuple) -> Source:
    return Source(
        article=row[11], path=row[12], title=row[13], published=dt.date.fromisoformat(row[14]),
        published_precision=row[15], sentence=row[16], date_evidence=row[17], date_resolved=bool(row[18]),
        start=row[19], end=row[20],
    )  # fmt: skip


def _event(row: tuple, sources: list[Source]) -> Event:
    place = Place(
        id=row[3], name=row[4], lat=row[5], lon=row[6], level=row[7], country=row[8], population=row[9],
        source=row[10],
    )  # fmt: skip
    return Event(
        place=place,
        date=dt.date.fromisoformat(row[1]),
        precision=row[2],
        sources=tuple(sources),
        summary=shorten(sources[0].sentence, SUMMARY_LIMIT),
        date_resolved=any(s.date_resolved for s in sources),
        id=row[0],
    )
