from dataclasses import replace

import pytest
from event_factory import LEPOSAVIC, ZUBIN_POTOK, ZVECAN, make_place

from dashboard.highlight import date_spans, highlight_html, place_spans


def marked(text: str, spans) -> list[str]:
    return [text[start:end] for start, end in spans]


@pytest.mark.parametrize(
    ("sentence", "place", "expected"),
    [
        ("Police entered Zvečan on Friday.", ZVECAN, ["Zvečan"]),
        ("Police entered Zvecan on Friday.", ZVECAN, ["Zvecan"]),
        ("Policija je ušla u Звечан.", ZVECAN, ["Звечан"]),
        ("Protest u Zvečanu, pa u Zvečanu opet.", ZVECAN, ["Zvečanu", "Zvečanu"]),
        ("Dvojica iz Leposavića su uhapšena.", LEPOSAVIC, ["Leposavića"]),
        ("Në Leposaviq u mblodhën protestuesit.", LEPOSAVIC, ["Leposaviq"]),
        ("In the town of Zubin Potok, police stood by.", ZUBIN_POTOK, ["Zubin Potok"]),
        ("Police stood by in Zubin.", ZUBIN_POTOK, []),
        ("The zvecan road was closed.", ZVECAN, []),  # not written as a name
        ("Nothing about the place.", ZVECAN, []),
    ],
)
def test_the_place_is_found_in_its_spellings_and_case_forms(sentence, place, expected):
    assert marked(sentence, place_spans(sentence, place)) == expected


def test_aliases_are_found_too_and_a_longer_name_wins():
    mitrovica = replace(make_place("m", "Mitrovicë"), aliases=("Kosovska Mitrovica",))
    sentence = "U Mitrovici, Kosovska Mitrovica."
    assert marked(sentence, place_spans(sentence, mitrovica)) == ["Mitrovici", "Kosovska Mitrovica"]


@pytest.mark.parametrize(
    ("sentence", "evidence", "expected"),
    [
        ("Clashes erupted on Friday in Zvečan.", "Friday", ["Friday"]),
        ("Clashes erupted on friday in Zvečan.", "Friday", ["friday"]),
        ("Elections on 23 April 2023 were boycotted.", "23\nApril  2023", ["23 April 2023"]),
        ("Clashes erupted on Friday in Zvečan.", "story date: Friday", ["Friday"]),
        ("Clashes erupted on Fridays.", "Friday", []),  # whole words only
        ("Police stood by.", "story date: Friday", []),  # read from another sentence
        ("Police stood by today.", "publication day (reported as current news)", []),
        ("Police stood by.", "", []),
    ],
)
def test_the_date_expression_is_found_by_its_evidence(sentence, evidence, expected):
    assert marked(sentence, date_spans(sentence, evidence)) == expected


def test_highlighting_escapes_everything_and_marks_the_spans():
    text = "<b>Zvečan</b> on `Friday` & more"
    friday, zvecan = text.index("Friday"), text.index("Zvečan")
    html = highlight_html(text, [(friday, friday + 6, "date"), (zvecan, zvecan + 6, "place")])
    assert html == (
        '&lt;b&gt;<mark class="place">Zvečan</mark>&lt;/b&gt; on &#96;<mark class="date">Friday</mark>&#96; &amp; more'
    )


def test_overlapping_or_impossible_spans_are_skipped():
    text = "Zvečan Friday"
    assert highlight_html(text, [(0, 6, "place"), (3, 10, "date"), (7, 99, "x")]) == (
        '<mark class="place">Zvečan</mark> Friday'
    )
