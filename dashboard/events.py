"""Events: each place mention dated by its own sentence, or the nearest earlier date in its paragraph.

One event per (place, date, precision) in an article, with the sentence that reports it. A mention with
no date of its own takes the story's date (the article's opening date, when recent), else the
publication day as current news; where neither holds, the publication date stands in marked
unresolved, so it is shown as a fallback and never passed off as read from the text.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import replace

from .dates import DateMention
from .event_types import classify_event
from .models import Article, Event, EventDate, Mention, Source
from .text import paragraph_spans, sentence_spans, shorten

SUMMARY_LIMIT = 280
CURRENT_EVIDENCE = "publication day (reported as current news)"
FALLBACK_EVIDENCE = "publication date (no date in the text)"
STORY_EVIDENCE = "story date"
STORY_DAYS = 7


def extract_events(article: Article, mentions: Sequence[Mention], dates: Sequence[DateMention]) -> list[Event]:
    """The article's events, one per (place, date, precision), each with this article as its source."""
    sentences = sentence_spans(article.text)
    paragraphs = list(paragraph_spans(article.text))
    event_dates = [d for d in dates if not d.stamp]
    story = _story_dates(article, dates, sentences)
    by_key: dict[tuple[str, str, str], Event] = {}
    for mention in mentions:
        sentence = _enclosing(sentences, mention.start) or (mention.start, mention.end)
        own = _date_for(mention, sentence, _enclosing(paragraphs, mention.start), event_dates)
        for date in [own] if own else story or [_undated(article, sentence, dates)]:
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
    index = bisect_right(spans, offset, key=lambda span: span[0]) - 1
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


def _story_dates(
    article: Article, dates: Sequence[DateMention], sentences: Sequence[tuple[int, int]]
) -> list[EventDate]:
    """The dates of the story the article reports, for the places it names without a date of their own.

    A news article opens with its story: when its first date is a day in the week up to publication
    (in the publication month, for an article dated only to the month), that is the day of the story,
    and the other dates of that opening sentence (what the story follows from) belong to it too.
    """
    if not dates or dates[0].date.precision != "day":
        return []
    first = dates[0]
    if article.published_precision == "day":
        recent = dt.timedelta(0) <= article.published - first.date.value <= dt.timedelta(days=STORY_DAYS)
    else:
        recent = (first.date.value.year, first.date.value.month) == (article.published.year, article.published.month)
    if not recent:
        return []
    lead = _enclosing(sentences, first.start) or (first.start, first.end)
    in_lead = [first] + [d for d in dates[1:] if lead[0] <= d.start < lead[1] and not d.stamp]
    return [replace(d.date, evidence=f"{STORY_EVIDENCE}: {d.date.evidence}") for d in in_lead]


def _undated(article: Article, sentence: tuple[int, int], dates: Sequence[DateMention]) -> EventDate:
    """A report with no date of its own in an article with no story date: current news, or unresolved.

    News reports what is happening as it is published, so a place in a sentence that no other date
    precedes, in an article that speaks of its publication day, is dated to that day, with that stated as
    its evidence. In an article that has moved to other dates only, an undated sentence could belong to
    any of them: the publication date then only stands in, marked unresolved.
    """
    speaks_of_today = any(d.date.value == article.published for d in dates)
    moved_on = any(d.start < sentence[0] and d.date.value != article.published for d in dates)
    resolved = speaks_of_today or not moved_on
    evidence = CURRENT_EVIDENCE if resolved else FALLBACK_EVIDENCE
    return EventDate(article.published, article.published_precision, resolved, evidence)


def _source(article: Article, sentence: tuple[int, int], date: EventDate) -> Source:
    text = " ".join(article.text[sentence[0] : sentence[1]].split())
    return Source(
        article=article.name,
        path=article.path,
        title=article.title,
        published=article.published,
        published_precision=article.published_precision,
        sentence=text,
        date_evidence=date.evidence,
        date_resolved=date.resolved,
        start=sentence[0],
        end=sentence[1],
        event_type=classify_event(text, article.language),
    )


def _drop_redundant_fallbacks(events: list[Event]) -> list[Event]:
    """A place with a resolved date needs no unresolved publication-day stand-in."""
    dated = {e.place.id for e in events if e.date_resolved}
    return [e for e in events if e.place.id not in dated or e.date_resolved]
