import datetime as dt

import pytest
from event_factory import LEPOSAVIC, ZUBIN_POTOK, ZVECAN, make_event, make_source

from dashboard.palette import type_colour
from dashboard.timeline import (
    DayCount,
    coarse_count,
    daily_counts,
    date_bounds,
    events_in_range,
    newest_first,
    timeline_chart,
)

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


def test_daily_counts_count_day_events_per_day_and_type_most_severe_first():
    events = [
        make_event(ZVECAN, "2023-05-26", sources=(make_source(event_type="protest"),)),
        make_event(LEPOSAVIC, "2023-05-26", sources=(make_source(event_type="attack"),)),
        make_event(ZUBIN_POTOK, "2023-05-26", sources=(make_source(event_type="protest"),)),
        make_event(ZVECAN, "2023-05-29"),
        make_event(ZVECAN, "2023-05", sources=(make_source(event_type="attack"),)),
    ]
    assert daily_counts(events) == [
        DayCount(D("2023-05-26"), "attack", 1),
        DayCount(D("2023-05-26"), "protest", 2),
        DayCount(D("2023-05-29"), "other", 1),
    ]
    assert coarse_count(events) == 1


def test_the_chart_spans_the_range_and_colours_types_as_the_map_does():
    events = [
        make_event(ZVECAN, "2023-05-26", sources=(make_source(event_type="clash"),)),
        make_event(LEPOSAVIC, "2023-05-26", sources=(make_source(event_type="clash"),)),
    ]
    spec = timeline_chart(daily_counts(events), D("2023-05-20"), D("2023-05-31"))
    assert spec["data"]["values"] == [
        {"day": "2023-05-26T00:00:00", "type": "clash or violence", "rank": 1, "events": 2}
    ]
    (bars,) = spec["layer"]
    assert bars["mark"]["type"] == "bar"
    # a bar fills its day, so the last day of the range runs to the next midnight
    assert bars["encoding"]["x"]["scale"]["domain"] == ["2023-05-20T00:00:00", "2023-06-01T00:00:00"]
    colours = dict(zip(*(bars["encoding"]["color"]["scale"][k] for k in ("domain", "range")), strict=True))
    assert colours["clash or violence"] == type_colour("clash")
    assert colours["other"] == type_colour("other")


def test_the_chart_of_no_events_still_spans_the_range():
    spec = timeline_chart([], D("2023-05-20"), D("2023-05-20"))
    assert spec["data"]["values"] == []
    assert spec["layer"][0]["encoding"]["x"]["scale"]["domain"] == ["2023-05-20T00:00:00", "2023-05-21T00:00:00"]


def test_a_playback_window_is_shaded_behind_the_bars_over_the_same_days():
    events = [make_event(ZVECAN, "2023-05-26", sources=(make_source(event_type="clash"),))]
    spec = timeline_chart(
        daily_counts(events), D("2023-05-01"), D("2023-05-31"), window=(D("2023-05-22"), D("2023-05-28"))
    )
    shade, bars = spec["layer"]
    assert shade["mark"]["type"] == "rect"
    assert shade["data"]["values"] == [{"from": "2023-05-22T00:00:00", "to": "2023-05-29T00:00:00"}]
    assert shade["encoding"]["x"]["scale"] == bars["encoding"]["x"]["scale"]
    assert spec["data"]["values"] == [
        {"day": "2023-05-26T00:00:00", "type": "clash or violence", "rank": 1, "events": 1}
    ]
