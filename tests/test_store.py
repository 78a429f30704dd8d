"""Tests for dashboard/store.py against real SQLite files in tmp_path."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest

from dashboard.errors import StoreError
from dashboard.models import Article, Event, Problem
from dashboard.pipeline import analyse
from dashboard.store import SCHEMA_VERSION, Store
from tests.helpers import make_article, small_gazetteer

SATURDAY = dt.date(2023, 5, 27)
GAZETTEER = small_gazetteer()
REPORT_A = "Clashes broke out in Zvečan, Kosovo, on Friday."
REPORT_B = "Police fired tear gas in Zvecan, Kosovo, on Friday. Talks in Belgrade ended on 20 May."


def _analysed(text: str, name: str) -> tuple[Article, list[Event]]:
    return analyse(make_article(text, SATURDAY, name=name), GAZETTEER)


def _keys(store: Store) -> set[tuple[str, str, str]]:
    return {e.key for e in store.events()}


@pytest.fixture
def store(tmp_path: Path) -> Store:
    with Store(tmp_path / "events.db") as opened:
        yield opened


def test_saved_events_come_back_with_place_and_source(store: Store) -> None:
    article, events = _analysed(REPORT_A, "a.txt")
    store.save_article(article, events)
    stored = {e.place.id: e for e in store.events()}
    zvecan = stored["t:zvecan"]
    assert (zvecan.date, zvecan.precision, zvecan.date_resolved) == (dt.date(2023, 5, 26), "day", True)
    assert (zvecan.place.name, zvecan.place.country, zvecan.place.level) == ("Zvečan", "XK", "settlement")
    assert zvecan.place.lat == pytest.approx(42.9075)
    (source,) = zvecan.sources
    assert (source.article, source.published, source.sentence) == ("a.txt", SATURDAY, REPORT_A)
    assert source.date_evidence == "Friday"
    assert zvecan.id is not None
    assert store.article_count() == 1
    assert store.article_text("a.txt") == REPORT_A


def test_events_survive_reopening_the_file(tmp_path: Path) -> None:
    with Store(tmp_path / "events.db") as first:
        first.save_article(*_analysed(REPORT_A, "a.txt"))
        saved = _keys(first)
    with Store(tmp_path / "events.db") as second:
        assert _keys(second) == saved
        assert saved


def test_unchanged_article_is_already_stored(store: Store) -> None:
    article, events = _analysed(REPORT_A, "a.txt")
    assert not store.has_article(article)
    store.save_article(article, events)
    assert store.has_article(article)
    assert not store.has_article(_analysed(REPORT_B, "a.txt")[0])


def test_same_text_under_another_file_name_is_already_stored(store: Store) -> None:
    store.save_article(*_analysed(REPORT_A, "a.txt"))
    copy, _ = _analysed(REPORT_A, "copy-of-a.txt")
    assert store.has_article(copy)


def test_two_articles_on_the_same_place_and_date_merge_into_one_event_with_two_sources(store: Store) -> None:
    store.save_article(*_analysed(REPORT_A, "a.txt"))
    store.save_article(*_analysed(REPORT_B, "b.txt"))
    zvecan = [e for e in store.events() if e.place.id == "t:zvecan"]
    assert len(zvecan) == 1
    assert sorted(s.article for s in zvecan[0].sources) == ["a.txt", "b.txt"]
    assert store.event_count() == len(_keys(store))


def test_changed_file_replaces_only_its_own_events(store: Store) -> None:
    store.save_article(*_analysed(REPORT_A, "a.txt"))
    store.save_article(*_analysed(REPORT_B, "b.txt"))
    store.save_article(*_analysed("Protests in Leposavić, Kosovo, on Friday.", "b.txt"))
    by_place = {e.place.id: e for e in store.events()}
    assert "t:belgrade" not in by_place
    assert [s.article for s in by_place["t:zvecan"].sources] == ["a.txt"]
    assert [s.article for s in by_place["t:leposavic"].sources] == ["b.txt"]
    assert store.article_count() == 2


def test_version_changes_after_each_write(store: Store) -> None:
    before = store.version()
    store.save_article(*_analysed(REPORT_A, "a.txt"))
    after_save = store.version()
    store.record_problem(Problem("bad.txt", 1, "header must start with"))
    assert before != after_save != store.version()


def test_version_is_seen_by_another_connection(tmp_path: Path) -> None:
    with Store(tmp_path / "events.db") as reader, Store(tmp_path / "events.db") as writer:
        before = reader.version()
        writer.save_article(*_analysed(REPORT_A, "a.txt"))
        assert reader.version() != before


def test_problems_are_recorded_once_and_cleared_when_the_file_is_fixed(store: Store) -> None:
    problem = Problem("a.txt", 1, 'header must start with " date YYYY-MM[-DD]"')
    store.record_problem(problem)
    store.record_problem(problem)
    store.record_problem(Problem("z.txt", None, "file is empty"))
    assert store.problems() == [problem, Problem("z.txt", None, "file is empty")]
    store.save_article(*_analysed(REPORT_A, "a.txt"))
    assert store.problems() == [Problem("z.txt", None, "file is empty")]


def test_a_file_that_is_not_a_store_raises_store_error(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_bytes(b"this is not a SQLite database, just some text that is long enough " * 20)
    with pytest.raises(StoreError, match="not a usable event store") as caught:
        Store(path)
    assert str(path) in str(caught.value)


def test_a_store_from_a_newer_program_raises_store_error(tmp_path: Path) -> None:
    path = tmp_path / "future.db"
    with sqlite3.connect(path) as db:
        db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    with pytest.raises(StoreError, match="newer than this program"):
        Store(path)
