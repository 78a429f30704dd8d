"""Tests for looking names up in the gazetteer (dashboard/gazetteer.py): inflected phrases and respellings."""

from __future__ import annotations

import pytest

from dashboard.gazetteer import Gazetteer, inflection_keys
from dashboard.languages import get_language

SERBIAN = get_language("sr")


def _row(place_id: str, name: str) -> dict[str, str]:
    return {"id": place_id, "name": name, "lat": "42.9", "lon": "20.8", "level": "settlement", "country": "XK",
            "source": "test"}  # fmt: skip


def _gazetteer(*names: str) -> Gazetteer:
    return Gazetteer.from_rows([_row(f"p{k}", name) for k, name in enumerate(names)])


@pytest.mark.parametrize(
    ("phrase", "name"),
    [
        ("zubinom potoku", "Zubin Potok"),
        ("zvecanu", "Zvečan"),
        ("mostu kod sitnice", "Most na Sitnici"),
        ("zvecan", None),
    ],
)
def test_an_inflected_phrase_finds_the_name_it_stands_for(phrase: str, name: str | None) -> None:
    gazetteer = _gazetteer("Zubin Potok", "Zvečan", "Most na Sitnici")
    assert [p.name for p in gazetteer.lookup_inflected(phrase, SERBIAN)] == ([name] if name else [])


def test_the_first_key_in_order_wins_and_keys_past_the_limit_are_not_tried() -> None:
    phrase = "velikom zubinom potoku kod mosta"
    keys = inflection_keys(phrase, SERBIAN)
    gazetteer = _gazetteer(keys[40].title(), keys[10].title(), keys[-1].title())
    assert [p.name for p in gazetteer.lookup_inflected(phrase, SERBIAN)] == [keys[10].title()]
    beyond = _gazetteer("Veliki Zubin Potok na Most")  # a key that exists, but past the first 64
    assert "veliki zubin potok na most" not in keys
    assert beyond.lookup_inflected(phrase, SERBIAN) == ()


def test_a_replaced_index_is_looked_up() -> None:
    """The user gazetteer joins its names to the base index by replacing ``exact``."""
    gazetteer = _gazetteer("Zvečan")
    assert gazetteer.lookup_inflected("zubinom potoku", SERBIAN) == ()
    gazetteer.exact = {**gazetteer.exact, **_gazetteer("Zubin Potok").exact}
    assert [p.name for p in gazetteer.lookup_inflected("zubinom potoku", SERBIAN)] == ["Zubin Potok"]


@pytest.mark.parametrize(("spelling", "found"), [("zvechan", ["Zvečan"]), ("zvecan", [])])
def test_a_respelled_name_is_found(spelling: str, found: list[str]) -> None:
    respellings = SERBIAN.respellings + get_language("en").respellings
    assert [p.name for p in _gazetteer("Zvečan").lookup_respelled(spelling, respellings)] == found


@pytest.mark.parametrize(
    ("word", "opens"),
    [("zubin", True), ("zubinom", True), ("zvechan", True), ("potok", False), ("police", False), ("kod", True)],
)
def test_a_word_opens_a_name_as_written_inflected_or_respelled(word: str, opens: bool) -> None:
    """Only first words count (potok ends Zubin Potok); a connector may stand for another (kod for na)."""
    gazetteer = _gazetteer("Zubin Potok", "Zvečan", "Na Ibru")
    respellings = get_language("en").respellings
    assert gazetteer.may_open_name(word, SERBIAN, respellings) is opens
