import datetime as dt

import pytest
from event_factory import ZVECAN, make_event

from dashboard.timeline import date_bounds, events_in_range, newest_first

D = dt.date.fromisoformat


def test_bounds_reach_the_end_of_a_month_event():
    events = [make_event(ZVECAN, "2023-05-26"), make_event(ZVECAN, "2023-06-01", precision="month")]
    assert date_bounds(events) == (D("2023-05-26"), D("2023-06-30"))


def test_no_events_have_no_bounds():
    assert date_bounds([]) is None


@pytest.mark.parametrize(
    ("day", "precision", "start", "end", "shown"),
    [
        ("2023-05-26", "day", "2023-05-26", "2023-05-26", True),
        ("2023-05-26", "day", "2023-05-27", "2023-06-30", False),
        ("2023-05-01", "month", "2023-05-31", "2023-06-02", True),
        ("2023-05-01", "month", "2023-06-01", "2023-06-02", False),
        ("2023-01-01", "year", "2023-12-31", "2024-01-05", True),
        ("2023-01-01", "year", "2022-01-01", "2022-12-31", False),
    ],
)
def test_an_event_shows_when_its_day_month_or_year_overlaps(day, precision, start, end, shown):
    event = make_event(ZVECAN, day, precision=precision)
    assert events_in_range([event], D(start), D(end)) == ([event] if shown else [])


def test_a_backwards_range_is_refused():
    with pytest.raises(ValueError, match=r"2023-06-01 \.\. 2023-05-01"):
        events_in_range([], D("2023-06-01"), D("2023-05-01"))


def test_newest_first_puts_the_precise_date_before_its_month():
    day = make_event(ZVECAN, "2023-05-01", summary="day")
    month = make_event(ZVECAN, "2023-05-01", precision="month", summary="month")
    later = make_event(ZVECAN, "2023-05-26", summary="later")
    assert [e.summary for e in newest_first([month, day, later])] == ["later", "day", "month"]
