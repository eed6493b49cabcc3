"""Parse what a user types in the gym into sets (setrender.py writes them back as one line).

Weights are kept and spelled as bot/domain/setrender.py describes.

Grammar. A line is one or more parts separated by "," or ";". A part is one of
    S x R [W]    S sets of R reps at W        "4x10 50", "4x10@50kg", "3x8 bw", "3x6 +10"
    A x R        one set of R reps at A       "52.5 kg x 8", "bw x 8", "+10 x 6"
    R R ... W    one set per rep count        "10 10 9 8 @ 52.5", "8 7 6 bw"
    bw R         one bodyweight set           "bw 8"
    max R [W]    one all-out set              "max 5", "max 5 +10"
    W S x R      S sets of R reps at W        "50kg 4x10" (W names its unit)
    R            one set of R reps, no weight "7", "7 reps"
where W is "[@] weight [unit]", "[@] bw" or "[@] +weight [unit]" (+ means added to
bodyweight). Any part may end with how hard it was: "rpe 8" (or "@ 8" right after the weight,
"@8"), "rir 2", or both; it is kept with each set of the part. Lifters' spellings are
rewritten first: "4 sets of 10 at 25" reads as "4x10 @ 25", "4x10x50" as "4x10 @ 50", and
"7 reps" as "7". A part that is a lone rep count joins the next part, so "10, 10, 9, 8 @ 52.5"
reads as "10 10 9 8 @ 52.5". The times sign is x, X, * or the multiplication sign; spaces
are free; trailing periods are ignored. A unit word (kg, kgs, lb, lbs) belongs to its part; a
part without one uses the line's unit if the line names exactly one unit, else the user's
default.

Which "A x B" is which, decided in this order:
    1. followed by a weight ("4x10 50", "3x8 bw"): A sets of B reps at that weight;
    2. A has a decimal point, its part names a unit, or the line has several parts
       ("52.5x8", "50x10 kg", "50x10, 50x9"): one set of B reps at A;
    3. a lone "A x B" ("3x8", "60x8"): A sets of B reps at bodyweight if A <= 10, else one set
       of B reps at A.
A part with no weight clause at all ("3x8", "7", "max 5") is read as bodyweight, and
`ParsedLine.weighed` is False so that a caller logging a loaded exercise asks for the weight
instead of storing bodyweight. A rep list of several numbers must mark its weight: "@ 52.5",
"bw", "+10", or a unit word right after it, first or last ("50 kg 10 10 9", "10 10 9 50 kg");
"10 9 8 50" is refused rather than guessed.

Decimal commas are read as bot/domain/setlex.py describes.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import NamedTuple

from pydantic import ValidationError

from bot.domain.accounts import Units
from bot.domain.logged import MAX_DECIMALS, MAX_REPS, MAX_SETS, MAX_WEIGHT_KG, LoggedSet
from bot.domain.logged import MAX_RIR as MAX_RIR
from bot.domain.logged import MAX_RPE as MAX_RPE
from bot.domain.setlex import Kind, Token, decimal_commas, example, lex, spellings, unit_of
from bot.domain.setlex import SetLogError as SetLogError
from bot.domain.setrender import render_sets as render_sets
from bot.domain.weights import to_grid

__all__ = ["MAX_REPS", "MAX_SETS", "MAX_WEIGHT_KG", "LoggedSet"]

MAX_TEXT = 1000  # room for 20 sets of the longest kind


class ParsedLine(NamedTuple):
    """The sets of a line, and whether every part named its load (False: "3x8", "7")."""

    sets: list[LoggedSet]
    weighed: bool


# --- parsing -------------------------------------------------------------------------------


class _Part:
    """A reader over the tokens of one part of the line."""

    def __init__(self, piece: _Piece, unit: Units, in_list: bool) -> None:
        self.tokens = piece.tokens
        self.pos = 0
        self.unit = unit
        self.marked = piece.unit is not None  # the part names a unit
        self.marks = piece.marks
        self.in_list = in_list
        self.weighed = False  # a weight was read (a unit with no weight is an error)
        self.assumed = False  # no load clause at all: bodyweight is a guess
        self.loaded = False  # a load clause (weight, bw or +) was read
        self.rpe: float | None = None
        self.rir: int | None = None

    def text(self, tokens: list[Token] | None = None) -> str:
        return " ".join(t for _, t in (self.tokens if tokens is None else tokens))

    def peek(self, kind: Kind, ahead: int = 0) -> bool:
        i = self.pos + ahead
        return i < len(self.tokens) and self.tokens[i][0] == kind

    def take(self) -> str:
        word = self.tokens[self.pos][1]
        self.pos += 1
        return word

    def skip(self, kind: Kind) -> bool:
        if self.peek(kind):
            self.pos += 1
            return True
        return False

    def fail(self, problem: str, what: str = "sets") -> SetLogError:
        return SetLogError(problem, example(self.unit, what))

    def whole(self, word: str, what: str, low: int, high: int) -> int:
        if "." in word:
            raise self.fail(f"'{word}' {what}: {what} are whole numbers.")
        value = int(word)
        if value < low:
            raise self.fail(f"'{word}' {what}: a set needs at least {low}.")
        if value > high:
            raise self.fail(f"'{word}' {what} is more than {high}.")
        return value

    def reps(self) -> int:
        if not self.peek("num"):
            raise self.fail(f"I expected a number of reps in '{self.text()}'.")
        return self.whole(self.take(), "reps", 1, MAX_REPS)

    def weight(self, word: str) -> float:
        value = Decimal(word)
        shown = f"{word} {self.unit.value}"
        if value == 0:
            raise self.fail(f"A weight of '{shown}': leave it out or write 'bw'.", "bw")
        exponent = value.as_tuple().exponent
        if isinstance(exponent, int) and -exponent > MAX_DECIMALS:
            raise self.fail(f"'{word}' has more than {MAX_DECIMALS} decimals.")
        kg = to_grid(value, self.unit)
        if kg > MAX_WEIGHT_KG or kg == 0:
            raise self.fail(f"'{shown}' is outside 0 to {MAX_WEIGHT_KG} kg.")
        self.weighed = True
        return float(kg)

    def load(self, bare_ok: bool) -> tuple[bool, float | None] | None:
        """A weight clause: (added, kg); (False, None) is bodyweight; None: there is none."""
        at = self.skip("@")
        self.loaded = True
        if self.skip("bw"):
            return (False, None)
        if self.skip("+"):
            if not self.peek("num"):
                raise self.fail(f"'+' needs a weight after it in '{self.text()}'.", "added")
            return (True, self.weight(self.take()))
        if self.peek("num") and (at or bare_ok):
            return (False, self.weight(self.take()))
        if at:
            raise self.fail(f"'@' needs a weight after it in '{self.text()}'.")
        self.loaded = False
        return None

    def effort(self) -> None:
        """An optional 'rpe 8' / '@ 8' (after a load) / 'rir 2', in any order."""
        while True:
            if self.peek("rpe") or (self.loaded and self.peek("@") and self.peek("num", 1)):
                word = self.take()
                if not self.peek("num"):
                    raise self.fail(f"'{word}' needs a number after it, e.g. 'rpe 8'.")
                value = Decimal(self.take())
                if not 1 <= value <= MAX_RPE or value * 2 != int(value * 2):
                    raise self.fail(f"RPE '{value}': it goes from 1 to {MAX_RPE} in half steps.")
                self.rpe = float(value)
            elif self.peek("rir"):
                self.take()
                if not self.peek("num"):
                    raise self.fail("'rir' needs a number after it, e.g. 'rir 2'.")
                self.rir = self.whole(self.take(), "reps in reserve", 0, MAX_RIR)
            else:
                return

    def rest(self) -> None:
        if self.pos < len(self.tokens):
            rest = self.text(self.tokens[self.pos :])
            raise self.fail(f"I couldn't read '{rest}' in '{self.text()}'.")

    def sets(self) -> list[LoggedSet]:
        """Read the whole part (forms in the module docstring)."""
        found = self.form()
        self.effort()
        self.rest()
        if self.marked and not self.weighed:
            raise self.fail(f"'{self.text()}' names a unit but no weight.")
        if self.rpe is not None or self.rir is not None:
            found = [s.model_copy(update={"rpe": self.rpe, "rir": self.rir}) for s in found]
        return found

    def form(self) -> list[LoggedSet]:
        if self.skip("max"):
            self.skip("x")
            reps = self.reps()
            load = self.load(bare_ok=True)
            self.assumed = load is None
            added, kg = load or (False, None)
            return [_make(reps, kg, added, True)]
        if self.skip("bw"):
            self.skip("x")
            return [_make(self.reps(), None, False, False)]
        if self.skip("+"):
            if not self.peek("num"):
                raise self.fail(f"'+' needs a weight after it in '{self.text()}'.", "added")
            kg = self.weight(self.take())
            self.skip("x")
            return [_make(self.reps(), kg, True, False)]
        if not self.peek("num"):
            raise self.fail(f"I couldn't read '{self.text()}'.")
        if self.pos in self.marks and self.peek("num", 1) and self.peek("x", 2):
            return self.weight_first()
        if self.peek("x", 1):
            return self.times()
        return self.rep_list()

    def weight_first(self) -> list[LoggedSet]:
        """'50kg 4x10': the weight with its unit, then sets x reps."""
        kg = self.weight(self.take())
        count = self.whole(self.take(), "sets", 1, MAX_SETS)
        self.take()
        reps = self.reps()
        self.loaded = True
        return [_make(reps, kg, False, False)] * count

    def times(self) -> list[LoggedSet]:
        first = self.take()
        self.take()
        reps = self.reps()
        load = self.load(bare_ok=True)
        self.effort()
        self.rest()
        if load is not None:
            count = self.whole(first, "sets", 1, MAX_SETS)
            return [_make(reps, load[1], load[0], False)] * count
        if "." in first or self.marked or self.in_list or int(first) > 10:
            return [_make(reps, self.weight(first), False, False)]
        count = self.whole(first, "sets", 1, MAX_SETS)
        self.assumed = True
        return [_make(reps, None, False, False)] * count

    def rep_list(self) -> list[LoggedSet]:
        start = self.pos
        words: list[str] = []
        while self.peek("num"):
            words.append(self.take())
        load = self.load(bare_ok=False)
        self.effort()
        self.rest()
        if load is None and self.marked:
            load = self.marked_weight(words, start)
        if load is None and len(words) == 1:  # "7": one set, its load left to the caller
            self.assumed = True
            load = (False, None)
        if load is None:
            what = "bw" if len(words) > 1 else "reps"
            raise self.fail(
                f"'{self.text()}' has no weight: add '@' and the weight, or 'bw'.", what
            )
        if len(words) > MAX_SETS:
            raise self.fail(f"That is {len(words)} sets; at most {MAX_SETS} fit in one line.")
        return [_make(self.whole(w, "reps", 1, MAX_REPS), load[1], load[0], False) for w in words]

    def marked_weight(self, words: list[str], start: int) -> tuple[bool, float | None]:
        """In "50 kg 10 10 9" or "10 10 9 50 kg", the number the unit follows is the weight."""
        shown = f"'{self.text()}' ({self.unit.value})"
        if len(words) < 2:
            raise self.fail(f"{shown} has a weight but no reps.")
        if start in self.marks:
            return (False, self.weight(words.pop(0)))
        if start + len(words) - 1 in self.marks:
            return (False, self.weight(words.pop()))
        raise self.fail(f"In {shown}, put '@' before the weight.")


def _make(reps: int, kg: float | None, added: bool, max_effort: bool) -> LoggedSet:
    return LoggedSet(reps=reps, weight_kg=kg, added=added, max_effort=max_effort)


class _Piece(NamedTuple):
    tokens: list[Token]  # without the unit words
    unit: Units | None  # the unit the part names
    marks: frozenset[int]  # positions of the numbers a unit word follows


def _split(tokens: list[Token], units: Units) -> list[_Piece]:
    """Parts of the line with their own unit; lone rep counts joined to the next part."""
    parts: list[_Piece] = []
    pending: list[Token] = []
    current: list[Token] = []
    for token in [*tokens, ("sep", ",")]:
        if token[0] != "sep":
            current.append(token)
            continue
        if not current:
            continue
        words = {unit_of(t) for k, t in current if k == "unit"}
        if len(words) > 1:
            raise SetLogError(
                f"'{' '.join(t for _, t in current)}' names two units.", example(units)
            )
        bare: list[Token] = [*pending]
        marks: set[int] = set()
        for kind, word in current:
            if kind != "unit":
                bare.append((kind, word))
            elif bare and bare[-1][0] == "num":
                marks.add(len(bare) - 1)
        if not words and len(bare) == len(pending) + 1 and _is_count(bare[-1]):
            pending = bare
        else:
            parts.append(_Piece(bare, words.pop() if words else None, frozenset(marks)))
            pending = []
        current = []
    if pending:
        parts.append(_Piece(pending, None, frozenset()))
    return parts


def _is_count(token: Token) -> bool:
    return token[0] == "num" and "." not in token[1]


def parse_sets(text: str, units: Units = Units.KG) -> list[LoggedSet]:
    """The sets in a line like "4x10 @ 50", "10 10 9 8 @ 52.5", "bw x 8" or "max 5 +10"."""
    return parse_line(text, units).sets


def parse_line(text: str, units: Units = Units.KG) -> ParsedLine:
    """The sets in a line, and whether every part named its load."""
    cleaned = re.sub(r"[\s.]+$", "", text.strip().lower().replace("\u00d7", "x").replace("*", "x"))
    if not cleaned:
        raise SetLogError("The message has no sets in it.", example(units))
    if len(cleaned) > MAX_TEXT:
        raise SetLogError(f"That line is too long (over {MAX_TEXT} characters).", example(units))
    tokens = lex(decimal_commas(spellings(cleaned)), units)
    parts = _split(tokens, units)
    if not parts:
        raise SetLogError("The message has no sets in it.", example(units))
    named = {p.unit for p in parts if p.unit is not None}
    line_unit = named.pop() if len(named) == 1 else units
    sets: list[LoggedSet] = []
    weighed = True
    for piece in parts:
        reader = _Part(piece, piece.unit or line_unit, len(parts) > 1)
        try:
            sets.extend(reader.sets())
            weighed = weighed and not reader.assumed
        except ValidationError as e:  # a safety net: every limit is checked above
            raise reader.fail(f"I couldn't read '{reader.text()}'.") from e
        if len(sets) > MAX_SETS:
            raise SetLogError(
                f"That is more than {MAX_SETS} sets; log at most {MAX_SETS} in one line.",
                example(units),
            )
    return ParsedLine(sets, weighed)
