"""Tests for dashboard/articles.py: the ` date` header, decoding, limits, titles and finding article files."""

from __future__ import annotations

import datetime as dt
import os
import re
import threading
from pathlib import Path

import pytest

from dashboard.articles import (
    MAX_ARTICLE_BYTES,
    MAX_BYTES_ENV,
    find_article_files,
    max_article_bytes,
    parse_article,
    read_article,
)
from dashboard.errors import ArticleFormatError, ConfigError, InputError
from dashboard.pipeline import ingest_paths
from dashboard.store import Store
from tests.helpers import small_gazetteer

NOW = dt.datetime(2024, 6, 1, 12, 0, tzinfo=dt.UTC)


def _write(tmp_path: Path, data: bytes, name: str = "a.txt") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_header_with_text_on_the_same_line(tmp_path: Path) -> None:
    path = _write(tmp_path, b" date 2023-05-27 Clashes in Zvecan. Police came.\n\nMore text.\n")
    article = read_article(path, now=NOW)
    assert article.published == dt.date(2023, 5, 27)
    assert article.published_precision == "day"
    assert article.text == "Clashes in Zvecan. Police came.\n\nMore text."
    assert article.path == str(path)
    assert article.name == "a.txt"


def test_header_with_month_only_and_text_on_the_next_line(tmp_path: Path) -> None:
    article = read_article(_write(tmp_path, b" date 2023-05\nProtests in Leposavic.\n"), now=NOW)
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
    article = read_article(_write(tmp_path, data), now=NOW)
    assert article.published == dt.date(2023, 5, 27)
    assert article.text == "Clashes in Zvečan."
    assert "\r" not in article.text and "\ufeff" not in article.text


def test_same_text_gives_same_hash_whatever_the_line_endings(tmp_path: Path) -> None:
    unix = read_article(_write(tmp_path, b" date 2023-05-27\nA.\nB.\n", "u.txt"), now=NOW)
    dos = read_article(_write(tmp_path, b" date 2023-05-27\r\nA.\r\nB.\r\n", "d.txt"), now=NOW)
    assert unix.sha256 == dos.sha256


BAD_FILES = {
    "latin1": (b" date 2023-05-27 Zve\xe8an in Latin-1.\n", 1, "not UTF-8 text (byte 0xe8"),
    "latin1-line3": (b" date 2023-05-27 fine\nsecond\nthird \xff\n", 3, "not UTF-8"),
    "utf16": (" date 2023-05-27 Zvečan.\n".encode("utf-16"), None, "UTF-16 text; save it as UTF-8"),
    "no-date-line": (b"Clashes in Zvecan on Friday.\n", 1, 'header must start with " date YYYY-MM[-DD]"'),
    "other-date-format": (b"Date: 1 June 2023\nClashes.\n", 1, 'got "Date: 1 June 2023"'),
    "one-digit-month": (b" date 2023-5-27 Clashes.\n", 1, "header must start with"),
    "two-digit-year": (b" date 23-05-27 Clashes.\n", 1, "header must start with"),
    "arabic-digits": (" date ٢٠٢٣-٠٥-٢٧ Clashes.\n".encode(), 1, "header must start with"),
    "date-run-on": (b" date 2023-05-27x Clashes.\n", 1, "header must start with"),
    "feb-30": (b" date 2023-02-30 Clashes.\n", 1, "impossible publication date 2023-02-30"),
    "month-13": (b" date 2023-13 Clashes.\n", 1, "impossible publication date 2023-13"),
    "year-0": (b" date 0000-01-01 Clashes.\n", 1, "impossible publication date 0000-01-01"),
    "before-1900": (b" date 1899-12-31 Clashes.\n", 1, "publication date 1899-12-31 is before 1900"),
    "two-days-ahead": (b" date 2024-06-03 Clashes.\n", 1, "2024-06-03 is more than a day after the time of reading"),
    "next-month": (b" date 2024-07 Clashes.\n", 1, "2024-07 is more than a day after the time of reading (2024-06-01"),
    "empty": (b"", None, "file is empty"),
    "blank": (b"  \n\n", None, "file is empty"),
    "bom-only": (b"\xef\xbb\xbf\r\n", None, "file is empty"),
    "nul-bytes": (b" date 2023-05-27 \x00\x01\x02binary", 1, "binary"),
    "nul-on-line-2": (b" date 2023-05-27 text\n\x89PNG\x00\x00", 2, "binary"),
    "header-only": (b" date 2023-05-27\n", 1, "no text"),
    "header-and-blank-lines": (b" date 2023-05-27   \n\n  \n", 1, "no text"),
}


@pytest.mark.parametrize(("data", "line", "reason"), list(BAD_FILES.values()), ids=list(BAD_FILES))
def test_bad_files_raise_article_format_error_naming_path_and_line(
    tmp_path: Path, data: bytes, line: int | None, reason: str
) -> None:
    path = _write(tmp_path, data, "bad.txt")
    with pytest.raises(ArticleFormatError) as caught:
        read_article(path, now=NOW)
    error = caught.value
    assert isinstance(error, InputError) and isinstance(error, ValueError)
    assert (error.path, error.line) == (str(path), line)
    assert reason in str(error)
    where = f"{path}:{line}: " if line is not None else f"{path}: "
    assert str(error).startswith(where)


@pytest.mark.parametrize("published", ["2024-06-02", "2024-06", "2024-05-31"])
def test_a_date_up_to_a_day_after_reading_is_accepted(published: str) -> None:
    """Time zones: a paper east of the reader may already print tomorrow's date."""
    article = parse_article(f" date {published} Clashes.".encode(), path="a.txt", now=NOW)
    assert article.published.isoformat().startswith(published)


def test_the_time_of_reading_defaults_to_the_clock_at_call_time(tmp_path: Path) -> None:
    far = _write(tmp_path, b" date 2999-01-01 Clashes.\n", "far.txt")
    past = _write(tmp_path, b" date 2023-05-27 Clashes.\n", "past.txt")
    with pytest.raises(ArticleFormatError, match="more than a day after the time of reading"):
        read_article(far)
    assert read_article(past).published == dt.date(2023, 5, 27)
    assert parse_article(b" date 2023-05-27 x", path="p.txt").published == dt.date(2023, 5, 27)


def test_a_header_error_escapes_control_characters() -> None:
    with pytest.raises(ArticleFormatError) as caught:
        parse_article(b"\x1b[31mred\x1b[0m header\nx", path="a.txt", now=NOW)
    assert "\x1b" not in str(caught.value)
    assert r'got "\x1b[31mred\x1b[0m header"' in str(caught.value)


def test_missing_file_is_an_article_format_error(tmp_path: Path) -> None:
    with pytest.raises(ArticleFormatError, match=re.escape(str(tmp_path / "gone.txt"))):
        read_article(tmp_path / "gone.txt", now=NOW)


def test_oversized_file_is_refused_naming_the_limit(tmp_path: Path) -> None:
    path = _write(tmp_path, b" date 2023-05-27 " + b"x" * 100)
    with pytest.raises(ArticleFormatError) as caught:
        read_article(path, now=NOW, max_bytes=50)
    assert str(caught.value) == (
        f"{path}: file is 117 bytes, over the size limit of 50 bytes (set {MAX_BYTES_ENV} to change it)"
    )


def test_a_file_at_the_limit_is_read(tmp_path: Path) -> None:
    data = b" date 2023-05-27 " + b"x" * 100
    assert read_article(_write(tmp_path, data), now=NOW, max_bytes=len(data)).text == "x" * 100


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_a_pipe_is_read_no_further_than_the_limit(tmp_path: Path) -> None:
    """A pipe or a device has no size on disk, so the limit must hold while reading, not only before."""
    pipe = tmp_path / "pipe.txt"
    os.mkfifo(pipe)
    written: list[int] = []

    def feed() -> None:
        try:
            with pipe.open("wb") as handle:
                for _ in range(1024):
                    handle.write(b"x" * 1024)
                    written.append(1024)
        except BrokenPipeError:
            pass  # the reader stopped at the limit, as it should

    writer = threading.Thread(target=feed, daemon=True)
    writer.start()
    with pytest.raises(ArticleFormatError, match="file is more than 100 bytes, over the size limit of 100 bytes"):
        read_article(pipe, now=NOW, max_bytes=100)
    writer.join(timeout=10)
    assert sum(written) < 1024 * 1024


def test_oversized_bytes_are_refused_by_parse_too() -> None:
    with pytest.raises(ArticleFormatError, match="over the size limit of 10 bytes"):
        parse_article(b" date 2023-05-27 too long", path="upload.txt", now=NOW, max_bytes=10)


def test_the_size_limit_is_10_mb_unless_the_environment_says_otherwise(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(MAX_BYTES_ENV, raising=False)
    assert max_article_bytes() == MAX_ARTICLE_BYTES == 10 * 1024 * 1024
    monkeypatch.setenv(MAX_BYTES_ENV, "60")
    path = _write(tmp_path, b" date 2023-05-27 " + b"x" * 100)
    with pytest.raises(ArticleFormatError, match="over the size limit of 60 bytes"):
        read_article(path, now=NOW)
    assert read_article(path, now=NOW, max_bytes=200).text == "x" * 100


@pytest.mark.parametrize("value", ["ten", "-5", "0", "1e6"])
def test_an_unusable_size_limit_in_the_environment_is_a_config_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    monkeypatch.setenv(MAX_BYTES_ENV, value)
    with pytest.raises(ConfigError, match=f"{MAX_BYTES_ENV} must be a positive whole number of bytes"):
        read_article(_write(tmp_path, b" date 2023-05-27 x"), now=NOW)


def test_each_bad_file_is_one_problem_and_the_good_ones_are_still_stored(tmp_path: Path) -> None:
    """Ingest reads the clock itself, so the future case here is one no clock has reached."""
    bad = {name: data for name, (data, _, reason) in BAD_FILES.items() if "time of reading" not in reason}
    bad["far-future"] = b" date 2999-01-01 Clashes.\n"
    folder = tmp_path / "in"
    folder.mkdir()
    for name, data in bad.items():
        _write(folder, data, f"{name}.txt")
    _write(folder, b" date 2023-05-27\nClashes broke out in Zve\xc4\x8dan, Kosovo, on Friday.\n", "good.txt")
    with Store(tmp_path / "events.db") as store:
        report = ingest_paths([folder], store, small_gazetteer())
        stored = store.article_count()
    assert sorted(Path(p.path).stem for p in report.problems) == sorted(bad)
    assert (report.new, stored) == (1, 1)


def test_header_error_shows_what_came(tmp_path: Path) -> None:
    with pytest.raises(ArticleFormatError, match='got "Date: 1 June"'):
        parse_article(b"Date: 1 June\ntext", path="seeds/a.txt", now=NOW)


def test_title_is_the_first_sentence() -> None:
    article = parse_article(b" date 2023-05-27 Clashes erupted in Zvecan. Police fired tear gas.\n", path="a.txt")
    assert article.title == "Clashes erupted in Zvecan."


def test_long_title_is_shortened_at_a_word() -> None:
    sentence = "Clashes " + "and more clashes " * 20 + "in Zvecan."
    article = parse_article(f" date 2023-05-27 {sentence} Second.".encode(), path="a.txt", now=NOW)
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
