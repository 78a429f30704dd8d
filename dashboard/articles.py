"""Reading article files: the ` date YYYY-MM[-DD]` header, the text, a title; bad files become clear errors."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Iterable, Iterator
from pathlib import Path

from .errors import ArticleFormatError
from .models import Article, Precision
from .text import shorten

MAX_ARTICLE_BYTES = 10 * 1024 * 1024
TITLE_LIMIT = 120
_HEADER_RE = re.compile(r"^ ?date (\d{4})-(\d{2})(?:-(\d{2}))?(?=\s|$)")


def read_article(path: Path, *, max_bytes: int = MAX_ARTICLE_BYTES) -> Article:
    """Read one article file.

    Raises:
        ArticleFormatError: the file is missing, too large, empty, binary, not UTF-8, or has no valid date line.
    """
    name = str(path)
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise ArticleFormatError(name, None, f"file is {size:,} bytes, over the limit of {max_bytes:,}")
        data = path.read_bytes()
    except OSError as exc:
        raise ArticleFormatError(name, None, f"cannot read file: {exc.strerror or exc}") from exc
    return parse_article(data, path=name)


def parse_article(data: bytes, *, path: str) -> Article:
    """Parse an article's bytes; ``path`` names it in the article and in errors.

    Raises:
        ArticleFormatError: the bytes are empty, binary, not UTF-8, or lack a valid ` date` first line.
    """
    text = _decode(data, path)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    first_line, _, rest = text.partition("\n")
    match = _HEADER_RE.match(first_line)
    if not match:
        shown = shorten(first_line, 40)
        raise ArticleFormatError(path, 1, f'header must start with " date YYYY-MM[-DD]", got "{shown}"')
    published, precision = _parse_header_date(match, path)
    body = (first_line[match.end() :].strip() + "\n" + rest).strip("\n") if rest else first_line[match.end() :]
    body = body.strip()
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


def _decode(data: bytes, path: str) -> str:
    if not data.strip():
        raise ArticleFormatError(path, None, "file is empty")
    if b"\x00" in data[:8192]:
        raise ArticleFormatError(path, None, "file is binary (contains NUL bytes), not a text article")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ArticleFormatError(
            path, line, f"not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start})"
        ) from exc
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
