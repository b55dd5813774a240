import pytest

from xltools.core.expr import Cell, Const, Labels, Ref, Select, render_literal, substitute
from xltools.core.logic import Compare, Criterion, If, SumIfs
from xltools.workbook.layout import Block

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


def test_substitute_replaces_the_very_objects_named_and_keeps_the_rest() -> None:
    part = a * b
    total = If(Compare(">", part, Const(0.0)), part + c, SumIfs(part, (Criterion(a, part),)))
    replaced = substitute(total, {id(part): Ref("cell")}, {})
    assert replaced == If(
        Compare(">", Ref("cell"), Const(0.0)), Ref("cell") + c, SumIfs(Ref("cell"), (Criterion(a, Ref("cell")),))
    )
    equal_but_not_the_same = a * b
    assert substitute(total, {id(equal_but_not_the_same): Ref("cell")}, {}) is total
    assert replaced.render() == "IF(cell>0,cell+c,SUMIFS(cell,a,cell))"


class _Counted(Ref):
    """A Ref that counts how often it is evaluated."""

    evaluations = 0

    def evaluate(self, env):  # type: ignore[no-untyped-def]
        _Counted.evaluations += 1
        return super().evaluate(env)


def test_a_running_total_reads_the_cell_before_it_so_a_chain_costs_one_evaluation_per_cell() -> None:
    weeks = 40
    running = [_Counted("uge|0")]
    for week in range(1, weeks):
        running.append(running[-1] + _Counted(f"uge|{week}"))
    exprs = (tuple(running), tuple(Const(2.0) * r for r in running))
    block = Block("Kumuleret", "Data", (0, 1), exprs, chained=True)
    env = {f"uge|{week}": float(week) for week in range(weeks)}
    _Counted.evaluations = 0
    values = block.values(env)
    # each week's input once; the first week's twice more, as the sheet names an input rather than the
    # cell that shows it (the second cell and the second row's first read it): linear, not 40²/2
    assert _Counted.evaluations == weeks + 2
    assert values[0] == [week * (week + 1) / 2 for week in range(weeks)]
    assert values[1] == [week * (week + 1) for week in range(weeks)]
    assert values == [[expr.evaluate(env) for expr in row] for row in block.exprs]  # as a cell alone gives it
    assert "Kumuleret|celle|0|0" not in env  # the caller's inputs are left as they were
