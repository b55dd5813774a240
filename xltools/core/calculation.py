"""A calculation: an expression over named parameters, with the metadata its UDF is made from."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property

from xltools.core.expr import Expr, Ref, Value
from xltools.core.inputs import InputSpec, validate


@dataclass(frozen=True)
class Parameter:
    """A calculation argument: its input rule and, when optional, its default."""

    spec: InputSpec
    default: float | None = None
    default_factory: Callable[[], object] | None = None
    """For defaults known only at call time (today's date); such an argument may also be None."""

    @property
    def name(self) -> str:
        return self.spec.key

    @property
    def optional(self) -> bool:
        return self.default is not None or self.default_factory is not None


@dataclass(frozen=True)
class Calculation:
    """One calculation, defined once: evaluated in Python, exposed as a UDF, rendered as a formula.

    ``function`` builds the expression tree from its arguments: called with ``Ref`` nodes of the
    parameters it gives the UDF's expression; the workbook calls it with its own references.
    """

    name: str
    doc: str
    parameters: tuple[Parameter, ...]
    function: Callable[..., Expr]

    @cached_property
    def expr(self) -> Expr:
        return self.function(*(Ref(parameter.name) for parameter in self.parameters))

    @cached_property
    def _specs(self) -> tuple[InputSpec, ...]:
        return tuple(parameter.spec for parameter in self.parameters)

    def arguments(self, *args: object, **kwargs: object) -> dict[str, object]:
        """Arguments bound to parameter names; omitted optionals take their defaults.

        An explicit None (an empty cell) is not "omitted": it is reported as a broken rule.
        """
        if len(args) > len(self.parameters):
            raise TypeError(f"{self.name} takes at most {len(self.parameters)} arguments")
        bound: dict[str, object] = dict(zip((p.name for p in self.parameters), args, strict=False))
        bound.update(kwargs)
        for parameter in self.parameters:
            if parameter.default_factory is not None and bound.get(parameter.name) is None:
                bound[parameter.name] = parameter.default_factory()
            elif parameter.name not in bound and parameter.optional:
                bound[parameter.name] = parameter.default
        return bound

    def __call__(self, *args: object, **kwargs: object) -> Value:
        """The value for validated arguments; raises InvalidInput naming each bad argument."""
        bound = self.arguments(*args, **kwargs)
        values = validate(self._specs, bound, where={p.name: p.name for p in self.parameters})
        return self.expr.evaluate(values)
