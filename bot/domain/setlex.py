"""Reading a set-log line into tokens: lifters' spellings, decimal commas, words and numbers.

The grammar the tokens feed is described in bot/domain/setlog.py.

Decimal commas. A comma with a digit on each side is a decimal point ("27,5" = 27.5) unless
the number before it follows x, max or bw (a rep count: "50x10,50x9" -> "50x10, 50x9"), the
comma-joined run has three or more numbers ("10,10,9,8"), a number of the pair has a point, the
digits after the comma are more than two, or the pair is followed by "@", "+", "bw" or another
number (what stands there are reps: "10,9 @ 50").
"""

from __future__ import annotations

import re
from typing import Literal

from bot.domain.accounts import Units


class SetLogError(ValueError):
    """A set log that could not be read: what was wrong, and a line that would work."""

    def __init__(self, problem: str, example: str) -> None:
        super().__init__(f"{problem} Try: {example}")
        self.problem = problem
        self.example = example


Kind = Literal["num", "x", "@", "+", "bw", "max", "unit", "sep", "rpe", "rir"]
Token = tuple[Kind, str]

_WORDS: dict[str, Kind] = {
    "x": "x",
    "bw": "bw",
    "bodyweight": "bw",
    "max": "max",
    "kg": "unit",
    "kgs": "unit",
    "lb": "unit",
    "lbs": "unit",
    "rpe": "rpe",
    "rir": "rir",
}
_WORD_PIECES = re.compile(r"bodyweight|bw|max|kgs?|lbs?|rpe|rir|x")
_LEXEME = re.compile(
    r"\s*(?:(?P<minus>[-\u2212\u2013][0-9.]*)|(?P<num>[0-9.]+)|(?P<word>[a-z]+)|(?P<sym>[@+,;])"
    r"|(?P<other>[^\s0-9a-z@+,;.\-\u2212\u2013]+))"
)
_NUMBER = re.compile(r"[0-9]+(?:\.[0-9]+)?|\.[0-9]+")
_CHAIN = re.compile(r"(?<![0-9.,])[0-9]+(?:\.[0-9]+)?(?:,[0-9]+(?:\.[0-9]+)?)+")
_REPS_BEFORE = re.compile(r"(?:x|max|bw)\s*$")
_REPS_AFTER = re.compile(r"\s*(?:@|\+|bw|[0-9])")
# Lifters' spellings, rewritten into the grammar before reading (see the module docstring).
_SETS_OF = re.compile(r"\b([0-9]+)\s*sets?\s*(?:of|x)\s*([0-9]+)(?:\s*reps?\b)?")
_AT = re.compile(r"\b(?:at|with)\b")
_LONE_REPS = re.compile(r"^([0-9]+)\s*reps?$")
_TRIPLE = re.compile(
    r"(?<![0-9.])(?<!x)(?<!x )([0-9]+)\s*x\s*([0-9]+)\s*x\s*([0-9]+(?:\.[0-9]+)?)(?![0-9.]|\s*x)"
)


def spellings(text: str) -> str:
    """'4 sets of 10 at 25' -> '4x10 @ 25', '4x10x50' -> '4x10 @ 50', '7 reps' -> '7'."""
    text = _SETS_OF.sub(r"\1x\2", text)
    text = _AT.sub("@", text)
    text = _LONE_REPS.sub(r"\1", text)
    return _TRIPLE.sub(r"\1x\2 @ \3", text)


def example(units: Units, what: str = "sets") -> str:
    """A line that would work, in the user's unit."""
    heavy = "50 kg" if units is Units.KG else "110 lb"
    examples = {
        "sets": f"4x10 @ {heavy}",
        "reps": f"10, 10, 9, 8 @ {heavy}",
        "bw": "3x8 bw",
        "added": "3x6 +10" if units is Units.KG else "3x6 +25",
    }
    return examples[what]


def decimal_commas(text: str) -> str:
    """Turn the commas that are decimal points into points (rules in bot/domain/setlog.py)."""

    def fix(match: re.Match[str]) -> str:
        runs = match.group().split(",")
        head: list[str] = []
        if _REPS_BEFORE.search(text[: match.start()]):  # "50x10,50x9": 10 is a rep count
            head, runs = runs[:1], runs[1:]
        if len(runs) == 2:
            whole, fraction = runs
            decimal = (
                "." not in whole + fraction
                and len(fraction) <= 2
                and not _REPS_AFTER.match(text, match.end())
            )
            if decimal:
                runs = [f"{whole}.{fraction}"]
        return ",".join(head + runs)

    return _CHAIN.sub(fix, text)


def lex(text: str, units: Units) -> list[Token]:
    """The tokens of a cleaned line (SetLogError on a word or sign that means nothing here)."""
    tokens: list[Token] = []
    pos = 0
    while pos < len(text):
        m = _LEXEME.match(text, pos)
        if m is None or m.end() == pos:  # only a lone "." is left unmatched
            bad = text[pos:].split()[0]
            raise SetLogError(f"I couldn't read '{bad}'.", example(units))
        pos = m.end()
        if m["minus"] is not None:
            if m["minus"][1:]:
                raise SetLogError(
                    f"Negative numbers like '{m['minus']}' make no sense here.", example(units)
                )
            raise SetLogError("I don't understand '-' here.", example(units))
        if m["num"] is not None:
            if not _NUMBER.fullmatch(m["num"]):
                raise SetLogError(f"'{m['num']}' is not a number.", example(units))
            tokens.append(("num", m["num"]))
        elif m["word"] is not None:
            word = m["word"]
            pieces = _WORD_PIECES.findall(word)
            if "".join(pieces) != word:
                raise SetLogError(f"I don't know the word '{word}'.", example(units))
            tokens.extend((_WORDS[p], p) for p in pieces)
        elif m["sym"] is not None:
            sym = m["sym"]
            tokens.append(("sep", sym) if sym in ",;" else ("@" if sym == "@" else "+", sym))
        else:
            raise SetLogError(f"I don't understand '{m['other']}'.", example(units))
    return tokens


def unit_of(word: str) -> Units:
    """The unit a unit word names ("kg", "kgs", "lb", "lbs")."""
    return Units.LB if word.startswith("lb") else Units.KG
