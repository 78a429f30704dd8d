"""Reading article files: the ` date YYYY-MM[-DD]` header, the text, a title; bad files become clear errors."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
from collections.abc import Iterable, Iterator
from pathlib import Path

from .errors import ArticleFormatError, ConfigError
from .models import Article, Precision
from .text import shorten

MAX_ARTICLE_BYTES = 10 * 1024 * 1024
MAX_BYTES_ENV = "DASHBOARD_MAX_ARTICLE_BYTES"
EARLIEST_YEAR = 1900  # the dating rules read no year before this (dates.MIN_YEAR)
FUTURE_DAYS = 1  # a publication date may be this many days after the time of reading (time zones)
TITLE_LIMIT = 120
_HEADER_RE = re.compile(r"^ ?date ([0-9]{4})-([0-9]{2})(?:-([0-9]{2}))?(?=\s|$)")  # ASCII digits only
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


def max_article_bytes() -> int:
    """The size limit for one article: ``$DASHBOARD_MAX_ARTICLE_BYTES`` if set, else 10 MB.

    Raises:
        ConfigError: the variable is set to something other than a positive whole number.
    """
    value = os.environ.get(MAX_BYTES_ENV, "").strip()
    if not value:
        return MAX_ARTICLE_BYTES
    if not (value.isascii() and value.isdigit() and int(value) > 0):
        raise ConfigError(f"{MAX_BYTES_ENV} must be a positive whole number of bytes, got {value!r}")
    return int(value)


def read_article(path: Path, *, now: dt.datetime | None = None, max_bytes: int | None = None) -> Article:
    """Read one article file.

    ``now`` is the time of reading, against which a future publication date is refused. This is where files
    enter the pipeline, so when it is not given the clock is read here, at call time, and no later stage
    needs one; tests pass it explicitly. ``max_bytes`` defaults to ``max_article_bytes()``.

    Raises:
        ArticleFormatError: the file is missing, too large, empty, binary, not UTF-8, or has no valid date line.
        ConfigError: the size limit set in the environment is unusable.
    """
    limit = max_article_bytes() if max_bytes is None else max_bytes
    data = _read_bounded(path, limit)
    return parse_article(data, path=str(path), now=_clock(now), max_bytes=limit)


def parse_article(data: bytes, *, path: str, now: dt.datetime | None = None, max_bytes: int | None = None) -> Article:
    """Parse an article's bytes; ``path`` names it in the article and in errors.

    ``now`` and ``max_bytes`` default as for ``read_article``: bytes that come from elsewhere (an upload)
    meet the same checks as a file.

    Raises:
        ArticleFormatError: the bytes are too many, empty, binary or not UTF-8; the ` date` first line is
            missing, malformed, impossible (2023-02-30), before 1900 or more than a day after ``now``;
            or there is no text after it.
        ConfigError: the size limit set in the environment is unusable.
    """
    limit = max_article_bytes() if max_bytes is None else max_bytes
    if len(data) > limit:
        raise _too_large(path, limit, f"{len(data):,}")
    text = _decode(data, path).replace("\r\n", "\n").replace("\r", "\n")
    first_line, _, rest = text.partition("\n")
    match = _HEADER_RE.match(first_line)
    if not match:
        raise ArticleFormatError(path, 1, f'header must start with " date YYYY-MM[-DD]", got "{_shown(first_line)}"')
    published, precision = _parse_header_date(match, path)
    _check_published(published, match.group().strip(), _clock(now), path)
    body = _body(first_line[match.end() :], rest)
    if not body:
        raise ArticleFormatError(path, 1, "article has a date line but no text")
    return Article(
        path=path,
        name=Path(path).name,
        published=published,
        published_precision=precision,
        title=_title(body),
        text=body,
        sha256=hashlib.sha256(body.encode("utf-8")).hexdigest(),
    )


def _clock(now: dt.datetime | None) -> dt.datetime:
    """``now`` if given, else the current local time: the one place reading looks at the clock."""
    return now if now is not None else dt.datetime.now().astimezone()


def _read_bounded(path: Path, limit: int) -> bytes:
    """The file's bytes, refusing more than ``limit`` even when the size on disk says less (a growing
    file, a device or a pipe) rather than loading them all into memory first."""
    name = str(path)
    try:
        with path.open("rb") as handle:
            size = os.fstat(handle.fileno()).st_size
            if size > limit:
                raise _too_large(name, limit, f"{size:,}")
            data = handle.read(limit + 1)
    except OSError as exc:
        raise ArticleFormatError(name, None, f"cannot read file: {exc.strerror or exc}") from exc
    if len(data) > limit:
        raise _too_large(name, limit, f"more than {limit:,}")
    return data


def _too_large(path: str, limit: int, size: str) -> ArticleFormatError:
    return ArticleFormatError(
        path, None, f"file is {size} bytes, over the size limit of {limit:,} bytes (set {MAX_BYTES_ENV} to change it)"
    )


def _decode(data: bytes, path: str) -> str:
    """UTF-8 text (a leading BOM dropped); binary data and other encodings are named as such."""
    if data.startswith(_UTF16_BOMS):
        raise ArticleFormatError(path, None, "file is UTF-16 text; save it as UTF-8")
    nul = data.find(b"\x00")
    if nul >= 0:
        line = data[:nul].count(b"\n") + 1
        raise ArticleFormatError(path, line, "file is binary (contains NUL bytes), not a text article")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ArticleFormatError(
            path, line, f"not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start})"
        ) from exc
    if not text.strip():
        raise ArticleFormatError(path, None, "file is empty")
    return text


def _parse_header_date(match: re.Match[str], path: str) -> tuple[dt.date, Precision]:
    year, month, day = match.group(1), match.group(2), match.group(3)
    try:
        if day is None:
            return dt.date(int(year), int(month), 1), "month"
        return dt.date(int(year), int(month), int(day)), "day"
    except ValueError:
        shown = f"{year}-{month}" + (f"-{day}" if day else "")
        raise ArticleFormatError(path, 1, f"impossible publication date {shown}") from None


def _check_published(published: dt.date, header: str, now: dt.datetime, path: str) -> None:
    """A publication date must be one a news article can have: from 1900 up to a day after reading.

    Raises:
        ArticleFormatError: it is earlier, or later.
    """
    shown = header.removeprefix("date").strip()
    if published.year < EARLIEST_YEAR:
        raise ArticleFormatError(path, 1, f"publication date {shown} is before {EARLIEST_YEAR}")
    if (published - now.date()).days > FUTURE_DAYS:
        raise ArticleFormatError(
            path, 1, f"publication date {shown} is more than a day after the time of reading ({_when(now)})"
        )


def _when(now: dt.datetime) -> str:
    return f"{now:%Y-%m-%d %H:%M %Z}".strip()


def _shown(text: str, limit: int = 40) -> str:
    """Text from a file, fit to quote in a message: on one line, cut short, invisible characters escaped."""
    return "".join(c if c.isprintable() else c.encode("unicode_escape").decode("ascii") for c in shorten(text, limit))


def _body(rest_of_header: str, rest: str) -> str:
    """The text: what follows the date on its line, then the other lines (kept as before, so hashes hold)."""
    if not rest:
        return rest_of_header.strip()
    return (rest_of_header.strip() + "\n" + rest).strip("\n").strip()


def _title(body: str) -> str:
    first_line = body.split("\n", 1)[0]
    first_sentence = re.split(r"(?<=[.!?])\s+(?=[A-ZА-Я\"“])", first_line, maxsplit=1)[0]
    return shorten(first_sentence, TITLE_LIMIT)


def find_article_files(paths: Iterable[Path]) -> Iterator[Path]:
    """The files named, and every ``*.txt`` under the folders named, in a stable order.

    Raises:
        ArticleFormatError: a path does not exist.
    """
    for path in paths:
        if path.is_dir():
            yield from sorted(p for p in path.rglob("*.txt") if p.is_file())
        elif path.exists():
            yield path
        else:
            raise ArticleFormatError(str(path), None, "no such file or folder")
