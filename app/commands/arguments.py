"""argparse `type=` functions for the command line's typed values, over app/inputs.py.

argparse's own `type=int` takes '٣' (as 3), ' 3 ', '3_000' and 20-digit numbers that the store
cannot hold (an OverflowError traceback from SQLite), and `type=Path` takes a device or a FIFO
to write into. These refuse such values while the command line is read — exit 2, the sentence
after the argument's name, nothing started or changed.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from app import inputs
from app.errors import InputError
from app.i18n import _

T = TypeVar("T")

MAX_LIST = 10_000  # -n: the most rows a listing prints


def _typed(parse: Callable[[str], T], name: str) -> Callable[[str], T]:
    def convert(text: str) -> T:
        try:
            return parse(text)
        except InputError as error:
            raise argparse.ArgumentTypeError(str(error)) from None

    convert.__name__ = name  # argparse names the type in some of its messages
    return convert


def row_id(what: str) -> Callable[[str], int]:
    """A row's number in the local store: 1 to 2⁶³−1, ASCII digits."""
    return _typed(lambda text: inputs.record_id(text, what), "id")


def count(what: str, high: int = MAX_LIST) -> Callable[[str], int]:
    """How many rows to show (-n): 1 to `high`."""
    return _typed(lambda text: inputs.bounded_number(text, 1, high, what), "count")


def number(what: str, low: int, high: int) -> Callable[[str], int]:
    return _typed(lambda text: inputs.bounded_number(text, low, high, what), "number")


def output_file(text: str) -> Path:
    """-o PATH: absent, or an existing regular file (replaced); never a device, FIFO, socket
    or folder. The service checks again just before it writes."""
    try:
        if not text or "\0" in text:
            raise InputError(_("Give the name of a file to write."))
        return inputs.output_target(inputs.user_path(Path(text)))
    except InputError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


document_id = _typed(inputs.document_id, "document id")
printer = _typed(inputs.printer_name, "printer")
catalog_code = _typed(inputs.catalog_code, "code")
