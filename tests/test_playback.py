import datetime as dt

import pytest

from dashboard.playback import (
    EARLY_TOLERANCE,
    STEP_SECONDS,
    first_window,
    next_window,
    speed_label,
    step_due,
    window_label,
)

D = dt.date.fromisoformat
BOUNDS = (D("2023-05-01"), D("2023-05-20"))


@pytest.mark.parametrize(
    ("current", "days", "window"),
    [
        (BOUNDS, 1, ("2023-05-01", "2023-05-01")),  # the whole range: from its first day
        ((D("2023-05-10"), D("2023-05-20")), 7, ("2023-05-10", "2023-05-16")),  # from the slider's start
        ((D("2023-05-10"), D("2023-05-12")), 1, ("2023-05-10", "2023-05-10")),
        ((D("2023-05-14"), D("2023-05-14")), 7, ("2023-05-14", "2023-05-20")),  # a paused window resumes
        ((D("2023-05-20"), D("2023-05-20")), 1, ("2023-05-01", "2023-05-01")),  # finished: start over
        ((D("2023-05-15"), D("2023-05-20")), 7, ("2023-05-01", "2023-05-07")),  # a week there reaches the end
    ],
)
def test_playback_starts_at_the_slider_unless_it_would_already_be_over(current, days, window):
    assert first_window(current, BOUNDS, days) == (D(window[0]), D(window[1]))


def test_steps_follow_each_other_without_gaps_and_the_last_is_cut_at_the_end():
    window, seen = first_window(BOUNDS, BOUNDS, 7), []
    while window is not None:
        seen.append(window)
        window = next_window(window, BOUNDS, 7)
    assert seen == [
        (D("2023-05-01"), D("2023-05-07")),
        (D("2023-05-08"), D("2023-05-14")),
        (D("2023-05-15"), D("2023-05-20")),
    ]


def test_a_day_window_steps_one_day():
    assert next_window((D("2023-05-01"), D("2023-05-01")), BOUNDS, 1) == (D("2023-05-02"), D("2023-05-02"))


def test_a_changed_window_size_applies_from_the_next_step():
    assert next_window((D("2023-05-01"), D("2023-05-01")), BOUNDS, 7) == (D("2023-05-02"), D("2023-05-08"))


@pytest.mark.parametrize("days", [0, -7])
def test_a_window_of_no_days_is_refused(days):
    with pytest.raises(ValueError, match="at least one day"):
        first_window(BOUNDS, BOUNDS, days)
    with pytest.raises(ValueError, match="at least one day"):
        next_window(BOUNDS, BOUNDS, days)


def test_backward_bounds_are_refused():
    with pytest.raises(ValueError, match="must run forwards"):
        next_window(BOUNDS, (BOUNDS[1], BOUNDS[0]), 1)


@pytest.mark.parametrize(
    ("elapsed", "due"),
    [
        (0.0, False),
        (0.5, False),
        (1.0 - EARLY_TOLERANCE - 0.01, False),
        (1.0 - EARLY_TOLERANCE, True),
        (1.0, True),
        (7.0, True),
    ],
)
def test_a_step_is_due_once_its_seconds_have_passed_give_or_take_a_timer_tick(elapsed, due):
    assert step_due(100.0, 100.0 + elapsed, 1.0) is due


def test_labels():
    assert window_label((D("2023-05-26"), D("2023-05-26"))) == "2023-05-26"
    assert window_label((D("2023-05-26"), D("2023-06-01"))) == "2023-05-26 – 2023-06-01"
    assert [speed_label(speed) for speed in STEP_SECONDS] == ["2 s", "1 s", "0.5 s"]
