"""What a clerk types, checked the same way for the command line, the window and the fuzz run.

Every parser here returns a valid value or raises InputError (exit 2) with a sentence; no other
exception escapes, whatever the text (the property tests and `benchmarks/fuzz_inputs.py` hold
them to that). Digits are ASCII only: `str.isdigit`, `int()` and the regular expression `\\d`
also take '²', '٣' or '७', which no clerk means to type, and `int()` of a 5,000-digit string
raises ValueError. Lengths are capped before anything is converted.
"""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path

from app.errors import InputError
from app.i18n import _

# Row ids of the local store: SQLite's INTEGER and PostgreSQL's bigint hold at most this.
MAX_ID = 2**63 - 1
_ASCII_NUMBER = re.compile(r"[0-9]+")
# A document id at the operator (TMF ids are strings): visible ASCII, no blanks, bounded.
_DOCUMENT_ID = re.compile(r"[!-~]{1,128}")
# A CUPS queue name as cupsd accepts one (scheduler/ipp.c, validate_name): under 128 bytes of
# UTF-8, no blank or control character, none of / \ ? ' " #. Whether the server has the
# printer is then the server's answer.
_PRINTER_FORBIDDEN = set("/\\?'\"#")
_PRINTER_BYTES = 127
_CATALOG_CODE = re.compile(r"[A-Za-z0-9_]{1,40}")
_SHOWN = 24  # how much of a bad entry a message repeats


def shown(text: str) -> str:
    """A bad entry as a message repeats it: short, and with nothing that drives a terminal."""
    from printing.text import visible

    short = text if len(text) <= _SHOWN else text[: _SHOWN - 1] + "…"
    return visible(short, backslashes=False)


def bounded_number(text: str, low: int, high: int, what: str) -> int:
    """A whole number from `low` to `high`, written with ASCII digits only (no sign, no blanks
    inside), or InputError naming `what`. A number too long for the range is refused by its
    length, before int() reads it."""
    cleaned = text.strip(" \t")
    if not _ASCII_NUMBER.fullmatch(cleaned):
        raise InputError(_("{what}: “{text}” is not a whole number written with the digits "
                           "0–9.").format(what=what, text=shown(cleaned)))
    significant = cleaned.lstrip("0")
    if len(significant) > len(str(high)) or not low <= int(significant or "0") <= high:
        raise InputError(_("{what}: give a number from {low} to {high}.").format(
            what=what, low=low, high=high))
    return int(significant or "0")


def record_id(text: str, what: str) -> int:
    """A row's number in the local store (an outbox change, a print job, a subscription)."""
    return bounded_number(text, 1, MAX_ID, what)


def document_id(text: str) -> str:
    """A document id in the operator's personal archive, as `salon archive list` shows it."""
    cleaned = text.strip()
    if not _DOCUMENT_ID.fullmatch(cleaned):
        raise InputError(_("“{text}” is not a document id: copy it from `salon archive "
                           "list`.").format(text=shown(cleaned)))
    return cleaned


def printer_name(text: str) -> str:
    """A print queue's name as CUPS allows it (whether the server has it is CUPS's answer)."""
    cleaned = text.strip(" \t")
    if (not cleaned or not cleaned.isprintable() or " " in cleaned
            or _PRINTER_FORBIDDEN & set(cleaned)
            or len(cleaned.encode("utf-8", "surrogatepass")) > _PRINTER_BYTES):
        raise InputError(_("“{text}” is not a printer's name: `salon printers` lists them.")
                         .format(text=shown(cleaned)))
    return cleaned


def catalog_code(text: str) -> str:
    """A tariff's or service's code as `salon tariffs` and `salon services` list them (Latin
    letters, digits, "_"), upper-cased. Checked as ASCII before upper-casing: 'ı'.upper() is
    'I'. Whether the catalog has it is the catalog's answer."""
    cleaned = text.strip(" \t")
    if not _CATALOG_CODE.fullmatch(cleaned):
        raise InputError(_("“{code}” is not a catalog code.").format(code=shown(cleaned)))
    return cleaned.upper()


def output_target(path: Path) -> Path:
    """Where a document may be written: a name that does not exist yet, or an existing regular
    file, which is replaced (a symbolic link counts as what it points to). A device (written
    into, or as root replaced, /dev/full), a FIFO (a write would wait for a reader for ever),
    a socket or a folder is refused, and nothing is written."""
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        return path
    except (OSError, ValueError):  # NUL in the name, a name too long, a loop of links…
        raise InputError(_("“{path}” cannot be used as a file name.").format(
            path=shown(str(path)))) from None
    if stat.S_ISREG(mode):
        return path
    kind = (_("a folder") if stat.S_ISDIR(mode) else
            _("a device") if stat.S_ISCHR(mode) or stat.S_ISBLK(mode) else
            _("a pipe (FIFO)") if stat.S_ISFIFO(mode) else
            _("a socket") if stat.S_ISSOCK(mode) else _("a special file"))
    raise InputError(_("{path} is {kind}, not a file: give the name of a file to write. "
                       "Nothing was written.").format(path=shown_path(path), kind=kind))


def user_path(path: Path) -> Path:
    """`path` with a leading ~ or ~user expanded, or InputError when there is no such home
    (pathlib raises RuntimeError)."""
    try:
        return path.expanduser()
    except RuntimeError:
        raise InputError(_("“{path}” names a home folder that this computer does not have.")
                         .format(path=shown(str(path)))) from None


def shown_path(path: Path) -> str:
    """A path in a message: whole (the clerk may need to find it), with nothing unsafe."""
    from printing.text import visible

    return visible(str(path), backslashes=False)
