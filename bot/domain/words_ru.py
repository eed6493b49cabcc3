"""Russian words the bot understands wherever it understands English ones, as data.

Answers typed in Russian are read whatever language the bot is speaking: a tap on a button is
the same in both, and typing should be too. The English tables live beside the code that reads
them; these are merged into them (onboarding, weekdays) or rewrite a line into the English
grammar before it is read (set logs, cities).
"""

from __future__ import annotations

import difflib
import re

from bot.domain.models import Goal, Level

# --- onboarding answers -------------------------------------------------------------------

GOAL_WORDS: dict[str, Goal] = {
    "ширина": Goal.WIDTH,
    "широкая спина": Goal.WIDTH,
    "шире": Goal.WIDTH,
    "крылья": Goal.WIDTH,
    "широчайшие": Goal.WIDTH,
    "толщина": Goal.THICKNESS,
    "толщина спины": Goal.THICKNESS,
    "толще": Goal.THICKNESS,
    "массивная спина": Goal.THICKNESS,
    "массивная": Goal.THICKNESS,
    "масса": Goal.THICKNESS,
    "объём": Goal.THICKNESS,
    "объем": Goal.THICKNESS,
    "сила": Goal.STRENGTH,
    "сильнее": Goal.STRENGTH,
    "сильная спина": Goal.STRENGTH,
    "здоровье": Goal.HEALTH,
    "здоровая спина": Goal.HEALTH,
    "осанка": Goal.HEALTH,
    "самочувствие": Goal.HEALTH,
}
LEVEL_WORDS: dict[str, Level] = {
    "новичок": Level.BEGINNER,
    "начинающий": Level.BEGINNER,
    "начинающая": Level.BEGINNER,
    "с нуля": Level.BEGINNER,
    "средний": Level.INTERMEDIATE,
    "средняя": Level.INTERMEDIATE,
    "любитель": Level.INTERMEDIATE,
    "опытный": Level.ADVANCED,
    "опытная": Level.ADVANCED,
    "продвинутый": Level.ADVANCED,
    "продвинутая": Level.ADVANCED,
    "профи": Level.ADVANCED,
}
NONE_WORDS = {"нет", "ничего", "ничего из этого", "ни одного", "пропустить", "не", "нету"}
YES_WORDS = {"да", "ага", "угу", "болит", "да болит", "да, болит", "немного", "побаливает"}
NO_WORDS = {"нет", "не болит", "нет не болит", "нет, не болит", "не", "всё хорошо", "норм", "ок"}
DONE_WORDS = {"готово", "всё", "все", "дальше", "далее", "ок", "ok", "хорошо", "да", "верно"}
FULL_GYM_WORDS = {"всё есть", "все есть", "полный зал", "весь зал", "всё", "все"}
EVERY_DAY_WORDS = {"каждый день", "любой день", "ежедневно", "все дни", "всю неделю"}
NUMBER_WORDS = {
    "ноль": 0,
    "ни одного": 0,
    "один": 1,
    "одно": 1,
    "два": 2,
    "три": 3,
    "четыре": 4,
    "пять": 5,
    "шесть": 6,
    "семь": 7,
    "восемь": 8,
    "девять": 9,
    "десять": 10,
}
# "8 раз", "8 подтягиваний", "8 повторов": the count of strict pull-ups.
PULLUP_COUNT = re.compile(r"(\d{1,4})\s*(?:раз[а]?|подтягивани[йея]|повтор\w*)?")

# --- weekdays ----------------------------------------------------------------------------

# 0 = Monday; short forms, full names and the forms after "в"/"по" ("в среду", "по средам").
WEEKDAY_WORDS: dict[str, int] = {
    **dict.fromkeys(["пн", "пон", "понедельник", "понедельникам"], 0),
    **dict.fromkeys(["вт", "втр", "вторник", "вторникам"], 1),
    **dict.fromkeys(["ср", "среда", "среду", "средам"], 2),
    **dict.fromkeys(["чт", "чтв", "четверг", "четвергам"], 3),
    **dict.fromkeys(["пт", "птн", "пятница", "пятницу", "пятницам"], 4),
    **dict.fromkeys(["сб", "суб", "суббота", "субботу", "субботам"], 5),
    **dict.fromkeys(["вс", "вск", "воскресенье", "воскресеньям"], 6),
}
WEEKDAY_FILLERS = {"и", "в", "во", "по"}  # "пн и чт", "по вторникам"

# --- set logs ----------------------------------------------------------------------------

# Rewrites of a lower-cased set-log line into the English grammar of bot/domain/setlog.py;
# applied in order. A Cyrillic "х" between numbers is the times sign ("4х10").
_SETLOG_REWRITES: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"(?<=\d)\s*х\s*(?=\d)"), "x"),
    (re.compile(r"(?<![а-яё])х(?![а-яё])"), "x"),
    (re.compile(r"\b(\d+)\s*подход(?:а|ов)?\s*по\s*(\d+)(?:\s*повтор\w*|\s*раз\w*)?"), r"\1x\2"),
    (re.compile(r"\b(\d+)\s*по\s*(\d+)\b"), r"\1x\2"),
    (re.compile(r"\b(\d+)\s*(?:повтор\w*|раз(?:а)?)(?=\s|$|@|,)"), r"\1"),
    (re.compile(r"(?<![а-яё])(?:кг|кило(?:грамм\w*)?)(?![а-яё])"), "kg"),
    (re.compile(r"(?<![а-яё])(?:фунт\w*)(?![а-яё])"), "lb"),
    (re.compile(r"(?<![а-яё])(?:свой вес|собственный вес|св)(?![а-яё])"), "bw"),
    (re.compile(r"(?<![а-яё])(?:макс(?:имум)?)(?![а-яё])"), "max"),
    (re.compile(r"(?<![а-яё])(?:на|с весом|вес)(?![а-яё])"), "@"),
]


_CYRILLIC = re.compile(r"[а-яё]")


def setlog_spellings(text: str) -> str:
    """'4 подхода по 10 на 50 кг' -> '4x10 @ 50 kg'; '4х10' (Cyrillic х) -> '4x10'."""
    if not _CYRILLIC.search(text):
        return text  # most lines: nothing to rewrite, and this runs for every split tried
    for pattern, replacement in _SETLOG_REWRITES:
        text = pattern.sub(replacement, text)
    return text


# --- clock times -------------------------------------------------------------------------

# "в 7 вечера" -> "7pm", "9 утра" -> "9am", "18 ч" -> "18h", "полдень" -> "noon".
_CLOCK_REWRITES: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"^в\s+"), ""),
    (re.compile(r"^полдень$"), "noon"),
    (re.compile(r"^полночь$"), "midnight"),
    (re.compile(r"^(\d{1,2}(?:[:.]\d{2})?)\s*(?:ч(?:ас(?:а|ов)?)?\s*)?(?:утра|ночи)$"), r"\1am"),
    (re.compile(r"^(\d{1,2}(?:[:.]\d{2})?)\s*(?:ч(?:ас(?:а|ов)?)?\s*)?(?:дня|вечера)$"), r"\1pm"),
    (re.compile(r"^(\d{1,2})\s*ч(?:ас(?:а|ов)?)?$"), r"\1h"),
]


def clock_spellings(text: str) -> str:
    """'в 7 вечера' -> '7pm', '9 утра' -> '9am', '18 ч' -> '18h'; other text as it was."""
    if not _CYRILLIC.search(text):
        return text
    for pattern, replacement in _CLOCK_REWRITES:
        text = pattern.sub(replacement, text)
    return text


# --- cities ------------------------------------------------------------------------------

# Russian names of places to their IANA zone, so "Москва" works as well as "Moscow".
CITY_ZONES: dict[str, str] = {
    **dict.fromkeys(["москва", "мск", "подмосковье"], "Europe/Moscow"),
    **dict.fromkeys(["санкт-петербург", "петербург", "питер", "спб"], "Europe/Moscow"),
    **dict.fromkeys(["казань", "нижний новгород", "воронеж", "ярославль", "тула"], "Europe/Moscow"),
    **dict.fromkeys(
        ["краснодар", "сочи", "ростов-на-дону", "ростов", "ставрополь"], "Europe/Moscow"
    ),
    **dict.fromkeys(
        ["мурманск", "архангельск", "петрозаводск", "вологда", "тверь"], "Europe/Moscow"
    ),
    **dict.fromkeys(
        ["рязань", "калуга", "смоленск", "брянск", "курск", "белгород"], "Europe/Moscow"
    ),
    **dict.fromkeys(["липецк", "тамбов", "орёл", "орел", "владимир", "иваново"], "Europe/Moscow"),
    **dict.fromkeys(["кострома", "киров", "чебоксары", "йошкар-ола", "саранск"], "Europe/Moscow"),
    **dict.fromkeys(
        ["пенза", "махачкала", "грозный", "севастополь", "симферополь"], "Europe/Moscow"
    ),
    **dict.fromkeys(["сыктывкар", "великий новгород", "псков"], "Europe/Moscow"),
    "калининград": "Europe/Kaliningrad",
    **dict.fromkeys(["самара", "тольятти", "ижевск", "ульяновск"], "Europe/Samara"),
    "саратов": "Europe/Saratov",
    "волгоград": "Europe/Volgograd",
    "астрахань": "Europe/Astrakhan",
    **dict.fromkeys(["екатеринбург", "екб", "челябинск", "тюмень", "пермь"], "Asia/Yekaterinburg"),
    **dict.fromkeys(["уфа", "оренбург", "сургут", "курган", "магнитогорск"], "Asia/Yekaterinburg"),
    "омск": "Asia/Omsk",
    **dict.fromkeys(["новосибирск", "нск", "новосиб"], "Asia/Novosibirsk"),
    "барнаул": "Asia/Barnaul",
    "томск": "Asia/Tomsk",
    **dict.fromkeys(["кемерово", "новокузнецк"], "Asia/Novokuznetsk"),
    **dict.fromkeys(["красноярск", "абакан", "норильск"], "Asia/Krasnoyarsk"),
    **dict.fromkeys(["иркутск", "улан-удэ", "братск"], "Asia/Irkutsk"),
    "чита": "Asia/Chita",
    "якутск": "Asia/Yakutsk",
    **dict.fromkeys(["владивосток", "хабаровск", "находка"], "Asia/Vladivostok"),
    "южно-сахалинск": "Asia/Sakhalin",
    "магадан": "Asia/Magadan",
    **dict.fromkeys(["петропавловск-камчатский", "камчатка"], "Asia/Kamchatka"),
    "минск": "Europe/Minsk",
    **dict.fromkeys(["киев", "киів", "харьков", "одесса", "днепр", "львов"], "Europe/Kyiv"),
    "кишинёв": "Europe/Chisinau",
    "кишинев": "Europe/Chisinau",
    "рига": "Europe/Riga",
    "вильнюс": "Europe/Vilnius",
    "таллин": "Europe/Tallinn",
    "тбилиси": "Asia/Tbilisi",
    "ереван": "Asia/Yerevan",
    "баку": "Asia/Baku",
    **dict.fromkeys(["алматы", "алма-ата", "астана"], "Asia/Almaty"),
    "ташкент": "Asia/Tashkent",
    "бишкек": "Asia/Bishkek",
    "душанбе": "Asia/Dushanbe",
    "стамбул": "Europe/Istanbul",
    "берлин": "Europe/Berlin",
    "лондон": "Europe/London",
    "париж": "Europe/Paris",
    "прага": "Europe/Prague",
    "варшава": "Europe/Warsaw",
    "хельсинки": "Europe/Helsinki",
    "дубай": "Asia/Dubai",
    "тель-авив": "Asia/Jerusalem",
    "бангкок": "Asia/Bangkok",
    "нью-йорк": "America/New_York",
}


def _plain(text: str) -> str:
    return " ".join(text.strip().lower().replace("ё", "е").replace("—", "-").split())


_CITY_INDEX = {_plain(name): zone for name, zone in CITY_ZONES.items()}


def city_zone(text: str) -> str | None:
    """The zone of a Russian place name ('Москва', 'Санкт Петербург', 'масква'); else None."""
    query = _plain(text)
    if not re.search(r"[а-я]", query):
        return None
    for candidate in (query, query.replace(" ", "-"), query.replace("-", " ")):
        if candidate in _CITY_INDEX:
            return _CITY_INDEX[candidate]
    close = difflib.get_close_matches(query, list(_CITY_INDEX), n=1, cutoff=0.8)
    return _CITY_INDEX[close[0]] if close else None
