"""Place finding: gazetteer names in an article's text, inflected or not, kept only with evidence, then disambiguated.

A span of capitalised words is looked up folded (Zvečan = Zvecan = Звечан), first as written, then with
the article language's case endings stripped (u Zvečanu, Leposaviqit). A match is dropped when the
context says it is not a place here: part of an organisation's name (Kosovo Police), a capital standing
for its government (Pristina said), a common word opening a sentence, a month or weekday, or a person's
surname. When a name fits several places, the one that fits the article's other places wins.

No gazetteer is complete: a capitalised name right after a place cue (the village of X, near X, u X-u)
that no gazetteer row has is kept as an ``UnknownPlace`` for a person to review, rather than dropped.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import cache, lru_cache
from itertools import pairwise

from babel import Locale
from geopy.distance import EARTH_RADIUS

from .gazetteer import Gazetteer, inflection_keys, stem_word
from .languages import Language, get_language
from .models import Mention, Place, UnknownPlace
from .text import Token, fold, sentence_spans, tokenize

METONYMY_MIN_POPULATION = 100_000
CONTEXT_MIN_POPULATION = 100_000
NEARBY_KM = 150.0
NAME_SIMILARITY = 0.8
SPECIFIC_KM = 10.0
ORG_WORDS_AFTER = 3
MAX_UNKNOWN_WORDS = 3
MIN_UNKNOWN_LETTERS = 3

_Cues = dict[str, list[tuple[tuple[str, ...], bool]]]  # place cues as (folded words, weak), by their last word


@dataclass(frozen=True, slots=True)
class _Candidate:
    """A span that names one or more gazetteer places before disambiguation."""

    start: int
    end: int
    surface: str
    places: tuple[Place, ...]
    exact: bool


def find_mentions(
    text: str, gazetteer: Gazetteer, *, language: str = "en", tokens: Sequence[Token] | None = None
) -> list[Mention]:
    """Every place the text names, with offsets into ``text``, in text order.

    ``tokens`` may pass ``tokenize(text)`` when the caller has it already (for ``find_unknown_places`` too).
    """
    lang = get_language(language)
    english = get_language("en")
    tokens = tokenize(text) if tokens is None else tokens
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
    stripped = _without_clitic(tokens[-1].text, lang)
    if stripped is not None:
        words[-1] = fold(stripped)
    return " ".join(words)


def _without_clitic(word: str, lang: Language) -> str | None:
    """The word without the first of the language's clitics it ends with, if any."""
    for clitic in lang.clitics:
        if word.endswith(clitic) and len(word) > len(clitic) + 1:
            return word[: -len(clitic)]
    return None


def _may_open_name(token: Token, gazetteer: Gazetteer, lang: Language) -> bool:
    """Whether a span from this token can name a place: its first word, as a name of one word or more,
    or without a clitic, as a name of one, opens some gazetteer name."""
    words = token.folded.split()
    if not words:
        return True  # a span's key would start with the next token's words: no telling
    stripped = _without_clitic(token.text, lang)
    firsts = [words[0]] if stripped is None else [words[0], *fold(stripped).split()[:1]]
    respellings = _respellings(lang)
    return any(gazetteer.may_open_name(word, lang, respellings) for word in firsts)


def _match_at(tokens: Sequence[Token], i: int, gazetteer: Gazetteer, lang: Language) -> tuple[int, _Candidate] | None:
    """The longest gazetteer name starting at token ``i``, as (token count, candidate).

    A lower-case word right before it may open the name (канал Ибар-Лепенац, lake Gazivode): languages
    that write a feature's kind in lower case still name it with the kind.
    """
    lead = tokens[i - 1] if i > 0 and _lower_case_lead(tokens[i - 1], tokens[i], lang) else None
    if lead is None and not _may_open_name(tokens[i], gazetteer, lang):
        return None
    for count in range(_run_length(tokens, i, gazetteer.max_words, lang), 0, -1):
        span = tokens[i : i + count]
        if not span[-1].is_capitalised:
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
    if not text.startswith(tuple(abbreviations), tokens[i].start):
        return None  # one test for the common case, a capitalised word that is no abbreviation
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


@cache
def _respellings(lang: Language) -> tuple[tuple[str, str], ...]:
    """The article language's respellings, and English ones: news in any language quotes English spellings."""
    return tuple(dict.fromkeys((*lang.respellings, *get_language("en").respellings)))


def _run_length(tokens: Sequence[Token], i: int, limit: int, lang: Language) -> int:
    """How many words from token i can form a name: capitalised words or connectors, with no line break
    between them (a name must also end on a capitalised word, which the caller checks)."""
    end = i + 1
    while (
        end < len(tokens)
        and end - i < limit
        and tokens[end].start - tokens[end - 1].end <= 2
        and (tokens[end].is_capitalised or tokens[end].folded in lang.connectors)
    ):
        end += 1
    return end - i


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
    if any(before.endswith(L.org_before) for L in (lang, english)):
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
    sure = _unique(c.places[0] for c in candidates if len(c.places) == 1 and _spelled_out(c.surface, c.places[0]))
    countries = {p.country for p in sure if p.level == "country" or p.population >= CONTEXT_MIN_POPULATION}
    anchors = [p for p in sure if p.level != "country"]
    best: dict[tuple[str, tuple[str, ...]], Place] = {}
    chosen = []
    for c in candidates:  # a name an article repeats is resolved once
        key = (c.surface, tuple(p.id for p in c.places))
        if key not in best:
            best[key] = _best_place(c, countries, anchors)
        chosen.append((c, best[key]))
    context = countries | {p.country for _, p in chosen if p.level == "country"}
    locals_ = _unique(p for _, p in chosen if p.level != "country")
    plausible: dict[tuple[str, str], bool] = {}
    kept = []
    for c, place in chosen:
        key = (place.id, c.surface)
        if key not in plausible:
            plausible[key] = _plausible(place, c.surface, context, locals_)
        if plausible[key]:
            kept.append((c, place))
    specific = _most_specific({p.id: p for _, p in kept})
    return [Mention(place=specific[p.id], start=c.start, end=c.end, surface=c.surface) for c, p in kept]


def _unique(places: Iterable[Place]) -> list[Place]:
    return list({p.id: p for p in places}.values())


def _most_specific(places: dict[str, Place]) -> dict[str, Place]:
    """Map a general name to a more specific nearby place the same article names (Mitrovica → North Mitrovica)."""
    result = {pid: place for pid, place in places.items()}
    locals_ = [p for p in places.values() if p.level != "country"]
    order = {p.id: k for k, p in enumerate(locals_)}
    containing: dict[str, list[Place]] = defaultdict(list)  # a phrase, the places with a name around it
    for other in locals_:
        for phrase in _names_within(other):
            containing[phrase].append(other)
    for general in locals_:
        around = {p.id: p for name in _folded_names(general) for p in containing.get(name, ())}
        for other in sorted(around.values(), key=lambda p: order[p.id]):  # the last that fits wins
            if (
                other.id != general.id
                and fold(general.name) not in _folded_names(other)
                and _km(general, other) <= SPECIFIC_KM
            ):
                result[general.id] = other
    return result


@lru_cache(maxsize=20_000)
def _folded_names(place: Place) -> frozenset[str]:
    return frozenset(fold(n) for n in (place.name, *place.aliases))


@lru_cache(maxsize=20_000)
def _names_within(place: Place) -> frozenset[str]:
    """The phrases inside the place's names: runs of their words shorter than the name (mitrovica in
    north mitrovica)."""
    inner = set()
    for name in _folded_names(place):
        words = name.split(" ")
        for length in range(1, len(words)):
            inner.update(" ".join(words[k : k + length]) for k in range(len(words) - length + 1))
    return frozenset(inner)


def _km(a: Place, b: Place) -> float:
    """Great-circle distance in km, the formula and Earth radius of geopy's ``great_circle``, without its
    argument parsing (this runs for every pair of places an article names)."""
    lat1, lon1, lat2, lon2 = map(math.radians, (a.lat, a.lon, b.lat, b.lon))
    sin_dlat, sin_dlon = math.sin((lat2 - lat1) / 2), math.sin((lon2 - lon1) / 2)
    h = sin_dlat**2 + math.cos(lat1) * math.cos(lat2) * sin_dlon**2
    return 2 * EARTH_RADIUS * math.asin(min(1.0, math.sqrt(h)))


def _spelled_out(surface: str, place: Place) -> bool:
    """The text writes the place's own name (Zvecan for Zvečan), not a distant alias."""
    return _similarity(fold(surface), fold(place.name)) >= NAME_SIMILARITY


@lru_cache(maxsize=100_000)
def _similarity(a: str, b: str) -> float:
    """Cached: articles repeat their names, and matching sequences costs far more than a lookup."""
    return SequenceMatcher(None, a, b).ratio()


def _best_place(candidate: _Candidate, countries: set[str], anchors: list[Place]) -> Place:
    if len(candidate.places) == 1:
        return candidate.places[0]
    key = fold(candidate.surface)
    for place in candidate.places:
        if place.level == "country" and key in _folded_names(place):
            return place

    def score(place: Place) -> float:
        value = math.log10(place.population + 10) / 2
        if place.country in countries:
            value += 3.0
        others = [a for a in anchors if a.id != place.id]
        if others:
            nearest = min(_km(place, a) for a in others)
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
    if any(other.id != place.id and _km(place, other) <= NEARBY_KM for other in locals_):
        return True
    return _spelled_out(surface, place) and place.population >= CONTEXT_MIN_POPULATION


@dataclass(frozen=True, slots=True)
class _Reading:
    """One article's text and tokens with the rules that read it, shared by the unknown-place helpers."""

    text: str
    tokens: Sequence[Token]
    gazetteer: Gazetteer
    lang: Language
    english: Language
    starts: set[int]

    @property
    def rules(self) -> tuple[Language, Language]:
        return (self.lang, self.english)


@dataclass(frozen=True, slots=True)
class _UnknownSpan:
    """Tokens ``[first, first + count)`` after a place cue that name no gazetteer place."""

    first: int
    count: int
    weak: bool


def find_unknown_places(
    text: str, gazetteer: Gazetteer, *, language: str = "en", tokens: Sequence[Token] | None = None
) -> list[UnknownPlace]:
    """Names that read like places but that no gazetteer row has, in text order, so that they can be reviewed.

    A candidate is one to three capitalised words right after one of the language's place cues (near X,
    the village of X, selo X: ``place_cues`` in ``data/languages.toml``) that none of ``find_mentions``'
    lookups resolves (as written, inflected, respelled) and that the context does not make something else:
    a month or weekday, a function word, a region or language (Europe, English), an acronym, a word the
    article also writes in lower case (a title in title case), part of an organisation's name, or a name
    the article also gives a person (Aleksandar Vučić ... kod Vučića). A bare preposition (in, u, në) also
    opens dates, organisations and qualifiers ("in Kosovo Police custody", "in Serb areas"), so after one
    the name must close its phrase, and no name counts in a language that capitalises every noun.

    ``tokens`` may pass ``tokenize(text)`` when the caller has it already.
    """
    lang = get_language(language)
    cues = _place_cues(lang)
    if not cues:
        return []
    tokens = tokenize(text) if tokens is None else tokens
    reading = _Reading(text, tokens, gazetteer, lang, get_language("en"), _sentence_start_tokens(text, tokens))
    spans = list(_unknown_spans(reading, cues))
    if not spans:
        return []
    surnames = _surname_stems(reading, cues)
    lower = {t.folded for t in tokens if not t.is_capitalised}
    forms = _base_forms_written(reading)
    sentences = sentence_spans(text)
    return [
        _unknown_place(reading, span, forms, sentences)
        for span in spans
        if not _names_a_person(reading, span, surnames) and not _written_in_lower_case(reading, span, lower)
    ]


@cache
def _place_cues(lang: Language) -> _Cues:
    """The language's cues as (folded words, weak), longest first so that "the village of" wins over "of",
    grouped by their last word: the word before a name then picks the few cues worth comparing."""
    strong = [(tuple(c.split()), False) for c in lang.place_cues]
    weak = [(tuple(c.split()), True) for c in lang.weak_place_cues]
    cues: _Cues = {}
    for words, is_weak in sorted(strong + weak, key=lambda cue: len(cue[0]), reverse=True):
        cues.setdefault(words[-1], []).append((words, is_weak))
    return cues


def _unknown_spans(reading: _Reading, cues: _Cues) -> Iterator[_UnknownSpan]:
    """Capitalised runs right after a cue that pass every check, each run looked at once."""
    tokens = reading.tokens
    i = 0
    while i < len(tokens):
        weak = _cue_before(reading, i, cues) if tokens[i].is_capitalised else None
        if weak is None:
            i += 1
            continue
        span = _UnknownSpan(i, _capitalised_run(reading, i), weak)
        if _reads_as_unknown_place(reading, span):
            yield span
            i += span.count
        else:
            i += 1  # a later word of the run may follow a cue of its own (u Zubinom Potoku kod Varaga)


def _cue_before(reading: _Reading, i: int, cues: _Cues) -> bool | None:
    """Whether the cue right before token ``i`` is weak; None when there is none.

    The cue and the name must be on one line with only spaces between, and a capitalised cue counts only
    at the start of a sentence: "Clashes In Zvecan" is a headline in title case, not a cue.
    """
    tokens = reading.tokens
    for words, weak in cues.get(tokens[i - 1].folded, ()) if i > 0 else ():
        first = i - len(words)
        if first < 0 or tuple(t.folded for t in tokens[first:i]) != words:
            continue
        if tokens[first].is_capitalised and first not in reading.starts:
            continue
        if all(_spaced(reading.text, a.end, b.start) for a, b in pairwise(tokens[first : i + 1])):
            return weak
    return None


def _spaced(text: str, end: int, start: int) -> bool:
    """Only spaces, on one line, between two words: no punctuation or line break parts them."""
    gap = text[end:start]
    return gap.isspace() and "\n" not in gap


def _capitalised_run(reading: _Reading, i: int) -> int:
    """How many capitalised words from token ``i`` follow each other with only spaces between.

    Lower-case connectors are left out: a name with one is rarely unknown, and they join what is no name
    ("in Kosovo on Thursday", "in Serbia and Kosovo").
    """
    tokens, text = reading.tokens, reading.text
    end = i + 1
    while end < len(tokens) and tokens[end].is_capitalised and _spaced(text, tokens[end - 1].end, tokens[end].start):
        end += 1
    return end - i


def _reads_as_unknown_place(reading: _Reading, span: _UnknownSpan) -> bool:
    """Whether a run after a cue passes every check of ``find_unknown_places``."""
    tokens = reading.tokens[span.first : span.first + span.count]
    if len(tokens) > MAX_UNKNOWN_WORDS:
        return False
    if span.weak and (reading.lang.capitalised_nouns or not _closes_phrase(reading, span)):
        return False
    names = [_written_name(t, reading.lang) for t in tokens]
    written = [n for n in names if n is not None]
    if len(written) < len(names) or len(fold("".join(written))) < MIN_UNKNOWN_LETTERS:
        return False
    name = " ".join(written)
    return (
        not _common_word(reading, [fold(n) for n in written])
        and not _names_organisation(reading, span)
        and not _known(reading, span, name)
    )


def _closes_phrase(reading: _Reading, span: _UnknownSpan) -> bool:
    """The name ends its phrase: punctuation, a line break or the end follows, or a word that cannot be
    the noun it would qualify (a function word, a descriptor, a date word). "in Serb areas" qualifies areas.
    """
    j = span.first + span.count
    tokens = reading.tokens
    if j >= len(tokens) or not _spaced(reading.text, tokens[j - 1].end, tokens[j].start):
        return True
    word = tokens[j].folded
    return any(word in words for L in reading.rules for words in _phrase_closers(L))


def _phrase_closers(lang: Language) -> tuple[Collection[str], ...]:
    """Words that may follow a name closing its phrase: function words, descriptors, date words, numbers."""
    return (
        lang.stopwords,
        lang.connectors,
        lang.descriptors,
        lang.months,
        lang.weekdays,
        lang.relative_days,
        lang.last_words,
        lang.in_words,
        lang.numbers,
        lang.ago_words,
    )


def _written_name(token: Token, lang: Language) -> str | None:
    """The word as a name: without a clitic (Banjska's) or a hyphenated case ending (KFOR-u, Varage-i).

    None when it is no name: an acronym (KFOR, NATO) or a compound with a lower-case part (Serb-majority).
    """
    word = token.text
    for clitic in lang.clitics:
        if word.endswith(clitic) and len(word) > len(clitic) + 1:
            word = word[: -len(clitic)]
            break
    parts = re.split(r"\W", word)
    if len(parts) > 1 and parts[-1].islower() and fold(parts[-1]) in lang.suffixes:
        word = word[: -len(parts[-1]) - 1]
        parts = parts[:-1]
    if not all(part[:1].isupper() for part in parts):
        return None
    if word.isupper() and len(word) > 1:
        return None
    return word


def _common_word(reading: _Reading, folded: list[str]) -> bool:
    """A month or weekday anywhere in the name, a function word opening or closing it (in March, In The),
    or the name of a world region or a language, inflected or not (u Evropi, in English)."""
    if any(w in L.months or w in L.weekdays for w in folded for L in reading.rules):
        return True
    if any(folded[0] in L.stopwords or folded[-1] in L.stopwords for L in reading.rules):
        return True
    name = " ".join(folded)
    regions = _regions_and_languages(reading.lang.code)
    return name in regions or any(key in regions for key in inflection_keys(name, reading.lang))


@cache
def _regions_and_languages(code: str) -> frozenset[str]:
    """Folded CLDR names of territories and languages, in the language ``code`` and in English.

    A territory name the gazetteer lacks is a region or a union (Europe, Western Balkans, EU), not a point
    to place by hand; a language name reads like a place after "in" (in English).
    """
    names: set[str] = set()
    for locale in {Locale.parse(code), Locale("en")}:
        names.update(fold(name) for name in (*locale.territories.values(), *locale.languages.values()))
    return frozenset(names)


def _names_organisation(reading: _Reading, span: _UnknownSpan) -> bool:
    """An organisation word in the run or right after it (Serb List, Srpske liste), or an organisation's
    opening words right before it (Univerzitet u ...)."""
    tokens = reading.tokens
    end = span.first + span.count
    words = [t.folded for t in tokens[span.first : end]]
    if end < len(tokens) and _spaced(reading.text, tokens[end - 1].end, tokens[end].start):
        words.append(tokens[end].folded)
    if any(w in L.org_after for w in words for L in reading.rules):
        return True
    before = " ".join(t.folded for t in tokens[max(0, span.first - 4) : span.first])
    return any(before.endswith(L.org_before) for L in reading.rules)


def _known(reading: _Reading, span: _UnknownSpan, name: str) -> bool:
    """A gazetteer name at any word of the run, or the run without case endings, by ``find_mentions``' lookups."""
    tokens, lang = reading.tokens, reading.lang
    abbreviations = {**reading.english.abbreviations, **lang.abbreviations}
    for k in range(span.first, span.first + span.count):
        if tokens[k].is_capitalised and (
            _match_at(tokens, k, reading.gazetteer, lang)
            or _abbreviation_at(tokens, k, reading.text, reading.gazetteer, abbreviations)
        ):
            return True
    return bool(_lookup(fold(name), reading.gazetteer, lang)[0])


def _stem(token: Token, lang: Language) -> str:
    """The folded name without its case ending: the key that ties Vučić to Vučića."""
    name = _written_name(token, lang) or token.text
    return stem_word(fold(name), lang.suffixes)


def _written_in_lower_case(reading: _Reading, span: _UnknownSpan, lower: set[str]) -> bool:
    """A word of the name that the article also writes in lower case is a common word capitalised in a
    title ("In Banjska Attack, Three Die"), not part of a place's name; descriptors are both (North, north)."""
    return any(
        t.folded in lower and not any(t.folded in L.descriptors for L in reading.rules)
        for t in reading.tokens[span.first : span.first + span.count]
    )


def _names_a_person(reading: _Reading, span: _UnknownSpan, surnames: frozenset[str]) -> bool:
    """A single word the article also writes as a surname (Aleksandar Vučić ... kod Vučića), or after a bare
    preposition two or three words ending in one (kod Milana Radoičića)."""
    last = reading.tokens[span.first + span.count - 1]
    return (span.count == 1 or span.weak) and _stem(last, reading.lang) in surnames


def _surname_stems(reading: _Reading, cues: _Cues) -> frozenset[str]:
    """Stems of words the article writes as the second of two names (Aleksandar Vučić), not after a cue.

    A place cue before the pair (selo Donja Varage) or a descriptor opening it (North Mitrovica) makes it
    a place's name, not a person's.
    """
    cue_words = {w for group in cues.values() for words, _ in group for w in words}
    tokens = reading.tokens
    stems = set()
    for k in range(1, len(tokens)):
        first, last = tokens[k - 1], tokens[k]
        if (
            first.is_capitalised
            and last.is_capitalised
            and not first.text.isupper()
            and _spaced(reading.text, first.end, last.start)
            and first.folded not in cue_words
            and not any(first.folded in L.descriptors for L in reading.rules)
            and not _common_word(reading, [first.folded])
            and not (k + 1 < len(tokens) and tokens[k + 1].is_capitalised and _adjacent(last.end, tokens[k + 1]))
            and _cue_before(reading, k - 1, cues) is None
        ):
            stems.add(_stem(last, reading.lang))
    return frozenset(stems)


def _base_forms_written(reading: _Reading) -> dict[str, str]:
    """For each stem, the form of it the article writes with the first base ending (Zvečan before Zvečana,
    Banjska before Banjske): the base form of an inflected name, when the article itself gives it."""
    lang = reading.lang
    best: dict[str, tuple[int, str]] = {}
    for token in reading.tokens:
        name = _written_name(token, lang) if token.is_capitalised else None
        if name is None:
            continue
        folded = fold(name)
        stem = stem_word(folded, lang.suffixes)
        ending = folded[len(stem) :]
        if ending in lang.base_endings:
            rank = lang.base_endings.index(ending)
            if stem not in best or rank < best[stem][0]:
                best[stem] = (rank, name)
    return {stem: name for stem, (_, name) in best.items()}


def _unknown_place(
    reading: _Reading, span: _UnknownSpan, forms: dict[str, str], sentences: Sequence[tuple[int, int]]
) -> UnknownPlace:
    tokens = reading.tokens[span.first : span.first + span.count]
    start, end = tokens[0].start, tokens[-1].end
    index = bisect_right(sentences, (start, len(reading.text))) - 1
    s_start, s_end = sentences[index] if index >= 0 else (start, end)
    return UnknownPlace(
        name=" ".join(_base_word(t, reading.lang, forms) for t in tokens),
        surface=reading.text[start:end],
        start=start,
        end=end,
        sentence=reading.text[s_start:s_end],
    )


def _base_word(token: Token, lang: Language, forms: dict[str, str]) -> str:
    """The word's base form as the article writes it elsewhere, else the word as written."""
    name = _written_name(token, lang) or token.text
    if not lang.suffixes:
        return name
    return forms.get(stem_word(fold(name), lang.suffixes), name)
