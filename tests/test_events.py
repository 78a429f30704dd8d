"""Tests for dashboard/events.py: one event per (place, date, precision), dated by its own sentence."""

from __future__ import annotations

import datetime as dt

from dashboard.dates import find_dates
from dashboard.events import extract_events
from dashboard.models import Article, Event
from dashboard.places import find_mentions
from tests.helpers import make_article, small_gazetteer

SATURDAY = dt.date(2023, 5, 27)
GAZETTEER = small_gazetteer()


def _events(article: Article) -> list[Event]:
    mentions = find_mentions(article.text, GAZETTEER, language="en")
    dates = find_dates(article.text, article.published, precision=article.published_precision, language="en")
    return extract_events(article, mentions, dates)


def _by_place(events: list[Event]) -> dict[str, list[Event]]:
    grouped: dict[str, list[Event]] = {}
    for event in events:
        grouped.setdefault(event.place.id, []).append(event)
    return grouped


def test_place_takes_the_date_of_its_own_sentence() -> None:
    article = make_article(
        "Talks in Belgrade ended on 20 May. Clashes broke out in Zvečan, Kosovo, on Friday.", SATURDAY
    )
    events = _by_place(_events(article))
    (zvecan,) = events["t:zvecan"]
    assert (zvecan.date, zvecan.precision, zvecan.date_resolved) == (dt.date(2023, 5, 26), "day", True)
    assert zvecan.sources[0].sentence == "Clashes broke out in Zvečan, Kosovo, on Friday."
    assert zvecan.sources[0].date_evidence == "Friday"
    assert zvecan.sources[0].article == "a.txt"
    (belgrade,) = events["t:belgrade"]
    assert belgrade.date == dt.date(2023, 5, 20)


def test_source_offsets_point_at_the_reporting_sentence() -> None:
    article = make_article("NATO spoke. Clashes broke out in Zvečan, Kosovo, on Friday.", SATURDAY)
    (zvecan,) = _by_place(_events(article))["t:zvecan"]
    source = zvecan.sources[0]
    assert article.text[source.start : source.end] == source.sentence
    assert zvecan.summary == source.sentence


def test_place_without_any_date_gets_one_event_at_publication() -> None:
    article = make_article("Protesters gathered in Zvečan, Kosovo. Police watched Zvečan closely.", SATURDAY)
    zvecan = [e for e in _events(article) if e.place.id == "t:zvecan"]
    assert [(e.date, e.precision) for e in zvecan] == [(SATURDAY, "day")]
    assert "publication" in zvecan[0].sources[0].date_evidence


def test_undated_place_after_another_date_is_unresolved() -> None:
    article = make_article("Talks in Belgrade failed on 2 May.\n\nPolice watched Zvečan, Kosovo.", SATURDAY)
    zvecan = [e for e in _events(article) if e.place.id == "t:zvecan"]
    assert [(e.date, e.date_resolved) for e in zvecan] == [(SATURDAY, False)]
    assert not zvecan[0].sources[0].date_resolved


def test_place_reported_before_any_date_is_current_news() -> None:
    article = make_article("Protesters gathered in Zvečan, Kosovo. Police watched Zvečan closely.", SATURDAY)
    events = _events(article)
    zvecan = [e for e in events if e.place.id == "t:zvecan"]
    assert len(zvecan) == 1
    assert (zvecan[0].date, zvecan[0].precision, zvecan[0].date_resolved) == (SATURDAY, "day", True)
    assert zvecan[0].sources[0].date_evidence == "publication day (reported as current news)"


def test_undated_place_takes_the_story_date_from_the_first_date() -> None:
    article = make_article(
        "Serbs protested on Friday, police said.\n\nTalks in Belgrade failed on Monday.\n\nCrowds stayed in Zvečan, Kosovo.",
        SATURDAY,
    )
    (zvecan,) = _by_place(_events(article))["t:zvecan"]
    assert (zvecan.date, zvecan.date_resolved) == (dt.date(2023, 5, 26), True)
    assert zvecan.sources[0].date_evidence == "story date: Friday"


def test_an_old_first_date_is_background_not_the_story_date() -> None:
    article = make_article("Crossings closed on 10 April reopened.\n\nCrowds left Zvečan, Kosovo.", SATURDAY)
    (zvecan,) = _by_place(_events(article))["t:zvecan"]
    assert (zvecan.date, zvecan.date_resolved) == (SATURDAY, False)


def test_month_dated_article_takes_a_day_in_its_month_as_story_date() -> None:
    article = make_article(
        "Sirens sounded on Sunday, 28 May.\n\nCrowds gathered in Zvečan, Kosovo.", dt.date(2023, 5, 1), "month"
    )
    (zvecan,) = _by_place(_events(article))["t:zvecan"]
    assert (zvecan.date, zvecan.precision) == (dt.date(2023, 5, 28), "day")


def test_the_opening_sentences_other_dates_belong_to_the_story() -> None:
    article = make_article(
        "Elections are held on Saturday where mayors resigned in November 2022.\n\nVoters in Zvečan, Kosovo, stayed away.",
        SATURDAY,
    )
    zvecan = _by_place(_events(article))["t:zvecan"]
    assert sorted((e.date, e.precision) for e in zvecan) == [(dt.date(2022, 11, 1), "month"), (SATURDAY, "day")]


def test_a_time_stamp_dates_no_event_but_says_the_article_is_current() -> None:
    article = make_article(
        "2023-05-27 19:16:38 Newsroom\n\nThe vote of 20 April 2022 was boycotted.\n\nPolls stayed open in Zvečan, Kosovo.",
        SATURDAY,
    )
    (zvecan,) = _by_place(_events(article))["t:zvecan"]
    assert (zvecan.date, zvecan.date_resolved) == (SATURDAY, True)
    assert zvecan.sources[0].date_evidence == "story date: 2023-05-27"


def test_an_article_speaking_of_today_reports_undated_places_as_current() -> None:
    article = make_article(
        "The vote of 2 April was boycotted.\n\nToday the mayor spoke.\n\nPolls stayed open in Zvečan, Kosovo.",
        SATURDAY,
    )
    (zvecan,) = _by_place(_events(article))["t:zvecan"]
    assert (zvecan.date, zvecan.date_resolved) == (SATURDAY, True)
    assert zvecan.sources[0].date_evidence == "publication day (reported as current news)"


def test_two_mentions_of_the_same_place_and_date_are_one_event() -> None:
    article = make_article(
        "Clashes broke out in Zvečan, Kosovo, on Friday. On Friday evening Zvečan was calm again.", SATURDAY
    )
    zvecan = _by_place(_events(article))["t:zvecan"]
    assert len(zvecan) == 1
    assert zvecan[0].date == dt.date(2023, 5, 26)
    assert len(zvecan[0].sources) == 1
    assert zvecan[0].sources[0].sentence.startswith("Clashes broke out in Zvečan")


def test_same_place_on_two_dates_is_two_events() -> None:
    article = make_article(
        "Talks in Zvečan, Kosovo, failed on 20 May. Clashes broke out in Zvečan on Friday.", SATURDAY
    )
    zvecan = _by_place(_events(article))["t:zvecan"]
    assert sorted(e.date for e in zvecan) == [dt.date(2023, 5, 20), dt.date(2023, 5, 26)]


def test_a_dated_mention_replaces_the_publication_date_stand_in() -> None:
    article = make_article("Zvečan is a town in Kosovo. Clashes broke out in Zvečan on Friday.", SATURDAY)
    zvecan = _by_place(_events(article))["t:zvecan"]
    assert [(e.date, e.date_resolved) for e in zvecan] == [(dt.date(2023, 5, 26), True)]


def test_date_earlier_in_the_paragraph_carries_over() -> None:
    article = make_article(
        "On Friday, tension grew. Police entered Zvečan, Kosovo.\n\nLater, Belgrade spoke up.", SATURDAY
    )
    events = _by_place(_events(article))
    assert [e.date for e in events["t:zvecan"]] == [dt.date(2023, 5, 26)]
