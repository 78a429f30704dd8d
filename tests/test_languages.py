"""Tests for dashboard/languages.py: identifying an article's language."""

from __future__ import annotations

import pytest

from dashboard.languages import identify_language
from dashboard.text import tokenize

SERBIAN = "Policija je u Zvečanu uhapsila dvojicu mladića, a u selu kod Leposavića je mirno."
CYRILLIC = "Полиција је у Звечану ухапсила двојицу младића, а у селу код Лепосавића је мирно."
ENGLISH = "Police in Zvecan arrested two young men, and the village near Leposavic is calm."


@pytest.mark.parametrize(("text", "language"), [(SERBIAN, "sr"), (CYRILLIC, "sr"), (ENGLISH, "en"), ("Zvečan", "und")])
def test_language_is_read_from_stop_words_and_script(text: str, language: str) -> None:
    assert identify_language(text) == language


@pytest.mark.parametrize(("sample", "language"), [(12, "und"), (13, "en"), (40, "en")])
def test_given_tokens_the_sample_counts_the_word_it_cuts_as_cut(sample: int, language: str) -> None:
    """Cut after "th", "the" is no stop word: one stop word ("in") is too little evidence."""
    text = "Zvecan in the village of Banjska"
    assert identify_language(text, sample=sample, tokens=tokenize(text)) == language
    assert identify_language(text, sample=sample) == language
