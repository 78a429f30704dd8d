"""The built gazetteer index, pickled in the user's cache so that a process gets it in a fraction of a second.

Building the index from ``data/gazetteer.csv`` checks and folds every row, which takes seconds; every
ingest worker needs the index, so it is built once and pickled. The pickle's name is a hash of the CSV and
of the code that shapes the index (``gazetteer.py``, ``models.py``, ``text.py``): a changed CSV or a new
version of that code builds a new one, and a stale pickle is never read. Only files this user wrote in
their own cache folder are read. The cache is an optimisation: when it cannot be read or written, the
gazetteer is built from the CSV as before. The user gazetteer beside a store is never pickled here: it is
read and added on top of the loaded index (``user_places.load_with_user_places``), so a place resolved by
hand is seen at once and one pickle serves every store.
"""

from __future__ import annotations

import gc
import hashlib
import os
import pickle
import sys
import tempfile
from pathlib import Path

from . import gazetteer as gazetteer_module
from . import models, text
from .config import GAZETTEER_CSV, cache_dir
from .gazetteer import Gazetteer

_SHAPING_MODULES = (gazetteer_module, models, text)
KEEP_PICKLES = 4
MIN_CACHED_BYTES = 256 * 1024  # a smaller gazetteer loads in well under the time it takes to unpickle
_loaded: dict[Path, Gazetteer] = {}  # this process's copies, by pickle file (so by CSV and code version)


def cache_key(csv_path: Path) -> str:
    """A hash of the CSV's bytes, the code that builds the index, and the Python version that pickles it.

    Raises:
        OSError: the CSV cannot be read.
    """
    digest = hashlib.sha256(csv_path.read_bytes())
    for module in _SHAPING_MODULES:
        digest.update(Path(module.__file__ or "").read_bytes())
    digest.update(f"{sys.version_info[:2]}-{pickle.HIGHEST_PROTOCOL}".encode())
    return digest.hexdigest()[:32]


def cache_file(csv_path: Path, folder: Path | None = None) -> Path:
    """Where the index built from ``csv_path`` is pickled."""
    return (folder or cache_dir()) / f"gazetteer-{cache_key(csv_path)}.pickle"


def cached_gazetteer(
    csv_path: Path = GAZETTEER_CSV, *, folder: Path | None = None, min_bytes: int = MIN_CACHED_BYTES
) -> Gazetteer:
    """The gazetteer of ``csv_path``, from the cache when a current pickle is there, else built and cached.

    Loaded once per process and version of the CSV; callers share it and must not change it. A small CSV
    (under ``min_bytes``) is simply loaded: only a big one is worth a pickle. ``folder`` defaults to
    ``config.cache_dir()``.

    Raises:
        GazetteerError: the CSV cannot be loaded (as ``Gazetteer.from_csv``).
    """
    try:
        if csv_path.stat().st_size < min_bytes:
            return Gazetteer.from_csv(csv_path)
        target = cache_file(csv_path, folder)
    except OSError:
        return Gazetteer.from_csv(csv_path)  # from_csv names the unreadable file
    if target not in _loaded:
        loaded = _read_pickle(target)
        if loaded is None:
            loaded = Gazetteer.from_csv(csv_path)
            _write_pickle(target, loaded)
        _loaded[target] = loaded
    return _loaded[target]


def _read_pickle(path: Path) -> Gazetteer | None:
    """The pickled index, or None when there is none, it is not ours, or it does not load."""
    try:
        with path.open("rb") as handle:
            if not _owned_by_us(handle.fileno()):
                return None
            gc.disable()  # the index is tens of thousands of small objects: no cycles to look for meanwhile
            try:
                loaded = pickle.load(handle)
            finally:
                gc.enable()
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError, ValueError):
        return None
    return loaded if isinstance(loaded, Gazetteer) else None


def _owned_by_us(fd: int) -> bool:
    """A pickle runs code when loaded: read only a file this user owns that no one else may write."""
    if not hasattr(os, "getuid"):
        return True
    info = os.fstat(fd)
    return info.st_uid == os.getuid() and not info.st_mode & 0o022


def _write_pickle(path: Path, gazetteer: Gazetteer) -> None:
    """Write atomically (temporary file, then rename), so a reader never sees half a pickle."""
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=".gazetteer-", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as handle:
                pickle.dump(gazetteer, handle, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        _drop_old_pickles(path.parent)
    except OSError:
        return  # no cache this time; the next process builds the index again


def _drop_old_pickles(folder: Path) -> None:
    """Keep the few newest pickles (other checkouts may use other versions) so old ones do not pile up."""
    pickles = sorted(folder.glob("gazetteer-*.pickle"), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in pickles[KEEP_PICKLES:]:
        old.unlink(missing_ok=True)
