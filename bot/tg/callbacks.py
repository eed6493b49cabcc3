"""Callback data: encoded and decoded in one place, validated, never trusted."""

from __future__ import annotations

import re
from datetime import date, datetime

from bot.domain.onboarding import Back, Finish, NoneOfThese, Pick, Step
from bot.domain.safety import BackFeeling
from bot.tg.buttons import (
    REMINDER_ACTIONS,
    WORKOUT_ACTIONS,
    BackCheck,
    ChartButton,
    CheckIn,
    Cleared,
    Decoded,
    DeleteAnswer,
    EditLine,
    ExcludeExercise,
    ImportAnswer,
    LogPick,
    OnboardingButton,
    ReminderAction,
    ReminderButton,
    ReportToggle,
    ScheduleChange,
    StartWeight,
    TechniqueButton,
    TrainNow,
    WeightAnswer,
    Why,
    WorkoutAction,
    WorkoutButton,
)

# The decoded button types live in bot/tg/buttons.py; callers import them from here.
__all__ = [
    "REMINDER_ACTIONS",
    "WORKOUT_ACTIONS",
    "BackCheck",
    "ChartButton",
    "CheckIn",
    "Cleared",
    "Decoded",
    "DeleteAnswer",
    "EditLine",
    "ExcludeExercise",
    "ImportAnswer",
    "LogPick",
    "OnboardingButton",
    "ReminderAction",
    "ReminderButton",
    "ReportToggle",
    "ScheduleChange",
    "StartWeight",
    "TechniqueButton",
    "TrainNow",
    "WeightAnswer",
    "Why",
    "WorkoutAction",
    "WorkoutButton",
]

MAX_BYTES = 64
_ID = r"[a-z0-9][a-z0-9-]{0,39}"
_STEP_CODES = {
    Step.RED_FLAGS: "f",
    Step.PAIN: "a",
    Step.HEALTH: "h",
    Step.GOAL: "g",
    Step.LEVEL: "l",
    Step.PULLUPS: "p",
    Step.CONDITIONS: "c",
    Step.DISCOMFORT: "x",
    Step.EQUIPMENT: "e",
    Step.DAYS: "d",
    Step.TIME: "t",
    Step.TIMEZONE: "z",
    Step.CONFIRM: "k",
}
_CODE_STEPS = {v: k for k, v in _STEP_CODES.items()}
_ONBOARDING = re.compile(rf"^o:([0-9a-f]{{6}}):([a-z]):([pfnb])(?::({_ID}))?$")
_TECHNIQUE = re.compile(rf"^t:({_ID})$")
_REMINDER = re.compile(r"^r:([0-9]{1,12}):([szkm]|d:[0-9]{8})$")
_WORKOUT = re.compile(rf"^w:([0-9]{{1,12}}):([0-9]{{1,3}}):([dksehn]|[xp]:{_ID})$")
_LOG_PICK = re.compile(rf"^l:({_ID})$")
_START_WEIGHT = re.compile(r"^g:([0-9]{1,12}):([0-9]{1,3}):([0-9]{1,9})$")
_WEIGHT_ANSWER = re.compile(r"^q:([0-9a-f]{6}):([0-9]{1,9})$")
_EDIT_LINE = re.compile(r"^u:([0-9]{1,12})$")
_MG_PER_KG = 1_000_000  # weights travel as whole milligrams: exact on the storage grid
_WORKOUT_ACTIONS: dict[str, WorkoutAction] = {
    "d": "done",
    "k": "skip",
    "s": "swap",
    "e": "end",
    "h": "hurt",
    "n": "next",
}


_WITH_EXERCISE: dict[WorkoutAction, str] = {"swap-to": "x", "pain-swap": "p"}
_REMINDER_ACTIONS: dict[str, ReminderAction] = {
    "s": "start",
    "z": "snooze",
    "k": "skip",
    "m": "move",
}


def _check(data: str) -> str:
    if len(data.encode()) > MAX_BYTES:
        raise ValueError(f"callback data over {MAX_BYTES} bytes: {data!r}")
    return data


def pick(nonce: str, step: Step, value: str) -> str:
    """Choose or tick a value."""
    return _check(f"o:{nonce}:{_STEP_CODES[step]}:p:{value}")


def finish(nonce: str, step: Step) -> str:
    """'Done' on a multi-select."""
    return _check(f"o:{nonce}:{_STEP_CODES[step]}:f")


def none_of_these(nonce: str, step: Step) -> str:
    """'None of these' on a multi-select."""
    return _check(f"o:{nonce}:{_STEP_CODES[step]}:n")


def back(nonce: str, step: Step) -> str:
    """Back to the previous question."""
    return _check(f"o:{nonce}:{_STEP_CODES[step]}:b")


def technique(exercise_id: str) -> str:
    """Show an exercise's technique."""
    return _check(f"t:{exercise_id}")


def reminder(session_id: int, action: ReminderAction, day: date | None = None) -> str:
    """A reminder's button ('move-to' needs the day)."""
    if action == "move-to":
        if day is None:
            raise ValueError("a move-to button needs its day")
        return _check(f"r:{session_id}:d:{day:%Y%m%d}")
    code = {v: k for k, v in _REMINDER_ACTIONS.items()}[action]
    return _check(f"r:{session_id}:{code}")


def workout(
    workout_id: int, position: int, action: WorkoutAction, exercise_id: str | None = None
) -> str:
    """A workout card's button ('swap-to' and 'pain-swap' need the exercise)."""
    if action in _WITH_EXERCISE:
        if exercise_id is None:
            raise ValueError(f"a {action} button needs its exercise")
        return _check(f"w:{workout_id}:{position}:{_WITH_EXERCISE[action]}:{exercise_id}")
    code = {v: k for k, v in _WORKOUT_ACTIONS.items()}[action]
    return _check(f"w:{workout_id}:{position}:{code}")


def log_pick(exercise_id: str) -> str:
    """Choose the exercise for an ambiguous log line."""
    return _check(f"l:{exercise_id}")


def _mg(weight_kg: float) -> int:
    return round(weight_kg * _MG_PER_KG)


def start_weight(workout_id: int, position: int, weight_kg: float) -> str:
    """Pick a first weight on a workout card."""
    return _check(f"g:{workout_id}:{position}:{_mg(weight_kg)}")


def weight_answer(nonce: str, weight_kg: float) -> str:
    """Answer 'what weight was that?'."""
    return _check(f"q:{nonce}:{_mg(weight_kg)}")


def edit_line(source_id: int) -> str:
    """Retype a logged line."""
    return _check(f"u:{source_id}")


def _weight(mg: str) -> float | None:
    kg = round(int(mg) / _MG_PER_KG, 6)
    return kg if 0 < kg <= 500 else None


def train_now() -> str:
    """Start a workout now."""
    return "n:now"


def why() -> str:
    """Show the full reasons behind the program."""
    return "y:why"


def checkin() -> str:
    """Check in again in a few days."""
    return "c:in"


def cleared() -> str:
    """A doctor has cleared the user after a medical pause."""
    return "c:ok"


_FEELINGS = {
    BackFeeling.FINE: "f",
    BackFeeling.STIFF: "s",
    BackFeeling.HURTS: "h",
    BackFeeling.RED_FLAG: "r",
}
_FEELING_CODES = {v: k for k, v in _FEELINGS.items()}
_BACK_CHECK = re.compile(r"^b:([fshr]):([0-9]{1,12}|-)$")
_EXCLUDE = re.compile(rf"^x:([yn]):({_ID})$")


def back_check(feeling: BackFeeling, session_id: int | None) -> str:
    """An answer to 'how is your back today?'."""
    return _check(f"b:{_FEELINGS[feeling]}:{'-' if session_id is None else session_id}")


def exclude_exercise(exercise_id: str, confirm: bool) -> str:
    """Yes or no to leaving a painful exercise out."""
    return _check(f"x:{'y' if confirm else 'n'}:{exercise_id}")


def schedule_change() -> str:
    """Start changing the schedule."""
    return "s:change"


_CHARTS = {"@v": "volume", "@t": "tonnage", "@b": "back"}
_CHART_CODES = {v: k for k, v in _CHARTS.items()}
_CHART = re.compile(rf"^g:(@[vtb]|{_ID})$")
_DELETE = re.compile(r"^d:([yn]):([0-9]{1,10})$")


def chart(which: str) -> str:
    """Draw a /progress chart: an exercise id or one of volume, tonnage, back."""
    return _check(f"g:{_CHART_CODES.get(which, which)}")


def import_answer(confirm: bool) -> str:
    """Import the previewed file, or not."""
    return "i:y" if confirm else "i:n"


def delete_answer(confirm: bool, asked: int) -> str:
    """Delete everything, or keep it; `asked` is when the question was asked (Unix minutes)."""
    return _check(f"d:{'y' if confirm else 'n'}:{asked}")


def report_toggle(enabled: bool) -> str:
    """Turn the weekly report on or off."""
    return "k:on" if enabled else "k:off"


def decode(data: str | None) -> Decoded | None:
    """Parse callback data; None for anything malformed, unknown or forged."""
    if not data or len(data.encode()) > MAX_BYTES:
        return None
    if m := _CHART.match(data):
        return ChartButton(_CHARTS.get(m.group(1), m.group(1)))
    if data in ("i:y", "i:n"):
        return ImportAnswer(data == "i:y")
    if m := _DELETE.match(data):
        return DeleteAnswer(m.group(1) == "y", int(m.group(2)))
    if data in ("k:on", "k:off"):
        return ReportToggle(data == "k:on")
    if m := _TECHNIQUE.match(data):
        return TechniqueButton(m.group(1))
    if data == "s:change":
        return ScheduleChange()
    if data == "n:now":
        return TrainNow()
    if data == "y:why":
        return Why()
    if data == "c:in":
        return CheckIn()
    if data == "c:ok":
        return Cleared()
    if m := _BACK_CHECK.match(data):
        sid = None if m.group(2) == "-" else int(m.group(2))
        return BackCheck(_FEELING_CODES[m.group(1)], sid)
    if m := _EXCLUDE.match(data):
        return ExcludeExercise(m.group(2), m.group(1) == "y")
    if m := _LOG_PICK.match(data):
        return LogPick(m.group(1))
    if m := _START_WEIGHT.match(data):
        kg = _weight(m.group(3))
        return None if kg is None else StartWeight(int(m.group(1)), int(m.group(2)), kg)
    if m := _WEIGHT_ANSWER.match(data):
        kg = _weight(m.group(2))
        return None if kg is None else WeightAnswer(m.group(1), kg)
    if m := _EDIT_LINE.match(data):
        return EditLine(int(m.group(1)))
    if m := _WORKOUT.match(data):
        wid, pos, action = int(m.group(1)), int(m.group(2)), m.group(3)
        for name, code in _WITH_EXERCISE.items():
            if action.startswith(code + ":"):
                return WorkoutButton(wid, pos, name, action[2:])
        return WorkoutButton(wid, pos, _WORKOUT_ACTIONS[action])
    if m := _REMINDER.match(data):
        session_id, action = int(m.group(1)), m.group(2)
        if action.startswith("d:"):
            try:
                day = datetime.strptime(action[2:], "%Y%m%d").date()  # noqa: DTZ007
            except ValueError:
                return None
            return ReminderButton(session_id, "move-to", day)
        return ReminderButton(session_id, _REMINDER_ACTIONS[action])
    m = _ONBOARDING.match(data)
    if not m or m.group(2) not in _CODE_STEPS:
        return None
    nonce, step, action, value = m.group(1), _CODE_STEPS[m.group(2)], m.group(3), m.group(4)
    if action == "p":
        return None if value is None else OnboardingButton(nonce, Pick(step, value))
    if value is not None:
        return None
    if action == "f":
        return OnboardingButton(nonce, Finish(step))
    if action == "n":
        return OnboardingButton(nonce, NoneOfThese(step))
    return OnboardingButton(nonce, Back(step))
