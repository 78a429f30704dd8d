"""What differs between SQLite's and PostgreSQL's text of the same read query, and a query with its
parameters: the stores run what ``event_sql`` builds for their dialect."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Final


@dataclass(frozen=True, slots=True)
class Dialect:
    """The parameter mark, the substring test and how a date is passed."""

    mark: str  # the positional parameter mark
    contains: str  # "needle occurs in haystack", with {haystack} and {needle} to fill
    dates_as_text: bool  # SQLite keeps dates as ISO text; psycopg passes date objects

    def date(self, value: dt.date) -> object:
        return value.isoformat() if self.dates_as_text else value


SQLITE: Final = Dialect("?", "instr({haystack}, {needle}) > 0", dates_as_text=True)
POSTGRES: Final = Dialect("%s", "strpos({haystack}, {needle}) > 0", dates_as_text=False)


@dataclass(frozen=True, slots=True)
class Query:
    """SQL text and its positional parameters."""

    sql: str
    params: tuple[object, ...]
