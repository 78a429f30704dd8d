"""Playback: a window of a day or a week stepped through the events' date range, one step per tick.

Pure: the window is a (start, end) pair of dates and the clock is passed in, so the steps and their timing
are tested without Streamlit or waiting. The app keeps the state and draws the controls (``ui/player.py``).
"""

from __future__ import annotations

import datetime as dt
from typing import Final

Window = tuple[dt.date, dt.date]

WINDOW_DAYS: Final[dict[str, int]] = {"day": 1, "week": 7}
STEP_SECONDS: Final[dict[str, float]] = {"slow": 2.0, "normal": 1.0, "fast": 0.5}
DEFAULT_WINDOW: Final = "day"
DEFAULT_SPEED: Final = "normal"
EARLY_TOLERANCE: Final = 0.1
"""A tick up to this many seconds early still steps: the browser's timer and the server's clock drift apart
by a few hundredths, and a step missed for that would wait a whole tick more."""


def first_window(current: Window, bounds: Window, days: int) -> Window:
    """The window playback starts from: ``days`` long from the current range's first day, or from the
    range's first day when the current range is already the last window (a finished playback restarts).

    Raises:
        ValueError: ``days`` is not positive, or ``bounds`` run backwards.
    """
    first, last = _checked(bounds, days)
    finished = current[1] >= last and _window_end(current[0], days) >= last
    start = current[0] if first <= current[0] and not finished else first
    return start, min(_window_end(start, days), last)


def next_window(current: Window, bounds: Window, days: int) -> Window | None:
    """The window after ``current``: ``days`` long from the day after it ends, cut at the range's last day;
    None when ``current`` reaches the end.

    Raises:
        ValueError: ``days`` is not positive, or ``bounds`` run backwards.
    """
    _, last = _checked(bounds, days)
    if current[1] >= last:
        return None
    start = current[1] + dt.timedelta(days=1)
    return start, min(_window_end(start, days), last)


def step_due(last_step: float, now: float, seconds: float) -> bool:
    """True when ``seconds`` (less the tolerance) have passed since the last step, by a monotonic clock."""
    return now - last_step >= seconds - EARLY_TOLERANCE


def speed_label(speed: str) -> str:
    """How often a speed steps: "2 s", "1 s", "0.5 s"."""
    return f"{STEP_SECONDS[speed]:g} s"


def window_label(window: Window) -> str:
    """ "2023-05-26" for a single day, "2023-05-26 – 2023-06-01" for several."""
    start, end = window
    return start.isoformat() if start == end else f"{start.isoformat()} – {end.isoformat()}"


def _window_end(start: dt.date, days: int) -> dt.date:
    return start + dt.timedelta(days=days - 1)


def _checked(bounds: Window, days: int) -> Window:
    if days < 1:
        raise ValueError(f"a playback window is at least one day, got {days}")
    if bounds[0] > bounds[1]:
        raise ValueError(f"date range must run forwards, got {bounds[0].isoformat()} .. {bounds[1].isoformat()}")
    return bounds
