"""Which events the sidebar's filters keep (country, place, event type, source article, words) and what
each filter offers to choose from."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache

from babel import Locale

from .event_types import event_type_label, event_types
from .mapview import place_labels
from .models import Event, Place, Precision, format_date
from .text import fold, shorten

TITLE_LIMIT = 70


@dataclass(frozen=True, slots=True)
class Filters:
    """What the user asked to see. An empty choice keeps everything; choices in different filters combine."""

    countries: tuple[str, ...] = ()
    places: tuple[str, ...] = ()
    types: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    text: str = ""


@dataclass(frozen=True, slots=True)
class FilterOptions:
    """The values each filter offers (by the key the URL keeps) with the label shown for each."""

    countries: dict[str, str]
    places: dict[str, str]
    types: dict[str, str]
    sources: dict[str, str]


def apply_filters(events: Iterable[Event], filters: Filters) -> list[Event]:
    """The events every active filter accepts, in their original order.

    A source filter keeps the events that any chosen article reports (with all their sources); the text
    filter keeps events whose place, summary, sentences or titles contain every word, compared folded
    (so "zvecan" finds Zvečan and Звечан).
    """
    countries, places = set(filters.countries), set(filters.places)
    types, sources = set(filters.types), set(filters.sources)
    words = fold(filters.text).split()
    return [
        event
        for event in events
        if (not countries or event.place.country in countries)
        and (not places or event.place.id in places)
        and (not types or event.event_type in types)
        and (not sources or any(source.article in sources for source in event.sources))
        and (not words or _contains_all(event, words))
    ]


@dataclass(frozen=True, slots=True)
class ArticleLabel:
    """What the source filter shows of an article."""

    name: str
    published: dt.date
    published_precision: Precision
    title: str


def filter_options(events: Sequence[Event]) -> FilterOptions:
    """The choices the stored events offer, sorted for reading; every event type is offered, even unused."""
    places = {event.place.id: event.place for event in events}
    articles = {
        source.article: ArticleLabel(source.article, source.published, source.published_precision, source.title)
        for event in events
        for source in event.sources
    }
    return options_for(places.values(), articles.values())


def options_for(places: Iterable[Place], articles: Iterable[ArticleLabel]) -> FilterOptions:
    """The choices offered by the places that have events and the articles that report them."""
    places = list(places)
    countries = {code: country_label(code) for code in {p.country for p in places}}
    return FilterOptions(
        countries=_by_label(countries),
        places=_by_label(place_labels(places)),
        types={kind: event_type_label(kind) for kind in event_types()},
        sources=_source_labels(articles),
    )


@cache
def country_label(code: str) -> str:
    """ "Kosovo (XK)": the English name from CLDR, or the code alone when CLDR does not know it."""
    name = Locale("en").territories.get(code)
    return f"{name} ({code})" if name else code


def _by_label(options: dict[str, str]) -> dict[str, str]:
    return dict(sorted(options.items(), key=lambda item: (fold(item[1]), item[0])))


def _contains_all(event: Event, words: list[str]) -> bool:
    parts = [event.place.name, *event.place.aliases, event.summary]
    parts += [text for source in event.sources for text in (source.sentence, source.title)]
    haystack = fold(" ".join(parts))
    return all(word in haystack for word in words)


def _source_labels(articles: Iterable[ArticleLabel]) -> dict[str, str]:
    """Articles by file name, newest first, each labelled "published · title" (with the file name when two
    labels would read the same)."""
    ordered = sorted(articles, key=lambda a: (-a.published.toordinal(), fold(a.title), a.name))
    labels = {
        a.name: f"{format_date(a.published, a.published_precision)} · {shorten(a.title, TITLE_LIMIT)}" for a in ordered
    }
    repeated = Counter(labels.values())
    return {name: f"{label} ({name})" if repeated[label] > 1 else label for name, label in labels.items()}
