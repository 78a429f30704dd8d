"""Tests for dashboard/text.py: folding names, words with offsets, sentence spans."""

from __future__ import annotations

import pytest

from dashboard.text import fold, sentence_spans, shorten, tokenize


@pytest.mark.parametrize("spelling", ["Zvečan", "Zvecan", "Zveçan", "Звечан", "ZVEČAN", "  Zvečan "])
def test_fold_makes_every_spelling_of_zvecan_equal(spelling: str) -> None:
    assert fold(spelling) == "zvecan"


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Лепосавић", "leposavic"),
        ("Leposavić", "leposavic"),
        ("đ", "dj"),
        ("Đakovica", "djakovica"),
        ("Ђаковица", "djakovica"),
        ("Kosovska-Mitrovica", "kosovska mitrovica"),
        ("Ibar–Lepenac", "ibar lepenac"),
        ("Zubin   Potok", "zubin potok"),
    ],
)
def test_fold_transliterates_and_strips_diacritics(text: str, folded: str) -> None:
    assert fold(text) == folded


def test_tokenize_gives_words_with_offsets_into_the_text() -> None:
    text = "U Zvečanu, 26. maja: Mitrovica-North's"
    tokens = tokenize(text)
    assert [t.text for t in tokens] == ["U", "Zvečanu", "maja", "Mitrovica-North's"]
    for token in tokens:
        assert text[token.start : token.end] == token.text
    assert tokens[1].folded == "zvecanu"
    assert tokens[1].is_capitalised and not tokens[2].is_capitalised


def test_tokenize_cyrillic_offsets() -> None:
    text = "Сукоби у Звечану."
    word = tokenize(text)[2]
    assert (word.text, word.folded, text[word.start : word.end]) == ("Звечану", "zvecanu", "Звечану")


def test_sentence_spans_split_at_sentence_ends_and_trim_whitespace() -> None:
    text = "First one. Second one!  Third?"
    assert [text[a:b] for a, b in sentence_spans(text)] == ["First one.", "Second one!", "Third?"]


def test_sentence_spans_do_not_split_inside_a_date_or_before_lower_case() -> None:
    text = "It happened on 26. maja 2023. in Zvečan. Then e.g. police came.\n\nNew paragraph"
    parts = [text[a:b] for a, b in sentence_spans(text)]
    assert parts[0] == "It happened on 26. maja 2023. in Zvečan."
    assert parts[-1] == "New paragraph"


def test_shorten_cuts_at_a_word_with_an_ellipsis() -> None:
    assert shorten("one two three four", 12) == "one two…"
    assert shorten("short\n text", 40) == "short text"
