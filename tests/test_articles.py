"""Tests for dashboard/articles.py: the ` date` header, decoding, titles and finding article files."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from dashboard.articles import find_article_files, parse_article, read_article
from dashboard.errors import ArticleFormatError, InputError


def _write(tmp_path: Path, data: bytes, name: str = "a.txt") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_header_with_text_on_the_same_line(tmp_path: Path) -> None:
    path = _write(tmp_path, b" date 2023-05-27 Clashes in Zvecan. Police came.\n\nMore text.\n")
    article = read_article(path)
    assert article.published == dt.date(2023, 5, 27)
    assert article.published_precision == "day"
    assert article.text == "Clashes in Zvecan. Police came.\n\nMore text."
    assert article.path == str(path)
    assert article.name == "a.txt"


def test_header_with_month_only_and_text_on_the_next_line(tmp_path: Path) -> None:
    article = read_article(_write(tmp_path, b" date 2023-05\nProtests in Leposavic.\n"))
    assert (article.published, article.published_precision) == (dt.date(2023, 5, 1), "month")
    assert article.text == "Protests in Leposavic."


@pytest.mark.parametrize(
    "data",
    [
        "\ufeff date 2023-05-27 Clashes in Zvečan.\n".encode(),
        b" date 2023-05-27 Clashes in Zve\xc4\x8dan.\r\n",
        b" date 2023-05-27\r\nClashes in Zve\xc4\x8dan.\r\n",
        "\ufeff date 2023-05-27\r\nClashes in Zvečan.\r\n".encode(),
    ],
    ids=["bom", "crlf-same-line", "crlf-next-line", "bom-and-crlf"],
)
def test_bom_and_crlf_are_accepted(tmp_path: Path, data: bytes) -> None:
    article = read_article(_write(tmp_path, data))
    assert article.published == dt.date(2023, 5, 27)
    assert article.text == "Clashes in Zvečan."
    assert "\r" not in article.text and "\ufeff" not in article.text


def test_same_text_gives_same_hash_whatever_the_line_endings(tmp_path: Path) -> None:
    unix = read_article(_write(tmp_path, b" date 2023-05-27\nA.\nB.\n", "u.txt"))
    dos = read_article(_write(tmp_path, b" date 2023-05-27\r\nA.\r\nB.\r\n", "d.txt"))
    assert unix.sha256 == dos.sha256


@pytest.mark.parametrize(
    ("data", "line", "reason"),
    [
        (b" date 2023-05-27 Zve\xe8an in Latin-1.\n", 1, "not UTF-8"),
        (b" date 2023-05-27 fine\nsecond line \xff\n", 2, "not UTF-8"),
        (b"Clashes in Zvecan on Friday.\n", 1, "header must start with"),
        (b"Date: 1 June 2023\nClashes.\n", 1, "header must start with"),
        (b" date 2023-02-30 Clashes.\n", 1, "impossible publication date 2023-02-30"),
        (b" date 2023-13 Clashes.\n", 1, "impossible publication date 2023-13"),
        (b"", None, "empty"),
        (b"  \n\n", None, "empty"),
        (b" date 2023-05-27 \x00\x01\x02binary", None, "binary"),
        (b" date 2023-05-27\n", 1, "no text"),
        (b" date 2023-05-27   \n\n  \n", 1, "no text"),
    ],
    ids=[
        "latin1",
        "latin1-line2",
        "no-date-line",
        "other-date-format",
        "feb-30",
        "month-13",
        "empty",
        "blank",
        "nul-bytes",
        "header-only",
        "header-and-blank-lines",
    ],
)
def test_bad_files_raise_article_format_error_naming_path_and_line(
    tmp_path: Path, data: bytes, line: int | None, reason: str
) -> None:
    path = _write(tmp_path, data, "bad.txt")
    with pytest.raises(ArticleFormatError) as caught:
        read_article(path)
    error = caught.value
    assert isinstance(error, InputError) and isinstance(error, ValueError)
    assert (error.path, error.line) == (str(path), line)
    assert reason in str(error)
    where = f"{path}:{line}: " if line is not None else f"{path}: "
    assert str(error).startswith(where)


def test_missing_file_is_an_article_format_error(tmp_path: Path) -> None:
    with pytest.raises(ArticleFormatError, match=re.escape(str(tmp_path / "gone.txt"))):
        read_article(tmp_path / "gone.txt")


def test_oversized_file_is_refused(tmp_path: Path) -> None:
    path = _write(tmp_path, b" date 2023-05-27 " + b"x" * 100)
    with pytest.raises(ArticleFormatError, match="over the limit"):
        read_article(path, max_bytes=50)


def test_header_error_shows_what_came(tmp_path: Path) -> None:
    with pytest.raises(ArticleFormatError, match='got "Date: 1 June"'):
        parse_article(b"Date: 1 June\ntext", path="seeds/a.txt")


def test_title_is_the_first_sentence() -> None:
    article = parse_article(b" date 2023-05-27 Clashes erupted in Zvecan. Police fired tear gas.\n", path="a.txt")
    assert article.title == "Clashes erupted in Zvecan."


def test_long_title_is_shortened_at_a_word() -> None:
    sentence = "Clashes " + "and more clashes " * 20 + "in Zvecan."
    article = parse_article(f" date 2023-05-27 {sentence} Second.".encode(), path="a.txt")
    assert len(article.title) <= 120
    assert article.title.endswith("…")
    assert sentence.startswith(article.title[:-1])


def test_find_article_files_recurses_in_stable_order_and_keeps_named_files(tmp_path: Path) -> None:
    for name in ("b.txt", "a.txt", "sub/deeper/c.txt", "notes.md"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(" date 2023-05-27 x\n", encoding="utf-8")
    single = tmp_path / "notes.md"
    found = list(find_article_files([tmp_path, single]))
    assert found == [tmp_path / "a.txt", tmp_path / "b.txt", tmp_path / "sub/deeper/c.txt", single]


def test_find_article_files_names_a_missing_path(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere"
    with pytest.raises(ArticleFormatError, match="no such file or folder") as caught:
        list(find_article_files([missing]))
    assert caught.value.path == str(missing)
