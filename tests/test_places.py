"""Tests for dashboard/places.py: finding gazetteer places in text, inflected or not, only with evidence."""

from __future__ import annotations

import pytest

from dashboard.gazetteer import Gazetteer
from dashboard.models import UnknownPlace
from dashboard.places import find_mentions, find_unknown_places
from dashboard.text import tokenize
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


def _unknown(text: str, gazetteer: Gazetteer, language: str = "en") -> list[tuple[str, str]]:
    """(name, surface) for each unknown place, checking that offsets point at the surface text."""
    unknown = find_unknown_places(text, gazetteer, language=language)
    for place in unknown:
        assert text[place.start : place.end] == place.surface
        assert place.surface in place.sentence
    return [(u.name, u.surface) for u in unknown]


def test_unknown_village_is_kept_with_its_offsets_and_sentence(gazetteer: Gazetteer) -> None:
    text = "Police came under fire.\n\nGunmen attacked them in the village of Banjska, near Zvečan. Three died."
    [place] = find_unknown_places(text, gazetteer, language="en")
    assert place == UnknownPlace(
        name="Banjska",
        surface="Banjska",
        start=text.index("Banjska"),
        end=text.index("Banjska") + len("Banjska"),
        sentence="Gunmen attacked them in the village of Banjska, near Zvečan.",
    )


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        ("en", "Police blocked the road near Leshak on Friday.", ("Leshak", "Leshak")),
        ("en", "Shots were fired in the hamlet of Rudare, Kosovo.", ("Rudare", "Rudare")),
        ("en", "He lives in Rudare, a village in Kosovo.", ("Rudare", "Rudare")),
        ("en", "In Rudare, police found weapons.", ("Rudare", "Rudare")),
        ("en", "Barricades went up in the village of Donja Varage.", ("Donja Varage", "Donja Varage")),
        ("sr", "Pucnjava u Banjskoj kod Zvečana. Banjska je malo selo.", ("Banjska", "Banjskoj")),
        ("sr", "Pucnjava u Banjskoj kod Zvečana.", ("Banjskoj", "Banjskoj")),
        ("sr", "Neredi u selu Donja Varaga, blizu Leposavića.", ("Donja Varaga", "Donja Varaga")),
        ("sr", "Protest je održan u Leshak-u na Kosovu.", ("Leshak", "Leshak-u")),
        ("sr", "Неред у селу Рударе код Лепосавића.", ("Рударе", "Рударе")),
        ("sq", "Sulm në fshatin Banjskë afër Zveçanit.", ("Banjskë", "Banjskë")),
        ("de", "Schüsse im Dorf Leshak nahe Zvecan.", ("Leshak", "Leshak")),
        ("fr", "Des affrontements près de Leshak au Kosovo.", ("Leshak", "Leshak")),
        ("it", "Scontri vicino a Leshak, in Kosovo.", ("Leshak", "Leshak")),
        ("es", "Enfrentamientos cerca de Leshak, en Kosovo.", ("Leshak", "Leshak")),
        ("ro", "Ciocniri în satul Rudare, lângă Zvecan.", ("Rudare", "Rudare")),
        ("sv", "Skottlossning nära Leshak i Kosovo.", ("Leshak", "Leshak")),
    ],
)
def test_name_after_a_place_cue_is_an_unknown_place(
    language: str, text: str, expected: tuple[str, str], gazetteer: Gazetteer
) -> None:
    assert _unknown(text, gazetteer, language) == [expected]


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("en", "The suspects are in Kosovo Police custody."),
        ("en", "Progress in Brussels-facilitated talks stalled."),
        ("en", "Protests in Kosovo began in March."),
        ("en", "Serbs in Serb areas stayed home."),
        ("en", "The statement was issued in English and Albanian."),
        ("en", "Heatwaves in Europe and in Asia."),
        ("en", "Troops in KFOR were on alert."),
        ("en", "Clashes In Rudare Leave Three Dead"),
        ("en", "Three Dead In Rudare"),
        ("en", "Protesters gathered outside Serb List offices and near Rudare Police headquarters."),
        ("en", "In Rudare Attack, Three Die. The attack began at dawn."),
        ("en", "Aleksandar Vucic said the talks in Vucic, as he put it, were over."),
        ("en", "Members met in Serb List offices."),
        ("en", "The road in Zvečan, near Zvecan and Zvechan, in Kosovo."),
        ("en", "Protesters gathered near the Ibar and in the north."),
        ("en", "Police were deployed in the village of Upper Rudare North Block Zone."),
        ("sr", "Sastanak je održan kod Vučića. Aleksandar Vučić je rekao da nema dogovora."),
        ("sr", "Neredi u Zvečanu i u Leposaviću, u Kosovu i u Evropi."),
        ("sr", "Poslanici iz Srpske liste u KFOR-u."),
        ("de", "Es kam in Rudare zu Schüssen bei Protesten."),
    ],
)
def test_what_is_no_unknown_place(language: str, text: str, gazetteer: Gazetteer) -> None:
    assert _unknown(text, gazetteer, language) == []


def test_weak_cue_needs_the_name_to_close_its_phrase(gazetteer: Gazetteer) -> None:
    assert _unknown("Police were deployed in Rudare yesterday.", gazetteer) == [("Rudare", "Rudare")]
    assert _unknown("Police were deployed in Rudare checkpoints.", gazetteer) == []
    assert _unknown("Police were deployed near Rudare checkpoints.", gazetteer) == [("Rudare", "Rudare")]


def test_unknown_places_share_the_tokens_of_find_mentions(gazetteer: Gazetteer) -> None:
    text = "Clashes in Zvečan and in the village of Banjska, Kosovo."
    tokens = tokenize(text)
    assert find_mentions(text, gazetteer, tokens=tokens) == find_mentions(text, gazetteer)
    assert find_unknown_places(text, gazetteer, tokens=tokens) == find_unknown_places(text, gazetteer)
    assert [m.surface for m in find_mentions(text, gazetteer, tokens=tokens)] == ["Zvečan", "Kosovo"]
