"""Reading and analysing articles in worker processes, for an ingest whose single writer is the caller.

Processes are started with "spawn", never "fork": the app may ingest from inside Streamlit's threaded
server, and forking a process that runs threads can copy a lock some other thread holds. Each worker gets
the gazetteer once, when it first has something to analyse: a CSV path is loaded through the pickle cache
(``gazetteer_cache``), an index built in memory is sent pickled, and the user gazetteer beside the store is
read and added in the worker (``WithUserPlaces``), so the pickle only ever holds the base CSV's index and a
place resolved by hand is seen however the base arrives. Results come back in the order of the
files, so a parallel ingest stores exactly what a sequential one does. Workers ignore Ctrl-C: the parent
handles it, and the pool is torn down when the caller stops reading.
"""

from __future__ import annotations

import multiprocessing
import pickle
import signal
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from multiprocessing.pool import Pool
from pathlib import Path

from .analysis import Outcome, prepare
from .errors import DashboardError
from .gazetteer import Gazetteer
from .gazetteer_cache import cached_gazetteer
from .user_places import load_with_user_places


@dataclass(frozen=True, slots=True)
class WithUserPlaces:
    """A gazetteer (or its CSV) with the user gazetteer CSV to add to it where the analysis runs."""

    base: GazetteerSource
    user: Path


GazetteerSource = Gazetteer | Path | WithUserPlaces
"""A gazetteer, or the CSV to load one from (through the cache, only when something needs analysing), maybe
with a user gazetteer to add."""


@dataclass(frozen=True, slots=True)
class _Failed:
    """An error that must stop the run, carried back as text: InputError subclasses do not unpickle."""

    message: str


# Set in each worker by _start: the pickled gazetteer source, and the hashes of the texts stored already.
_gazetteer_handle = b""
_stored: frozenset[str] = frozenset()


def gazetteer_from(source: GazetteerSource) -> Gazetteer:
    """The gazetteer a source stands for.

    Raises:
        GazetteerError: a CSV (the base or the user's) cannot be loaded, or a user row reuses a base id.
    """
    if isinstance(source, WithUserPlaces):
        return load_with_user_places(gazetteer_from(source.base), source.user)
    return source if isinstance(source, Gazetteer) else cached_gazetteer(source)


def prepared_in_workers(
    paths: Sequence[Path], source: GazetteerSource, stored: frozenset[str], *, workers: int
) -> Iterator[Outcome]:
    """``prepare`` for every path in ``workers`` processes, yielded in the order of ``paths``.

    Raises:
        DashboardError: a worker met an error that stops the run (an unusable setting or gazetteer).
    """
    handle = pickle.dumps(source, pickle.HIGHEST_PROTOCOL)  # a few bytes for paths; unpickled when first needed
    chunk = max(1, min(8, len(paths) // (workers * 16)))
    with _pool(workers, handle, stored) as pool:
        for outcome in pool.imap(_prepare, paths, chunksize=chunk):
            if isinstance(outcome, _Failed):
                raise DashboardError(outcome.message)
            yield outcome


@contextmanager
def _pool(workers: int, handle: bytes, stored: frozenset[str]) -> Iterator[Pool]:
    """A pool of spawned workers, torn down (terminated) when the block ends however it ends.

    The workers are started with Ctrl-C ignored, which a new process inherits, so that Ctrl-C during their
    start-up does not print their tracebacks; only the main thread may change signal handling.
    """
    context = multiprocessing.get_context("spawn")
    ignore = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN) if ignore else None
    try:
        pool = context.Pool(workers, initializer=_start, initargs=(handle, stored))
    finally:
        if ignore:
            signal.signal(signal.SIGINT, previous)
    with pool:
        yield pool


def _start(handle: bytes, stored: frozenset[str]) -> None:
    """Worker set-up: Ctrl-C is the parent's to handle; keep what every task needs."""
    global _gazetteer_handle, _stored
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _gazetteer_handle, _stored = handle, stored


@cache
def _worker_gazetteer() -> Gazetteer:
    source: GazetteerSource = pickle.loads(_gazetteer_handle)
    return gazetteer_from(source)


def _prepare(path: Path) -> Outcome | _Failed:
    try:
        return prepare(path, _stored, _worker_gazetteer)
    except DashboardError as exc:
        return _Failed(str(exc))
