"""The queries behind a large store's page: the events a date range and the filters show, counted per place,
per day and type, and listed for one place, in SQL that both backends run.

The rules are those the page applies to events in memory (``timeline.events_in_range``,
``filters.apply_filters``, ``Event.event_type``), so a store of any size shows the same map: an event shows
when its day, month or year overlaps the range; its type is the most severe of its sources' types; the text
filter keeps events whose place name or any source's title or sentence (``event_sources.folded``, stored
folded) holds every word. The dialects differ only where ``dialects.Dialect`` says.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field

from .dialects import Dialect, Query
from .event_types import OTHER, event_types
from .filters import Filters
from .models import PRECISIONS
from .text import fold


@dataclass(frozen=True, slots=True)
class Selection:
    """What the page shows: a date range (both ends included) and the sidebar's filters."""

    start: dt.date
    end: dt.date
    filters: Filters = field(default_factory=Filters)

    def __post_init__(self) -> None:
        if self.start > self.end:
            raise ValueError(f"date range must run forwards, got {self.start.isoformat()} .. {self.end.isoformat()}")


def type_of_rank(rank: int) -> str:
    """The event type a query's rank column stands for (rank = index in ``event_types()``)."""
    kinds = event_types()
    return kinds[rank] if 0 <= rank < len(kinds) else OTHER


def search_words(text: str) -> list[str]:
    """The text filter's words, folded as the stored text is."""
    return fold(text).split()


def shown(
    selection: Selection,
    dialect: Dialect,
    *,
    places_by_word: Mapping[str, Collection[str]],
    place_id: str | None = None,
) -> Query:
    """The ``WITH`` clause every page query starts from, defining three relations over the shown events:

    - ``sourced``: one row per source of an event the dates and filters (but the type) keep: event id,
      place id, date, precision, article id and the rank of the source's type (0 is the most severe);
    - ``ranked``: one row per shown event with its type's rank, the least of its sources' (the type filter
      applies here);
    - ``kept``: the rows of ``sourced`` whose event is shown.

    ``places_by_word`` holds, for each word of the text filter, the ids of the places whose folded name
    contains it (the places table is small, so the caller matches names in Python); ``place_id`` keeps
    one place's events.
    """
    mark = dialect.mark
    kinds = event_types()
    rank = " ".join(f"WHEN {mark} THEN {index}" for index in range(len(kinds)))
    params: list[object] = [*kinds, kinds.index(OTHER)]
    conditions, condition_params = _conditions(selection, dialect, places_by_word)
    if place_id is not None:
        conditions.append(f"e.place_id = {mark}")
        condition_params.append(place_id)
    join_places = " JOIN places p ON p.id = e.place_id" if selection.filters.countries else ""
    sql = (
        f"WITH sourced AS (SELECT e.id, e.place_id, e.date, e.precision, s.article_id,"
        f" CASE s.event_type {rank} ELSE {mark} END AS rank"
        f" FROM events e JOIN event_sources s ON s.event_id = e.id{join_places} WHERE {' AND '.join(conditions)}),"
        " ranked AS (SELECT id, place_id, date, precision, min(rank) AS rank FROM sourced"
        " GROUP BY id, place_id, date, precision"
    )
    params += condition_params
    types = selection.filters.types
    if types:
        ranks = sorted({kinds.index(kind) for kind in types if kind in kinds})
        sql += f" HAVING min(rank) IN ({_marks(mark, ranks) or 'NULL'})"
        params += ranks
        sql += "), kept AS (SELECT * FROM sourced WHERE id IN (SELECT id FROM ranked))"
    else:
        sql += "), kept AS (SELECT * FROM sourced)"
    return Query(sql, tuple(params))


def page_counts(selection: Selection, dialect: Dialect, *, places_by_word: Mapping[str, Collection[str]]) -> Query:
    """Everything a change of dates or filters redraws, counted in one pass as rows (kind, key, day, a, b, c):

    - ("place", place id, first date, events, rank of the most severe type, index of the finest precision);
    - ("articles", place id, -, distinct reporting articles);
    - ("day", precision, date, type rank, events): the timeline's bars and the totals by type;
    - ("reach", -, -, distinct articles, distinct places).
    """
    base = shown(selection, dialect, places_by_word=places_by_word)
    fine = _fineness("precision")
    sql = f"""{base.sql}
SELECT 'place', place_id, min(date), count(*), min(rank), min({fine}) FROM ranked GROUP BY place_id
UNION ALL
SELECT 'articles', place_id, NULL, count(DISTINCT article_id), NULL, NULL FROM kept GROUP BY place_id
UNION ALL
SELECT 'day', precision, date, rank, count(*), NULL FROM ranked GROUP BY precision, date, rank
UNION ALL
SELECT 'reach', NULL, NULL, count(DISTINCT article_id), count(DISTINCT place_id), NULL FROM kept"""
    return Query(sql, base.params)


def cell_counts(
    selection: Selection, dialect: Dialect, *, size: float, places_by_word: Mapping[str, Collection[str]]
) -> Query:
    """The shown places grouped into grid cells of ``size`` degrees, for a map of more places than markers
    can show, as rows (kind, cell, a, b, c, d):

    - ("cell", cell, centre latitude, centre longitude, places);
    - ("events", cell, events, rank of the most severe type, index of the finest precision);
    - ("articles", cell, distinct reporting articles).
    """
    base = shown(selection, dialect, places_by_word=places_by_word)
    cell = dialect.cell.format(p="p", size=f"{size:.6f}")
    sql = f"""{base.sql},
placed AS (
    SELECT r.place_id, {cell} AS cell FROM (SELECT DISTINCT place_id FROM ranked) r JOIN places p ON p.id = r.place_id
)
SELECT 'cell', pl.cell, {dialect.centre.format(p="p")}, count(*), NULL
FROM placed pl JOIN places p ON p.id = pl.place_id GROUP BY pl.cell
UNION ALL
SELECT 'events', pl.cell, count(*), min(r.rank), min({_fineness("r.precision")}), NULL
FROM ranked r JOIN placed pl ON pl.place_id = r.place_id GROUP BY pl.cell
UNION ALL
SELECT 'articles', pl.cell, count(DISTINCT k.article_id), NULL, NULL, NULL
FROM kept k JOIN placed pl ON pl.place_id = k.place_id GROUP BY pl.cell"""
    return Query(sql, base.params)


def places_in_cell(
    selection: Selection,
    dialect: Dialect,
    cell: str,
    *,
    size: float,
    limit: int,
    places_by_word: Mapping[str, Collection[str]],
) -> Query:
    """The shown places in one grid cell with their event counts, most events first, at most ``limit``."""
    base = shown(selection, dialect, places_by_word=places_by_word)
    key = dialect.cell.format(p="p", size=f"{size:.6f}")
    sql = (
        f"{base.sql} SELECT r.place_id, count(*) FROM ranked r JOIN places p ON p.id = r.place_id"
        f" WHERE {key} = {dialect.mark} GROUP BY r.place_id ORDER BY count(*) DESC, r.place_id LIMIT {dialect.mark}"
    )
    return Query(sql, (*base.params, cell, limit))


def place_event_ids(
    selection: Selection,
    dialect: Dialect,
    place_id: str,
    *,
    limit: int,
    places_by_word: Mapping[str, Collection[str]],
) -> Query:
    """The ids of one place's shown events, newest first (the finer of two on one date first), at most
    ``limit``, and how many there are in all (the same on every row)."""
    base = shown(selection, dialect, places_by_word=places_by_word, place_id=place_id)
    sql = (
        f"{base.sql} SELECT id, count(*) OVER () FROM ranked"
        f" ORDER BY date DESC, {_fineness('precision')}, id LIMIT {dialect.mark}"
    )
    return Query(sql, (*base.params, limit))


def _conditions(
    selection: Selection, dialect: Dialect, places_by_word: Mapping[str, Collection[str]]
) -> tuple[list[str], list[object]]:
    """The WHERE conditions on an event ``e`` (and its place ``p``) for the dates and every filter but type."""
    mark = dialect.mark
    params: list[object] = []
    start, end = selection.start, selection.end
    overlaps = []
    for precision, first in zip(PRECISIONS, (start, start.replace(day=1), start.replace(month=1, day=1)), strict=True):
        overlaps.append(f"(e.precision = {mark} AND e.date BETWEEN {mark} AND {mark})")
        params += [precision, dialect.date(first), dialect.date(end)]
    conditions = ["(" + " OR ".join(overlaps) + ")"]
    filters = selection.filters
    for column, values in (("p.country", filters.countries), ("e.place_id", filters.places)):
        if values:
            condition, param = dialect.one_of(column, values)
            conditions.append(condition)
            params.append(param)
    if filters.sources:
        condition, param = dialect.one_of("fa.name", filters.sources)
        conditions.append(
            "EXISTS (SELECT 1 FROM event_sources fs JOIN articles fa ON fa.id = fs.article_id"
            f" WHERE fs.event_id = e.id AND {condition})"
        )
        params.append(param)
    for word in search_words(filters.text):
        contains = dialect.contains.format(haystack="ws.folded", needle=mark)
        in_source = f"EXISTS (SELECT 1 FROM event_sources ws WHERE ws.event_id = e.id AND {contains})"
        named = sorted(places_by_word.get(word, ()))
        if named:
            condition, param = dialect.one_of("e.place_id", named)
            conditions.append(f"({condition} OR {in_source})")
            params.append(param)
        else:
            conditions.append(in_source)
        params.append(word)
    return conditions, params


def _fineness(column: str) -> str:
    """The index of a precision in ``PRECISIONS`` (0 for a day), as SQL."""
    cases = " ".join(f"WHEN '{precision}' THEN {index}" for index, precision in enumerate(PRECISIONS))
    return f"CASE {column} {cases} END"


def date_extremes() -> Query:
    """The first and last event date of each precision: (precision, first, last) rows."""
    return Query("SELECT precision, min(date), max(date) FROM events GROUP BY precision", ())


def places_with_events() -> Query:
    """Every place some event is at, with the columns ``store._place`` reads."""
    return Query(
        "SELECT p.id, p.name, p.lat, p.lon, p.level, p.country, p.population, p.source FROM places p"
        " WHERE EXISTS (SELECT 1 FROM events e WHERE e.place_id = p.id)",
        (),
    )


def reporting_articles(dialect: Dialect, *, limit: int) -> Query:
    """The newest articles (at most ``limit``) that report some event: (name, published, precision, title)."""
    return Query(
        "SELECT a.name, a.published, a.published_precision, a.title FROM articles a"
        " WHERE EXISTS (SELECT 1 FROM event_sources s WHERE s.article_id = a.id)"
        f" ORDER BY a.published DESC, a.name LIMIT {dialect.mark}",
        (limit,),
    )


def _marks(mark: str, values: Collection[object]) -> str:
    return ", ".join([mark] * len(values))
