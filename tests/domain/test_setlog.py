"""Set logs: every documented form, units, decimal commas, rejections, and exact round trips."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.domain.accounts import Units
from bot.domain.setlog import LoggedSet, SetLogError, parse_line, parse_sets, render_sets
from bot.domain.weights import KG_PER_LB, show_weight, spell_weight, to_grid

KG, LB = Units.KG, Units.LB


def w(reps: int, kg: float | None = None, added: bool = False, top: bool = False) -> LoggedSet:
    return LoggedSet(reps=reps, weight_kg=kg, added=added, max_effort=top)


def lb(value: str) -> float:
    return float(to_grid(Decimal(value), LB))


EXAMPLES = [
    ("4x10 50", [w(10, 50)] * 4),
    ("4x10@50kg", [w(10, 50)] * 4),
    ("4 x 10 @ 50 kg", [w(10, 50)] * 4),
    ("  4   X 10   50  ", [w(10, 50)] * 4),
    ("4\u00d710 50", [w(10, 50)] * 4),
    ("4*10 50", [w(10, 50)] * 4),
    ("4x10 50.", [w(10, 50)] * 4),
    ("10 10 9 8 @ 52.5", [w(10, 52.5), w(10, 52.5), w(9, 52.5), w(8, 52.5)]),
    ("10, 10, 9, 8 @ 52.5 kg", [w(10, 52.5), w(10, 52.5), w(9, 52.5), w(8, 52.5)]),
    ("10,10,9,8 @ 52,5", [w(10, 52.5), w(10, 52.5), w(9, 52.5), w(8, 52.5)]),
    ("10,9 @ 50", [w(10, 50), w(9, 50)]),
    ("50x10, 50x9, 52.5x8", [w(10, 50), w(9, 50), w(8, 52.5)]),
    ("50x10; 50x9; 52.5x8", [w(10, 50), w(9, 50), w(8, 52.5)]),
    ("50x10,50x9,52,5x8", [w(10, 50), w(9, 50), w(8, 52.5)]),
    ("10x10, 10x9", [w(10, 10), w(9, 10)]),  # in a list, A x B is weight x reps
    ("bw x 8", [w(8)]),
    ("bw 8", [w(8)]),
    ("BW x 8", [w(8)]),
    ("3x8 bw", [w(8)] * 3),
    ("8 7 6 bw", [w(8), w(7), w(6)]),
    ("+10 x 6", [w(6, 10, added=True)]),
    ("3x6 +10", [w(6, 10, added=True)] * 3),
    ("max 5", [w(5, top=True)]),
    ("max 5 +10", [w(5, 10, added=True, top=True)]),
    ("max 5 @ 40", [w(5, 40, top=True)]),
    ("3x12 27,5", [w(12, 27.5)] * 3),
    ("12,5 x 10", [w(10, 12.5)]),
    ("3x8", [w(8)] * 3),  # a lone A x B with A <= 10: sets x reps at bodyweight
    ("10x5", [w(5)] * 10),
    ("11x5", [w(5, 11)]),  # A > 10: weight x reps
    ("60x8", [w(8, 60)]),
    ("7.5x12", [w(12, 7.5)]),  # a decimal A is a weight
    ("8 kg x 12", [w(12, 8)]),  # a unit marks A as the weight
    ("8 50 kg", [w(8, 50)]),
    ("50kg 10", [w(10, 50)]),  # the number a unit follows is the weight
    ("50 kg 10 10 9", [w(10, 50), w(10, 50), w(9, 50)]),
    ("4x10 135 lb", [w(10, lb("135"))] * 4),
    ("4x10 135 lbs", [w(10, lb("135"))] * 4),
    ("lb 4x10 135", [w(10, lb("135"))] * 4),
    ("50x10, 50x9 lb", [w(10, lb("50")), w(9, lb("50"))]),  # the line's only unit
    ("50 kg x 10, 100 lb x 8", [w(10, 50), w(8, lb("100"))]),
]


@pytest.mark.parametrize(("text", "expected"), EXAMPLES)
def test_every_documented_form_parses(text: str, expected: list[LoggedSet]) -> None:
    assert parse_sets(text) == expected


def test_the_users_unit_is_the_default_and_a_written_unit_overrides_it() -> None:
    assert parse_sets("4x10 135", LB) == [w(10, lb("135"))] * 4
    assert parse_sets("4x10 60 kg", LB) == [w(10, 60)] * 4
    assert parse_sets("4x10 135 lb", KG) == [w(10, lb("135"))] * 4
    assert parse_sets("3x8 bw", LB) == [w(8)] * 3
    # a line naming two units: parts without one use the user's default
    assert parse_sets("50 kg x 10, 100 lb x 8, 60x5", LB)[-1] == w(5, lb("60"))


def test_weights_sit_on_the_grid_and_lb_converts_exactly() -> None:
    assert parse_sets("bw x 1, 135 lb x 5")[1].weight_kg == 61.23497  # 61.23496995 kg
    assert LoggedSet(reps=1, weight_kg=52.50000001).weight_kg == 52.5
    assert to_grid(Decimal("1102.31"), LB) <= 500 < to_grid(Decimal("1102.32"), LB)


@pytest.mark.parametrize(
    ("weight_kg", "units", "spelled"),
    [
        (52.5, KG, "52.5 kg"),
        (52.5, LB, "52.5 kg"),  # no exact lb spelling: the kg one, with its unit
        (lb("135"), LB, "135 lb"),
        (lb("135"), KG, "135 lb"),
        (lb("2.25"), KG, "2.25 lb"),
        (61.234567, KG, "61.234567 kg"),
        (500, LB, "500 kg"),
    ],
)
def test_weights_are_spelled_exactly(weight_kg: float, units: Units, spelled: str) -> None:
    assert spell_weight(weight_kg, units) == spelled


def test_show_weight_is_for_reading() -> None:
    assert show_weight(52.5) == "52.5 kg"
    assert show_weight(lb("135"), LB) == "135 lb"
    assert show_weight(20, LB) == "44.09 lb"


@pytest.mark.parametrize(
    ("sets", "line"),
    [
        ([w(10, 50)] * 4, "4x10 @ 50 kg"),
        ([w(10, 52.5), w(10, 52.5), w(9, 52.5), w(8, 52.5)], "10, 10, 9, 8 @ 52.5 kg"),
        ([w(10, 50), w(8, 52.5)], "50 kg x 10, 52.5 kg x 8"),
        ([w(8)], "bw x 8"),
        ([w(8), w(7), w(6)], "8, 7, 6 bw"),
        ([w(6, 10, added=True)] * 3, "3x6 +10 kg"),
        ([w(5, top=True)], "max 5"),
        ([w(5, 10, added=True, top=True)], "max 5 +10 kg"),
        (
            [w(10, 50), w(10, 50), w(8), w(5, top=True), w(5, top=True)],
            "2x10 @ 50 kg, bw x 8, max 5, max 5",
        ),
        ([], ""),
    ],
)
def test_render_prefers_compact_forms(sets: list[LoggedSet], line: str) -> None:
    assert render_sets(sets) == line
    if sets:
        assert parse_sets(line) == sets


def test_render_uses_the_users_unit() -> None:
    assert render_sets([w(10, lb("135"))] * 3, LB) == "3x10 @ 135 lb"
    assert render_sets([w(10, 60)] * 3, LB) == "3x10 @ 60 kg"


REJECTIONS = [
    ("", "no sets"),
    ("   ", "no sets"),
    (".", "no sets"),
    ("hello", "'hello'"),
    ("4x10 50 reps", "'reps'"),
    ("4x10 50 #", "'#'"),
    ("-5x10", "'-5'"),
    ("4x10 -50", "'-50'"),
    ("4x10 @ 50 - 60", "'-'"),
    ("0x10 50", "'0' sets"),
    ("4x0 50", "'0' reps"),
    ("bw x 0", "'0' reps"),
    ("4x101 50", "'101' reps"),
    ("max 150", "'150' reps"),
    ("4x10.5 50", "'10.5' reps"),
    ("4x10 501", "'501 kg'"),
    ("4x10 1103 lb", "'1103 lb'"),
    ("4x10 0", "'0 kg'"),
    ("+0 x 6", "'0 kg'"),
    ("21x10 50", "'21' sets"),
    ("5x10 50, 5x10 50, 5x10 50, 5x10 50, 5x10 50", "more than 20 sets"),
    (" ".join(["10"] * 21) + " @ 50", "21 sets"),
    ("10 9 8", "no weight"),
    ("10 9 8 50", "no weight"),
    ("bw x 8 kg", "names a unit but no weight"),
    ("8 kg", "weight but no reps"),
    ("kg 8 50", "put '@' before the weight"),
    ("50 kg x 10 lb", "two units"),
    ("4x10 @", "'@' needs a weight"),
    ("3x6 +", "'+' needs a weight"),
    ("1.2.3x4", "'1.2.3'"),
    ("4x10 50.1234567", "decimals"),
    ("4x10 50 rpe 11", "RPE '11'"),
    ("4x10 50 rpe 7.3", "half steps"),
    ("4x10 50 rir 11", "more than 10"),
    ("4x10 50 rpe", "'rpe' needs a number"),
    ("4x10x50x2", "'x 50 x 2'"),
    ("4x10 50 60", "'60'"),
    ("x" * 1001, "too long"),
]


@pytest.mark.parametrize(("text", "fragment"), REJECTIONS)
def test_rejections_name_the_problem_and_give_an_example(text: str, fragment: str) -> None:
    with pytest.raises(SetLogError) as caught:
        parse_sets(text)
    error = caught.value
    assert fragment in error.problem
    assert parse_sets(error.example), "the example itself must be a valid line"
    assert error.problem in str(error) and error.example in str(error)


def test_examples_follow_the_users_unit() -> None:
    with pytest.raises(SetLogError) as caught:
        parse_sets("hello", LB)
    assert "lb" in caught.value.example


def test_a_logged_set_checks_its_own_limits() -> None:
    for bad in (
        {"reps": 0},
        {"reps": 101},
        {"reps": 5, "weight_kg": 0},
        {"reps": 5, "weight_kg": 500.01},
        {"reps": 5, "added": True},
    ):
        with pytest.raises(ValueError):
            LoggedSet.model_validate(bad)


# --- properties ----------------------------------------------------------------------------


def _decimal_weight(max_value: str) -> st.SearchStrategy[Decimal]:
    return st.decimals(min_value=Decimal("0.01"), max_value=Decimal(max_value), places=2)


weights_kg = st.one_of(
    _decimal_weight("500").map(lambda d: float(to_grid(d, KG))),  # typed in kg
    _decimal_weight("1102.31").map(lambda d: float(to_grid(d, LB))),  # typed in lb
    st.floats(min_value=0.000001, max_value=500),  # anything a set may hold
)


@st.composite
def logged_sets(draw: st.DrawFn) -> LoggedSet:
    reps = draw(st.integers(1, 100))
    kind = draw(st.sampled_from(["bw", "added", "weighted"]))
    weight = None if kind == "bw" else draw(weights_kg)
    return LoggedSet(
        reps=reps, weight_kg=weight, added=kind == "added", max_effort=draw(st.booleans())
    )


def _with_repeats(sets: list[LoggedSet]) -> list[LoggedSet]:
    """Repeat neighbours so the compact forms (NxR, shared weight) are exercised too."""
    return sets + [sets[-1]] * (len(sets) % 3)


@settings(deadline=None, max_examples=300)
@given(st.lists(logged_sets(), min_size=1, max_size=8).map(_with_repeats))
def test_render_then_parse_is_exact_in_both_units(sets: list[LoggedSet]) -> None:
    for units in (KG, LB):
        assert parse_sets(render_sets(sets, units), units) == sets


LIFTERS_FORMS = [
    ("7", [w(7)], False),
    ("7 reps", [w(7)], False),
    ("1 rep", [w(1)], False),
    ("4x10x50", [w(10, 50)] * 4, True),
    ("4 x 10 x 52,5", [w(10, 52.5)] * 4, True),
    ("50kg 4x10", [w(10, 50)] * 4, True),
    ("50 kg 4 x 10", [w(10, 50)] * 4, True),
    ("4 sets of 10 at 25", [w(10, 25)] * 4, True),
    ("3 sets of 8 reps at 60 kg", [w(8, 60)] * 3, True),
    ("4 sets of 10", [w(10)] * 4, False),
    ("3x10 50 @8", [LoggedSet(reps=10, weight_kg=50, rpe=8)] * 3, True),
    ("3x10 50 rpe 8.5", [LoggedSet(reps=10, weight_kg=50, rpe=8.5)] * 3, True),
    ("3x10 50 rir 2", [LoggedSet(reps=10, weight_kg=50, rir=2)] * 3, True),
    ("3x10 bw", [w(10)] * 3, True),
    ("3x10", [w(10)] * 3, False),  # no load named: the caller asks for one on a loaded lift
    ("max 5", [w(5, top=True)], False),
    ("bw x 8", [w(8)], True),
]


@pytest.mark.parametrize(("text", "expected", "weighed"), LIFTERS_FORMS)
def test_the_forms_lifters_type(text: str, expected: list[LoggedSet], weighed: bool) -> None:
    line = parse_line(text)
    assert line.sets == expected
    assert line.weighed is weighed


def test_effort_is_kept_with_each_set_and_rendered_back() -> None:
    sets = parse_sets("10 10 9 @ 50 rpe 8.5 rir 1")
    assert {(s.rpe, s.rir) for s in sets} == {(8.5, 1)}
    assert render_sets(sets) == "10, 10, 9 @ 50 kg rpe 8.5 rir 1"


@settings(deadline=None, max_examples=200)
@given(
    st.lists(logged_sets(), min_size=1, max_size=6),
    st.one_of(st.none(), st.integers(2, 20).map(lambda h: h / 2)),
    st.one_of(st.none(), st.integers(0, 10)),
)
def test_sets_with_effort_round_trip(
    sets: list[LoggedSet], rpe: float | None, rir: int | None
) -> None:
    sets = [s.model_copy(update={"rpe": rpe, "rir": rir}) for s in sets]
    for units in (KG, LB):
        assert parse_sets(render_sets(sets, units), units) == sets


@settings(deadline=None, max_examples=200)
@given(
    st.lists(st.integers(1, 100), min_size=1, max_size=12),
    st.one_of(st.none(), weights_kg),
    st.booleans(),
)
def test_a_shared_weight_round_trips(reps: list[int], weight: float | None, added: bool) -> None:
    sets = [LoggedSet(reps=r, weight_kg=weight, added=added and weight is not None) for r in reps]
    for units in (KG, LB):
        assert parse_sets(render_sets(sets, units), units) == sets


def test_the_longest_twenty_sets_still_fit_in_one_line() -> None:
    sets = [
        LoggedSet(reps=100 - i, weight_kg=100.015625 + i, added=i % 2 == 0, max_effort=i % 3 == 0)
        for i in range(20)
    ]
    for units in (KG, LB):
        assert parse_sets(render_sets(sets, units), units) == sets


def _parses_or_explains(text: str) -> None:
    try:
        sets = parse_sets(text)
    except SetLogError as e:
        assert e.problem and e.example
        return
    assert 1 <= len(sets) <= 20
    assert all(isinstance(s, LoggedSet) for s in sets)


@settings(deadline=None, max_examples=500)
@given(st.text(max_size=60))
def test_any_text_parses_or_raises_set_log_error(text: str) -> None:
    _parses_or_explains(text)


PIECES = [
    *("4", "10", "0", "21", "101", "52.5", "27,5", "1,250", ".5", "500", "1103"),
    *("x", "X", "\u00d7", "*", "@", ",", ";", "+", "-", " ", "  ", "."),
    *("kg", "lb", "lbs", "bw", "max", "rpe", "rir", "reps", "sets of", "at"),
]


@settings(deadline=None, max_examples=1000)
@given(st.lists(st.sampled_from(PIECES), max_size=14).map("".join))
def test_grammar_like_text_parses_or_raises_set_log_error(text: str) -> None:
    _parses_or_explains(text)


def test_kg_per_lb_is_the_international_pound() -> None:
    assert Decimal("0.45359237") == KG_PER_LB


@settings(deadline=None, max_examples=500)
@given(st.lists(st.sampled_from(PIECES), max_size=14).map("".join))
def test_a_line_without_a_load_is_never_passed_off_as_weighed(text: str) -> None:
    try:
        line = parse_line(text)
    except SetLogError:
        return
    if not line.weighed:
        assert any(s.weight_kg is None for s in line.sets), (
            "an unweighed line has a set to ask about"
        )
    assert line.sets == parse_sets(text)
