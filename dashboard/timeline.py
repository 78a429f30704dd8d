"""Which events a date range shows (those whose Event.date .. Event.end_date overlaps it), and the timeline
under the map: events per day as stacked bars coloured by event type.

The chart is a Vega-Lite spec, the form Altair compiles to, built here as a plain dict: Streamlit renders it
with the same bundled Vega-Lite (``st.vega_lite_chart``), and tests read it without a browser.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from .event_types import event_type_label, event_types
from .models import Event
from .palette import type_colour

CHART_HEIGHT = 150
WINDOW_COLOUR = "#1f5fa8"


@dataclass(frozen=True, slots=True)
class DayCount:
    """How many events of one type happened on one day."""

    day: dt.date
    event_type: str
    count: int


def date_bounds(events: Iterable[Event]) -> tuple[dt.date, dt.date] | None:
    """The first and last day the events cover (a month event reaches its month's end); None if none."""
    events = list(events)
    if not events:
        return None
    return min(event.date for event in events), max(event.end_date for event in events)


def overlaps(event: Event, start: dt.date, end: dt.date) -> bool:
    """True when any day of the event's date (at its precision) falls in [start, end]."""
    return event.date <= end and event.end_date >= start


def events_in_range(events: Iterable[Event], start: dt.date, end: dt.date) -> list[Event]:
    """The events whose day, month or year overlaps [start, end], in their original order.

    Raises:
        ValueError: start is after end.
    """
    if start > end:
        raise ValueError(f"date range must run forwards, got {start.isoformat()} .. {end.isoformat()}")
    return [event for event in events if overlaps(event, start, end)]


def newest_first(events: Iterable[Event]) -> list[Event]:
    """Events ordered for reading: latest date first; for equal dates the more precise (shorter) one first."""
    return sorted(events, key=lambda event: (event.date, -event.end_date.toordinal()), reverse=True)


def daily_counts(events: Iterable[Event]) -> list[DayCount]:
    """Day-precision events counted per day and type, by day then type severity.

    Month- and year-precision events have no day, so they are not spread over days here (see
    ``coarse_count``): a bar means something was reported on that day.
    """
    order = {kind: index for index, kind in enumerate(event_types())}
    counts = Counter((e.date, e.event_type) for e in events if e.precision == "day")
    keys = sorted(counts, key=lambda key: (key[0], order.get(key[1], len(order))))
    return [DayCount(day, kind, counts[(day, kind)]) for day, kind in keys]


def coarse_count(events: Iterable[Event]) -> int:
    """How many events are dated only to a month or a year, which the daily timeline cannot place."""
    return sum(1 for event in events if event.precision != "day")


def timeline_chart(
    counts: Iterable[DayCount], start: dt.date, end: dt.date, *, window: tuple[dt.date, dt.date] | None = None
) -> dict[str, Any]:
    """Bars of ``counts`` (events per day and type, see ``daily_counts``) over [start, end], stacked by type (most severe at the bottom) in the map's
    colours; ``window`` (the days playback shows) is shaded, so the chart shows where it has got to.

    Days are written as local midnight, so the browser's time zone cannot shift a bar to the day before.
    """
    kinds = event_types()
    rows = [
        {
            "day": _midnight(c.day),
            "type": event_type_label(c.event_type),
            "rank": kinds.index(c.event_type) if c.event_type in kinds else len(kinds),
            "events": c.count,
        }
        for c in counts
    ]
    day = {"field": "day", "type": "temporal", "timeUnit": "yearmonthdate"}
    domain = [_midnight(start), _midnight(end + dt.timedelta(days=1))]
    bars = {
        "mark": {"type": "bar"},
        "encoding": {
            "x": {**day, "title": None, "scale": {"domain": domain}},
            "y": {
                "field": "events",
                "type": "quantitative",
                "stack": "zero",
                "title": "events per day",
                "axis": {"tickMinStep": 1},
            },
            "color": {
                "field": "type",
                "type": "nominal",
                "scale": {"domain": [event_type_label(k) for k in kinds], "range": [type_colour(k) for k in kinds]},
                "legend": None,
            },
            "order": {"field": "rank", "type": "quantitative"},
            "tooltip": [
                {**day, "title": "day"},
                {"field": "type", "type": "nominal", "title": "type"},
                {"field": "events", "type": "quantitative", "title": "events"},
            ],
        },
    }
    layers = [bars] if window is None else [_window_band(window, domain), bars]
    return {"data": {"values": rows}, "height": CHART_HEIGHT, "layer": layers}


def _window_band(window: tuple[dt.date, dt.date], domain: list[str]) -> dict[str, Any]:
    """A shaded band over the window's days, behind the bars, with data of its own."""
    band = {"from": _midnight(window[0]), "to": _midnight(window[1] + dt.timedelta(days=1))}
    return {
        "data": {"values": [band]},
        "mark": {"type": "rect", "color": WINDOW_COLOUR, "opacity": 0.18},
        "encoding": {
            "x": {"field": "from", "type": "temporal", "title": None, "scale": {"domain": domain}},
            "x2": {"field": "to"},
        },
    }


def _midnight(day: dt.date) -> str:
    return f"{day.isoformat()}T00:00:00"
