"""The words people type to answer the set-up questions, per choice (data, not rules)."""

from __future__ import annotations

from bot.domain import words_ru as ru
from bot.domain.models import Goal, Level

# Words people type for each choice; matched exactly first, then loosely.
GOAL_WORDS: dict[str, Goal] = {
    "width": Goal.WIDTH,
    "wide": Goal.WIDTH,
    "wider": Goal.WIDTH,
    "lats": Goal.WIDTH,
    "v-shape": Goal.WIDTH,
    "thickness": Goal.THICKNESS,
    "thick": Goal.THICKNESS,
    "thicker": Goal.THICKNESS,
    "mass": Goal.THICKNESS,
    "rows": Goal.THICKNESS,
    "strength": Goal.STRENGTH,
    "strong": Goal.STRENGTH,
    "stronger": Goal.STRENGTH,
    "power": Goal.STRENGTH,
    "health": Goal.HEALTH,
    "healthy": Goal.HEALTH,
    "posture": Goal.HEALTH,
    "wellbeing": Goal.HEALTH,
}
LEVEL_WORDS: dict[str, Level] = {
    "beginner": Level.BEGINNER,
    "new": Level.BEGINNER,
    "novice": Level.BEGINNER,
    "newbie": Level.BEGINNER,
    "intermediate": Level.INTERMEDIATE,
    "middle": Level.INTERMEDIATE,
    "some": Level.INTERMEDIATE,
    "advanced": Level.ADVANCED,
    "experienced": Level.ADVANCED,
    "expert": Level.ADVANCED,
    "pro": Level.ADVANCED,
}
NONE_WORDS = {"none", "no", "nothing", "nope", "skip", "0", "-", "n/a", "none of these"}
YES_WORDS = {"yes", "y", "yeah", "yep", "it hurts", "hurts", "sore", "a bit", "some"}
NO_WORDS = {"no", "n", "nope", "not really", "fine", "no pain", "none", "ok", "okay"}
DONE_WORDS = {"done", "ok", "okay", "next", "continue", "that's all", "thats all", "finish"}
FULL_GYM_WORDS = {"full", "full gym", "all", "everything", "yes"}
NUMBER_WORDS = {
    "zero": 0,
    "none": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
}

EVERY_DAY_WORDS = {"every day", "everyday", "any day", "all", "all days", "daily", "any"}

# Russian answers are understood whatever language the bot speaks (bot/domain/words_ru.py).
GOAL_WORDS |= ru.GOAL_WORDS
LEVEL_WORDS |= ru.LEVEL_WORDS
NONE_WORDS |= ru.NONE_WORDS
YES_WORDS |= ru.YES_WORDS
NO_WORDS |= ru.NO_WORDS
DONE_WORDS |= ru.DONE_WORDS
FULL_GYM_WORDS |= ru.FULL_GYM_WORDS
NUMBER_WORDS |= ru.NUMBER_WORDS
EVERY_DAY_WORDS |= ru.EVERY_DAY_WORDS
