"""Button actions are a closed set: every action round-trips, anything else decodes to None."""

from __future__ import annotations

from datetime import date

import pytest

from bot.domain.safety import BackFeeling
from bot.tg import callbacks
from bot.tg.callbacks import REMINDER_ACTIONS, WORKOUT_ACTIONS, ReminderButton, WorkoutButton


@pytest.mark.parametrize("action", REMINDER_ACTIONS)
def test_every_reminder_action_round_trips(action: callbacks.ReminderAction) -> None:
    day = date(2026, 12, 7) if action == "move-to" else None
    data = callbacks.reminder(41, action, day)
    assert callbacks.decode(data) == ReminderButton(41, action, day)


@pytest.mark.parametrize("action", WORKOUT_ACTIONS)
def test_every_workout_action_round_trips(action: callbacks.WorkoutAction) -> None:
    exercise = "deadlift" if action in ("swap-to", "pain-swap") else None
    data = callbacks.workout(7, 2, action, exercise)
    assert callbacks.decode(data) == WorkoutButton(7, 2, action, exercise)


@pytest.mark.parametrize("feeling", list(BackFeeling))
def test_every_back_check_answer_round_trips(feeling: BackFeeling) -> None:
    for session in (None, 12):
        decoded = callbacks.decode(callbacks.back_check(feeling, session))
        assert decoded == callbacks.BackCheck(feeling, session)
        assert isinstance(decoded, callbacks.BackCheck) and decoded.feeling is feeling


@pytest.mark.parametrize(
    "data",
    [
        "r:41:q",  # no such reminder action
        "r:41:start",  # the action's name instead of its code
        "r:41:d:20261341",  # move to a day that does not exist
        "r:41:d:2026120",
        "w:7:2:z",  # no such workout action
        "w:7:2:done",
        "w:7:2:x",  # swap-to without the exercise
        "w:7:2:p:",
        "w:7:2:q:deadlift",
        "b:z:12",  # no such feeling
        "b:fine:12",
        "x:maybe:deadlift",
    ],
)
def test_an_unknown_action_is_not_a_button(data: str) -> None:
    assert callbacks.decode(data) is None


def test_buttons_that_need_a_detail_refuse_to_be_built_without_it() -> None:
    with pytest.raises(ValueError):
        callbacks.reminder(41, "move-to")
    with pytest.raises(ValueError):
        callbacks.workout(7, 2, "pain-swap")
