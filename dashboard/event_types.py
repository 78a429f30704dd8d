"""Event types: what a sentence reports (protest, clash, arrest, attack, political), by transparent rules.

The rules are word stems per language in ``data/event_types.toml``; a sentence takes the first type, in
the file's order (the most severe first), that one of its words starts with. English stems apply to every
language, since news in other languages quotes English terms. A sentence that matches none is "other".
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

from .config import DATA_DIR
from .text import fold

EVENT_TYPES_TOML = DATA_DIR / "event_types.toml"
OTHER = "other"


@dataclass(frozen=True, slots=True)
class _Rules:
    order: tuple[str, ...]
    labels: dict[str, str]
    stems: dict[str, dict[str, tuple[str, ...]]]  # language -> type -> stems

    def stems_for(self, language: str, event_type: str) -> tuple[str, ...]:
        own = self.stems.get(language, {}).get(event_type, ())
        return own + self.stems.get("en", {}).get(event_type, ()) if language != "en" else own


@cache
def _patterns(language: str) -> tuple[tuple[str, re.Pattern[str]], ...]:
    """One pattern per type: any of its stems at the start of a word of the folded text."""
    rules = _rules()
    out = []
    for event_type in rules.order:
        stems = sorted(rules.stems_for(language, event_type), key=len, reverse=True)
        if stems:
            out.append((event_type, re.compile(r"(?<![^\W\d_])(?:" + "|".join(map(re.escape, stems)) + ")")))
    return tuple(out)


@cache
def _rules(path: Path = EVENT_TYPES_TOML) -> _Rules:
    with path.open("rb") as handle:
        spec = tomllib.load(handle)
    order = tuple(spec["order"])
    stems: dict[str, dict[str, tuple[str, ...]]] = {}
    for code, table in spec.items():
        if not isinstance(table, dict) or code == "labels":
            continue
        source = spec.get(table.get("inherits", ""), table)
        stems[code] = {kind: tuple(fold(s) for s in source.get(kind, [])) for kind in order}
    return _Rules(order, dict(spec["labels"]), stems)


def event_types() -> tuple[str, ...]:
    """Every type a sentence can take, most severe first, "other" last."""
    return (*_rules().order, OTHER)


def event_type_label(event_type: str) -> str:
    """The words shown for a type ("clash or violence")."""
    return _rules().labels.get(event_type, event_type)


@lru_cache(maxsize=1024)
def classify_event(sentence: str, language: str = "en") -> str:
    """The type of what ``sentence`` reports, by the stems of its language (and English).

    Recent answers are kept: a sentence naming several places is the source of several events."""
    folded = fold(sentence)
    for event_type, pattern in _patterns(language):
        if pattern.search(folded):
            return event_type
    return OTHER
