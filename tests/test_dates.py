"""Tests for dashboard/dates.py: date expressions resolved against a fixed publication date."""

from __future__ import annotations

import datetime as dt

import pytest

from dashboard.dates import find_dates
from dashboard.models import Precision

SATURDAY = dt.date(2023, 5, 27)


def _dates(
    text: str, published: dt.date = SATURDAY, *, language: str = "en", precision: Precision = "day"
) -> list[tuple[dt.date, str]]:
    """(date, precision) for each expression found, checking that offsets point at the evidence."""
    found = find_dates(text, published, precision=precision, language=language)
    for mention in found:
        assert mention.date.resolved
        assert mention.date.evidence.rstrip(".") == text[mention.start : mention.end].rstrip(".")
    return [(m.date.value, m.date.precision) for m in found]


@pytest.mark.parametrize(
    ("published", "expected"),
    [
        (dt.date(2023, 5, 27), dt.date(2023, 5, 26)),  # Saturday: the day before
        (dt.date(2023, 6, 5), dt.date(2023, 6, 2)),  # Monday: last Friday
        (dt.date(2023, 6, 1), dt.date(2023, 5, 26)),  # Thursday: back across the month end
        (dt.date(2023, 5, 26), dt.date(2023, 5, 26)),  # Friday itself
    ],
)
def test_weekday_is_the_latest_such_day_up_to_publication(published: dt.date, expected: dt.date) -> None:
    assert _dates("Clashes broke out on Friday.", published) == [(expected, "day")]


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Clashes broke out May 26 in the north.", "en"),
        ("Clashes broke out on May 26, 2023.", "en"),
        ("Clashes broke out on 26 May 2023.", "en"),
        ("Neredi su izbili 26. maja 2023. godine.", "sr"),
        ("Neredi su izbili 26.05.2023. godine.", "sr"),
        ("Clashes on 2023-05-26 in the north.", "en"),
        ("Përleshjet ndodhën më 26 maj në veri.", "sq"),
        ("Die Zusammenstöße begannen am 26. Mai im Norden.", "de"),
        ("Gli scontri sono iniziati il 26 maggio nel nord.", "it"),
    ],
)
def test_day_and_month_in_several_languages(text: str, language: str) -> None:
    assert _dates(text, language=language) == [(dt.date(2023, 5, 26), "day")]


def test_day_and_month_without_year_after_publication_is_last_year() -> None:
    assert _dates("The talks of December 10 failed.", dt.date(2023, 1, 5)) == [(dt.date(2022, 12, 10), "day")]


def test_day_and_month_without_year_before_publication_is_this_year() -> None:
    assert _dates("The talks of January 3 failed.", dt.date(2023, 1, 5)) == [(dt.date(2023, 1, 3), "day")]


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Police came yesterday.", "en"),
        ("Policija je došla juče.", "sr"),
        ("Juče je policija došla.", "sr"),
        ("Policija je stigla u petak.", "sr"),
        ("Policia erdhi dje.", "sq"),
    ],
)
def test_relative_days(text: str, language: str) -> None:
    assert _dates(text, language=language) == [(dt.date(2023, 5, 26), "day")]


def test_last_month_has_month_precision() -> None:
    assert _dates("Tensions rose last month.") == [(dt.date(2023, 4, 1), "month")]


def test_month_after_publication_is_last_years_month() -> None:
    assert _dates("The elections in November were boycotted.") == [(dt.date(2022, 11, 1), "month")]


def test_month_before_publication_is_this_years_month() -> None:
    assert _dates("The elections in April were boycotted.") == [(dt.date(2023, 4, 1), "month")]


@pytest.mark.parametrize("text", ["Clashes broke out on Friday.", "Clashes broke out yesterday."])
def test_month_precision_publication_makes_relative_dates_month_precision(text: str) -> None:
    assert _dates(text, dt.date(2023, 5, 1), precision="month") == [(dt.date(2023, 5, 1), "month")]


def test_explicit_date_keeps_day_precision_in_a_month_precision_article() -> None:
    assert _dates("It began on 26 May 2023.", dt.date(2023, 5, 1), precision="month") == [(dt.date(2023, 5, 26), "day")]


@pytest.mark.parametrize(
    "text",
    [
        "Police moved in at 0530 local time.",
        "About 30 NATO soldiers were injured.",
        "Under resolution 1244 the mission stays.",
        "Roughly 1,500 people and 25 vehicles gathered.",
        "The may be a problem; a friday-night market.",
        "Clashes on 2023-02-30 and 31.04.2023. are impossible dates.",
    ],
)
def test_numbers_and_words_that_are_not_dates(text: str) -> None:
    assert _dates(text) == []


def test_several_dates_in_text_order() -> None:
    text = "After talks on 20 May, clashes broke out on Friday. Police came yesterday."
    assert _dates(text) == [
        (dt.date(2023, 5, 20), "day"),
        (dt.date(2023, 5, 26), "day"),
        (dt.date(2023, 5, 26), "day"),
    ]


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        ("Clashes broke out on 26. 11. 2022.", "sr", (dt.date(2022, 11, 26), "day")),
        ("Monday's clashes left 30 hurt.", "en", (dt.date(2023, 5, 22), "day")),
        ("Die Polizei kam am Freitag.", "de", (dt.date(2023, 5, 26), "day")),
        ("La polizia è arrivata venerdì.", "it", (dt.date(2023, 5, 26), "day")),
        ("Policia erdhi të premten.", "sq", (dt.date(2023, 5, 26), "day")),
        ("La polizia è arrivata ieri.", "it", (dt.date(2023, 5, 26), "day")),
        ("Policija je došla jučer.", "hr", (dt.date(2023, 5, 26), "day")),
        ("Protests are planned tonight.", "en", (SATURDAY, "day")),
        ("Protest je zakazan večeras.", "sr", (SATURDAY, "day")),
        ("Protesta mbahet sonte.", "sq", (SATURDAY, "day")),
        ("Shots were fired last night.", "en", (dt.date(2023, 5, 26), "day")),
        ("Shots were fired two days ago.", "en", (dt.date(2023, 5, 25), "day")),
        ("The vote was held last year.", "en", (dt.date(2022, 1, 1), "year")),
        ("Shots were fired earlier this week.", "en", (dt.date(2023, 5, 1), "month")),
        ("Policija je došla ranije ove nedelje.", "sr", (dt.date(2023, 5, 1), "month")),
        ("Policija je stigla u nedjelju.", "sr", (dt.date(2023, 5, 21), "day")),
        ("Izbori su održani 1. kolovoza.", "sr", (dt.date(2022, 8, 1), "day")),
    ],
)
def test_listed_forms(text: str, language: str, expected: tuple[dt.date, str]) -> None:
    assert _dates(text, language=language) == [expected]


def test_weekday_with_its_date_is_one_expression_with_the_date() -> None:
    assert _dates("Sirens sounded on Sunday, 21 May.", dt.date(2023, 5, 1), precision="month") == [
        (dt.date(2023, 5, 21), "day")
    ]


def test_a_month_name_that_is_also_a_common_word_needs_a_year() -> None:
    assert _dates("În mai multe orașe sunt tensiuni.", language="ro") == []
    assert _dates("Alegerile din mai 2023 au fost boicotate.", language="ro") == [(dt.date(2023, 5, 1), "month")]


def test_tomorrow_with_its_date_pins_the_day_of_a_month_dated_article() -> None:
    text = "Sirene su se oglasile u nedjelju. Mjere stupaju na snagu od sutra, 1. kolovoza."
    assert _dates(text, dt.date(2022, 7, 1), language="sr", precision="month") == [
        (dt.date(2022, 7, 31), "day"),
        (dt.date(2022, 8, 1), "day"),
    ]


def test_a_time_stamp_is_marked_as_such() -> None:
    (stamp, event) = find_dates("2023-05-27 19:16:38 Newsroom. Clashes on 2023-05-26.", SATURDAY)
    assert (stamp.date.value, stamp.stamp) == (SATURDAY, True)
    assert (event.date.value, event.stamp) == (dt.date(2023, 5, 26), False)


def test_a_relative_unit_reads_whatever_was_read_before() -> None:
    """A phrase table built for one reading must not stand in for another's (this month after a Serbian text)."""
    find_dates("Prošlog meseca je u Zvečanu bilo mirno, 3 dana.", SATURDAY, language="sr")
    found = find_dates("Earlier this month Pristina said it would open the bridge.", SATURDAY, language="en")
    assert [(m.date.value, m.date.precision, m.date.evidence) for m in found] == [
        (dt.date(2023, 5, 1), "month", "this month")
    ]
