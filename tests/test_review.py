"""Tests for dashboard/review.py: resolving an unknown place into the user gazetteer re-reads the stored
articles that name it, from the store's text, in a real store in tmp_path."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

import pytest

from dashboard.errors import GazetteerError
from dashboard.pipeline import ingest_paths
from dashboard.review import reread_articles, resolve_place, store_gazetteer
from dashboard.store import Store
from dashboard.user_places import add_user_place, user_gazetteer_path
from tests.helpers import small_gazetteer, write_article

GAZETTEER = small_gazetteer()
VILLAGE = "Barricades went up in the village of Orlane, near Zvečan, Kosovo, on Friday."
TWO_VILLAGES = "Police patrolled near Orlane and outside Kamenolom, Kosovo, on Friday."
NO_CUE = "Orlane, Kosovo, was quiet on Friday."  # no place cue: Orlane is no candidate here, but it is in the text
ORLANE = {"name": "Orlane", "lat": 42.8961, "lon": 21.2145, "country": "XK"}


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    """A store of four articles whose files are gone: re-reading must use the stored text."""
    folder = tmp_path / "in"
    for name, text in [("a.txt", VILLAGE), ("b.txt", TWO_VILLAGES), ("c.txt", NO_CUE), ("d.txt", "Calm in Zvečan.")]:
        write_article(folder, name, "2023-05-27", text)
    with Store(tmp_path / "events.db") as opened:
        ingest_paths([folder], opened, GAZETTEER)
        for path in folder.iterdir():
            path.unlink()
        yield opened


def _events_at(store: Store, place_id: str) -> dict[str, list[str]]:
    """The articles reporting each event at the place, by date."""
    return {e.date_label: sorted(s.article for s in e.sources) for e in store.events() if e.place.id == place_id}


def test_resolving_a_place_rereads_the_articles_that_name_it(tmp_path: Path, store: Store) -> None:
    assert [p.name for p in store.unknown_places()] == ["Orlane", "Kamenolom"]
    assert _events_at(store, "user:orlane") == {}
    resolution = resolve_place(store, GAZETTEER, **ORLANE)
    assert resolution.place.id == "user:orlane"
    assert resolution.path == user_gazetteer_path(store.path) == tmp_path / "events.places.csv"
    assert resolution.reread.articles == 3
    assert resolution.reread.added == (("Orlane", "2023-05-26", "day"),)
    assert resolution.reread.removed == ()
    assert resolution.reread.problems == ()
    assert _events_at(store, "user:orlane") == {"2023-05-26": ["a.txt", "b.txt", "c.txt"]}
    assert [p.name for p in store.unknown_places()] == ["Kamenolom"]
    with resolution.path.open(encoding="utf-8", newline="") as handle:
        assert [(row["id"], row["source"]) for row in csv.DictReader(handle)] == [("user:orlane", "user")]


def test_rereading_finishes_a_resolve_stopped_after_its_row_was_written(store: Store) -> None:
    add_user_place(user_gazetteer_path(store.path), **ORLANE)
    before = store.version()
    reread = reread_articles(store, store_gazetteer(GAZETTEER, store.path))
    assert reread.articles == 2, "the articles where Orlane is an unknown place"
    assert reread.added == (("Orlane", "2023-05-26", "day"),)
    assert store.version() > before
    assert [p.name for p in store.unknown_places()] == ["Kamenolom"]


def test_an_article_naming_the_place_only_inflected_is_read_again(tmp_path: Path, store: Store) -> None:
    write_article(tmp_path / "sr", "sr.txt", "2023-05-27", "Policija je u petak bila u Orlanu, na Kosovu.")
    ingest_paths([tmp_path / "sr"], store, GAZETTEER)
    assert "orlanu" in {p.key for p in store.unknown_places()}
    reread = resolve_place(store, GAZETTEER, **ORLANE).reread
    assert reread.articles == 4
    assert _events_at(store, "user:orlane")["2023-05-26"] == ["a.txt", "b.txt", "c.txt", "sr.txt"]


def test_a_place_that_is_no_valid_row_writes_nothing(store: Store) -> None:
    before = store.version()
    with pytest.raises(GazetteerError, match="unknown country code 'XX'"):
        resolve_place(store, GAZETTEER, **{**ORLANE, "country": "XX"})
    assert not user_gazetteer_path(store.path).exists()
    assert store.version() == before
    assert [p.name for p in store.unknown_places()] == ["Orlane", "Kamenolom"]


def test_a_name_resolved_once_is_refused_the_second_time(store: Store) -> None:
    resolve_place(store, GAZETTEER, **ORLANE)
    before = store.version()
    with pytest.raises(GazetteerError, match="already a user place"):
        resolve_place(store, GAZETTEER, **{**ORLANE, "lat": 43.0})
    assert store.version() == before
