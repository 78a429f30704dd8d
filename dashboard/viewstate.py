"""The view a link shares: date range, filters, marker size and selected place as URL query parameters.

``?from=2023-05-26&to=2023-05-29&type=clash&type=arrest&place=geonames:783770`` opens that view. A
parameter holding its default (the whole date range, no filter, markers sized by events, no place) is
left out, so a plain link stays plain. Parsing never fails: a value that does not parse is dropped and
its default applies, since a link may have been edited or may outlive the data it pointed at.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Final

from .filters import Filters
from .mapview import SIZE_BY

FROM, TO, PLACE, SIZE, TEXT = "from", "to", "place", "size", "q"
COUNTRY, PLACES, TYPE, SOURCE = "country", "places", "type", "source"
PARAMS: Final = (FROM, TO, COUNTRY, PLACES, TYPE, SOURCE, TEXT, SIZE, PLACE)


@dataclass(frozen=True, slots=True)
class View:
    """What the page shows; ``start``/``end`` None means from the first / to the last event."""

    start: dt.date | None = None
    end: dt.date | None = None
    filters: Filters = field(default_factory=Filters)
    size_by: str = SIZE_BY[0]
    place: str | None = None


def view_from_query(params: Mapping[str, Sequence[str]]) -> View:
    """The view a URL's parameters describe (each name mapped to all its values, as ``get_all`` gives)."""

    def values(name: str) -> tuple[str, ...]:
        return tuple(dict.fromkeys(v for v in params.get(name, ()) if v))

    start, end = _date(values(FROM)), _date(values(TO))
    if start and end and start > end:
        start, end = end, start
    size = _last(values(SIZE))
    filters = Filters(
        countries=values(COUNTRY),
        places=values(PLACES),
        types=values(TYPE),
        sources=values(SOURCE),
        text=_last(values(TEXT)) or "",
    )
    return View(start, end, filters, size if size in SIZE_BY else SIZE_BY[0], _last(values(PLACE)))


def view_to_query(
    view: View, *, bounds: tuple[dt.date, dt.date] | None = None, opening: tuple[dt.date, dt.date] | None = None
) -> dict[str, list[str]]:
    """The parameters that describe ``view``, leaving out defaults.

    A date equal to its end of ``bounds`` is a default. When the page opens on an ``opening`` range other
    than the bounds (the last days of a large store), that range moves as the store grows, so a link names
    both dates unless the view is the opening range itself.
    """
    first, last = bounds or (None, None)
    if opening is not None and opening != bounds:
        first, last = opening if (view.start, view.end) == opening else (None, None)
    query = {
        FROM: [view.start.isoformat()] if view.start and view.start != first else [],
        TO: [view.end.isoformat()] if view.end and view.end != last else [],
        COUNTRY: list(view.filters.countries),
        PLACES: list(view.filters.places),
        TYPE: list(view.filters.types),
        SOURCE: list(view.filters.sources),
        TEXT: [view.filters.text.strip()] if view.filters.text.strip() else [],
        SIZE: [view.size_by] if view.size_by != SIZE_BY[0] else [],
        PLACE: [view.place] if view.place else [],
    }
    return {name: value for name, value in query.items() if value}


def clamp_range(
    view: View, bounds: tuple[dt.date, dt.date], *, opening: tuple[dt.date, dt.date] | None = None
) -> tuple[dt.date, dt.date]:
    """The view's date range inside ``bounds``, so a link made before the store grew or shrank still opens.

    A date the link leaves out is the ``opening`` range's (by default all of ``bounds``), and a range wholly
    outside the bounds becomes the opening range; ``view_to_query`` leaves out the dates equal to it.
    """
    first, last = bounds
    default_start, default_end = opening or bounds
    start, end = max(view.start or default_start, first), min(view.end or default_end, last)
    return (start, end) if start <= end else (default_start, default_end)


def _date(values: tuple[str, ...]) -> dt.date | None:
    try:
        return dt.date.fromisoformat(values[-1]) if values else None
    except ValueError:
        return None


def _last(values: tuple[str, ...]) -> str | None:
    return values[-1] if values else None
