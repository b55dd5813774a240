"""``python -m xltools``: the ``xltools`` command."""

from xltools.cli import run

run()
