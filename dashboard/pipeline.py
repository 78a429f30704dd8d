"""Ingest: article files into a store, incrementally, read and analysed in worker processes, one writer.

    find the files ─► prune the stored ones that are gone (--prune)
      ─► read each file: unreadable ones become problems, files stored unchanged are done
      ─► read and analyse the rest (here, or in worker processes when there are many)
      ─► write each article in one transaction, in the order of the files

Only texts not stored yet are analysed, and the writer checks again before writing, so two copies of one
text in one run make one article. Results are written in the order of the files whichever way they were
made, so a parallel ingest stores exactly what a sequential one does.
"""

from __future__ import annotations

import os
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from functools import cache, partial
from pathlib import Path

from .analysis import Analysis, Outcome, analyse, analyse_or_problem, prepare, read_file
from .articles import find_article_files
from .errors import InputError
from .gazetteer import Gazetteer
from .models import Article, IngestReport, Problem
from .stores import AnyStore
from .user_places import user_gazetteer_path
from .workers import GazetteerSource, WithUserPlaces, gazetteer_from, prepared_in_workers

__all__ = ["PARALLEL_MIN_FILES", "Analysis", "Progress", "analyse", "find_files", "ingest_paths", "worker_count"]

PARALLEL_MIN_FILES = 50
"""Fewer files to analyse than this are analysed in this process: starting workers costs about a second."""

Progress = Callable[[int, int, str], None]
"""Called after each file is done: (files done, files in all, path)."""


def ingest_paths(
    paths: Iterable[Path],
    store: AnyStore,
    gazetteer: GazetteerSource,
    *,
    progress: Progress | None = None,
    workers: int = 1,
    prune: bool = False,
) -> IngestReport:
    """Read every article under ``paths`` into the store; bad files become problems, not failures.

    ``gazetteer`` may be a CSV path, loaded only if some text needs analysing; the places of the user
    gazetteer beside the store (``user_places.user_gazetteer_path``) are added to it. With ``workers`` above one
    and at least ``PARALLEL_MIN_FILES`` files to analyse, reading and analysis run in that many processes.
    With ``prune``, stored articles whose files are gone from ``paths`` are removed first.

    Raises:
        DashboardError: a setting or the gazetteer is unusable, or the store cannot be written.
    """
    roots = list(paths)
    files, missing = find_files(roots)
    pruned = _prune(store, roots, files) if prune else 0
    gazetteer = WithUserPlaces(gazetteer, user_gazetteer_path(store.path))
    load = cache(partial(gazetteer_from, gazetteer))
    writer = _Writer(store, load)
    done = _Ticker(progress, len(files))
    pending = []
    for path in files:
        if writer.settle(path):
            done(path)
        else:
            pending.append(path)
    for path, outcome in zip(pending, _prepared(pending, store.stored_shas(), gazetteer, load, workers), strict=True):
        writer.write(outcome)
        done(path)
    writer.restore_orphaned_copies()
    return IngestReport(
        read=len(files),
        new=writer.counts["new"],
        unchanged=writer.counts["unchanged"],
        changed=writer.counts["changed"],
        pruned=pruned,
        events=store.event_count(),
        problems=(*missing, *writer.problems),
    )


def find_files(paths: Iterable[Path]) -> tuple[list[Path], list[Problem]]:
    """The article files under ``paths``, each once and in a stable order; a missing path is a problem."""
    files: dict[Path, None] = {}
    problems: list[Problem] = []
    for path in paths:
        try:
            files.update(dict.fromkeys(find_article_files([path])))
        except InputError as exc:
            problems.append(Problem(exc.path, exc.line, exc.reason))
    return list(files), problems


def worker_count(files: int, workers: int) -> int:
    """How many processes analyse ``files`` files when ``workers`` are allowed (1: this process alone)."""
    return max(1, workers) if files >= PARALLEL_MIN_FILES else 1


def _prune(store: AnyStore, roots: Sequence[Path], files: Sequence[Path]) -> int:
    """Remove the stored articles (and problems) of files under ``roots`` that are no longer there."""
    present = {os.path.abspath(f) for f in files}
    tops = [os.path.abspath(r) for r in roots]
    gone = []
    for stored in store.file_paths():
        full = os.path.abspath(stored)
        if full not in present and any(full == top or full.startswith(top + os.sep) for top in tops):
            gone.append(stored)
    return store.prune(gone)


def _prepared(
    files: Sequence[Path],
    stored: frozenset[str],
    source: GazetteerSource,
    load: Callable[[], Gazetteer],
    workers: int,
) -> Iterator[Outcome]:
    processes = worker_count(len(files), workers)
    if processes > 1:
        return prepared_in_workers(files, source, stored, workers=processes)
    return (prepare(path, stored, load) for path in files)


class _Ticker:
    """Counts files done for the progress callback."""

    def __init__(self, progress: Progress | None, total: int) -> None:
        self.progress = progress
        self.total = total
        self.done = 0

    def __call__(self, path: Path) -> None:
        self.done += 1
        if self.progress:
            self.progress(self.done, self.total, str(path))


class _Writer:
    """The one writer: stores each outcome in its own transaction and counts what happened."""

    def __init__(self, store: AnyStore, gazetteer: Callable[[], Gazetteer]) -> None:
        self.store = store
        self.gazetteer = gazetteer
        self.counts: Counter[str] = Counter()
        self.problems: list[Problem] = []
        # Files counted unchanged because another file holds their text, by that text's hash.
        self._copies: dict[str, list[Path]] = defaultdict(list)
        self._orphans: list[Path] = []

    def settle(self, path: Path) -> bool:
        """Deal with a file that needs no analysis (unreadable, or stored unchanged at this path); False if it does."""
        article = read_file(path)
        if isinstance(article, Problem):
            self._problem(article)
            return True
        if self.store.stored_sha(article.path) == article.sha256 and self.store.is_stored(article.sha256):
            self._unchanged(article, article.sha256)
            return True
        return False

    def write(self, outcome: Outcome) -> None:
        if isinstance(outcome, Problem):
            self._problem(outcome)
            return
        article = outcome.article if isinstance(outcome, Analysis) else outcome
        previous = self.store.stored_sha(article.path)
        if self.store.is_stored(article.sha256):
            self._unchanged(article, previous)
            return
        # Analysed already unless the text was stored when the run began and has been replaced since.
        analysis = outcome if isinstance(outcome, Analysis) else analyse_or_problem(article, self.gazetteer())
        if isinstance(analysis, Problem):
            self._problem(analysis)
            return
        self.store.save_article(analysis.article, analysis.events, analysis.mentions, analysis.unknown)
        self._replaced(previous)
        self.counts["new" if previous is None else "changed"] += 1

    def _unchanged(self, article: Article, previous: str | None) -> None:
        """The text is stored (here, or under another name: one text is one article)."""
        if previous not in (None, article.sha256):
            self.store.remove_article(article.path)  # edited into a copy of another stored article
            self._replaced(previous)
        if previous != article.sha256:
            self._copies[article.sha256].append(Path(article.path))
        self.store.clear_problems(article.path)
        self.counts["unchanged"] += 1

    def _replaced(self, previous: str | None) -> None:
        """A stored text was replaced: files skipped earlier as its copies must now be stored themselves."""
        if previous is not None:
            self._orphans.extend(self._copies.pop(previous, ()))

    def restore_orphaned_copies(self) -> None:
        """Store the copies whose text went when the file holding it changed (rare: an edited original)."""
        while self._orphans:
            path = self._orphans.pop(0)
            self.counts["unchanged"] -= 1
            self.write(prepare(path, frozenset(), self.gazetteer))

    def _problem(self, problem: Problem) -> None:
        self.problems.append(problem)
        self.store.record_problem(problem)
