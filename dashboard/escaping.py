"""Escaping untrusted article text for HTML, including HTML that folium places inside JS template literals."""

from __future__ import annotations

import html

# folium writes tooltip HTML into a JavaScript `template literal`: a backtick would end it, "${" would run
# code and a backslash would start an escape (an invalid one, like "\u", is a syntax error that blanks
# the map). As HTML character references they display the same and mean nothing to JavaScript.
_TEMPLATE_LITERAL_REFS = str.maketrans({"`": "&#96;", "$": "&#36;", "\\": "&#92;"})


def escape_html(text: str) -> str:
    """Text as inert HTML: markup, quotes and template-literal characters become character references."""
    return html.escape(text, quote=True).translate(_TEMPLATE_LITERAL_REFS)
