"""What differs between SQLite's and PostgreSQL's text of the same read query, and a query with its
parameters: the stores run what ``event_sql`` builds for their dialect."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final


@dataclass(frozen=True, slots=True)
class Dialect:
    """The parameter mark, the substring test, how a date and a list are passed, and the grid cell and centre
    of places for a map of more places than markers."""

    mark: str  # the positional parameter mark
    contains: str  # "needle occurs in haystack", with {haystack} and {needle} to fill
    dates_as_text: bool  # SQLite keeps dates as ISO text; psycopg passes date objects
    cell: str  # the grid cell of place {p} for cells of {size} degrees, as text
    centre: str  # the centre of the places {p} grouped in a cell: latitude, longitude

    def date(self, value: dt.date) -> object:
        return value.isoformat() if self.dates_as_text else value

    def one_of(self, column: str, values: Sequence[str]) -> tuple[str, object]:
        """``column`` is one of ``values``, as SQL with one parameter however many values there are (a word
        of the text filter may name thousands of places, past PostgreSQL's 65,535 parameters)."""
        if self.dates_as_text:
            return f"{column} IN (SELECT value FROM json_each({self.mark}))", json.dumps(list(values))
        return f"{column} = ANY({self.mark})", list(values)


SQLITE: Final = Dialect(
    "?",
    "instr({haystack}, {needle}) > 0",
    dates_as_text=True,
    cell="CAST(CAST(({p}.lat + 90) / {size} AS INTEGER) AS TEXT) || ':' || CAST(CAST(({p}.lon + 180) / {size} AS INTEGER) AS TEXT)",
    centre="avg({p}.lat), avg({p}.lon)",
)
# PostGIS snaps the place's point to the grid and takes the centroid of the cell's points.
POSTGRES: Final = Dialect(
    "%s",
    "strpos({haystack}, {needle}) > 0",
    dates_as_text=False,
    cell="ST_AsText(ST_SnapToGrid({p}.location::geometry, {size}))",
    centre="ST_Y(ST_Centroid(ST_Collect({p}.location::geometry))), ST_X(ST_Centroid(ST_Collect({p}.location::geometry)))",
)


@dataclass(frozen=True, slots=True)
class Query:
    """SQL text and its positional parameters."""

    sql: str
    params: tuple[object, ...]
