import re
from dataclasses import replace

from event_factory import ZVECAN, make_event, make_place, make_source

from dashboard.panel import panel_html

NASTY = "<script>alert('x')</script> \"q\" `tick` **bold** [a](javascript:x) <img src=x onerror=alert(1)>"


def test_events_are_listed_newest_first_with_their_sources():
    older = make_event(ZVECAN, "2023-05-26", summary="Clashes in Zvečan")
    newer = make_event(ZVECAN, "2023-05-29", summary="Soldiers hurt in Zvečan")
    month = make_event(ZVECAN, "2023-05", summary="A tense May")
    page = panel_html(ZVECAN, [older, month, newer])
    summaries = re.findall(r'<p class="event-summary">(.*?)</p>', page)
    assert summaries == ["Soldiers hurt in Zvečan", "Clashes in Zvečan", "A tense May"]
    assert re.findall(r'<p class="event-date">(.*?)</p>', page) == ["2023-05-29", "2023-05-26", "2023-05"]
    assert "<h3>Zvečan</h3>" in page
    assert "3 events in the selected dates" in page
    assert "<code>004_574767ba21afd2f7.txt</code>, published 2023-05-27" in page
    assert "<blockquote>Protesters gathered.</blockquote>" in page


def test_every_article_string_is_escaped():
    source = make_source(title=NASTY, sentence=NASTY)
    page = panel_html(make_place("p", NASTY), [make_event(ZVECAN, "2023-05-26", summary=NASTY, sources=(source,))])
    assert "<script>" not in page
    assert "<img" not in page
    assert "`" not in page
    escaped = (
        "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &quot;q&quot; &#96;tick&#96; **bold** "
        "[a](javascript:x) &lt;img src=x onerror=alert(1)&gt;"
    )
    assert page.count(escaped) == 4  # place name, summary, title, sentence


def test_a_date_read_from_the_publication_date_says_so():
    page = panel_html(ZVECAN, [make_event(ZVECAN, "2023-05-27", date_resolved=False)])
    assert "2023-05-27 (publication date; the text gives no date)" in page


def test_a_place_without_events_in_range_says_none():
    assert "0 events in the selected dates" in panel_html(ZVECAN, [])


def test_each_source_shows_the_expression_its_date_was_read_from():
    source = replace(make_source(), date_evidence="<b>Friday</b>")
    event = make_event(ZVECAN, "2023-05-26", sources=(source,))
    page = panel_html(ZVECAN, [event])
    assert '<p class="date-evidence">date: &lt;b&gt;Friday&lt;/b&gt; → 2023-05-26</p>' in page
