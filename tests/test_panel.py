import re

from event_factory import ZVECAN, make_event, make_place, make_source

from dashboard.palette import type_colour
from dashboard.panel import panel_html

NASTY = "<script>alert('x')</script> \"q\" `tick` **bold** [a](javascript:x) <img src=x onerror=alert(1)>"


def test_events_are_listed_newest_first_with_their_sources():
    older = make_event(ZVECAN, "2023-05-26", summary="Clashes in Zvečan")
    newer = make_event(ZVECAN, "2023-05-29", summary="Soldiers hurt in Zvečan")
    month = make_event(ZVECAN, "2023-05", summary="A tense May")
    page = panel_html(ZVECAN, [older, month, newer], country="Kosovo (XK)")
    summaries = re.findall(r'<p class="event-summary">(.*?)</p>', page)
    assert summaries == ["Soldiers hurt in Zvečan", "Clashes in Zvečan", "A tense May"]
    assert re.findall(r'<span class="event-date">(.*?)</span>', page) == ["2023-05-29", "2023-05-26", "2023-05"]
    assert "<h3>Zvečan</h3>" in page
    assert "settlement · Kosovo (XK) · 3 events shown" in page
    assert '<span class="source-title">Clashes in the north</span>' in page
    assert 'published <span class="published">2023-05-27</span> · <code>004_574767ba21afd2f7.txt</code>' in page


def test_each_event_says_how_precise_its_date_is():
    page = panel_html(
        ZVECAN, [make_event(ZVECAN, "2023-05-26"), make_event(ZVECAN, "2023-04"), make_event(ZVECAN, "2022")]
    )
    assert re.findall(r'<span class="precision">\((.*?)\)</span>', page) == ["day known", "month only", "year only"]


def test_each_event_shows_its_type_in_the_map_colour():
    source = make_source(event_type="protest")
    page = panel_html(ZVECAN, [make_event(ZVECAN, "2023-05-26", sources=(source, make_source(event_type="clash")))])
    badge = re.search(r'<span class="event-type type-clash" style="background:(#\w+)">clash or violence</span>', page)
    assert badge is not None, "the event takes its most severe source's type"
    assert badge.group(1) == type_colour("clash")


def test_the_sentence_marks_the_place_and_the_date_expression():
    source = make_source(sentence="Serb protesters gathered in Zvecan on Friday.", date_evidence="Friday")
    page = panel_html(ZVECAN, [make_event(ZVECAN, "2023-05-26", sources=(source,))])
    assert (
        '<blockquote class="sentence">Serb protesters gathered in <mark class="place">Zvecan</mark> on '
        '<mark class="date">Friday</mark>.</blockquote>'
    ) in page
    assert '<p class="date-evidence">date: Friday → 2023-05-26</p>' in page


def test_the_full_article_is_a_click_away_with_the_sentence_marked():
    text = "Title line.\n\nSerb protesters gathered in Zvecan on Friday. Police <watched>."
    start = text.index("Serb")
    sentence = "Serb protesters gathered in Zvecan on Friday."
    source = make_source(sentence=sentence, article="a.txt", start=start, end=start + len(sentence))
    page = panel_html(ZVECAN, [make_event(ZVECAN, "2023-05-26", sources=(source,))], articles={"a.txt": text})
    assert (
        '<details class="article"><summary>Full article text</summary><div class="article-text">Title line.\n\n'
        f'<mark class="sentence">{sentence}</mark> Police &lt;watched&gt;.</div></details>'
    ) in page


def test_offsets_that_no_longer_fit_the_text_mark_nothing():
    source = make_source(sentence="Police watched.", article="a.txt", start=0, end=15)
    page = panel_html(
        ZVECAN, [make_event(ZVECAN, "2023-05-26", sources=(source,))], articles={"a.txt": "Other text here"}
    )
    assert '<div class="article-text">Other text here</div>' in page


def test_without_the_article_text_there_is_no_expander():
    assert "<details" not in panel_html(ZVECAN, [make_event(ZVECAN, "2023-05-26")])


def test_every_article_string_is_escaped():
    source = make_source(title=NASTY, sentence=NASTY, date_evidence=NASTY, article="a.txt")
    page = panel_html(
        make_place("p", NASTY),
        [make_event(ZVECAN, "2023-05-26", summary=NASTY, sources=(source,))],
        articles={"a.txt": NASTY},
    )
    assert "<script>" not in page
    assert "<img" not in page
    assert "`" not in page
    escaped = (
        "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &quot;q&quot; &#96;tick&#96; **bold** "
        "[a](javascript:x) &lt;img src=x onerror=alert(1)&gt;"
    )
    assert page.count(escaped) == 6  # place name, summary, title, sentence, date evidence, article


def test_a_date_read_from_the_publication_date_says_so():
    page = panel_html(ZVECAN, [make_event(ZVECAN, "2023-05-27", date_resolved=False)])
    assert '<p class="event-note">publication date; the text gives no date</p>' in page


def test_a_place_without_events_shown_says_none():
    assert "0 events shown" in panel_html(ZVECAN, [])


def test_a_long_list_is_cut_with_a_note_and_the_latest_kept():
    events = [make_event(ZVECAN, f"2023-05-{day:02d}", summary=f"day {day}") for day in range(1, 11)]
    page = panel_html(ZVECAN, events, limit=3)
    assert re.findall(r'<p class="event-summary">(.*?)</p>', page) == ["day 10", "day 9", "day 8"]
    assert "10 events shown, the latest 3 listed" in page
