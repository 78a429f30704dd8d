"""The pipeline: article → language → mentions → dates → events, and ingesting files into a store."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import replace
from pathlib import Path

from .articles import find_article_files, read_article
from .dates import find_dates
from .errors import InputError
from .events import extract_events
from .gazetteer import Gazetteer
from .languages import identify_language
from .models import Article, Event, IngestReport, Problem
from .places import find_mentions
from .store import Store

Progress = Callable[[int, int, str], None]


def analyse(article: Article, gazetteer: Gazetteer) -> tuple[Article, list[Event]]:
    """The article with its language set, and the events it reports."""
    language = identify_language(article.text)
    mentions = find_mentions(article.text, gazetteer, language=language)
    dates = find_dates(article.text, article.published, precision=article.published_precision, language=language)
    with_language = replace(article, language=language)
    return with_language, extract_events(with_language, mentions, dates)


def ingest_paths(
    paths: Iterable[Path], store: Store, gazetteer: Gazetteer, *, progress: Progress | None = None
) -> IngestReport:
    """Read every article under ``paths`` into the store; bad files become problems, not failures."""
    problems: list[Problem] = []
    try:
        files = list(find_article_files(paths))
    except InputError as exc:
        problems.append(Problem(exc.path, exc.line, exc.reason))
        files = []
    new = unchanged = 0
    for done, path in enumerate(files, start=1):
        try:
            article = read_article(path)
        except InputError as exc:
            problem = Problem(exc.path, exc.line, exc.reason)
            problems.append(problem)
            store.record_problem(problem)
        else:
            if store.has_article(article):
                if store.stored_sha(article.path) not in (None, article.sha256):
                    store.remove_article(article.path)  # edited into a copy of another stored article
                unchanged += 1
            else:
                store.save_article(*analyse(article, gazetteer))
                new += 1
        if progress:
            progress(done, len(files), str(path))
    return IngestReport(
        read=len(files), new=new, unchanged=unchanged, events=store.event_count(), problems=tuple(problems)
    )
