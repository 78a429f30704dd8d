"""One article's analysis: its file read, then language, place mentions, dates, events and unknown places.

This is the work an ingest spreads over processes, so it touches no store: what it needs to know about
the store (which texts are stored already) comes in as a set of hashes.
"""

from __future__ import annotations

from collections.abc import Callable, Container
from dataclasses import dataclass, replace
from pathlib import Path

from .articles import read_article
from .dates import find_dates
from .errors import DashboardError, InputError
from .events import extract_events
from .gazetteer import Gazetteer
from .languages import identify_language
from .models import Article, Event, Mention, Problem, UnknownPlace
from .places import find_mentions, find_unknown_places
from .text import tokenize


@dataclass(frozen=True, slots=True)
class Analysis:
    """An article with its language set, the places it names, the events it reports, and the names it uses like
    places' that the gazetteer lacks (kept for review)."""

    article: Article
    events: tuple[Event, ...]
    mentions: tuple[Mention, ...]
    unknown: tuple[UnknownPlace, ...] = ()


Outcome = Analysis | Article | Problem
"""What reading one file gives: an analysis; the article alone when its text is stored already; or a problem."""


def analyse(article: Article, gazetteer: Gazetteer) -> Analysis:
    """The article's language, mentions, events and unknown places (pure: the publication date comes from the
    article)."""
    tokens = tokenize(article.text)
    language = identify_language(article.text, tokens=tokens)
    mentions = find_mentions(article.text, gazetteer, language=language, tokens=tokens)
    unknown = find_unknown_places(article.text, gazetteer, language=language, tokens=tokens)
    dates = find_dates(article.text, article.published, precision=article.published_precision, language=language)
    with_language = replace(article, language=language)
    events = tuple(extract_events(with_language, mentions, dates))
    return Analysis(with_language, events, tuple(mentions), tuple(unknown))


def prepare(path: Path, stored: Container[str], gazetteer: Callable[[], Gazetteer]) -> Outcome:
    """Read the file at ``path`` and analyse it unless its text's hash is in ``stored``.

    ``gazetteer`` is called only when there is something to analyse, so a run over unchanged files never
    loads it. A file that cannot be read is a ``Problem`` (with file, line and reason), never an exception:
    this runs in worker processes, and the problem must reach the store.

    Raises:
        ConfigError: a setting the reader needs is unusable (this stops the whole run).
        GazetteerError: the gazetteer cannot be loaded (this too).
    """
    article = read_file(path)
    if isinstance(article, Problem) or article.sha256 in stored:
        return article
    return analyse_or_problem(article, gazetteer())


def read_file(path: Path) -> Article | Problem:
    """The article in the file, or the problem (file, line, reason) that keeps it from being read.

    Raises:
        ConfigError: a setting the reader needs is unusable.
    """
    try:
        return read_article(path)
    except InputError as exc:
        return Problem(exc.path, exc.line, exc.reason)


def analyse_or_problem(article: Article, gazetteer: Gazetteer) -> Analysis | Problem:
    """``analyse``, with an article the rules fail on turned into a problem naming the error.

    One odd article must not stop an ingest of thousands, nor stop every re-run at the same file; the
    problem is recorded and counted like an unreadable file, so it is seen (and ``--strict`` fails).

    Raises:
        DashboardError: a setting or data file the rules need is unusable (this stops the whole run).
    """
    try:
        return analyse(article, gazetteer)
    except DashboardError:
        raise
    except (ArithmeticError, LookupError, TypeError, ValueError, RecursionError) as exc:
        return Problem(article.path, None, f"could not be analysed ({type(exc).__name__}: {exc}); please report it")
