"""The words people type to answer the set-up questions, per choice (data, not rules)."""

from __future__ import annotations

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
