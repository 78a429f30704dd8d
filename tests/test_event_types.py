"""Tests for dashboard/event_types.py: a type per sentence from per-language stems, most severe first."""

from __future__ import annotations

import datetime as dt

import pytest

from dashboard.event_types import classify_event, event_type_label, event_types
from dashboard.models import Event, Place, Source


@pytest.mark.parametrize(
    ("sentence", "language", "expected"),
    [
        ("Serb protesters clashed with NATO troops in Zvečan.", "en", "clash"),
        ("Police arrested two men in Zvečan.", "en", "arrest"),
        ("Gunmen attacked a police patrol near Banjska.", "en", "attack"),
        ("Hundreds gathered to protest in Leposavić.", "en", "protest"),
        ("The mayor was sworn in at Zubin Potok.", "en", "political"),
        ("The weather in Zvečan was mild.", "en", "other"),
        ("Demonstranti su se okupili ispred opštine u Zvečanu.", "sr", "protest"),
        ("Демонстранти су се окупили у Звечану.", "sr", "protest"),
        ("U Zvečanu je uhapšen jedan muškarac.", "sr", "arrest"),
        ("Përleshje mes protestuesve dhe policisë në Zveçan.", "sq", "clash"),
        ("Die Polizei hat in Zvečan zwei Männer festgenommen.", "de", "arrest"),
        ("Scontri a Zvečan tra manifestanti e soldati.", "it", "clash"),
    ],
)
def test_sentence_types_by_language(sentence: str, language: str, expected: str) -> None:
    assert classify_event(sentence, language) == expected


def test_english_stems_apply_to_other_languages() -> None:
    assert classify_event("Policija je saopštila: tear gas was used.", "sr") == "clash"


def test_types_are_ordered_most_severe_first_with_other_last() -> None:
    assert event_types()[0] == "attack"
    assert event_types()[-1] == "other"
    assert event_type_label("clash") == "clash or violence"


def test_an_event_takes_the_most_severe_type_of_its_sources() -> None:
    day = dt.date(2023, 5, 26)
    place = Place("t:z", "Zvečan", 42.9, 20.8, "settlement", "XK")

    def source(kind: str) -> Source:
        return Source("a.txt", "a.txt", "t", day, "day", "s", event_type=kind)

    event = Event(place, day, "day", (source("protest"), source("clash"), source("other")), "s")
    assert event.event_type == "clash"
