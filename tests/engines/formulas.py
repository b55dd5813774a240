"""Formula text as the .xlsx file stores it, taken apart mechanically: tokens, references, areas, shifts.

The engine harness must know, without a hand-kept list, which functions a formula calls, which cells and
defined names it reads, and how its relative references move when the formula is copied to another cell
(shared formulas, data-validation formulas). A small tokenizer does that for the OOXML formula grammar
(English function names, ``,`` between arguments, ``_xlfn.`` prefixes, ``'quoted sheet'!`` names,
structured table references). It keeps every character, so ``"".join(token.text for token in tokens)``
gives the formula back and a rewrite only replaces the tokens it means to.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace

from tests.hostile.ooxml import column_letters, column_number, quoted

MAX_ROW = 1_048_576
MAX_COLUMN = 16_384

STRING, SHEET_REF, REF, STRUCTURED, FUNCTION, NAME, NUMBER, ERROR, BOOL, OPERATOR, SPACE = (
    "string",
    "sheet-ref",
    "ref",
    "structured",
    "function",
    "name",
    "number",
    "error",
    "bool",
    "operator",
    "space",
)

_ERRORS = re.compile(
    r"#(?:NULL!|DIV/0!|VALUE!|REF!|NAME\?|NUM!|N/A|GETTING_DATA|SPILL!|CALC!|FIELD!|BLOCKED!|CONNECT!|UNKNOWN!)",
    re.IGNORECASE,
)
_WORD_START = re.compile(r"[A-Za-z_\\\u00C0-\uFFFF]")
_WORD = re.compile(r"[A-Za-z_\\\u00C0-\uFFFF][\w.\\?\u00C0-\uFFFF]*")
_SHEET_WORD = re.compile(r"[A-Za-z_\u00C0-\uFFFF][\w.\u00C0-\uFFFF]*(?::[A-Za-z_\u00C0-\uFFFF][\w.\u00C0-\uFFFF]*)?!")
_CELL = r"\$?[A-Za-z]{1,3}\$?[0-9]{1,7}"
_AREA = re.compile(
    rf"(?:{_CELL}(?::{_CELL})?|\$?[A-Za-z]{{1,3}}:\$?[A-Za-z]{{1,3}}|\$?[0-9]{{1,7}}:\$?[0-9]{{1,7}})(?![\w.(\[!\u00C0-\uFFFF])"
)
_NUMBER = re.compile(r"(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?%?")
_OPERATORS = (
    "<=",
    ">=",
    "<>",
    "+",
    "-",
    "*",
    "/",
    "^",
    "&",
    "=",
    "<",
    ">",
    ":",
    ",",
    ";",
    "(",
    ")",
    "{",
    "}",
    "%",
    "@",
)
_PREFIXES = re.compile(r"^(?:_xlfn\.|_xlws\.)+", re.IGNORECASE)


@dataclass(frozen=True)
class Token:
    """One piece of a formula: its kind, its exact text, and for references the sheet it names."""

    kind: str
    text: str
    sheet: str | None = None
    """The sheet a reference names (unquoted), None when the reference has no sheet prefix."""


def _bracketed(formula: str, start: int) -> int:
    """The index after the ``]`` that closes the ``[`` at ``start`` (nested brackets, ``'`` escapes)."""
    depth, index = 0, start
    while index < len(formula):
        char = formula[index]
        if char == "'":
            index += 2
            continue
        if char == "[":
            depth += 1
        elif char == "]":
            depth -= 1
            if depth == 0:
                return index + 1
        index += 1
    raise ValueError(f"unbalanced [ in {formula!r}")


def tokenize(formula: str) -> list[Token]:
    """Split formula text (without the leading ``=``) into tokens that join back to the same text."""
    tokens: list[Token] = []
    index = 0
    text = formula
    while index < len(text):
        char = text[index]
        if char == '"':
            end = index + 1
            while True:
                end = text.index('"', end)
                if text.startswith('""', end):
                    end += 2
                    continue
                break
            tokens.append(Token(STRING, text[index : end + 1]))
            index = end + 1
            continue
        if char.isspace():
            end = index
            while end < len(text) and text[end].isspace():
                end += 1
            tokens.append(Token(SPACE, text[index:end]))
            index = end
            continue
        if char == "'":
            end = index + 1
            while True:
                end = text.index("'", end)
                if text.startswith("''", end):
                    end += 2
                    continue
                break
            if not text.startswith("!", end + 1):
                raise ValueError(f"a quoted name without ! in {formula!r}")
            sheet = text[index + 1 : end].replace("''", "'")
            area = _AREA.match(text, end + 2)
            if area:
                tokens.append(Token(SHEET_REF, text[index : area.end()], sheet))
                index = area.end()
            else:
                word = _WORD.match(text, end + 2)
                if word is None:
                    raise ValueError(f"nothing after {text[index : end + 2]} in {formula!r}")
                tokens.append(Token(NAME, text[index : word.end()], sheet))  # 'Sheet'!Name: a sheet-level name
                index = word.end()
            continue
        if char == "#":
            error = _ERRORS.match(text, index)
            if not error:
                raise ValueError(f"unknown error literal in {formula!r} at {index}")
            tokens.append(Token(ERROR, error.group()))
            index = error.end()
            continue
        if char == "[":  # an unqualified structured reference, [@Col] inside a table
            end = _bracketed(text, index)
            tokens.append(Token(STRUCTURED, text[index:end]))
            index = end
            continue
        if char == "$" or char.isdigit() or _WORD_START.match(char):
            sheet_word = _SHEET_WORD.match(text, index)
            if sheet_word:
                area = _AREA.match(text, sheet_word.end())
                if area:
                    tokens.append(Token(SHEET_REF, text[index : area.end()], sheet_word.group()[:-1]))
                    index = area.end()
                    continue
                word = _WORD.match(text, sheet_word.end())
                if word:
                    tokens.append(Token(NAME, text[index : word.end()], sheet_word.group()[:-1]))
                    index = word.end()
                    continue
            area = _AREA.match(text, index)
            if area and not (char.isdigit() and ":" not in area.group()):
                tokens.append(Token(REF, area.group()))
                index = area.end()
                continue
            if char.isdigit() or char == ".":
                number = _NUMBER.match(text, index)
                assert number is not None
                tokens.append(Token(NUMBER, number.group()))
                index = number.end()
                continue
            word = _WORD.match(text, index)
            if word is None:
                raise ValueError(f"cannot read {formula!r} at {index}")
            end = word.end()
            if end < len(text) and text[end] == "[":
                end = _bracketed(text, end)
                tokens.append(Token(STRUCTURED, text[index:end]))
            elif end < len(text) and text[end] == "(":
                tokens.append(Token(FUNCTION, word.group()))
            elif word.group().upper() in ("TRUE", "FALSE"):
                tokens.append(Token(BOOL, word.group()))
            else:
                tokens.append(Token(NAME, word.group()))
            index = end
            continue
        if char == ".":
            number = _NUMBER.match(text, index)
            if number:
                tokens.append(Token(NUMBER, number.group()))
                index = number.end()
                continue
        for operator in _OPERATORS:
            if text.startswith(operator, index):
                tokens.append(Token(OPERATOR, operator))
                index += len(operator)
                break
        else:
            raise ValueError(f"cannot read {formula!r} at {index}: {char!r}")
    return tokens


def join(tokens: Sequence[Token]) -> str:
    """The formula text the tokens came from (or were rewritten to)."""
    return "".join(token.text for token in tokens)


def function_name(token: Token) -> str:
    """A function's name as the engines know it: ``_xlfn.`` / ``_xlws.`` prefixes removed, upper case."""
    return _PREFIXES.sub("", token.text).upper()


def functions(formula: str) -> set[str]:
    """The functions a formula calls (prefixes removed, upper case)."""
    return {function_name(token) for token in tokenize(formula) if token.kind == FUNCTION}


# -- areas ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Point:
    """One end of an A1 reference: a row and a column, each fixed with ``$`` or relative; 0 = whole."""

    row: int
    column: int
    row_fixed: bool = False
    column_fixed: bool = False

    def text(self) -> str:
        """The point as A1 text, ``$`` marks kept."""
        column = ("$" if self.column_fixed else "") + column_letters(self.column) if self.column else ""
        row = ("$" if self.row_fixed else "") + str(self.row) if self.row else ""
        return column + row


_POINT = re.compile(r"^(\$?)([A-Za-z]{0,3})(\$?)([0-9]*)$")


def parse_point(text: str) -> Point:
    """One end of an A1 reference (``$B$4``, ``B``, ``$5``), with its ``$`` marks."""
    match = _POINT.match(text)
    if not match or not (match.group(2) or match.group(4)):
        raise ValueError(text)
    column_fixed, letters, row_fixed, digits = match.groups()
    if not letters:  # a row of a row range: "$5"
        return Point(int(digits), 0, row_fixed=bool(column_fixed))
    return Point(
        int(digits) if digits else 0,
        column_number(letters.upper()),
        row_fixed=bool(row_fixed),
        column_fixed=bool(column_fixed),
    )


@dataclass(frozen=True)
class Area:
    """A rectangle of cells on one sheet (inclusive bounds, 1-based)."""

    sheet: str
    top: int
    left: int
    bottom: int
    right: int

    @classmethod
    def parse(cls, sheet: str, text: str) -> Area:
        """``A1``, ``$A$1:$B$9``, ``A:A`` or ``5:5`` on ``sheet``."""
        first, _, second = text.partition(":")
        a = parse_point(first)
        b = parse_point(second) if second else a
        top, bottom = (a.row, b.row) if a.row and b.row else (1, MAX_ROW)
        left, right = (a.column, b.column) if a.column and b.column else (1, MAX_COLUMN)
        return cls(sheet, min(top, bottom), min(left, right), max(top, bottom), max(left, right))

    @property
    def size(self) -> int:
        """The number of cells."""
        return (self.bottom - self.top + 1) * (self.right - self.left + 1)

    def cells(self) -> Iterator[tuple[int, int]]:
        """Every (row, column) of the area, row by row."""
        for row in range(self.top, self.bottom + 1):
            for column in range(self.left, self.right + 1):
                yield row, column

    def contains(self, row: int, column: int) -> bool:
        """Whether the cell (row, column) lies in the area."""
        return self.top <= row <= self.bottom and self.left <= column <= self.right

    def a1(self, absolute: bool = True) -> str:
        """The area as A1 text without its sheet, absolute (``$A$1:$B$2``) or relative."""
        dollar = "$" if absolute else ""
        first = f"{dollar}{column_letters(self.left)}{dollar}{self.top}"
        if self.size == 1:
            return first
        return f"{first}:{dollar}{column_letters(self.right)}{dollar}{self.bottom}"

    def __str__(self) -> str:
        return f"{quoted(self.sheet)}!{self.a1(absolute=False)}"


def area_text(token: Token) -> str:
    """The A1 part of a reference token (after any ``Sheet!`` prefix)."""
    return token.text.rpartition("!")[2] if token.kind == SHEET_REF else token.text


def cell_position(ref: str) -> tuple[int, int]:
    """(row, column) of a cell reference such as ``B4`` or ``$B$4``."""
    point = parse_point(ref)
    return point.row, point.column


def cell_name(row: int, column: int) -> str:
    """The A1 name of a cell: ``cell_name(4, 2)`` is ``B4``."""
    return f"{column_letters(column)}{row}"


# -- moving a formula ------------------------------------------------------------------------------


def _shift_point(point: Point, rows: int, columns: int) -> Point | None:
    row, column = point.row, point.column
    if row and not point.row_fixed:
        row += rows
    if column and not point.column_fixed:
        column += columns
    if (point.row and not 1 <= row <= MAX_ROW) or (point.column and not 1 <= column <= MAX_COLUMN):
        return None
    return replace(point, row=row, column=column)


def shift(formula: str, rows: int, columns: int) -> str:
    """The formula as it reads when copied ``rows`` down and ``columns`` right: relative references move,
    ``$``-fixed parts stay, references pushed off the sheet become ``#REF!`` (as in Excel)."""
    if not rows and not columns:
        return formula
    out = []
    for token in tokenize(formula):
        if token.kind in (REF, SHEET_REF):
            prefix, _, area = token.text.rpartition("!")
            points = [parse_point(part) for part in area.split(":")]
            moved = [_shift_point(point, rows, columns) for point in points]
            if any(point is None for point in moved):
                out.append((prefix + "!" if prefix else "") + "#REF!")
                continue
            out.append((prefix + "!" if prefix else "") + ":".join(point.text() for point in moved if point))
        else:
            out.append(token.text)
    return "".join(out)


def references(formula: str, sheet: str | None) -> list[Area]:
    """Every A1 area a formula names; references without a sheet are on ``sheet`` (skipped if None)."""
    found = []
    for token in tokenize(formula):
        if token.kind == REF and sheet is not None:
            found.append(Area.parse(sheet, token.text))
        elif token.kind == SHEET_REF and token.sheet is not None and ":" not in token.sheet:
            found.append(Area.parse(token.sheet, area_text(token)))
    return found


def names_used(formula: str) -> set[str]:
    """Names a formula uses that are not functions or references (defined names, table names, LET names)."""
    return {token.text.rpartition("!")[2] for token in tokenize(formula) if token.kind == NAME}
