"""Callback data: encoded and decoded in one place, validated, never trusted."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

from bot.domain.onboarding import Back, Event, Finish, NoneOfThese, Pick, Step

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
_LANGUAGE = re.compile(r"^lang:([a-z]{2})$")
_MG_PER_KG = 1_000_000  # weights travel as whole milligrams: exact on the storage grid
_WORKOUT_ACTIONS = {"d": "done", "k": "skip", "s": "swap", "e": "end", "h": "hurt", "n": "next"}


@dataclass(frozen=True)
class OnboardingButton:
    """A press on an onboarding question's button."""

    nonce: str
    event: Event


@dataclass(frozen=True)
class TechniqueButton:
    """A request for an exercise's technique."""

    exercise_id: str


@dataclass(frozen=True)
class ReminderButton:
    """An answer to a reminder: start, snooze, skip, move (and the day to move to)."""

    session_id: int
    action: str  # "start" | "snooze" | "skip" | "move" | "move-to"
    day: date | None = None


@dataclass(frozen=True)
class ScheduleChange:
    """The 'Change schedule' button."""


@dataclass(frozen=True)
class WorkoutButton:
    """A button on a workout card; position ties it to the exercise it was shown for."""

    workout_id: int
    position: int
    action: str  # "done" | "skip" | "swap" | "end" | "hurt" | "next" | "swap-to" | "pain-swap"
    exercise_id: str | None = None


@dataclass(frozen=True)
class LogPick:
    """Which exercise an ambiguous log line meant."""

    exercise_id: str


@dataclass(frozen=True)
class TrainNow:
    """Start a workout now, from /today."""


@dataclass(frozen=True)
class StartWeight:
    """A first weight picked on a workout card (tied to the card's workout and position)."""

    workout_id: int
    position: int
    weight_kg: float


@dataclass(frozen=True)
class WeightAnswer:
    """The weight for sets that came without one; the nonce ties it to that question."""

    nonce: str
    weight_kg: float


@dataclass(frozen=True)
class EditLine:
    """'Edit' on a confirmation: retype the line a message logged."""

    source_id: int


@dataclass(frozen=True)
class Why:
    """Show the full reasons behind the program."""


@dataclass(frozen=True)
class CheckIn:
    """Ask the bot to check in again in a few days (after pain at set-up)."""


@dataclass(frozen=True)
class BackCheck:
    """An answer to the pre-session back check; session_id None: from /today or Train now."""

    feeling: str  # a BackFeeling value
    session_id: int | None


@dataclass(frozen=True)
class Cleared:
    """'A doctor has cleared me' after a medical pause."""


@dataclass(frozen=True)
class ExcludeExercise:
    """Leave an exercise that hurt twice out of the program (with the user's OK)."""

    exercise_id: str
    confirm: bool


@dataclass(frozen=True)
class ChartButton:
    """Which /progress chart to draw: an exercise id, or "volume", "tonnage", "back"."""

    which: str


@dataclass(frozen=True)
class ImportAnswer:
    """Yes or no to importing a previewed file."""

    confirm: bool


@dataclass(frozen=True)
class DeleteAnswer:
    """Yes or no to deleting everything; `asked` (Unix minutes) keeps old buttons harmless."""

    confirm: bool
    asked: int


@dataclass(frozen=True)
class ReportToggle:
    """Turn the weekly report on or off."""

    enabled: bool


@dataclass(frozen=True)
class LanguageChoice:
    """Speak this language from now on (/language)."""

    lang: str


Decoded = (
    OnboardingButton
    | LanguageChoice
    | ChartButton
    | ImportAnswer
    | DeleteAnswer
    | ReportToggle
    | TechniqueButton
    | ReminderButton
    | ScheduleChange
    | WorkoutButton
    | LogPick
    | TrainNow
    | StartWeight
    | WeightAnswer
    | EditLine
    | Why
    | CheckIn
    | BackCheck
    | Cleared
    | ExcludeExercise
)
_REMINDER_ACTIONS = {"s": "start", "z": "snooze", "k": "skip", "m": "move"}


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


def reminder(session_id: int, action: str, day: date | None = None) -> str:
    """A reminder's button."""
    if action == "move-to" and day is not None:
        return _check(f"r:{session_id}:d:{day:%Y%m%d}")
    code = {v: k for k, v in _REMINDER_ACTIONS.items()}[action]
    return _check(f"r:{session_id}:{code}")


def workout(workout_id: int, position: int, action: str, exercise_id: str | None = None) -> str:
    """A workout card's button."""
    if action == "swap-to" and exercise_id is not None:
        return _check(f"w:{workout_id}:{position}:x:{exercise_id}")
    if action == "pain-swap" and exercise_id is not None:
        return _check(f"w:{workout_id}:{position}:p:{exercise_id}")
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


_FEELINGS = {"fine": "f", "stiff": "s", "hurts": "h", "red-flag": "r"}
_FEELING_CODES = {v: k for k, v in _FEELINGS.items()}
_BACK_CHECK = re.compile(r"^b:([fshr]):([0-9]{1,12}|-)$")
_EXCLUDE = re.compile(rf"^x:([yn]):({_ID})$")


def back_check(feeling: str, session_id: int | None) -> str:
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


def language(lang: str) -> str:
    """Choose the language the bot speaks."""
    return _check(f"lang:{lang}")


def decode(data: str | None) -> Decoded | None:
    """Parse callback data; None for anything malformed, unknown or forged."""
    if not data or len(data.encode()) > MAX_BYTES:
        return None
    if m := _LANGUAGE.match(data):
        return LanguageChoice(m.group(1))
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
        if action.startswith("x:"):
            return WorkoutButton(wid, pos, "swap-to", action[2:])
        if action.startswith("p:"):
            return WorkoutButton(wid, pos, "pain-swap", action[2:])
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
