"""Property tests: reading, folding and dating any input give a sane result or the project's own error.

The number of examples comes from the hypothesis profile chosen in conftest.py (``HYPOTHESIS_PROFILE``).
"""

from __future__ import annotations

import calendar
import datetime as dt
import hashlib
import re

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from dashboard.articles import parse_article
from dashboard.dates import FUTURE_DAYS, MAX_YEAR, MIN_YEAR, find_dates
from dashboard.errors import ArticleFormatError
from dashboard.languages import load_languages
from dashboard.text import fold, paragraph_spans, sentence_spans, tokenize

NOW = dt.datetime(2024, 6, 1, 12, 0, tzinfo=dt.UTC)
LANGUAGES = sorted(load_languages())

# Article bytes: a plausible header (right or subtly wrong), a separator, then any text or any bytes.
_headers = st.from_regex(r"\A(\ufeff)? ?date \d{4}-\d{2}(-\d{2})?\Z").map(str.encode) | st.binary(max_size=20)
_separators = st.sampled_from([b"", b" ", b"\n", b"\r\n", b"\r", b"\n\n"])
_bodies = st.text(max_size=200).map(str.encode) | st.binary(max_size=200)
ARTICLE_BYTES = st.tuples(_headers, _separators, _bodies).map(b"".join) | st.binary(max_size=300)


def _date_words() -> list[str]:
    """Every month, weekday, relative-day and number word the languages define, as written and capitalised."""
    words: set[str] = set()
    for code in LANGUAGES:
        lang = load_languages()[code]
        for table in (lang.months, lang.weekdays, lang.relative_days, lang.relative_units, lang.numbers):
            words |= set(table)
        words |= set(lang.ago_words) | lang.last_words | lang.in_words
    words |= {"days", "dana", "ditë", "Tage", "giorni", "jours", "días", "zile"}
    return sorted(words | {w.capitalize() for w in words})


_numbers = st.integers(0, 3000).map(str) | st.sampled_from(["2023", "2024-05-26", "26.05.2023.", "19:16:38", "1900"])
_words = st.sampled_from(_date_words()) | _numbers | st.text(max_size=6)
_glue = st.sampled_from([" ", ", ", ". ", "-", ".", "\n", "\n\n", " T"])
DATE_TEXT = st.lists(st.tuples(_words, _glue).map("".join), max_size=25).map("".join)
PUBLISHED = st.dates(dt.date(MIN_YEAR + 1, 1, 1), dt.date(MAX_YEAR - 1, 12, 31))


@given(ARTICLE_BYTES)
def test_parsing_any_bytes_gives_an_article_or_an_article_format_error(data: bytes) -> None:
    try:
        article = parse_article(data, path="in/a.txt", now=NOW)
    except ArticleFormatError as error:
        assert error.path == "in/a.txt" and (error.line is None or error.line >= 1)
        assert str(error).startswith("in/a.txt")
        return
    assert b"\x00" not in data
    assert dt.date(1900, 1, 1) <= article.published <= NOW.date() + dt.timedelta(days=1)
    assert article.published_precision in ("day", "month")
    assert article.text and article.text == article.text.strip() and "\r" not in article.text
    assert article.sha256 == hashlib.sha256(article.text.encode()).hexdigest()
    assert len(article.title) <= 120


@given(st.text())
@example("𝐀 Ѐ﹣ℌ")  # decomposing exposes a capital, Cyrillic and a dash
def test_fold_is_stable_on_one_line_and_idempotent(text: str) -> None:
    folded = fold(text)
    assert folded == " ".join(folded.split())
    assert fold(folded) == folded


@given(st.text())
def test_tokens_point_at_their_words_in_order(text: str) -> None:
    end = 0
    for token in tokenize(text):
        assert end <= token.start < token.end <= len(text)
        assert text[token.start : token.end] == token.text
        assert token.folded == fold(token.text)
        end = token.end


@given(st.text(alphabet=st.characters(codec="utf-8") | st.sampled_from('.!?…"”») \n'), max_size=300))
def test_sentences_and_paragraphs_cover_the_text_in_order(text: str) -> None:
    for spans, trimmed in ((sentence_spans(text), True), (list(paragraph_spans(text)), False)):
        end = 0
        for start, stop in spans:
            assert end <= start < stop <= len(text)
            if trimmed:
                assert not text[start].isspace() and not text[stop - 1].isspace()
            end = stop
    covered = {i for start, stop in sentence_spans(text) for i in range(start, stop)}
    assert all(i in covered for i, char in enumerate(text) if not char.isspace())


@given(DATE_TEXT, PUBLISHED, st.sampled_from(["day", "month"]), st.sampled_from([*LANGUAGES, "und"]))
@example("² May", dt.date(2024, 6, 1), "day", "en")  # "²" is a digit to str.isdigit but no number
@example("2 days 2023-05-27 ago", dt.date(2024, 6, 1), "day", "en")
@example("2023-05-27.05.2023", dt.date(2024, 6, 1), "day", "en")
def test_dates_found_in_any_text_are_sane(text: str, published: dt.date, precision: str, language: str) -> None:
    if precision == "month":
        published = published.replace(day=1)
    mentions = find_dates(text, published, precision=precision, language=language)
    last_day = published.replace(day=calendar.monthrange(published.year, published.month)[1])
    horizon = (last_day if precision == "month" else published) + dt.timedelta(days=FUTURE_DAYS)
    end = 0
    for mention in mentions:
        assert end <= mention.start < mention.end <= len(text), "in text order, not overlapping"
        assert mention.date.evidence == text[mention.start : mention.end]
        assert MIN_YEAR <= mention.date.value.year <= MAX_YEAR
        assert mention.date.precision in ("day", "month", "year")
        if mention.date.precision == "day" and not re.search(r"\d{4}", mention.date.evidence):
            assert mention.date.value <= horizon, "a date without a year is not read far after publication"
        end = mention.end


@given(DATE_TEXT, st.dates(), st.sampled_from(["day", "month"]))
def test_dating_against_any_publication_date_stays_near_the_years_the_rules_read(
    text: str, published: dt.date, precision: str
) -> None:
    """Counting back from 1 January 1900 may reach 1899, but never out of the calendar."""
    for mention in find_dates(text, published, precision=precision, language="en"):
        assert MIN_YEAR - 1 <= mention.date.value.year <= MAX_YEAR + 1


@pytest.mark.parametrize("published", [dt.date.min, dt.date(1899, 12, 31), dt.date(2101, 1, 1), dt.date.max])
def test_a_publication_date_outside_the_years_the_rules_read_dates_nothing(published: dt.date) -> None:
    assert find_dates("Yesterday, two days ago, last year, on 26 May 2023.", published) == []
