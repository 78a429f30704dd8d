"""Events: each place mention dated by its own sentence, or the nearest earlier date in its paragraph.

One event per (place, date, precision) in an article, with the sentence that reports it. A place whose
mentions carry no date gets one event at the publication date marked unresolved, so it is shown as a
fallback and never passed off as read from the text.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from collections.abc import Sequence

from .dates import DateMention
from .models import Article, Event, EventDate, Mention, Source
from .text import paragraph_spans, sentence_spans, shorten

SUMMARY_LIMIT = 280
CURRENT_EVIDENCE = "publication day (reported as current news)"
FALLBACK_EVIDENCE = "publication date (no date in the text)"


def extract_events(article: Article, mentions: Sequence[Mention], dates: Sequence[DateMention]) -> list[Event]:
    """The article's events, one per (place, date, precision), each with this article as its source."""
    sentences = sentence_spans(article.text)
    paragraphs = list(paragraph_spans(article.text))
    by_key: dict[tuple[str, str, str], Event] = {}
    for mention in mentions:
        sentence = _enclosing(sentences, mention.start) or (mention.start, mention.end)
        date = _date_for(mention, sentence, _enclosing(paragraphs, mention.start), dates) or _undated(
            article, sentence, dates
        )
        source = _source(article, sentence, date)
        event = Event(
            place=mention.place,
            date=date.value,
            precision=date.precision,
            sources=(source,),
            summary=shorten(source.sentence, SUMMARY_LIMIT),
            date_resolved=date.resolved,
        )
        by_key.setdefault(event.key, event)
    return _drop_redundant_fallbacks(list(by_key.values()))


def _enclosing(spans: Sequence[tuple[int, int]], offset: int) -> tuple[int, int] | None:
    index = bisect_right([s for s, _ in spans], offset) - 1
    if index >= 0 and spans[index][0] <= offset < spans[index][1]:
        return spans[index]
    return None


def _date_for(
    mention: Mention,
    sentence: tuple[int, int],
    paragraph: tuple[int, int] | None,
    dates: Sequence[DateMention],
) -> EventDate | None:
    """The nearest date in the mention's sentence, else the last one before it in its paragraph."""
    inside = [d for d in dates if sentence[0] <= d.start < sentence[1]]
    if inside:
        return min(inside, key=lambda d: _distance(d, mention)).date
    if paragraph is None:
        return None
    earlier = [d for d in dates if paragraph[0] <= d.start < sentence[0]]
    return earlier[-1].date if earlier else None


def _distance(date: DateMention, mention: Mention) -> int:
    if date.end <= mention.start:
        return mention.start - date.end
    return max(0, date.start - mention.end) + 1


def _undated(article: Article, sentence: tuple[int, int], dates: Sequence[DateMention]) -> EventDate:
    """A report with no date of its own: current news when no earlier date in the article says otherwise.

    News reports what is happening as it is published, so a place in a sentence that no date precedes
    is dated to the publication day, with that stated as its evidence. After the article has moved to
    another date, an undated sentence could belong to any of them: the publication date then only stands
    in, marked unresolved.
    """
    story = _story_date(article, dates)
    if story is not None:
        return story
    if not any(d.start < sentence[0] and d.date.value != article.published for d in dates):
        return EventDate(article.published, article.published_precision, True, CURRENT_EVIDENCE)
    return EventDate(article.published, article.published_precision, False, FALLBACK_EVIDENCE)


STORY_DAYS = 7


def _story_date(article: Article, dates: Sequence[DateMention]) -> EventDate | None:
    """The article's first date, when it is a day in the days up to publication: the day of the story."""
    if not dates or dates[0].date.precision != "day":
        return None
    first = dates[0].date
    if article.published_precision == "day":
        recent = dt.timedelta(0) <= article.published - first.value <= dt.timedelta(days=STORY_DAYS)
    else:
        recent = (first.value.year, first.value.month) == (article.published.year, article.published.month)
    return EventDate(first.value, "day", True, f"story date: {first.evidence}") if recent else None


def _source(article: Article, sentence: tuple[int, int], date: EventDate) -> Source:
    return Source(
        article=article.name,
        path=article.path,
        title=article.title,
        published=article.published,
        published_precision=article.published_precision,
        sentence=" ".join(article.text[sentence[0] : sentence[1]].split()),
        date_evidence=date.evidence,
        date_resolved=date.resolved,
        start=sentence[0],
        end=sentence[1],
    )


def _drop_redundant_fallbacks(events: list[Event]) -> list[Event]:
    """A place with a date read from the text needs no publication-day stand-in, inferred or not."""
    dated = {e.place.id for e in events if e.date_resolved and not _inferred(e)}
    return [e for e in events if e.place.id not in dated or (e.date_resolved and not _inferred(e))]


def _inferred(event: Event) -> bool:
    return event.sources[0].date_evidence in (CURRENT_EVIDENCE, FALLBACK_EVIDENCE)
