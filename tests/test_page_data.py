"""Tests for dashboard/page_data.py and dashboard/event_sql.py: the database's answers (``StoreData``) equal
those worked out from the events in memory (``MemoryData``), for every filter, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from dashboard.event_sql import Selection
from dashboard.filters import Filters
from dashboard.mapview import PlaceSummary
from dashboard.page_data import MemoryData, PageData, StoreData
from dashboard.pipeline import analyse
from dashboard.stores import open_store
from tests.helpers import make_article, small_gazetteer

GAZETTEER = small_gazetteer()
SATURDAY = dt.date(2023, 5, 27)
# Merged reports (a and b on Zvečan's Friday), a month event, a year event, two countries, several types,
# and words to search for in place names (Звечан folds to "zvecan"), titles and sentences.
ARTICLES = (
    ("a.txt", SATURDAY, "Clashes in the north\nClashes broke out in Zvečan, Kosovo, on Friday."),
    (
        "b.txt",
        SATURDAY,
        "Tear gas\nPolice fired tear gas in Zvecan, Kosovo, on Friday. Talks in Belgrade, Serbia, ended on 20 May.",
    ),
    ("c.txt", SATURDAY, "Tension\nTension grew in Leposavić, Kosovo, in May 2023."),
    ("d.txt", dt.date(2023, 6, 2), "Arrests\nThree men were arrested in Zubin Potok, Kosovo, on Wednesday."),
    ("e.txt", dt.date(2023, 6, 2), "Звечан\nПротест у Звечану, Косово, 1. јуна 2023."),
    ("f.txt", dt.date(2023, 6, 2), "Review\nMitrovica, Kosovo, was tense in 2022, officials said."),
)
WHOLE = Selection(dt.date(2022, 1, 1), dt.date(2023, 12, 31))
SELECTIONS = {
    "whole range": WHOLE,
    "one day": Selection(dt.date(2023, 5, 26), dt.date(2023, 5, 26)),
    "late May": Selection(dt.date(2023, 5, 21), dt.date(2023, 5, 31)),
    "June": Selection(dt.date(2023, 6, 1), dt.date(2023, 6, 30)),
    "nothing": Selection(dt.date(2021, 1, 1), dt.date(2021, 1, 31)),
    "the year event only": Selection(dt.date(2022, 3, 1), dt.date(2022, 3, 1)),
    "country": Selection(WHOLE.start, WHOLE.end, Filters(countries=("RS",))),
    "places": Selection(WHOLE.start, WHOLE.end, Filters(places=("t:zvecan", "t:zubin-potok"))),
    "types": Selection(WHOLE.start, WHOLE.end, Filters(types=("clash", "arrest"))),
    "other type": Selection(WHOLE.start, WHOLE.end, Filters(types=("other",))),
    "source": Selection(WHOLE.start, WHOLE.end, Filters(sources=("b.txt",))),
    "place name in another script": Selection(WHOLE.start, WHOLE.end, Filters(text="ЗВЕЧАН")),
    "title word": Selection(WHOLE.start, WHOLE.end, Filters(text="tear")),
    "gazetteer name, not in the text": Selection(WHOLE.start, WHOLE.end, Filters(text="Mitrovicë")),
    "two words, sentence and place": Selection(WHOLE.start, WHOLE.end, Filters(text="arrested potok")),
    "no match": Selection(WHOLE.start, WHOLE.end, Filters(text="zzz")),
    "one letter, in most names": Selection(WHOLE.start, WHOLE.end, Filters(text="o")),
    "wildcards are letters": Selection(WHOLE.start, WHOLE.end, Filters(text="%_")),
    "combined": Selection(dt.date(2023, 5, 1), dt.date(2023, 5, 31), Filters(countries=("XK",), types=("clash",))),
}


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.server)])
def target(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A store on each backend holding the fixture articles."""
    target = request.getfixturevalue("pg_url") if request.param == "postgresql" else str(tmp_path / "events.db")
    yield _filled(target)


def _filled(target: str) -> str:
    with open_store(target) as store:
        for name, published, text in ARTICLES:
            analysis = analyse(make_article(text, published, name=name), GAZETTEER)
            store.save_article(analysis.article, analysis.events, analysis.mentions)
    return target


def _both(target: str) -> tuple[MemoryData, StoreData]:
    with open_store(target) as store:
        memory = MemoryData(store.events())
    return memory, StoreData.of(target, memory.total)


def _markers(data: PageData, selection: Selection) -> dict[str, tuple[int, int, str, str]]:
    summaries: list[PlaceSummary] = data.summaries(selection)
    return {s.place.id: (s.events, s.sources, s.event_type, s.precision) for s in summaries}


def test_the_fixture_store_exercises_merges_coarse_dates_and_several_types(target: str) -> None:
    memory, _ = _both(target)
    assert any(len(event.sources) > 1 for event in memory.events)
    assert {event.precision for event in memory.events} == {"day", "month", "year"}
    assert len({event.event_type for event in memory.events}) >= 3
    assert {event.place.country for event in memory.events} == {"XK", "RS"}


@pytest.mark.parametrize("case", list(SELECTIONS))
def test_the_database_shows_what_memory_shows(target: str, case: str) -> None:
    memory, database = _both(target)
    selection = SELECTIONS[case]
    assert _markers(database, selection) == _markers(memory, selection)
    assert database.tallies(selection) == memory.tallies(selection)
    for place_id in _markers(memory, WHOLE):
        expected, found = (
            memory.place_events(place_id, selection, limit=50),
            database.place_events(place_id, selection, limit=50),
        )
        assert found is not None and expected is not None
        assert (found.place, found.total) == (expected.place, expected.total)
        assert sorted(e.key for e in found.events) == sorted(e.key for e in expected.events)


def test_the_filters_narrow_what_the_database_shows(target: str) -> None:
    """Guards the comparison above against two equally wrong answers: each filter really keeps less."""
    _, database = _both(target)
    everything = _markers(database, WHOLE)
    assert set(_markers(database, SELECTIONS["country"])) == {"t:belgrade", "country:RS"}
    assert set(_markers(database, SELECTIONS["places"])) == {"t:zvecan", "t:zubin-potok"}
    assert set(_markers(database, SELECTIONS["place name in another script"])) == {"t:zvecan", "country:XK"}
    assert set(_markers(database, SELECTIONS["gazetteer name, not in the text"])) == {"t:mitrovice"}
    assert set(_markers(database, SELECTIONS["title word"])) == {"t:zvecan", "t:belgrade", "country:XK", "country:RS"}
    assert set(_markers(database, SELECTIONS["two words, sentence and place"])) == {"t:zubin-potok", "country:XK"}
    assert _markers(database, SELECTIONS["no match"]) == {} == _markers(database, SELECTIONS["nothing"])
    assert everything["t:zvecan"][1] == 3  # a, b and e report Zvečan
    assert database.tallies(WHOLE).counts.events == database.total


def test_bounds_and_options_match(target: str) -> None:
    memory, database = _both(target)
    assert database.bounds() == memory.bounds() == (dt.date(2022, 1, 1), dt.date(2023, 6, 1))
    assert database.options() == memory.options()


def test_the_panel_lists_the_newest_events_up_to_the_limit_and_counts_them_all(target: str) -> None:
    _, database = _both(target)
    found = database.place_events("t:zvecan", WHOLE, limit=1)
    assert found is not None and found.total == 2
    (latest,) = found.events
    assert latest.date == dt.date(2023, 6, 1)
    assert database.place_events("t:nowhere", WHOLE, limit=1) is None


def test_an_empty_store_has_no_bounds(tmp_path: Path) -> None:
    target = str(tmp_path / "empty.db")
    with open_store(target) as store:
        assert store.event_count() == 0
    assert StoreData.of(target, 0).bounds() is None


def test_a_store_of_the_previous_schema_gets_the_searchable_text(tmp_path: Path) -> None:
    """Schema 4 stores each source's folded text; an older store's sources get it when it is opened."""
    target = _filled(str(tmp_path / "events.db"))
    with sqlite3.connect(target) as db:
        db.execute("ALTER TABLE event_sources DROP COLUMN folded")
        db.execute("PRAGMA user_version = 3")
    memory, database = _both(target)
    selection = SELECTIONS["title word"]
    assert _markers(database, selection) == _markers(memory, selection) != {}


def test_a_very_large_store_opens_on_its_last_month(target: str) -> None:
    memory, database = _both(target)
    bounds = (dt.date(2022, 1, 1), dt.date(2023, 6, 1))
    assert memory.opening_range(bounds) == database.opening_range(bounds) == bounds
    large = StoreData.of(target, memory.total, whole_range_up_to=memory.total - 1)
    assert large.opening_range(bounds) == (dt.date(2023, 5, 3), dt.date(2023, 6, 1))
    short = (dt.date(2023, 5, 20), dt.date(2023, 6, 1))
    assert large.opening_range(short) == short


def test_more_places_than_markers_are_grouped_into_grid_cells(target: str) -> None:
    """Past ``max_markers`` places the database groups them (PostGIS ST_SnapToGrid on the server); a cell's
    marker counts what its places count, and a click lists the places it holds."""
    memory, _ = _both(target)
    grouped = StoreData.of(target, memory.total, max_markers=2)
    places = _markers(memory, WHOLE)
    cells = grouped.summaries(WHOLE)
    assert 1 <= len(cells) < len(places)
    assert all(cell.place.id.startswith("cell:") for cell in cells)
    assert sum(cell.events for cell in cells) == sum(events for events, *_ in places.values())
    assert grouped.tallies(WHOLE) == memory.tallies(WHOLE)
    members = [grouped.cell_places(cell.place.id, WHOLE, limit=50) for cell in cells]
    assert all(member is not None for member in members)
    listed = {place.id: count for member in members if member for place, count in member.places}
    assert listed == {place_id: events for place_id, (events, *_) in places.items()}
    for cell, member in zip(cells, members, strict=True):
        assert member is not None and cell.events == sum(count for _, count in member.places)
        assert cell.place.name == f"{len(member.places)} places"
    assert grouped.cell_places("t:zvecan", WHOLE, limit=50) is None
    for crafted in ("cell:x:1", "cell:nan:1", "cell:inf:1", "cell:-1:1", "cell:0:1", "cell:"):
        assert grouped.cell_places(crafted, WHOLE, limit=50) is None


def test_a_type_the_rules_no_longer_name_counts_as_other_both_ways(target: str) -> None:
    """A store older than a change to data/event_types.toml keeps the old type names."""
    _rename_types(target)
    memory, database = _both(target)
    assert {event.event_type for event in memory.events} == {"other"}
    for selection in (WHOLE, Selection(WHOLE.start, WHOLE.end, Filters(types=("other",)))):
        assert _markers(database, selection) == _markers(memory, selection) != {}
        assert database.tallies(selection) == memory.tallies(selection)


def test_two_files_of_one_name_in_two_folders_are_two_articles_both_ways(target: str) -> None:
    with open_store(target) as store:
        for folder in ("x", "y"):
            text = f"Report from {folder}\nBarricades went up in Zvečan, Kosovo, on Friday."
            analysis = analyse(make_article(text, SATURDAY, name=f"{folder}/same.txt"), GAZETTEER)
            store.save_article(analysis.article, analysis.events, analysis.mentions)
    memory, database = _both(target)
    selection = Selection(dt.date(2023, 5, 26), dt.date(2023, 5, 26))
    assert _markers(database, selection) == _markers(memory, selection)
    assert database.tallies(selection) == memory.tallies(selection)
    assert _markers(memory, selection)["t:zvecan"][1] == 4  # a, b and the two same.txt files


def _rename_types(target: str) -> None:
    if target.endswith(".db"):
        with sqlite3.connect(target) as db:
            db.execute("UPDATE event_sources SET event_type = 'riot'")
        return
    import psycopg

    with psycopg.connect(target, autocommit=True) as db:
        db.execute("UPDATE event_sources SET event_type = 'riot'")
