"""Marking the place name and the date expression in a reporting sentence, as escaped HTML.

The store keeps each source's sentence but not where in it the place was named, so the place is found
again: a capitalised run of words whose folded form starts with the folded name or an alias, allowing a
short case ending (u Zvečanu, iz Leposavića) and the small respellings of a transliteration (Leposaviq).
The date is found by its evidence, the words it was read from, when they are in the sentence; a story
date read from another sentence, or the publication date, has nothing here to mark.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Final

from .escaping import escape_html
from .models import Place
from .text import Token, fold, tokenize

Span = tuple[int, int, str]

ENDING_LIMIT: Final = 3  # letters a case ending may add (Leposavić → Leposavićem)
RESPELLING_SLACK: Final = 1  # letters a transliteration may differ by at a name's end (Leposavić → Leposaviq)
_EVIDENCE_PREFIX: Final = re.compile(r"^story date:\s*")


def place_spans(sentence: str, place: Place) -> list[tuple[int, int]]:
    """Where the sentence names the place, as [start, end) offsets; empty when it cannot be found."""
    names = {fold(name) for name in (place.name, *place.aliases) if fold(name)}
    if not names:
        return []
    tokens = tokenize(sentence)
    spans: list[tuple[int, int]] = []
    for index, token in enumerate(tokens):
        if token.is_capitalised and (not spans or token.start >= spans[-1][1]):
            end = _match_end(tokens, index, names)
            if end is not None:
                spans.append((token.start, end))
    return spans


def date_spans(sentence: str, evidence: str) -> list[tuple[int, int]]:
    """Where the sentence holds the date expression (``evidence``, without a "story date:" note)."""
    expression = " ".join(_EVIDENCE_PREFIX.sub("", evidence).split())
    if not expression or "(" in expression:  # "publication day (reported as current news)" is a note
        return []
    pattern = r"\s+".join(re.escape(word) for word in expression.split())
    return [(m.start(), m.end()) for m in re.finditer(rf"(?<!\w){pattern}(?!\w)", sentence, flags=re.IGNORECASE)]


def highlight_html(text: str, spans: Iterable[Span]) -> str:
    """``text`` escaped, with each (start, end, css class) span wrapped in ``<mark>``; overlaps keep the first."""
    out, position = [], 0
    for start, end, css_class in sorted(spans):
        if start < position or not 0 <= start < end <= len(text):
            continue
        out.append(escape_html(text[position:start]))
        out.append(f'<mark class="{escape_html(css_class)}">{escape_html(text[start:end])}</mark>')
        position = end
    out.append(escape_html(text[position:]))
    return "".join(out)


def _match_end(tokens: list[Token], index: int, names: set[str]) -> int | None:
    """The end offset of the longest run of tokens from ``index`` that spells one of the names."""
    best = None
    joined = ""
    for token in tokens[index : index + 6]:
        joined = f"{joined} {token.folded}".strip()
        if any(_spells(joined, name) for name in names):
            best = token.end
        if len(joined) > max(map(len, names)) + ENDING_LIMIT:
            break
    return best


def _spells(words: str, name: str) -> bool:
    """True when ``words`` is ``name`` with at most a short ending, or with its last letter respelled."""
    if words.startswith(name):
        ending = words[len(name) :]
        return len(ending) <= ENDING_LIMIT and " " not in ending
    stem = name[:-RESPELLING_SLACK]
    return (
        len(stem) >= 5
        and words.startswith(stem)
        and " " not in words[len(stem) :]
        and len(words) - len(stem) <= ENDING_LIMIT + RESPELLING_SLACK
    )
