"""Which events a date range shows: those whose Event.date .. Event.end_date overlaps the range."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from .models import Event


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
