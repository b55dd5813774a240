"""Blocks evaluated for a recalculation: each cell at its block's current place, and an expression two
blocks show evaluated once."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from xltools.core.expr import Expr, Placed, Ref, Value
from xltools.recalc.computation import compute_blocks
from xltools.workbook.layout import Block
from xltools.workbook.refs import Area


@dataclass(frozen=True, eq=False)
class Counted(Expr):
    """``Ref(name)`` that counts its evaluations."""

    name: str
    calls: list[str] = field(default_factory=list)

    def evaluate(self, env: Mapping[str, Value]) -> Value:
        self.calls.append(self.name)
        return env[self.name]

    def _render(self, placed: Placed) -> str:
        return self.name


class Places:
    """The defined names a package would resolve: each block one row lower than built."""

    path = Path("bog.xlsx")

    def __init__(self, blocks: list[Block]) -> None:
        self.areas = {
            block.name: Area(block.sheet, (block.anchor[0] + 1, block.anchor[1]), _last(block)) for block in blocks
        }

    def area(self, name: str) -> Area | None:
        return self.areas.get(name)


def _last(block: Block) -> tuple[int, int]:
    return block.anchor[0] + len(block.exprs), block.anchor[1] + len(block.exprs[0]) - 1


def test_an_expression_shown_by_an_evaluated_block_is_not_evaluated_again() -> None:
    total, other = Counted("total"), Counted("other")
    series = Block("Serie", "Data", (0, 0), ((total,),))
    week = Block("Uge", "Uge 1", (4, 2), ((None, total), (other, Ref("plain"))))
    env: dict[str, Value] = {"total": 7.0, "other": 2.0, "plain": 3.0}
    evaluated = {"Serie": series.values(env)}
    assert total.calls == ["total"]
    done = compute_blocks(Places([series, week]), [series, week], env, evaluated)  # type: ignore[arg-type]
    assert total.calls == ["total"] and other.calls == ["other"]
    assert done.results == {"Serie": [[7.0]], "Uge": [[None, 7.0], [2.0, 3.0]]}
    assert done.values == {("Data", 1, 0): 7.0, ("Uge 1", 5, 3): 7.0, ("Uge 1", 6, 2): 2.0, ("Uge 1", 6, 3): 3.0}


def test_without_evaluated_blocks_every_cell_is_evaluated_where_its_block_stands_now() -> None:
    total = Counted("total")
    one, two = Block("En", "Ark", (0, 0), ((total,),)), Block("To", "Ark", (2, 0), ((total,),))
    done = compute_blocks(Places([one, two]), [one, two], {"total": 1.5})  # type: ignore[arg-type]
    assert total.calls == ["total", "total"]
    assert done.values == {("Ark", 1, 0): 1.5, ("Ark", 3, 0): 1.5}
