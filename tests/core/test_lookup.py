"""Lookups by id, text by formula, comparisons summed, rule breaches counted: rendered and evaluated."""

import numpy as np
import pytest

from xltools.core.expr import Const, Ref
from xltools.core.logic import SumProduct, compare
from xltools.core.lookup import IfError, Index, Match, NotAvailable
from xltools.core.rules import CountFailing, NumberBetween
from xltools.core.strings import Concat, Hyperlink

IDS = np.array(["E1", "E2", None, "e4"], dtype=object)
NAMES = np.array(["Anne", None, "", "Bo"], dtype=object)
ENV = {"ids": IDS, "names": NAMES, "key": "E4", "blank": None, "n": 5.0}


def test_a_name_is_looked_up_by_id_and_a_missing_id_falls_back() -> None:
    name = IfError(Concat((Index(Ref("names"), Match(Ref("key"), Ref("ids"))), Const(""))), Const("(fjernet)"))
    assert name.render() == 'IFERROR(INDEX(names,MATCH(key,ids,0))&"","(fjernet)")'
    assert name.evaluate(ENV) == "Bo"  # MATCH compares case-insensitively
    assert name.evaluate({**ENV, "key": "E2"}) == ""  # a blank name shows as empty text, not 0
    assert name.evaluate({**ENV, "key": "E9"}) == "(fjernet)"
    assert name.evaluate({**ENV, "key": None}) == "(fjernet)"  # a blank key matches no blank cell


def test_match_and_index_raise_where_a_spreadsheet_gives_an_error() -> None:
    with pytest.raises(NotAvailable):
        Match(Ref("key"), Ref("ids")).evaluate({**ENV, "key": "E3"})
    with pytest.raises(NotAvailable):
        Index(Ref("names"), Const(5.0)).evaluate(ENV)
    assert Index(Ref("names"), Const(2.0)).evaluate(ENV) is None
    assert compare("=", Index(Ref("names"), Const(3.0)), "").evaluate(ENV)


def test_concat_shows_numbers_as_general_and_wraps_comparisons() -> None:
    text = Concat((Const("uge "), Ref("n"), compare("=", Ref("n"), 5.0)))
    assert text.render() == '"uge "&n&(n=5)'
    assert text.evaluate(ENV) == "uge 5TRUE"
    assert Concat((Const(""), Const(2.5))).evaluate({}) == "2.5"


def test_hyperlink_shows_its_label() -> None:
    link = Hyperlink(Concat((Const("#'Uge "), Ref("n"), Const("'!A1"))), Concat((Const("uge "), Ref("n"))))
    assert link.render() == 'HYPERLINK("#\'Uge "&n&"\'!A1","uge "&n)'
    assert link.evaluate(ENV) == "uge 5"


def test_sumproduct_compares_with_equals_and_ignores_text_in_values() -> None:
    env = {
        "section": np.array(["Salg*", "salg*", "Salg", None], dtype=object),
        "week": np.array([1.0, 2.0, 3.0, np.nan]),
        "real": np.array([2.0, "tre", 5.0, 7.0], dtype=object),
        "label": "SALG*",
    }
    total = SumProduct((compare("=", Ref("section"), Ref("label")), compare("<=", Ref("week"), 2.0)), Ref("real"))
    assert total.render() == "SUMPRODUCT(--(section=label),--(week<=2),real)"
    assert total.evaluate(env) == 2.0  # "*" is a character here, not a wildcard; text counts as 0
    assert SumProduct((compare("<>", Ref("section"), ""),)).evaluate(env) == 3.0


@pytest.mark.parametrize(("decimals", "failing"), [(0, 5), (1, 4)])
def test_count_failing_judges_filled_cells_by_the_rule(decimals: int, failing: int) -> None:
    rule = NumberBetween(Ref("x"), low=0, decimals=decimals, no_logical=True)
    cells = np.array([[3.0, -3.0, 2.5, None], ["tre", True, "", 0.25]], dtype=object)
    count = CountFailing(((rule, Ref("area", "A1:D2")),))
    assert count.array_formula
    assert count.evaluate({"area": cells}) == failing  # -3, "tre", TRUE, 0.25, and 2.5 for whole numbers
    inner = "IF(ISNUMBER(A1:D2),IF(NOT(ISLOGICAL(A1:D2)),IF(A1:D2=INT(A1:D2),IF(A1:D2>=0,0,1),1),1),1)"
    if decimals == 0:
        assert count.render() == f'SUM(IF(A1:D2="",0,{inner}))'
    assert rule.formula("E8").startswith("=AND(ISNUMBER(E8),NOT(ISLOGICAL(E8)),")
    two = CountFailing(((rule, Ref("area", "A1:D2")), (rule, Ref("more", "A5:A6"))))
    assert two.evaluate({"area": cells, "more": np.array([-1.0, None], dtype=object)}) == failing + 1
    assert two.render().count("SUM(IF(") == 2


def test_count_failing_is_counted_once_per_area_and_rule() -> None:
    """The Data row and the week's warning count the same area: the second count is the first's, and a
    count by another rule over the same cells is its own."""
    cells = np.array([[3.0, -3.0, 2.5, None], ["tre", True, "", 0.25]], dtype=object)
    whole, one_decimal = (NumberBetween(Ref("x"), low=0, decimals=d, no_logical=True) for d in (0, 1))
    env = {"area": cells}
    for _ in range(2):
        assert CountFailing(((whole, Ref("area")),)).evaluate(env) == 5
        assert CountFailing(((one_decimal, Ref("area")),)).evaluate(env) == 4
    with pytest.raises(ValueError, match="fixed bounds"):
        CountFailing(((NumberBetween(Ref("x"), high=Ref("places")), Ref("area")),))


def test_number_between_renders_as_before_without_no_logical() -> None:
    assert NumberBetween(Ref("x"), low=0, decimals=0).formula("B2") == "=AND(ISNUMBER(B2),B2=INT(B2),B2>=0)"
