"""Inputs that plainly keep their rules are typed without pydantic's model: the result is the model's,
value and type alike, and every other value is the model's to judge — so no input is judged twice
over or differently."""

from __future__ import annotations

import math
from datetime import date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from xltools.capacity import inputs as capacity
from xltools.core.inputs import DOUBTED, InputSpec, InvalidInput, model_for, validate
from xltools.goals import calculations as goals
from xltools.goals import read as goals_read
from xltools.industry import calculations as industry

SPECS: tuple[InputSpec, ...] = (
    *capacity.WORKBOOK_INPUTS,
    capacity.AARSVAERK,
    capacity.SAMTALER_PR_AAR,
    capacity.FREKVENS,
    capacity.FREKVENS_BASIS,
    industry.DATO,
    industry.CVR,
    goals.REAL,
    goals.ANDEL,
    goals.BAGUD_SPEC,
    goals.FORAN_SPEC,
    goals_read.YEAR,
    goals_read.WEIGHT,
    goals_read.UNIT,
    *goals_read.AARSMAAL.values(),
)
"""Every kind of input the tools read: whole, number, percent, year, choice, date, any, blank allowed."""

CELL_VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**20), 10**20),
    st.integers(-3, 3000),
    st.floats(allow_nan=True, allow_infinity=True),
    st.floats(-100, 3000).map(lambda x: round(x, 2)),
    st.sampled_from([0.3, 44.0, 43.5, 330.0, 2026.0, 0.9, 1.0, 1e16, 2958465.0]),
    st.text(max_size=4),
    st.sampled_from([*capacity.SCENARIOS, capacity.SCENARIOS[2].upper(), "antal", "TIMER", " antal", ""]),
    st.dates(),
    st.datetimes(),
)


def _same(fast: object, model: object) -> bool:
    if isinstance(fast, float) and isinstance(model, float) and math.isnan(fast):
        return math.isnan(model)
    return type(fast) is type(model) and fast == model


EDGES = (None, True, 0, -0.0, 0.5, 1.0, 44, 330.0, 2026.0, 2.0**53 - 1, 2.0**53, 2.0**63, 1e300, math.inf, math.nan, "")


@given(st.sampled_from(SPECS), CELL_VALUES)
def test_a_value_typed_without_the_model_is_what_the_model_makes_of_it(spec: InputSpec, value: object) -> None:
    _judged_alike(spec, value)


@pytest.mark.parametrize("spec", SPECS, ids=lambda spec: f"{spec.key}-{spec.kind}")
def test_edge_values_are_typed_as_the_model_types_them(spec: InputSpec) -> None:
    for value in EDGES:
        _judged_alike(spec, value)


def _judged_alike(spec: InputSpec, value: object) -> None:
    try:
        expected = model_for((spec,)).model_validate({spec.key: value}).model_dump()[spec.key]
    except ValidationError:
        with pytest.raises(InvalidInput) as refused:
            validate((spec,), {spec.key: value}, {spec.key: "Ark!B2"})
        assert [problem.where for problem in refused.value.problems] == ["Ark!B2"]
        assert spec.plainly(value) is DOUBTED  # what the model refuses is never passed without it
        return
    assert _same(validate((spec,), {spec.key: value})[spec.key], expected)
    plain = spec.plainly(value)
    assert plain is DOUBTED or _same(plain, expected)


@given(st.dictionaries(st.sampled_from([spec.key for spec in capacity.WORKBOOK_INPUTS]), CELL_VALUES))
def test_a_set_of_inputs_is_judged_as_the_model_judges_it(changed: dict[str, object]) -> None:
    values: dict[str, object] = {
        spec.key: capacity.DEFAULTS[spec.defined_name] for spec in capacity.WORKBOOK_INPUTS if spec.defined_name
    }
    values.update(changed)
    try:
        expected = model_for(capacity.WORKBOOK_INPUTS).model_validate(values).model_dump()
    except ValidationError as error:
        with pytest.raises(InvalidInput) as refused:
            validate(capacity.WORKBOOK_INPUTS, values)
        named = [problem.spec.key for problem in refused.value.problems]
        assert named == list(dict.fromkeys(str(detail["loc"][0]) for detail in error.errors()))
        return
    typed = validate(capacity.WORKBOOK_INPUTS, values)
    assert typed.keys() == expected.keys()
    assert all(_same(typed[key], expected[key]) for key in expected)


def test_plain_values_are_typed_as_the_model_types_them() -> None:
    assert capacity.BORGERE.plainly(330.0) == 330 and type(capacity.BORGERE.plainly(330.0)) is int
    assert type(capacity.UGER.plainly(44)) is float
    assert capacity.SCENARIE.plainly(capacity.SCENARIOS[1].upper()) == capacity.SCENARIOS[1]
    assert industry.DATO.plainly(date(2026, 12, 7)) == 46363.0
    assert industry.DATO.plainly(datetime(2026, 12, 7, 13, 30)) == 46363.0
    assert goals_read.AARSMAAL["antal"].plainly(None) is None
    for doubted in (capacity.BORGERE.plainly(-5.0), capacity.BORGERE.plainly("330"), capacity.ANDEL.plainly(True)):
        assert doubted is DOUBTED


def test_a_missing_input_is_the_models_to_name() -> None:
    with pytest.raises(InvalidInput) as refused:
        validate((capacity.BORGERE, goals_read.AARSMAAL["antal"]), {"borgere": 330.0})
    assert [problem.spec.key for problem in refused.value.problems] == ["aarsmaal"]
