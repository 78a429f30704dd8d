"""What the page shows for a date range and filters, worked out either from the events in memory or by the
store's database, behind one interface, so the app draws the same map from both.

A store of fewer than ``AGGREGATE_FROM`` events is read whole once per version (``MemoryData``): every rerun then
filters a list, which is faster than several queries. A larger store is never loaded: ``StoreData`` asks the
database for the places with their counts (one row per marker), the counts per day and type, and the events
of the clicked place only (``event_sql``), on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Protocol

from .counts import ShownCounts, count_shown
from .event_sql import (
    Selection,
    cell_counts,
    date_extremes,
    page_counts,
    place_event_ids,
    places_in_cell,
    places_with_events,
    reporting_articles,
    search_words,
    type_of_rank,
)
from .filters import ArticleLabel, FilterOptions, apply_filters, filter_options, options_for
from .mapview import PlaceSummary, summarise_places
from .models import PRECISIONS, Event, Place, last_day
from .store import _place
from .stores import AnyStore, open_store
from .text import fold
from .timeline import DayCount, coarse_count, daily_counts, date_bounds, events_in_range, newest_first

AGGREGATE_FROM = 50_000
"""From this many events the page asks the database rather than loading the events."""
OPENING_DAYS = 30
WHOLE_RANGE_UP_TO = 200_000
"""A store of more events opens on its last ``OPENING_DAYS`` days: a million events take seconds to count."""
MAX_MARKERS = 5_000
"""Past this many places shown, the database groups them into grid cells, one marker each."""
CELL_PREFIX = "cell:"
SOURCE_OPTIONS = 5_000
"""The newest articles the source filter offers when the store is aggregated (a longer list is unusable)."""


@dataclass(frozen=True, slots=True)
class Tallies:
    """The shown events counted: the sidebar's totals, the timeline's bars and the month- or year-dated rest."""

    counts: ShownCounts
    days: list[DayCount]
    coarse: int


@dataclass(frozen=True, slots=True)
class CellPlaces:
    """The places of one grid cell marker, with their shown events, most first (at most the limit asked)."""

    cell_id: str
    places: list[tuple[Place, int]]
    more: bool  # the cell holds more places than listed


@dataclass(frozen=True, slots=True)
class PlaceEvents:
    """A place's shown events for the panel (newest first, at most the limit asked) and how many there are."""

    place: Place
    events: list[Event]
    total: int


class PageData(Protocol):
    """The questions the page asks of the store, for one version of it."""

    total: int

    def bounds(self) -> tuple[dt.date, dt.date] | None: ...
    def opening_range(self, bounds: tuple[dt.date, dt.date]) -> tuple[dt.date, dt.date]: ...
    def options(self) -> FilterOptions: ...
    def summaries(self, selection: Selection) -> list[PlaceSummary]: ...
    def tallies(self, selection: Selection) -> Tallies: ...
    def place_events(self, place_id: str, selection: Selection, *, limit: int) -> PlaceEvents | None: ...
    def cell_places(self, cell_id: str, selection: Selection, *, limit: int) -> CellPlaces | None: ...


class MemoryData:
    """The page's answers from every event, held in memory."""

    def __init__(self, events: list[Event]) -> None:
        self.events = events
        self.total = len(events)
        self._places = {event.place.id: event.place for event in events}
        self._options = filter_options(events)
        self._bounds = date_bounds(events)
        # A rerun asks for the map, the counts and the panel of one selection: filter once for all three.
        self.shown = lru_cache(maxsize=8)(self._shown)

    def bounds(self) -> tuple[dt.date, dt.date] | None:
        return self._bounds

    def opening_range(self, bounds: tuple[dt.date, dt.date]) -> tuple[dt.date, dt.date]:
        """Every date: the events are in memory, so the whole range is quick to show."""
        return bounds

    def options(self) -> FilterOptions:
        return self._options

    def _shown(self, selection: Selection) -> list[Event]:
        return apply_filters(events_in_range(self.events, selection.start, selection.end), selection.filters)

    def summaries(self, selection: Selection) -> list[PlaceSummary]:
        return summarise_places(self.shown(selection))

    def tallies(self, selection: Selection) -> Tallies:
        shown = self.shown(selection)
        return Tallies(count_shown(shown, self.total), daily_counts(shown), coarse_count(shown))

    def place_events(self, place_id: str, selection: Selection, *, limit: int) -> PlaceEvents | None:
        place = self._places.get(place_id)
        if place is None:
            return None
        here = [event for event in self.shown(selection) if event.place.id == place_id]
        return PlaceEvents(place, newest_first(here)[:limit], len(here))

    def cell_places(self, cell_id: str, selection: Selection, *, limit: int) -> CellPlaces | None:
        """None: in memory every place is its own marker."""
        return None


class StoreData:
    """The page's answers counted by the store's database; only the places (one row each) stay in memory.

    ``connect`` opens the store (each question opens it for its own queries, so the object can be cached and
    shared between sessions while the connection is not).
    """

    def __init__(
        self,
        connect: Callable[[], AnyStore],
        total: int,
        *,
        whole_range_up_to: int = WHOLE_RANGE_UP_TO,
        max_markers: int = MAX_MARKERS,
    ) -> None:
        self._connect = connect
        self.total = total
        self._whole_range_up_to = whole_range_up_to
        self._max_markers = max_markers
        with connect() as store:
            self._places = {row[0]: _place(row) for row in store.select(places_with_events())}
            self._extremes = store.select(date_extremes())
            articles = store.select(reporting_articles(store.DIALECT, limit=SOURCE_OPTIONS))
        self._options = options_for(self._places.values(), [_article_label(row) for row in articles])
        self._folded_names = {place_id: fold(place.name) for place_id, place in self._places.items()}
        # The map and the counts of a rerun come from one query, asked once.
        self._counted = lru_cache(maxsize=8)(self._count)

    @classmethod
    def of(
        cls, target: str, total: int, *, whole_range_up_to: int = WHOLE_RANGE_UP_TO, max_markers: int = MAX_MARKERS
    ) -> StoreData:
        return cls(lambda: open_store(target), total, whole_range_up_to=whole_range_up_to, max_markers=max_markers)

    def bounds(self) -> tuple[dt.date, dt.date] | None:
        spans = [_span(precision, first, last) for precision, first, last in self._extremes if first is not None]
        if not spans:
            return None
        return min(first for first, _ in spans), max(last for _, last in spans)

    def opening_range(self, bounds: tuple[dt.date, dt.date]) -> tuple[dt.date, dt.date]:
        """Every date, or past ``whole_range_up_to`` events the last ``OPENING_DAYS`` days, the latest news,
        which the database counts in a fraction of the time of the whole range."""
        if self.total <= self._whole_range_up_to:
            return bounds
        first, last = bounds
        return max(first, last - dt.timedelta(days=OPENING_DAYS - 1)), last

    def options(self) -> FilterOptions:
        return self._options

    def summaries(self, selection: Selection) -> list[PlaceSummary]:
        return self._counted(selection)[0]

    def tallies(self, selection: Selection) -> Tallies:
        return self._counted(selection)[1]

    def _count(self, selection: Selection) -> tuple[list[PlaceSummary], Tallies]:
        """The markers and the tallies from one query (``event_sql.page_counts``), and when more places show
        than ``max_markers`` a second that groups them into grid cells (``event_sql.cell_counts``)."""
        words = self._words(selection)
        rows = self._ask(lambda store: store.select(page_counts(selection, store.DIALECT, places_by_word=words)))
        summaries, tallies = _page(rows, self._places, total=self.total)
        if len(summaries) <= self._max_markers:
            return summaries, tallies
        size = _cell_size([summary.place for summary in summaries], across=math.isqrt(self._max_markers))
        rows = self._ask(
            lambda store: store.select(cell_counts(selection, store.DIALECT, size=size, places_by_word=words))
        )
        return _cells(rows, size), tallies

    def cell_places(self, cell_id: str, selection: Selection, *, limit: int) -> CellPlaces | None:
        """The places of a grid cell marker (``cell:SIZE:KEY``), or None for an id that names no cell."""
        size, key = _parse_cell(cell_id)
        if size is None:
            return None
        words = self._words(selection)
        rows = self._ask(
            lambda store: store.select(
                places_in_cell(selection, store.DIALECT, key, size=size, limit=limit + 1, places_by_word=words)
            )
        )
        members = [(self._places[place_id], int(count)) for place_id, count in rows if place_id in self._places]
        if not members:
            return None
        return CellPlaces(cell_id, members[:limit], more=len(members) > limit)

    def place_events(self, place_id: str, selection: Selection, *, limit: int) -> PlaceEvents | None:
        place = self._places.get(place_id)
        if place is None:
            return None
        words = self._words(selection)

        def ask(store: AnyStore) -> PlaceEvents:
            rows = store.select(place_event_ids(selection, store.DIALECT, place_id, limit=limit, places_by_word=words))
            events = store.events_by_ids([row[0] for row in rows]) if rows else []
            return PlaceEvents(place, events, int(rows[0][1]) if rows else 0)

        return self._ask(ask)

    def _words(self, selection: Selection) -> dict[str, list[str]]:
        """For each word of the text filter, the places whose folded name holds it."""
        return {
            word: [place_id for place_id, name in self._folded_names.items() if word in name]
            for word in search_words(selection.filters.text)
        }

    def _ask(self, question: Callable[[AnyStore], Any]) -> Any:
        with self._connect() as store:
            return question(store)


def _page(rows: Iterable[Sequence[Any]], places: dict[str, Place], *, total: int) -> tuple[list[PlaceSummary], Tallies]:
    """Markers and tallies from ``page_counts`` rows (kind, key, day, a, b, c)."""
    found: list[tuple[str, str, int, int, int]] = []
    articles: dict[str, int] = {}
    by_type: Counter[str] = Counter()
    days: Counter[tuple[dt.date, int]] = Counter()
    coarse = reached_articles = reached_places = 0
    for kind, key, day, a, b, c in rows:
        if kind == "place":
            found.append((str(day), key, int(a), int(b), int(c)))
        elif kind == "articles":
            articles[key] = int(a)
        elif kind == "day":
            by_type[type_of_rank(int(a))] += int(b)
            if key == "day":
                days[(_date(day), int(a))] += int(b)
            else:
                coarse += int(b)
        else:
            reached_articles, reached_places = int(a), int(b)
    summaries = [
        PlaceSummary(places[place_id], events, articles[place_id], type_of_rank(rank), PRECISIONS[fine])
        for _, place_id, events, rank, fine in sorted(found)
        if place_id in places
    ]
    counts = ShownCounts(
        events=by_type.total(), total=total, places=reached_places, articles=reached_articles, by_type=dict(by_type)
    )
    bars = [DayCount(day, type_of_rank(rank), days[(day, rank)]) for day, rank in sorted(days)]
    return summaries, Tallies(counts, bars, coarse)


def _cell_size(places: Sequence[Place], *, across: int) -> float:
    """Degrees per cell: ``across`` cells along the longer side of the places' extent, so there are at most
    about ``across`` squared (a kilometre at least)."""
    lats, lons = [place.lat for place in places], [place.lon for place in places]
    return round(max(max(lats) - min(lats), max(lons) - min(lons), 0.01 * across) / max(1, across), 6)


def _cells(rows: Iterable[Sequence[Any]], size: float) -> list[PlaceSummary]:
    """Cell markers from ``cell_counts`` rows; a cell's id carries its size, to find its places on a click."""
    centres: dict[str, tuple[float, float, int]] = {}
    events: dict[str, tuple[int, int, int]] = {}
    articles: dict[str, int] = {}
    for kind, key, a, b, c, _ in rows:
        if kind == "cell":
            centres[key] = (float(a), float(b), int(c))
        elif kind == "events":
            events[key] = (int(a), int(b), int(c))
        else:
            articles[key] = int(a)
    summaries = []
    for key in sorted(centres):
        lat, lon, places = centres[key]
        count, rank, fine = events[key]
        cell = Place(f"{CELL_PREFIX}{size}:{key}", f"{places} places", lat, lon, "region", "")
        summaries.append(PlaceSummary(cell, count, articles[key], type_of_rank(rank), PRECISIONS[fine]))
    return summaries


def _parse_cell(cell_id: str) -> tuple[float | None, str]:
    """The size and key of a cell id, or (None, "") for an id that is not a cell's."""
    if not cell_id.startswith(CELL_PREFIX):
        return None, ""
    size, _, key = cell_id[len(CELL_PREFIX) :].partition(":")
    try:
        value = float(size)
    except ValueError:
        return None, ""
    # An id comes from the URL too: only a real cell size goes into the query.
    return (value, key) if math.isfinite(value) and 0 < value <= 360 else (None, "")


def _span(precision: str, first: object, last: object) -> tuple[dt.date, dt.date]:
    """The days covered from the first event's date to the end of the last one's day, month or year."""
    return _date(first), last_day(_date(last), precision)


def _date(value: object) -> dt.date:
    """A date from either driver: SQLite gives ISO text, psycopg a date."""
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


def _article_label(row: Sequence[Any]) -> ArticleLabel:
    name, published, precision, title = row
    return ArticleLabel(name, _date(published), precision, title)
