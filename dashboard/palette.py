"""How event types and date precisions look: one colour per type and one line style per precision, shared
by the map's markers and legend, the panel and the timeline so a type looks the same everywhere."""

from __future__ import annotations

from typing import Final

from .event_types import OTHER, event_type_label, event_types

# Distinct hues, red for the most violent; "other" is grey so it recedes.
TYPE_COLOURS: Final[dict[str, str]] = {
    "attack": "#b2182b",
    "clash": "#ef6c00",
    "arrest": "#6a3d9a",
    "protest": "#1f78b4",
    "political": "#2e7d32",
    OTHER: "#757575",
}
FALLBACK_COLOUR: Final = "#9e9e9e"

# SVG dash patterns for a marker's outline: solid for a day, dashed for a month, dotted for a year.
PRECISION_DASHES: Final[dict[str, str | None]] = {"day": None, "month": "6 4", "year": "1 5"}
PRECISION_WORDS: Final[dict[str, str]] = {"day": "day known", "month": "month only", "year": "year only"}


def type_colour(event_type: str) -> str:
    """The type's colour; a type added to the rules without a colour here is drawn grey, not refused."""
    return TYPE_COLOURS.get(event_type, FALLBACK_COLOUR)


def legend_types() -> list[tuple[str, str, str]]:
    """(type, label, colour) for every type, most severe first, as the legends list them."""
    return [(kind, event_type_label(kind), type_colour(kind)) for kind in event_types()]
