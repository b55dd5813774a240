"""The arguments several commands share, and type functions that reject a value in Danish."""

from __future__ import annotations

import argparse
import re
from datetime import date
from pathlib import Path

from xltools.messages import quote

MOST_JOBS = 256


def iso_date(text: str) -> date:
    """``--as-of``: a date as ÅÅÅÅ-MM-DD."""
    try:
        if re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", text):
            return date.fromisoformat(text)
    except ValueError:
        pass
    raise argparse.ArgumentTypeError(f"{quote(text)} er ikke en dato – skriv ÅÅÅÅ-MM-DD, fx 2026-01-18")


def jobs(text: str) -> int:
    """``--jobs``: worker processes, 0 for one per core."""
    if re.fullmatch(r"[0-9]{1,4}", text.strip()) and int(text) <= MOST_JOBS:
        return int(text)
    raise argparse.ArgumentTypeError(
        f"skal være et helt tal fra 0 til {MOST_JOBS} (0: én pr. kerne) – fik {quote(text)}"
    )


def year(text: str) -> int:
    """``--year``: a year xltools can build a Målstyring for."""
    if re.fullmatch(r"[0-9]{4}", text.strip()) and 2000 <= int(text) <= 2100:
        return int(text)
    raise argparse.ArgumentTypeError(f"skal være et årstal fra 2000 til 2100 – fik {quote(text)}")


def add_force(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--force",
        action="store_true",
        help="skriv også i en fil, der er åben i Excel/LibreOffice, skrivebeskyttet eller linket, og over en"
        " eksisterende resultatfil (en inddatafil overskrives aldrig)",
    )


def add_as_of(parser: argparse.ArgumentParser, what: str) -> None:
    parser.add_argument("--as-of", type=iso_date, metavar="ÅÅÅÅ-MM-DD", help=what)


def add_report(parser: argparse.ArgumentParser, what: str) -> None:
    parser.add_argument("--report", type=Path, metavar="FIL.json", help=what)
