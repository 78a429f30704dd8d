"""Text helpers shared by every stage: folding names for comparison, words with offsets, sentences."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from functools import lru_cache
from typing import NamedTuple

# Serbian, Macedonian, Russian and Ukrainian Cyrillic to the Latin letters the folded form uses.
_CYRILLIC = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "ђ": "dj", "е": "e", "ж": "z", "з": "z",
    "и": "i", "ј": "j", "к": "k", "л": "l", "љ": "lj", "м": "m", "н": "n", "њ": "nj", "о": "o",
    "п": "p", "р": "r", "с": "s", "т": "t", "ћ": "c", "у": "u", "ф": "f", "х": "h", "ц": "c",
    "ч": "c", "џ": "dz", "ш": "s", "ѓ": "gj", "ќ": "kj", "ѕ": "dz", "й": "j", "ы": "y", "э": "e",
    "ю": "ju", "я": "ja", "щ": "sc", "ъ": "", "ь": "", "ё": "e", "є": "je", "і": "i", "ї": "ji",
    "ґ": "g",
}  # fmt: skip
_SPECIAL = {"đ": "dj", "ł": "l", "ı": "i", "ß": "ss", "æ": "ae", "ø": "o", "œ": "oe", "þ": "th"}
_DASHES = "-‐‑–"  # hyphen-minus, hyphen, non-breaking hyphen, en dash: all join the parts of a name
_FOLD_TABLE = str.maketrans({**_CYRILLIC, **_SPECIAL, **dict.fromkeys(_DASHES, " "), "'": "", "’": "", "`": ""})

WORD_RE = re.compile(rf"[^\W\d_]+(?:['’{re.escape(_DASHES)}][^\W\d_]+)*", re.UNICODE)
_SENTENCE_END = re.compile(r"(?<=[.!?…])([\"”»’)]*)\s+(?=[\"“«„(]*[^\W\d_a-z]|\d)|\n\s*\n|\n(?=\s*[^\W\d_a-z])")


class _CombiningMarks(dict[int, str | None]):
    """A ``str.translate`` table deleting combining marks, filled in as characters are met (whole sentences
    are folded too, and a Python test per character would dominate their folding)."""

    def __missing__(self, code: int) -> str | None:
        kept = None if unicodedata.combining(chr(code)) else chr(code)
        self[code] = kept
        return kept


_WITHOUT_MARKS = _CombiningMarks()


@lru_cache(maxsize=200_000)
def fold(text: str) -> str:
    """Lower-case, Latin-script, diacritic-free form used to compare names (Zvečan, Звечан → zvecan)."""
    lowered = text.lower().translate(_FOLD_TABLE)
    if lowered.isascii():  # nothing to decompose or fold again
        return " ".join(lowered.split())
    stripped = unicodedata.normalize("NFKD", lowered).translate(_WITHOUT_MARKS)
    # Decomposing may expose capitals (𝐀 → A), Cyrillic (Ѐ → Е) or dashes (﹣ → -): fold those too.
    return " ".join(stripped.lower().translate(_FOLD_TABLE).split())


class Token(NamedTuple):
    """A word in a text: its characters, where it sits, and its folded form.

    A named tuple rather than a dataclass: every article has hundreds, and a tuple is made in half the time.
    """

    text: str
    start: int
    end: int
    folded: str

    @property
    def is_capitalised(self) -> bool:
        return self.text[:1].isupper()


def tokenize(text: str) -> list[Token]:
    """Words (letters, inner hyphens and apostrophes) with their character offsets."""
    return [Token(m.group(), m.start(), m.end(), fold(m.group())) for m in WORD_RE.finditer(text)]


@lru_cache(maxsize=4)
def sentence_spans(text: str) -> tuple[tuple[int, int], ...]:
    """Sentence boundaries as [start, end) offsets, trimmed of surrounding whitespace.

    The last few texts' are kept: place finding, unknown places and events each need an article's sentences.
    """
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        _append_trimmed(spans, text, start, match.start() + len(match.group(1) or ""))
        start = match.end()
    _append_trimmed(spans, text, start, len(text))
    return tuple(spans)


def _append_trimmed(spans: list[tuple[int, int]], text: str, start: int, end: int) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        spans.append((start, end))


def paragraph_spans(text: str) -> Iterator[tuple[int, int]]:
    """Paragraphs (blocks separated by blank lines) as [start, end) offsets."""
    start = 0
    for match in re.finditer(r"\n\s*\n", text):
        if match.start() > start:
            yield (start, match.start())
        start = match.end()
    if start < len(text):
        yield (start, len(text))


def shorten(text: str, limit: int) -> str:
    """The text on one line, cut at a word boundary to at most ``limit`` characters (with an ellipsis)."""
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    cut = flat[: limit - 1].rsplit(" ", 1)[0] if " " in flat[: limit - 1] else flat[: limit - 1]
    return cut.rstrip(",;:") + "…"
