"""``python -m xltools``: the ``xltools`` command."""

import sys

from xltools.cli import main

sys.exit(main())
