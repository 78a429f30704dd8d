"""Articles uploaded in the app, written as files into a new folder beside the store for the pipeline to read.

An upload is ``.txt`` articles and ``.zip`` archives of them. Everything is checked before a byte is written:
a name with a path separator, "..", a drive or a control character is refused (so nothing lands outside the
upload folder), as are other kinds of file; an archive is opened from memory and refused whole when it holds
more files, or more bytes unpacked, than the limits allow (read from each member's header before anything is
unpacked; zipfile then reads no more than a header declares, and checks it), or a member named to escape
the folder. Within an archive only ``.txt`` members are read: folders are skipped, and other files, links,
encrypted members and archives inside archives become problems. Each refusal is a ``Problem`` naming the
file, beside the files that were written.
"""

from __future__ import annotations

import io
import os
import re
import stat
import zipfile
import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Final

from .articles import MAX_ARTICLE_BYTES, max_article_bytes
from .errors import ConfigError
from .models import Problem

MAX_FILES: Final = 5000
MAX_BYTES: Final = 200 * 1024 * 1024
MAX_FILES_ENV: Final = "DASHBOARD_UPLOAD_MAX_FILES"
MAX_BYTES_ENV: Final = "DASHBOARD_UPLOAD_MAX_BYTES"
UPLOADS_FOLDER: Final = "uploads"
ARTICLE_SUFFIX: Final = ".txt"
ARCHIVE_SUFFIX: Final = ".zip"
_ARCHIVE_SUFFIXES: Final = (".zip", ".gz", ".tgz", ".tar", ".bz2", ".xz", ".7z", ".rar")
_UNSAFE_NAME = re.compile(r"[/\\\x00-\x1f\x7f]|^[A-Za-z]:")


@dataclass(frozen=True, slots=True)
class UploadLimits:
    """How much one upload may hold: article files (archive members included) and their bytes unpacked, and
    the size of one article."""

    max_files: int = MAX_FILES
    max_bytes: int = MAX_BYTES
    max_article_bytes: int = MAX_ARTICLE_BYTES

    @classmethod
    def from_env(cls) -> UploadLimits:
        """The limits from ``$DASHBOARD_UPLOAD_MAX_FILES``, ``$DASHBOARD_UPLOAD_MAX_BYTES`` and the article size
        limit (``$DASHBOARD_MAX_ARTICLE_BYTES``), each defaulting when unset.

        Raises:
            ConfigError: a variable is set to something other than a positive whole number.
        """
        return cls(
            max_files=_positive_env(MAX_FILES_ENV, MAX_FILES),
            max_bytes=_positive_env(MAX_BYTES_ENV, MAX_BYTES),
            max_article_bytes=max_article_bytes(),
        )


@dataclass(frozen=True, slots=True)
class Upload:
    """One file as the browser sent it: the name it gave and the bytes."""

    name: str
    data: bytes


@dataclass(frozen=True, slots=True)
class SavedUpload:
    """What an upload became: the article files written (in upload order) and what was refused."""

    folder: Path
    paths: tuple[Path, ...] = ()
    problems: tuple[Problem, ...] = ()


class _Batch:
    """One upload being written: what is left of the limits, the names taken, and the files written under
    ``folder`` (made when the first one arrives; nothing is overwritten)."""

    def __init__(self, folder: Path, limits: UploadLimits) -> None:
        self.folder = folder
        self.limits = limits
        self.files_left = limits.max_files
        self.bytes_left = limits.max_bytes
        self.names: set[str] = set()
        self.paths: list[Path] = []

    def take(self, shown: str, size: int) -> Problem | None:
        """Count one article of ``size`` bytes against the limits; a problem when it does not fit."""
        limits = self.limits
        if size > limits.max_article_bytes:
            return Problem(
                shown, None, f"file is {size:,} bytes, over the article size limit of {limits.max_article_bytes:,}"
            )
        if self.files_left < 1:
            return Problem(shown, None, f"over the limit of {limits.max_files:,} files in one upload")
        if size > self.bytes_left:
            return Problem(shown, None, f"over the limit of {limits.max_bytes:,} bytes in one upload")
        self.files_left -= 1
        self.bytes_left -= size
        return None

    def write(self, shown: str, relative: PurePosixPath, data: bytes) -> Problem | None:
        """Write a file at ``relative`` under the folder; a problem when that place is taken (a member named
        like a folder of another) or the disk refuses."""
        path = self.folder.joinpath(*relative.parts)
        if not path.resolve().is_relative_to(self.folder.resolve()):  # a second guard behind the name checks
            raise ValueError(f"{relative} would be written outside {self.folder}")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            with path.open("xb") as handle:
                handle.write(data)
        except OSError as exc:
            return Problem(shown, None, f"cannot be written ({exc.strerror or exc})")
        self.paths.append(path)
        return None


def uploads_root(db_path: Path) -> Path:
    """The folder beside the store that holds every upload, one subfolder each."""
    return db_path.resolve().parent / UPLOADS_FOLDER


def new_upload_folder(root: Path, stamp: str) -> Path:
    """A folder under ``root`` named by ``stamp`` (a time), suffixed when two uploads share the second."""
    folder, number = root / stamp, 1
    while folder.exists():
        number += 1
        folder = root / f"{stamp}-{number}"
    return folder


def save_uploads(uploads: Sequence[Upload], folder: Path, *, limits: UploadLimits | None = None) -> SavedUpload:
    """Write the articles of ``uploads`` into ``folder`` (created when something is written): a ``.txt`` file
    under its own name, an archive's ``.txt`` members under a folder named after the archive.

    Nothing is written outside ``folder`` and nothing is overwritten. Every refused file or member is a
    problem naming it and why; the others are written.
    """
    batch = _Batch(folder, limits or UploadLimits())
    problems = [problem for upload in uploads for problem in _save_one(upload, batch)]
    return SavedUpload(folder, tuple(batch.paths), tuple(problems))


def name_problem(name: str) -> str | None:
    """Why an uploaded file's name is refused, or None when it is a plain file name."""
    if not name.strip() or name in (".", ".."):
        return "the file has no name"
    if ".." in name or _UNSAFE_NAME.search(name):
        return 'a file name may not hold a path (/, \\, "..", a drive) or control characters'
    return None


def _save_one(upload: Upload, batch: _Batch) -> Iterator[Problem]:
    shown = _shown(upload.name)
    reason = name_problem(upload.name)
    suffix = PurePosixPath(upload.name).suffix.lower() if reason is None else ""
    if reason is None and suffix not in (ARTICLE_SUFFIX, ARCHIVE_SUFFIX):
        reason = "only .txt articles and .zip archives of them can be added"
    if reason is None and upload.name.casefold() in batch.names:
        reason = "a file of this name is already in this upload"
    if reason is not None:
        yield Problem(shown, None, reason)
        return
    batch.names.add(upload.name.casefold())
    if suffix == ARCHIVE_SUFFIX:
        yield from _save_archive(upload, batch)
        return
    problem = batch.take(shown, len(upload.data)) or batch.write(shown, PurePosixPath(upload.name), upload.data)
    if problem is not None:
        yield problem


def _save_archive(upload: Upload, batch: _Batch) -> Iterator[Problem]:
    shown = _shown(upload.name)
    try:
        archive = zipfile.ZipFile(io.BytesIO(upload.data))
    except (zipfile.BadZipFile, OSError) as exc:
        yield Problem(shown, None, f"not a readable .zip archive ({exc})")
        return
    with archive:
        members = [info for info in archive.infolist() if not info.is_dir()]
        refusal = _archive_refusal(members, batch)
        if refusal is not None:
            yield Problem(shown, None, refusal)
            return
        base = PurePosixPath(PurePosixPath(upload.name).stem)
        seen: set[PurePosixPath] = set()
        for info in members:
            yield from _save_member(archive, info, base, batch, seen, shown=f"{shown}/{_shown(info.filename)}")


def _archive_refusal(members: list[zipfile.ZipInfo], batch: _Batch) -> str | None:
    """Why a whole archive is refused before anything in it is read: a member named to leave the folder, or
    more files or unpacked bytes than are left of the limits (as the members' headers declare them)."""
    for info in members:
        if _member_path(info.filename) is None:
            return f"member {_shown(info.filename)!r} has a name that leaves its folder (absolute, \\ or ..)"
    if len(members) > batch.files_left:
        return f"holds {len(members):,} files, over the limit of {batch.limits.max_files:,} in one upload"
    unpacked = sum(info.file_size for info in members)
    if unpacked > batch.bytes_left:
        return f"unpacks to {unpacked:,} bytes, over the limit of {batch.limits.max_bytes:,} in one upload"
    return None


def _save_member(
    archive: zipfile.ZipFile,
    info: zipfile.ZipInfo,
    base: PurePosixPath,
    batch: _Batch,
    seen: set[PurePosixPath],
    *,
    shown: str,
) -> Iterator[Problem]:
    """Write one member of an archive whose member names were all checked (``_archive_refusal``)."""
    relative = PurePosixPath(info.filename)
    reason = _member_kind_problem(info)
    if reason is None and PurePosixPath(info.filename.casefold()) in seen:
        reason = "a member of this name is already in the archive"
    problem = Problem(shown, None, reason) if reason is not None else batch.take(shown, info.file_size)
    if problem is not None:
        yield problem
        return
    seen.add(PurePosixPath(info.filename.casefold()))
    try:
        data = _read_member(archive, info)
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError) as exc:
        yield Problem(shown, None, f"cannot be unpacked ({exc})")
        return
    problem = batch.write(shown, base / relative, data)
    if problem is not None:
        yield problem


def _member_kind_problem(info: zipfile.ZipInfo) -> str | None:
    """Why a member that is safely named is still not read: not a plain .txt file."""
    name = info.filename.lower()
    if stat.S_ISLNK(info.external_attr >> 16):
        return "links are not read"
    if info.flag_bits & 0x1:
        return "encrypted members are not read"
    if name.endswith(_ARCHIVE_SUFFIXES):
        return "archives inside archives are not read"
    if not name.endswith(ARTICLE_SUFFIX):
        return "only .txt members are read"
    return None


def _read_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    """The member's bytes. zipfile stops at the size the header declares (checked against the limits
    before) and then checks the CRC, so a member holding more than it declares fails here, unread.

    Raises:
        zipfile.BadZipFile, zlib.error, EOFError: the member is damaged or not what its header says.
    """
    with archive.open(info) as handle:
        return handle.read()


def _member_path(name: str) -> PurePosixPath | None:
    """An archive member's path relative to its folder, or None when it is absolute or climbs out of it."""
    if not name or "\\" in name or name.startswith("/") or re.match(r"^[A-Za-z]:", name):
        return None
    path = PurePosixPath(name)
    if any(part in ("..", "") or _UNSAFE_NAME.search(part) for part in path.parts):
        return None
    return path


def _shown(name: str, limit: int = 80) -> str:
    """A name fit to quote in a message: control characters escaped, cut short."""
    printable = "".join(c if c.isprintable() else c.encode("unicode_escape").decode("ascii") for c in name)
    return printable if len(printable) <= limit else printable[: limit - 1] + "…"


def _positive_env(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    if not (value.isascii() and value.isdigit() and int(value) > 0):
        raise ConfigError(f"{name} must be a positive whole number, got {value!r}")
    return int(value)
