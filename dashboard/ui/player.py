"""The playback controls under the date slider: ▶ / ⏸, the window (a day, a week) and the speed.

Playing moves the slider's own range, so the map, the timeline, the counts and the URL follow it as they
follow a hand on the slider. The steps are paced by a fragment that reruns every ``POLL_SECONDS`` and asks
for a full rerun only when the next step is due (``playback.step_due``); each full run takes at most one
step, before the slider is drawn, since Streamlit refuses a change to a widget's value after the widget.
Moving the slider by hand pauses playback.
"""

from __future__ import annotations

import time

import streamlit as st

from dashboard.playback import (
    DEFAULT_SPEED,
    DEFAULT_WINDOW,
    STEP_SECONDS,
    WINDOW_DAYS,
    Window,
    first_window,
    next_window,
    speed_label,
    step_due,
    window_label,
)

PLAYING = "playing"
PLAY_BUTTON = "play"
WINDOW = "play_window"
SPEED = "play_speed"
POLL_SECONDS = 0.25
_LAST_STEP = "play_last_step"


def advance(dates_key: str, bounds: Window) -> None:
    """Step the slider's range one window on when playing and a step is due; at the end, stop there."""
    if not st.session_state.get(PLAYING):
        return
    now = time.monotonic()
    if not step_due(st.session_state.get(_LAST_STEP, now), now, STEP_SECONDS[_speed()]):
        return
    following = next_window(st.session_state.get(dates_key, bounds), bounds, WINDOW_DAYS[_window()])
    if following is None:
        st.session_state[PLAYING] = False
        return
    st.session_state[dates_key] = following
    st.session_state[_LAST_STEP] = now


def pause() -> None:
    """Stop stepping; the slider keeps the window it shows. The slider's own on_change."""
    st.session_state[PLAYING] = False


def controls(dates_key: str, bounds: Window) -> Window | None:
    """The ▶ / ⏸ button and the window and speed choices; the window shown while playing, else None."""
    st.session_state.setdefault(WINDOW, DEFAULT_WINDOW)
    st.session_state.setdefault(SPEED, DEFAULT_SPEED)
    playing = bool(st.session_state.get(PLAYING))
    st.button(
        "⏸ Pause" if playing else "▶ Play",
        key=PLAY_BUTTON,
        on_click=_toggle,
        args=(dates_key, bounds),
        help="Step a window of days through the dates; the map and the timeline follow.",
    )
    window_column, speed_column = st.columns(2)
    with window_column:
        st.selectbox("Window", list(WINDOW_DAYS), key=WINDOW, format_func=lambda name: f"a {name}")
    with speed_column:
        st.selectbox("Step every", list(STEP_SECONDS), key=SPEED, format_func=speed_label)
    if not playing:
        return None
    window = st.session_state[dates_key]
    st.caption(f"Playing: {window_label(window)}")
    return window


def ticker() -> None:
    """While playing, the timer that reruns the page for each step (no timer otherwise)."""
    if st.session_state.get(PLAYING):
        _tick()


@st.fragment(run_every=POLL_SECONDS)
def _tick() -> None:
    """Cheap when no step is due: it draws nothing and reads the clock."""
    if step_due(st.session_state.get(_LAST_STEP, 0.0), time.monotonic(), STEP_SECONDS[_speed()]):
        st.rerun(scope="app")


def _toggle(dates_key: str, bounds: Window) -> None:
    """Pause, or play from the window at the slider's start (from the first day after a finished run)."""
    if st.session_state.get(PLAYING):
        pause()
        return
    current = st.session_state.get(dates_key, bounds)
    st.session_state[dates_key] = first_window(current, bounds, WINDOW_DAYS[_window()])
    st.session_state[PLAYING] = True
    st.session_state[_LAST_STEP] = time.monotonic()


def _window() -> str:
    return st.session_state.get(WINDOW, DEFAULT_WINDOW)


def _speed() -> str:
    return st.session_state.get(SPEED, DEFAULT_SPEED)
