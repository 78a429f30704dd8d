"""Tests for dashboard/store.py against real SQLite files in tmp_path; the behaviour tests (those taking the
``store`` fixture) run on the PostgreSQL backend (dashboard/pg_store.py) too, against a real server."""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from dashboard.errors import StoreError
from dashboard.event_types import OTHER, classify_event
from dashboard.models import Problem
from dashboard.pipeline import Analysis, analyse
from dashboard.store import ANALYSIS_VERSION, SCHEMA_VERSION, PlaceToReview, Store
from dashboard.stores import AnyStore, open_store
from tests.helpers import make_article, small_gazetteer

SATURDAY = dt.date(2023, 5, 27)
GAZETTEER = small_gazetteer()
REPORT_A = "Clashes broke out in Zvečan, Kosovo, on Friday."
REPORT_B = "Police fired tear gas in Zvecan, Kosovo, on Friday. Talks in Belgrade ended on 20 May."
MAY_REPORT = "Tension grew in Zvečan, Kosovo, in May 2023."
# Orlane and Kamenolom are in no gazetteer row: the names a reader must review.
VILLAGE_A = "Barricades went up in the village of Orlane, near Zvečan, Kosovo, on Friday."
VILLAGE_B = "Police patrolled near Orlane and outside Kamenolom, Kosovo, on Friday."
VILLAGE_C = "Tension rose in the village of Orlané, Kosovo, on Friday."

# The schema of version 1, as the first release created it: the starting point of the migration test.
V1_SCHEMA = """
CREATE TABLE articles (id INTEGER PRIMARY KEY, path TEXT NOT NULL UNIQUE, name TEXT NOT NULL,
    sha256 TEXT NOT NULL, published TEXT NOT NULL, published_precision TEXT NOT NULL, language TEXT NOT NULL,
    title TEXT NOT NULL, text TEXT NOT NULL);
CREATE INDEX articles_sha ON articles(sha256);
CREATE TABLE places (id TEXT PRIMARY KEY, name TEXT NOT NULL, lat REAL NOT NULL, lon REAL NOT NULL,
    level TEXT NOT NULL, country TEXT NOT NULL, population INTEGER NOT NULL, source TEXT NOT NULL);
CREATE TABLE events (id INTEGER PRIMARY KEY, place_id TEXT NOT NULL REFERENCES places(id), date TEXT NOT NULL,
    precision TEXT NOT NULL, UNIQUE (place_id, date, precision));
CREATE INDEX events_date ON events(date);
CREATE TABLE event_sources (event_id INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE, sentence TEXT NOT NULL,
    start INTEGER NOT NULL, "end" INTEGER NOT NULL, date_evidence TEXT NOT NULL, date_resolved INTEGER NOT NULL,
    PRIMARY KEY (event_id, article_id));
CREATE INDEX event_sources_article ON event_sources(article_id);
CREATE TABLE problems (path TEXT NOT NULL, line INTEGER, message TEXT NOT NULL, PRIMARY KEY (path, message));
CREATE TABLE meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL);
INSERT INTO meta VALUES ('revision', 7);
INSERT INTO articles VALUES (1, 'in/a.txt', 'a.txt', 'sha-of-a', '2023-05-27', 'day', 'en', 'Clashes',
    'Clashes broke out in Zvečan, Kosovo, on Friday.');
INSERT INTO places VALUES ('t:zvecan', 'Zvečan', 42.9075, 20.84028, 'settlement', 'XK', 17000, 'test');
INSERT INTO events VALUES (1, 't:zvecan', '2023-05-26', 'day');
INSERT INTO event_sources VALUES (1, 1, 'Clashes broke out in Zvečan, Kosovo, on Friday.', 0, 47, 'Friday', 1);
INSERT INTO problems VALUES ('in/bad.txt', 1, 'header must start with " date YYYY-MM[-DD]"');
PRAGMA user_version = 1;
"""

# What version 2 added to it, as that release's migration made it: the starting point of the v2 to v3 test.
V2_CHANGES = """
ALTER TABLE event_sources ADD COLUMN event_type TEXT NOT NULL DEFAULT 'other';
ALTER TABLE articles ADD COLUMN analysis INTEGER NOT NULL DEFAULT 1;
CREATE TABLE mentions (article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    place_id TEXT NOT NULL REFERENCES places(id), surface TEXT NOT NULL, start INTEGER NOT NULL,
    "end" INTEGER NOT NULL, PRIMARY KEY (article_id, start, place_id));
CREATE INDEX mentions_place ON mentions(place_id);
CREATE INDEX events_place_date ON events(place_id, date);
UPDATE articles SET analysis = 2;
UPDATE event_sources SET event_type = 'clash';
INSERT INTO mentions VALUES (1, 't:zvecan', 'Zvečan', 21, 27);
CREATE TABLE geocode_cache (key TEXT NOT NULL, countries TEXT NOT NULL, name TEXT NOT NULL, found INTEGER NOT NULL,
    lat REAL, lon REAL, display_name TEXT NOT NULL DEFAULT '', PRIMARY KEY (key, countries));
PRAGMA user_version = 2;
"""


def _analysed(text: str, name: str, published: dt.date = SATURDAY) -> Analysis:
    return analyse(make_article(text, published, name=name), GAZETTEER)


def _save(store: Store, text: str, name: str) -> Analysis:
    analysis = _analysed(text, name)
    store.save_article(analysis.article, analysis.events, analysis.mentions, analysis.unknown)
    return analysis


def _keys(store: Store) -> set[tuple[str, str, str]]:
    return {e.key for e in store.events()}


def _data_version(connection: sqlite3.Connection) -> int:
    return int(connection.execute("PRAGMA data_version").fetchone()[0])


def _columns(path: Path) -> dict[str, list[str]]:
    with sqlite3.connect(path) as db:
        tables = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
        return {t: sorted(r[1] for r in db.execute(f"PRAGMA table_info({t})")) for t in tables}


@pytest.fixture
def sqlite_store(tmp_path: Path) -> Iterator[Store]:
    with Store(tmp_path / "events.db") as opened:
        yield opened


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.server)])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[AnyStore]:
    """The same behaviour on both backends: a SQLite file, and a fresh database on a real PostgreSQL server."""
    target = request.getfixturevalue("pg_url") if request.param == "postgresql" else str(tmp_path / "events.db")
    with open_store(target) as opened:
        yield opened


def test_saved_events_come_back_with_place_source_and_event_type(store: Store) -> None:
    _save(store, REPORT_A, "a.txt")
    stored = {e.place.id: e for e in store.events()}
    zvecan = stored["t:zvecan"]
    assert (zvecan.date, zvecan.precision, zvecan.date_resolved) == (dt.date(2023, 5, 26), "day", True)
    assert (zvecan.place.name, zvecan.place.country, zvecan.place.level) == ("Zvečan", "XK", "settlement")
    assert zvecan.place.lat == pytest.approx(42.9075)
    (source,) = zvecan.sources
    assert (source.article, source.published, source.sentence) == ("a.txt", SATURDAY, REPORT_A)
    assert source.date_evidence == "Friday"
    assert source.event_type == classify_event(REPORT_A, "en") != OTHER
    assert zvecan.event_type == source.event_type
    assert zvecan.id is not None
    assert store.article_count() == 1
    assert store.article_text("a.txt") == REPORT_A


def test_mentions_are_stored_with_their_offsets_in_the_text(store: Store) -> None:
    analysis = _save(store, REPORT_B, "b.txt")
    mentions = store.mentions("b.txt")
    assert [(m.place.id, m.start, m.end) for m in mentions] == [(m.place.id, m.start, m.end) for m in analysis.mentions]
    assert [(m.place.id, m.surface) for m in mentions] == [
        ("t:zvecan", "Zvecan"),
        ("country:XK", "Kosovo"),
        ("t:belgrade", "Belgrade"),
    ]
    for mention in mentions:
        assert REPORT_B[mention.start : mention.end] == mention.surface


def test_events_survive_reopening_the_file(tmp_path: Path) -> None:
    with Store(tmp_path / "events.db") as first:
        _save(first, REPORT_A, "a.txt")
        saved = _keys(first)
    with Store(tmp_path / "events.db") as second:
        assert _keys(second) == saved
        assert saved


def test_unchanged_article_is_already_stored(store: Store) -> None:
    analysis = _analysed(REPORT_A, "a.txt")
    assert not store.has_article(analysis.article)
    store.save_article(analysis.article, analysis.events, analysis.mentions)
    assert store.has_article(analysis.article)
    assert store.stored_sha("a.txt") == analysis.article.sha256
    assert not store.has_article(_analysed(REPORT_B, "a.txt").article)


def test_same_text_under_another_file_name_is_already_stored(store: Store) -> None:
    _save(store, REPORT_A, "a.txt")
    assert store.has_article(_analysed(REPORT_A, "copy-of-a.txt").article)
    assert store.stored_shas() == {_analysed(REPORT_A, "x.txt").article.sha256}


def test_two_articles_on_the_same_place_and_date_merge_into_one_event_with_two_sources(store: Store) -> None:
    _save(store, REPORT_A, "a.txt")
    _save(store, REPORT_B, "b.txt")
    zvecan = [e for e in store.events() if e.place.id == "t:zvecan"]
    assert len(zvecan) == 1
    sentences = {s.article: s.sentence for s in zvecan[0].sources}
    assert sentences == {"a.txt": REPORT_A, "b.txt": "Police fired tear gas in Zvecan, Kosovo, on Friday."}
    assert store.event_count() == len(_keys(store))


def test_a_month_report_stays_its_own_event_related_to_the_days_inside_it(store: Store) -> None:
    _save(store, REPORT_A, "a.txt")
    _save(store, MAY_REPORT, "may.txt")
    _save(store, "Zvečan, Kosovo, was calm on 2 April.", "april.txt")
    zvecan = {e.date_label: e for e in store.events() if e.place.id == "t:zvecan"}
    assert set(zvecan) == {"2023-05-26", "2023-05", "2023-04-02"}
    month, day, april = zvecan["2023-05"], zvecan["2023-05-26"], zvecan["2023-04-02"]
    assert [s.article for s in month.sources] == ["may.txt"]
    assert month.related == (day.id,)
    assert day.related == (month.id,)
    assert april.related == ()
    assert month.id is not None and day.id is not None
    assert [e.id for e in store.related_events(month.id)] == [day.id]
    assert [e.id for e in store.related_events(day.id)] == [month.id]


def test_a_year_report_is_related_to_the_months_and_days_inside_it(store: Store) -> None:
    _save(store, REPORT_A, "a.txt")
    _save(store, MAY_REPORT, "may.txt")
    _save(store, "Zvečan, Kosovo, saw protests in 2023.", "year.txt")
    zvecan = {e.date_label: e for e in store.events() if e.place.id == "t:zvecan"}
    year = zvecan["2023"]
    assert set(year.related) == {zvecan["2023-05"].id, zvecan["2023-05-26"].id}
    assert set(zvecan["2023-05-26"].related) == {zvecan["2023-05"].id, year.id}


def test_changed_file_replaces_only_its_own_events(store: Store) -> None:
    _save(store, REPORT_A, "a.txt")
    _save(store, REPORT_B, "b.txt")
    _save(store, "Protests in Leposavić, Kosovo, on Friday.", "b.txt")
    by_place = {e.place.id: e for e in store.events()}
    assert "t:belgrade" not in by_place
    assert [s.article for s in by_place["t:zvecan"].sources] == ["a.txt"]
    assert [s.article for s in by_place["t:leposavic"].sources] == ["b.txt"]
    assert store.article_count() == 2
    assert [m.place.id for m in store.mentions("b.txt")] == ["t:leposavic", "country:XK"]


def test_prune_removes_articles_with_their_orphan_events_places_and_problems(store: Store) -> None:
    _save(store, REPORT_A, "a.txt")
    _save(store, REPORT_B, "b.txt")
    store.record_problem(Problem("bad.txt", 1, "header must start with"))
    assert store.prune(["b.txt", "bad.txt", "never-stored.txt"]) == 1
    assert {e.place.id for e in store.events()} == {"t:zvecan", "country:XK"}
    assert store.problems() == []
    stats = store.stats()
    assert (stats.places, stats.mentions, stats.articles, stats.sources) == (2, 2, 1, 2)


def test_unknown_places_are_grouped_by_folded_name_most_mentioned_first(store: Store) -> None:
    _save(store, VILLAGE_B, "b.txt")
    _save(store, VILLAGE_A, "a.txt")
    _save(store, VILLAGE_C, "c.txt")
    assert store.unknown_places() == [
        PlaceToReview("Orlane", "orlane", mentions=3, articles=3, sentence=VILLAGE_A, article="a.txt"),
        PlaceToReview("Kamenolom", "kamenolom", mentions=1, articles=1, sentence=VILLAGE_B, article="b.txt"),
    ]
    assert store.stats().places_to_review == 2


def test_unknown_places_keep_their_offsets_in_the_article_text(tmp_path: Path, sqlite_store: Store) -> None:
    _save(sqlite_store, VILLAGE_B, "b.txt")
    with sqlite3.connect(tmp_path / "events.db") as db:
        rows = db.execute('SELECT surface, start, "end", sentence FROM unknown_places ORDER BY start').fetchall()
    assert [surface for surface, *_ in rows] == ["Orlane", "Kamenolom"]
    for surface, start, end, sentence in rows:
        assert VILLAGE_B[start:end] == surface
        assert sentence == VILLAGE_B


def test_unknown_places_follow_their_article_when_it_changes_goes_or_turns_unreadable(store: Store) -> None:
    _save(store, VILLAGE_A, "a.txt")
    _save(store, VILLAGE_B, "b.txt")
    _save(store, VILLAGE_C, "c.txt")
    _save(store, REPORT_A, "b.txt")  # b.txt edited: no unknown place now
    assert [(p.name, p.mentions) for p in store.unknown_places()] == [("Orlane", 2)]
    store.prune(["a.txt"])
    assert [(p.name, p.article) for p in store.unknown_places()] == [("Orlané", "c.txt")]
    store.record_problem(Problem("c.txt", None, "file is empty"))
    assert store.unknown_places() == []


def test_articles_to_reread_are_found_by_unknown_name_or_by_their_text(store: Store) -> None:
    _save(store, VILLAGE_A, "a.txt")
    _save(store, VILLAGE_B, "b.txt")
    _save(store, "Orlane was quiet in Zvečan, Kosovo, on Friday.", "quiet.txt")  # no cue: not an unknown place
    _save(store, REPORT_A, "z.txt")
    assert [a.path for a in store.articles_to_reread({"kamenolom"})] == ["b.txt"]
    assert [a.path for a in store.articles_to_reread({"orlane"})] == ["a.txt", "b.txt"]
    assert [a.path for a in store.articles_to_reread({"orlane"}, written=["Orlane"])] == ["a.txt", "b.txt", "quiet.txt"]
    (article,) = store.articles_to_reread(set(), written=["Clashes"])
    assert article == _analysed(REPORT_A, "z.txt").article
    assert store.articles_to_reread(set()) == []


def test_version_changes_after_each_write(store: Store) -> None:
    before = store.version()
    _save(store, REPORT_A, "a.txt")
    after_save = store.version()
    store.record_problem(Problem("bad.txt", 1, "header must start with"))
    assert before != after_save != store.version()


def test_version_is_seen_by_another_connection(tmp_path: Path) -> None:
    with Store(tmp_path / "events.db") as reader, Store(tmp_path / "events.db") as writer:
        before = reader.version()
        _save(writer, REPORT_A, "a.txt")
        assert reader.version() != before


def test_recording_a_known_problem_or_opening_the_store_writes_nothing(tmp_path: Path, sqlite_store: Store) -> None:
    store = sqlite_store
    problem = Problem("a.txt", 1, 'header must start with " date YYYY-MM[-DD]"')
    store.record_problem(problem)
    with sqlite3.connect(tmp_path / "events.db") as watcher:
        before = _data_version(watcher)
        store.record_problem(problem)
        store.clear_problems("other.txt")
        assert store.prune(["not-stored.txt"]) == 0
        Store(tmp_path / "events.db").close()
        assert _data_version(watcher) == before
        store.record_problem(Problem("a.txt", 2, "something else"))
        assert _data_version(watcher) != before


def test_problems_are_recorded_once_and_cleared_when_the_file_is_fixed(store: Store) -> None:
    problem = Problem("a.txt", 1, 'header must start with " date YYYY-MM[-DD]"')
    store.record_problem(problem)
    store.record_problem(problem)
    store.record_problem(Problem("z.txt", None, "file is empty"))
    assert store.problems() == [problem, Problem("z.txt", None, "file is empty")]
    _save(store, REPORT_A, "a.txt")
    assert store.problems() == [Problem("z.txt", None, "file is empty")]


def test_a_stored_file_that_turns_unreadable_keeps_only_its_problem(store: Store) -> None:
    _save(store, REPORT_A, "a.txt")
    _save(store, "Protests in Leposavić, Kosovo, on Friday.", "b.txt")
    store.record_problem(Problem("b.txt", None, "file is empty"))
    assert store.article_count() == 1
    assert "t:leposavic" not in {e.place.id for e in store.events()}
    assert store.problems() == [Problem("b.txt", None, "file is empty")]


def test_a_file_that_is_not_a_store_raises_store_error(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_bytes(b"this is not a SQLite database, just some text that is long enough " * 20)
    with pytest.raises(StoreError, match="not a usable event store") as caught:
        Store(path)
    assert str(path) in str(caught.value)


def test_another_programs_database_is_refused_and_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE customers (id INTEGER PRIMARY KEY)")
    with pytest.raises(StoreError, match=r"not an event store .*customers"):
        Store(path)
    assert _columns(path) == {"customers": ["id"]}


def test_a_store_from_a_newer_program_raises_store_error_saying_what_to_do(tmp_path: Path) -> None:
    path = tmp_path / "future.db"
    with sqlite3.connect(path) as db:
        db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    with pytest.raises(StoreError, match=r"newer than this program.*upgrade the program"):
        Store(path)


def _v1_store(path: Path) -> Path:
    with sqlite3.connect(path) as db:
        db.executescript(V1_SCHEMA)
    return path


def test_a_version_1_store_is_upgraded_and_keeps_its_events(tmp_path: Path) -> None:
    old = _v1_store(tmp_path / "v1.db")
    with Store(old) as store:
        (event,) = store.events()
        assert store.problems() == [Problem("in/bad.txt", 1, 'header must start with " date YYYY-MM[-DD]"')]
        assert store.version() == 7
    assert (event.place.id, event.date_label, event.sources[0].article) == ("t:zvecan", "2023-05-26", "a.txt")
    assert event.sources[0].event_type == classify_event(REPORT_A, "en") != OTHER  # filled in from the sentence
    with sqlite3.connect(old) as db:
        assert db.execute("PRAGMA user_version").fetchone() == (SCHEMA_VERSION,)
    with Store(tmp_path / "new.db") as new:
        assert _columns(old) == _columns(new.path)


def test_an_upgraded_store_analyses_its_old_articles_again(tmp_path: Path) -> None:
    """Schema 1 stored no mentions: the next save of the same text replaces the old rows instead of skipping."""
    with Store(_v1_store(tmp_path / "v1.db")) as store:
        analysis = _analysed(REPORT_A, "in/a.txt")
        assert not store.stored_shas()
        store.save_article(analysis.article, analysis.events, analysis.mentions)
        assert store.article_count() == 1
        assert store.has_article(analysis.article)
        assert [m.surface for m in store.mentions("in/a.txt")] == ["Zvečan", "Kosovo"]


def test_a_version_2_store_is_upgraded_and_its_articles_read_again_for_unknown_places(tmp_path: Path) -> None:
    old = _v1_store(tmp_path / "v2.db")
    with sqlite3.connect(old) as db:
        db.executescript(V2_CHANGES)
    with Store(old) as store:
        (event,) = store.events()
        assert (event.place.id, event.date_label, event.sources[0].event_type) == ("t:zvecan", "2023-05-26", "clash")
        assert [m.surface for m in store.mentions("in/a.txt")] == ["Zvečan"]
        assert store.version() == 7
        assert store.unknown_places() == []
        assert store.outdated_count() == 1
        assert not store.stored_shas(), "stored by analysis 2, which looked for no unknown places"
    with sqlite3.connect(old) as db:
        assert db.execute("PRAGMA user_version").fetchone() == (SCHEMA_VERSION,)
        assert db.execute("SELECT analysis FROM articles").fetchall() == [(2,)] != [(ANALYSIS_VERSION,)]
    with Store(tmp_path / "new.db") as new:
        assert _columns(old) == _columns(new.path)
        assert "country" in _columns(old)["geocode_cache"], "the old cache is replaced by one with countries"


def test_an_upgrade_that_fails_leaves_the_store_as_it_was(tmp_path: Path) -> None:
    old = _v1_store(tmp_path / "v1.db")
    with sqlite3.connect(old) as db:
        db.execute("CREATE TABLE mentions (clash INTEGER)")  # makes the upgrade's CREATE TABLE fail
    before = _columns(old)
    with pytest.raises(
        StoreError, match=rf"v1\.db: cannot upgrade the store from schema version 1 to {SCHEMA_VERSION}"
    ):
        Store(old)
    assert _columns(old) == before
    with sqlite3.connect(old) as db:
        assert db.execute("PRAGMA user_version").fetchone() == (1,)
