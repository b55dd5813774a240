"""The seed's worked example (330 borgere, 3 dage, 44 uger, 30 %) reproduces exactly, everywhere."""

from pathlib import Path

from python_calamine import CalamineWorkbook

from xltools.capacity.calculations import CAPACITY, FTE_NEEDED, YEARLY_CONVERSATIONS
from xltools.capacity.inputs import DEFAULTS
from xltools.capacity.layout import SHEET, blocks

SEED_MATRIX = [[per_day * fte * 132 for fte in range(1, 10)] for per_day in range(1, 9)]


def test_seed_matrix_spans_132_to_9504() -> None:
    assert SEED_MATRIX[0][0] == 132 and SEED_MATRIX[-1][-1] == 9504


def test_udfs_reproduce_the_seed() -> None:
    assert [YEARLY_CONVERSATIONS(330, freq) for freq in (4, 6, 12)] == [1320, 1980, 3960]
    assert [YEARLY_CONVERSATIONS(330, freq, 0.3) for freq in (24, 12, 6)] == [3300, 2112, 1518]
    assert YEARLY_CONVERSATIONS(330, 24, 0) == 1320
    assert [[CAPACITY(d, f) for f in range(1, 10)] for d in range(1, 9)] == SEED_MATRIX
    assert FTE_NEEDED(3300, 5) == 5.0
    assert FTE_NEEDED(2112, 5) == 3.2


def _by_name() -> dict:
    return {block.name: block.values(DEFAULTS) for block in blocks()}


def test_blocks_reproduce_the_seed() -> None:
    values = _by_name()
    assert values["IntensiveBorgere"] == [[99]]
    assert values["Generelt"] == [[1320], [1980], [3960]]
    assert values["Intensiveret"] == [[2376, 924, 3300], [1188, 924, 2112], [594, 924, 1518]]
    assert values["Aarsvaerk"] == SEED_MATRIX


def test_template_caches_the_seed_values(capacity_template: Path) -> None:
    rows = CalamineWorkbook.from_path(str(capacity_template)).get_sheet_by_name(SHEET).to_python()
    assert [row[2] for row in rows[11:14]] == [1320, 1980, 3960]
    assert [row[2:5] for row in rows[17:20]] == [[2376, 924, 3300], [1188, 924, 2112], [594, 924, 1518]]
    assert [row[2:11] for row in rows[40:48]] == SEED_MATRIX
    assert [row[1:5] for row in rows[27:33]] == [
        [1320, 1320, 2, 2],
        [1980, 1980, 3, 3],
        [3960, 3960, 6, 6],
        [3300, 3300, 5, 5],
        [2112, 2112, 3.2, 4],
        [1518, 1518, 2.3, 3],
    ]
    assert rows[35][1] == 3300 and rows[36][1] == 5  # selected scenario: booked, årsværk
