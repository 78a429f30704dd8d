"""Places to review: a name resolved by hand becomes a user gazetteer row, and the stored articles it may give
events to are read again, so those events appear; the optional online geocoder suggests where a name is.

Articles are read again from the text the store keeps, not from their files (which may have moved or gone),
each in its own transaction as an ingest writes it. The command line (``review``) and the app's "Places to
review" call the same functions here.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from .analysis import analyse_or_problem
from .gazetteer import Gazetteer
from .geocoding import Geocoder, GeocoderSettings
from .languages import get_language
from .models import Place, Problem
from .stores import AnyStore, open_store
from .text import fold
from .user_places import add_user_place, load_with_user_places, user_gazetteer_path

EventLabel = tuple[str, str, str]
"""An event as a person reads it: (place name, date, precision)."""


@dataclass(frozen=True, slots=True)
class Reread:
    """What reading articles again changed: the articles stored anew, the events that appeared and went, and
    the articles the rules failed on (those keep what they had)."""

    articles: int
    added: tuple[EventLabel, ...]
    removed: tuple[EventLabel, ...]
    problems: tuple[Problem, ...]


@dataclass(frozen=True, slots=True)
class Resolution:
    """A place added to the user gazetteer at ``path``, and what reading its articles again changed."""

    place: Place
    path: Path
    reread: Reread


def store_gazetteer(base: Gazetteer, db: Path) -> Gazetteer:
    """The gazetteer a store's articles are read with: ``base`` and the user gazetteer beside the store.

    Raises:
        GazetteerError: the user gazetteer cannot be loaded.
    """
    return load_with_user_places(base, user_gazetteer_path(db))


def resolve_place(
    store: AnyStore,
    base: Gazetteer,
    *,
    name: str,
    lat: float,
    lon: float,
    country: str,
    level: str = "settlement",
    aliases: Iterable[str] = (),
) -> Resolution:
    """Add ``name`` to the user gazetteer beside the store, then read again the articles it may give events to.

    Raises:
        GazetteerError: the place is not a valid row (coordinates, country, level), its name is taken, or the
            user gazetteer cannot be loaded; nothing is written then.
        StoreError: an article could not be written (those before it are stored, the rest keep their rows).
    """
    path = user_gazetteer_path(store.path)
    place = add_user_place(path, name=name, lat=lat, lon=lon, country=country, level=level, aliases=tuple(aliases))
    reread = reread_articles(store, load_with_user_places(base, path), names=(place.name, *place.aliases))
    return Resolution(place, path, reread)


def reread_articles(store: AnyStore, gazetteer: Gazetteer, *, names: Iterable[str] = ()) -> Reread:
    """Analyse again, with ``gazetteer``, the stored articles whose unknown places it now knows (as written or
    inflected), or that use one of ``names`` (as unknown places, or written in their text).

    Taking every unknown place the gazetteer knows, not only ``names``, finishes the work of a resolve that
    was stopped after writing its row.

    Raises:
        StoreError: an article could not be written.
    """
    names = tuple(names)
    known = {key for key, language in store.unknown_names() if _knows(gazetteer, key, language)}
    articles = store.articles_to_reread(known | {fold(n) for n in names}, written=names)
    before = store.event_labels()
    problems = []
    for article in articles:
        analysis = analyse_or_problem(article, gazetteer)
        if isinstance(analysis, Problem):
            problems.append(analysis)
            continue
        store.save_article(analysis.article, analysis.events, analysis.mentions, analysis.unknown)
    after = store.event_labels()
    return Reread(
        articles=len(articles) - len(problems),
        added=tuple(sorted(after - before)),
        removed=tuple(sorted(before - after)),
        problems=tuple(problems),
    )


def _knows(gazetteer: Gazetteer, key: str, language: str) -> bool:
    """Whether the gazetteer has a place for a folded name as written or inflected (u Orlanu → Orlane)."""
    return bool(gazetteer.lookup(key) or gazetteer.lookup_inflected(key, get_language(language)))


@contextmanager
def store_geocoder(target: str | Path, settings: GeocoderSettings) -> Iterator[Geocoder]:
    """A geocoder whose answers are cached in the store (its file, or its server database), so each name is
    asked once across runs."""
    with open_store(target) as store:
        cache = store.geocode_cache()
        try:
            yield Geocoder(settings, cache)
        finally:
            cache.close()
