import pytest

from xltools.core.expr import Cell, Const, Labels, Ref, Select, render_literal

a, b, c = Ref("a"), Ref("b"), Ref("c")
ENV = {"a": 8.0, "b": 4.0, "c": 2.0}


@pytest.mark.parametrize(
    ("expr", "text", "value"),
    [
        (a + b * c, "a+b*c", 16.0),
        ((a + b) * c, "(a+b)*c", 24.0),
        (a - (b - c), "a-(b-c)", 6.0),
        ((a - b) - c, "a-b-c", 2.0),
        (a / (b * c), "a/(b*c)", 1.0),
        (a / b / c, "a/b/c", 1.0),
        (1 - a / b, "1-a/b", -1.0),
        (a * 0.25, "a*0.25", 2.0),
    ],
)
def test_render_respects_excel_precedence(expr, text: str, value: float) -> None:
    assert expr.render() == text
    assert expr.evaluate(ENV) == value


def test_placed_subexpressions_render_as_cell_references() -> None:
    part = a * b
    total = part + Cell("B2", 3.0)
    assert total.render({part: "C5"}) == "C5+B2"
    assert total.evaluate(ENV) == 35.0


def test_literals_are_quoted_and_escaped() -> None:
    assert render_literal('Si "hej"') == '"Si ""hej"""'
    assert render_literal(3.0) == "3"
    assert render_literal(0.3) == "0.3"
    assert Const("x").render() == '"x"'


def test_select_matches_labels_case_insensitively_like_match() -> None:
    choice = Select(Ref("k"), Labels(("Første", "Anden")), (Const(1.0), a))
    assert choice.evaluate({"k": "anden", **ENV}) == 8.0
    assert choice.render() == 'CHOOSE(MATCH(k,{"Første","Anden"},0),1,a)'
    in_cells = Select(Ref("k"), Labels(("Første", "Anden"), "$A$1:$A$2"), (Const(1.0), a))
    assert in_cells.render() == "CHOOSE(MATCH(k,$A$1:$A$2,0),1,a)"
    with pytest.raises(KeyError):
        choice.evaluate({"k": "tredje"})
