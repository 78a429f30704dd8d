"""Place finding: gazetteer names in an article's text, inflected or not, kept only with evidence, then disambiguated.

A span of capitalised words is looked up folded (Zvečan = Zvecan = Звечан), first as written, then with
the article language's case endings stripped (u Zvečanu, Leposaviqit). A match is dropped when the
context says it is not a place here: part of an organisation's name (Kosovo Police), a capital standing
for its government (Pristina said), a common word opening a sentence, a month or weekday, or a person's
surname. When a name fits several places, the one that fits the article's other places wins.
"""

from __future__ import annotations

import math
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from itertools import pairwise

from geopy.distance import great_circle

from .gazetteer import Gazetteer
from .languages import Language, get_language
from .models import Mention, Place
from .text import Token, fold, sentence_spans, tokenize

METONYMY_MIN_POPULATION = 100_000
CONTEXT_MIN_POPULATION = 100_000
NEARBY_KM = 150.0
NAME_SIMILARITY = 0.8
SPECIFIC_KM = 10.0
ORG_WORDS_AFTER = 3


@dataclass(frozen=True, slots=True)
class _Candidate:
    """A span that names one or more gazetteer places before disambiguation."""

    start: int
    end: int
    surface: str
    places: tuple[Place, ...]
    exact: bool


def find_mentions(text: str, gazetteer: Gazetteer, *, language: str = "en") -> list[Mention]:
    """Every place the text names, with offsets into ``text``, in text order."""
    lang = get_language(language)
    english = get_language("en")
    tokens = tokenize(text)
    starts = _sentence_start_tokens(text, tokens)
    abbreviations = {**english.abbreviations, **lang.abbreviations}
    candidates: list[_Candidate] = []
    i = 0
    while i < len(tokens):
        found = None
        if tokens[i].is_capitalised:
            found = _match_at(tokens, i, gazetteer, lang) or _abbreviation_at(tokens, i, text, gazetteer, abbreviations)
        if found is None:
            i += 1
            continue
        count, candidate = found
        org_end = _organisation_end(tokens, i + count, candidate, lang, english)
        if org_end is not None:
            i = org_end
            continue
        if _has_evidence(tokens, i, count, candidate, lang, english, i in starts):
            candidates.append(candidate)
        i += count
    return _resolve(candidates)


def _sentence_start_tokens(text: str, tokens: Sequence[Token]) -> set[int]:
    """Indexes of the tokens that open a sentence."""
    offsets = [t.start for t in tokens]
    firsts = {bisect_left(offsets, start) for start, _ in sentence_spans(text)}
    return {i for i in firsts if i < len(tokens)}


def _surface_key(tokens: Sequence[Token], lang: Language) -> str:
    """The folded words of a span, with a trailing clitic such as "'s" cut from the last word."""
    words = [t.folded for t in tokens]
    last = tokens[-1].text
    for clitic in lang.clitics:
        if last.endswith(clitic) and len(last) > len(clitic) + 1:
            words[-1] = fold(last[: -len(clitic)])
            break
    return " ".join(words)


def _match_at(tokens: Sequence[Token], i: int, gazetteer: Gazetteer, lang: Language) -> tuple[int, _Candidate] | None:
    """The longest gazetteer name starting at token ``i``, as (token count, candidate).

    A lower-case word right before it may open the name (канал Ибар-Лепенац, lake Gazivode): languages
    that write a feature's kind in lower case still name it with the kind.
    """
    lead = tokens[i - 1] if i > 0 and _lower_case_lead(tokens[i - 1], tokens[i], lang) else None
    longest = min(gazetteer.max_words, len(tokens) - i)
    for count in range(longest, 0, -1):
        span = tokens[i : i + count]
        if not _well_formed(span, lang):
            continue
        key = _surface_key(span, lang)
        if lead is not None:
            places, exact = _lookup(f"{lead.folded} {key}", gazetteer, lang)
            if places:
                return count, _candidate([lead, *span], places, exact)
        places, exact = _lookup(key, gazetteer, lang)
        if places:
            return count, _candidate(span, places, exact)
    return None


def _abbreviation_at(
    tokens: Sequence[Token], i: int, text: str, gazetteer: Gazetteer, abbreviations: dict[str, str]
) -> tuple[int, _Candidate] | None:
    """A country written as its capital-letter abbreviation (US, U.S., SHBA), exactly as listed."""
    for abbreviation, code in abbreviations.items():
        end = tokens[i].start + len(abbreviation)
        if text.startswith(abbreviation, tokens[i].start) and not text[end : end + 1].isalnum():
            country = gazetteer.countries().get(code)
            if country is None:
                return None
            count = sum(1 for t in tokens[i:] if t.start < end)
            return count, _Candidate(tokens[i].start, end, abbreviation, (country,), True)
    return None


def _lower_case_lead(prev: Token, first: Token, lang: Language) -> bool:
    return (
        not prev.is_capitalised
        and _adjacent(prev.end, first)
        and prev.folded not in lang.stopwords
        and prev.folded not in lang.connectors
    )


def _lookup(key: str, gazetteer: Gazetteer, lang: Language) -> tuple[tuple[Place, ...], bool]:
    """Places a folded key names (as written, inflected, or respelled), and whether as written."""
    places = gazetteer.lookup(key)
    if places:
        return places, True
    if lang.suffixes or lang.connectors:
        places = gazetteer.lookup_inflected(key, lang)
    if not places:
        places = gazetteer.lookup_respelled(key, _respellings(lang))
    return places, False


def _candidate(span: Sequence[Token], places: tuple[Place, ...], exact: bool) -> _Candidate:
    surface = "".join(t.text if k == 0 else " " + t.text for k, t in enumerate(span))
    return _Candidate(span[0].start, span[-1].end, surface, places, exact)


def _respellings(lang: Language) -> tuple[tuple[str, str], ...]:
    """The article language's respellings, and English ones: news in any language quotes English spellings."""
    return tuple(dict.fromkeys((*lang.respellings, *get_language("en").respellings)))


def _well_formed(span: Sequence[Token], lang: Language) -> bool:
    """Capitalised words, lower-case connectors only inside, and adjacent words (no line break between)."""
    if not span[-1].is_capitalised:
        return False
    for prev, token in pairwise(span):
        if token.start - prev.end > 2:
            return False
    return all(t.is_capitalised or t.folded in lang.connectors for t in span[1:-1])


def _has_evidence(
    tokens: Sequence[Token],
    i: int,
    count: int,
    candidate: _Candidate,
    lang: Language,
    english: Language,
    sentence_start: bool,
) -> bool:
    """False when the context says the name is not a place here."""
    nxt = tokens[i + count] if i + count < len(tokens) else None
    prev = tokens[i - 1] if i > 0 else None
    single = count == 1
    key = fold(candidate.surface)
    if single and any(key in L.months or key in L.weekdays for L in (lang, english)):
        return False
    if single and sentence_start and any(key in L.stopwords for L in (lang, english)):
        return False
    before = " ".join(t.folded for t in tokens[max(0, i - 4) : i])
    if any(before.endswith(phrase) for L in (lang, english) for phrase in L.org_before):
        return False
    if nxt is not None and _stands_for_government(candidate, nxt, lang, english):
        return False
    if (
        single
        and nxt is not None
        and not lang.capitalised_nouns
        and _looks_like_first_name(candidate, nxt, tokens, i + count, lang, english)
    ):
        return False
    surname = single and prev is not None and not sentence_start and not lang.capitalised_nouns
    return not (surname and _looks_like_surname(prev, candidate, lang))


def _looks_like_first_name(
    candidate: _Candidate, nxt: Token, tokens: Sequence[Token], j: int, lang: Language, english: Language
) -> bool:
    """A one-word town followed by one capitalised word and no more (Milan Radoičić) is a person's name."""
    after = tokens[j + 1] if j + 1 < len(tokens) else None
    return (
        nxt.is_capitalised
        and not nxt.text.isupper()
        and _adjacent(candidate.end, nxt)
        and all(p.level != "country" for p in candidate.places)
        and not any(nxt.folded in L.descriptors or nxt.folded in L.org_after for L in (lang, english))
        and (after is None or not after.is_capitalised or after.start - nxt.end > 1)
    )


def _organisation_end(
    tokens: Sequence[Token], j: int, candidate: _Candidate, lang: Language, english: Language
) -> int | None:
    """Where an organisation's name ends when the place name opens one (Kosovo Police, Pakistan Point News).

    The organisation word may follow the place directly or close a run of capitalised words after it.
    """
    if j >= len(tokens) or not _adjacent(candidate.end, tokens[j]):
        return None
    country = all(p.level == "country" for p in candidate.places)
    for k in range(j, min(j + ORG_WORDS_AFTER, len(tokens))):
        word = tokens[k].folded
        if k > j and not (tokens[k].is_capitalised and _adjacent(tokens[k - 1].end, tokens[k])):
            return None
        if country and k == j and any(word in L.party_after for L in (lang, english)):
            return None
        if any(word in L.org_after for L in (lang, english)):
            end = k + 1
            while end < len(tokens) and tokens[end].is_capitalised and _adjacent(tokens[end - 1].end, tokens[end]):
                end += 1
            return end
        if not tokens[k].is_capitalised:
            return None
    return None


def _adjacent(end: int, token: Token) -> bool:
    return token.start - end <= 1


def _stands_for_government(candidate: _Candidate, nxt: Token, lang: Language, english: Language) -> bool:
    big_city = all(p.level == "settlement" and p.population >= METONYMY_MIN_POPULATION for p in candidate.places)
    return big_city and _adjacent(candidate.end, nxt) and any(nxt.folded in L.metonymy_verbs for L in (lang, english))


def _looks_like_surname(prev: Token, candidate: _Candidate, lang: Language) -> bool:
    """A capitalised word right before a one-word name (Aleksandar Vučić) makes it a person's surname."""
    return (
        prev.is_capitalised
        and not prev.text.isupper()
        and _adjacent(prev.end, Token("", candidate.start, candidate.start, ""))
        and prev.folded not in lang.stopwords
        and prev.folded not in lang.connectors
        and all(p.level != "country" for p in candidate.places)
    )


def _resolve(candidates: list[_Candidate]) -> list[Mention]:
    """Pick one place per candidate, using the article's unambiguous places and countries as context."""
    sure = [c.places[0] for c in candidates if len(c.places) == 1 and _spelled_out(c.surface, c.places[0])]
    countries = {p.country for p in sure if p.level == "country" or p.population >= CONTEXT_MIN_POPULATION}
    anchors = [p for p in sure if p.level != "country"]
    chosen = [(c, _best_place(c, countries, anchors)) for c in candidates]
    context = countries | {p.country for _, p in chosen if p.level == "country"}
    locals_ = [p for _, p in chosen if p.level != "country"]
    kept = [(c, place) for c, place in chosen if _plausible(place, c.surface, context, locals_)]
    specific = _most_specific({p.id: p for _, p in kept})
    return [Mention(place=specific[p.id], start=c.start, end=c.end, surface=c.surface) for c, p in kept]


def _most_specific(places: dict[str, Place]) -> dict[str, Place]:
    """Map a general name to a more specific nearby place the same article names (Mitrovica → North Mitrovica)."""
    result = {pid: place for pid, place in places.items()}
    for general in places.values():
        names = {fold(n) for n in (general.name, *general.aliases)}
        for other in places.values():
            if other.id == general.id or other.level == "country" or general.level == "country":
                continue
            other_names = {fold(n) for n in (other.name, *other.aliases)}
            contains = any(n != o and f" {n} " in f" {o} " for n in names for o in other_names)
            near = great_circle((general.lat, general.lon), (other.lat, other.lon)).km <= SPECIFIC_KM
            if contains and near and fold(general.name) not in other_names:
                result[general.id] = other
    return result


def _spelled_out(surface: str, place: Place) -> bool:
    """The text writes the place's own name (Zvecan for Zvečan), not a distant alias."""
    return _similarity(fold(surface), fold(place.name)) >= NAME_SIMILARITY


def _similarity(a: str, b: str) -> float:
    return SequenceMatcher(None, a, b).ratio()


def _best_place(candidate: _Candidate, countries: set[str], anchors: list[Place]) -> Place:
    if len(candidate.places) == 1:
        return candidate.places[0]
    key = fold(candidate.surface)
    for place in candidate.places:
        if place.level == "country" and key in {fold(n) for n in (place.name, *place.aliases)}:
            return place

    def score(place: Place) -> float:
        value = math.log10(place.population + 10) / 2
        if place.country in countries:
            value += 3.0
        others = [a for a in anchors if a.id != place.id]
        if others:
            nearest = min(great_circle((place.lat, place.lon), (a.lat, a.lon)).km for a in others)
            value -= min(nearest, 3000.0) / 300.0
        return value + 0.5 * _similarity(key, fold(place.name))

    return max(candidate.places, key=lambda p: (score(p), p.id))


def _plausible(place: Place, surface: str, countries: set[str], locals_: list[Place]) -> bool:
    """A place needs support: its country or a neighbour named in the article, or else it must be a big
    city named by its own name. A small town abroad with nothing around it is usually a common word
    (Most, Norden, Police) or a transliteration (Dejan for Deyang).
    """
    if place.level == "country" or place.country in countries:
        return True
    if any(
        other.id != place.id and great_circle((place.lat, place.lon), (other.lat, other.lon)).km <= NEARBY_KM
        for other in locals_
    ):
        return True
    return _spelled_out(surface, place) and place.population >= CONTEXT_MIN_POPULATION
