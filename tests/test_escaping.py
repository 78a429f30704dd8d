import pytest

from dashboard.escaping import escape_html, escape_markdown


@pytest.mark.parametrize(
    ("text", "escaped"),
    [
        ("**bold** _it_", r"\*\*bold\*\* \_it\_"),
        ("[link](javascript:alert(1))", r"\[link\]\(javascript\:alert\(1\)\)"),
        ("$x^2$ costs $5", r"\$x\^2\$ costs \$5"),
        (":red[alarm] :smile:", r"\:red\[alarm\] \:smile\:"),
        ("<img src=x onerror=alert(1)>", r"\<img src\=x onerror\=alert\(1\)\>"),
        ("# heading\n- item\n\n> quote", r"\# heading \- item \> quote"),
        ("`code` \\ ~strike~ |a|b|", r"\`code\` \\ \~strike\~ \|a\|b\|"),
        ("Zvečan, Звечан 26. maja", r"Zvečan\, Звечан 26\. maja"),
    ],
)
def test_markdown_is_escaped_so_a_message_shows_what_a_file_holds(text, escaped):
    assert escape_markdown(text) == escaped


def test_html_escaping_covers_quotes_and_template_literal_characters():
    assert escape_html("<a href='x'>`${y}`\\</a>") == "&lt;a href=&#x27;x&#x27;&gt;&#96;&#36;{y}&#96;&#92;&lt;/a&gt;"
