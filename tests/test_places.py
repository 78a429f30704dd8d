"""Tests for dashboard/places.py: finding gazetteer places in text, inflected or not, only with evidence."""

from __future__ import annotations

import pytest

from dashboard.gazetteer import Gazetteer
from dashboard.places import find_mentions
from tests.helpers import gazetteer_rows, small_gazetteer


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return small_gazetteer()


def _found(text: str, gazetteer: Gazetteer, language: str = "en") -> list[tuple[str, str]]:
    """(place id, surface) for each mention, checking that offsets point at the surface text."""
    mentions = find_mentions(text, gazetteer, language=language)
    for mention in mentions:
        assert text[mention.start : mention.end] == mention.surface
    return [(m.place.id, m.surface) for m in mentions]


@pytest.mark.parametrize(
    ("spelling", "place_id"),
    [
        ("Zvečan", "t:zvecan"),
        ("Zvecan", "t:zvecan"),
        ("Zveçan", "t:zvecan"),
        ("Звечан", "t:zvecan"),
        ("Leposavić", "t:leposavic"),
        ("Leposaviq", "t:leposavic"),
        ("Лепосавић", "t:leposavic"),
        ("Zubin Potok", "t:zubin-potok"),
        ("Mitrovicë", "t:mitrovice"),
        ("Mitrovica", "t:mitrovice"),
        ("Kosovska Mitrovica", "t:mitrovice"),
        ("Zvechan", "t:zvecan"),  # English transliteration through Russian or Serbian Cyrillic
        ("Leposavich", "t:leposavic"),
        ("Zoubin Potok", None),  # respelling undoes letter pairs, it does not guess
    ],
)
def test_every_spelling_names_its_place(spelling: str, place_id: str | None, gazetteer: Gazetteer) -> None:
    text = f"Clashes broke out in {spelling}, Kosovo, on Friday."
    expected = [(place_id, spelling)] if place_id else []
    assert _found(text, gazetteer) == [*expected, ("country:XK", "Kosovo")]


@pytest.mark.parametrize("spelling", ["Kosovo", "Kosova", "Kosovë", "Косово"])
def test_country_spellings(spelling: str, gazetteer: Gazetteer) -> None:
    assert _found(f"Elections were held in {spelling} today.", gazetteer) == [("country:XK", spelling)]


@pytest.mark.parametrize(
    ("text", "language", "place_id", "surface"),
    [
        ("Neredi su izbili u Zvečanu na Kosovu.", "sr", "t:zvecan", "Zvečanu"),
        ("Policija je bila u Zubinom Potoku na Kosovu.", "sr", "t:zubin-potok", "Zubinom Potoku"),
        ("Ljudi iz Leposavića protestuju na Kosovu.", "sr", "t:leposavic", "Leposavića"),
        ("Сукоби су избили у Звечану на Косову.", "sr", "t:zvecan", "Звечану"),
        ("Policia e Leposaviqit në Kosovë.", "sq", "t:leposavic", "Leposaviqit"),
        ("Protesta në Zveçan, Kosovë.", "sq", "t:zvecan", "Zveçan"),
    ],
)
def test_inflected_names(text: str, language: str, place_id: str, surface: str, gazetteer: Gazetteer) -> None:
    found = _found(text, gazetteer, language)
    assert found[0] == (place_id, surface)
    assert found[1][0] == "country:XK"


def test_offsets_point_at_the_name_in_a_longer_text(gazetteer: Gazetteer) -> None:
    text = "NATO condemned the violence.\n\nIn Kosovo, protesters in Zvečan and Zubin Potok were hurt."
    mentions = find_mentions(text, gazetteer, language="en")
    assert [(text[m.start : m.end], m.place.name) for m in mentions] == [
        ("Kosovo", "Kosovo"),
        ("Zvečan", "Zvečan"),
        ("Zubin Potok", "Zubin Potok"),
    ]


def test_neighbouring_small_places_support_each_other(gazetteer: Gazetteer) -> None:
    assert _found("Clashes in Zvecan and Zubin Potok.", gazetteer) == [
        ("t:zvecan", "Zvecan"),
        ("t:zubin-potok", "Zubin Potok"),
    ]


def test_organisation_name_is_not_a_place(gazetteer: Gazetteer) -> None:
    assert _found("The Kosovo Police arrived in the morning.", gazetteer) == []


def test_organisation_word_closing_a_capitalised_run_makes_an_organisation(gazetteer: Gazetteer) -> None:
    assert _found("(Serbia Point News) Crowds gathered.", gazetteer) == []
    assert _found("Пише Косово онлајн.", gazetteer, language="sr") == []


def test_lower_case_kind_word_opens_a_feature_name() -> None:
    rows = [
        *gazetteer_rows(),
        {
            "id": "t:canal",
            "name": "Ibar-Lepenac Canal",
            "aliases": "Kanal Ibar-Lepenac",
            "lat": "42.9",
            "lon": "20.7",
            "level": "site",
            "country": "XK",
            "population": "0",
            "source": "test",
        },
    ]
    text = "Оштећен је канал Ибар-Лепенац код Звечана."
    found = _found(text, Gazetteer.from_rows(rows), language="sr")
    assert found == [("t:canal", "канал Ибар-Лепенац"), ("t:zvecan", "Звечана")]


def test_country_abbreviations_match_only_as_written() -> None:
    rows = [
        *gazetteer_rows(),
        {
            "id": "country:US",
            "name": "United States",
            "aliases": "",
            "lat": "39.8",
            "lon": "-98.5",
            "level": "country",
            "country": "US",
            "population": "0",
            "source": "test",
        },
    ]
    gazetteer = Gazetteer.from_rows(rows)
    assert _found("After the US and EU gave assurances, talks in the U.S. ended.", gazetteer) == [
        ("country:US", "US"),
        ("country:US", "U.S."),
    ]
    assert _found("Let us go. USB sticks and Us Weekly.", gazetteer) == []
    assert _found("Ambasada SAD u Beogradu.", gazetteer, language="sr")[0] == ("country:US", "SAD")


def test_country_before_its_government_is_a_party(gazetteer: Gazetteer) -> None:
    assert _found("Payments from Serbia government stopped.", gazetteer) == [("country:RS", "Serbia")]
    assert _found("Payments from Belgrade government stopped.", gazetteer) == []


def test_capital_standing_for_its_government_is_not_a_place(gazetteer: Gazetteer) -> None:
    assert _found("Belgrade said the move was illegal.", gazetteer) == []
    assert _found("Leaders met in Belgrade on Friday.", gazetteer) == [("t:belgrade", "Belgrade")]


def test_lowercase_word_is_not_a_place(gazetteer: Gazetteer) -> None:
    assert _found("the road to zvecan and belgrade in Kosovo", gazetteer) == [("country:XK", "Kosovo")]


def test_month_name_is_not_a_place(gazetteer: Gazetteer) -> None:
    assert _found("Protests in Kosovo began in March.", gazetteer) == [("country:XK", "Kosovo")]


def test_capitalised_word_before_a_town_makes_it_a_surname(gazetteer: Gazetteer) -> None:
    assert ("t:zvecan", "Zvečan") not in _found("Minister Marko Zvečan visited Kosovo.", gazetteer)


def test_german_capitalised_noun_before_a_town_is_no_first_name(gazetteer: Gazetteer) -> None:
    found = _found("Am Montag kam es in der Ortschaft Zvecan im Kosovo zu Zusammenstössen.", gazetteer, "de")
    assert ("t:zvecan", "Zvecan") in found


def test_country_named_in_a_title_is_a_party_not_an_organisation(gazetteer: Gazetteer) -> None:
    assert ("country:RS", "Serbia") in _found("The President of Serbia spoke in Belgrade.", gazetteer)


def test_town_named_with_a_facility_after_it_is_still_a_place(gazetteer: Gazetteer) -> None:
    found = _found("The wounded were taken to the Kosovska Mitrovica hospital in Kosovo.", gazetteer)
    assert [pid for pid, _ in found if pid != "country:XK"] != []
