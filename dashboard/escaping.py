"""Escaping untrusted article text for HTML, including HTML that folium places inside JS template literals,
and for the Markdown of Streamlit's messages."""

from __future__ import annotations

import html
import re
import string

# folium writes tooltip HTML into a JavaScript `template literal`: a backtick would end it, "${" would run
# code and a backslash would start an escape (an invalid one, like "\u", is a syntax error that blanks
# the map). As HTML character references they display the same and mean nothing to JavaScript.
_TEMPLATE_LITERAL_REFS = str.maketrans({"`": "&#96;", "$": "&#36;", "\\": "&#92;"})

_MARKDOWN_PUNCTUATION = re.compile(f"[{re.escape(string.punctuation)}]")


def escape_html(text: str) -> str:
    """Text as inert HTML: markup, quotes and template-literal characters become character references."""
    return html.escape(text, quote=True).translate(_TEMPLATE_LITERAL_REFS)


def escape_markdown(text: str) -> str:
    """Text that Streamlit's Markdown (``st.warning``, ``st.progress`` labels) shows as written: every ASCII
    punctuation mark backslash-escaped, so no emphasis, link, ``$`` formula, ``:red[...]`` colour or HTML,
    and line breaks as spaces."""
    return _MARKDOWN_PUNCTUATION.sub(r"\\\g<0>", " ".join(text.split()))
