"""The printer settings screen (no tkinter): the print server's queues with their state, and
which one this counter prints on and why (the clerk's choice here, salon.ini, the server's
default). The clerk's choice is kept in the local store for this counter."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from app.i18n import _
from models.printing import PrinterChoice, PrinterInfo, PrinterState

PRINTER_COLUMNS = ("name", "state", "description", "location", "note")


def printer_state_text(printer: PrinterInfo) -> str:
    if not printer.accepting:
        return _("not accepting jobs")
    return {
        PrinterState.IDLE: _("ready"),
        PrinterState.PRINTING: _("busy printing"),
        PrinterState.STOPPED: _("stopped"),
    }[printer.state]


def printer_headings() -> dict[str, str]:
    return {"name": _("Printer"), "state": _("State"), "description": _("Description"),
            "location": _("Location"), "note": _("Note")}


@dataclass(frozen=True)
class PrinterRow:
    name: str
    values: tuple[str, ...]
    tags: tuple[str, ...]
    usable: bool  # ready or busy, and accepting jobs


def present_printers(printers: Iterable[PrinterInfo], choice: PrinterChoice) -> list[PrinterRow]:
    rows = []
    for printer in printers:
        usable = printer.accepting and printer.state is not PrinterState.STOPPED
        marks = []
        if printer.name == choice.name:
            marks.append(_("✔ used at this counter"))
        if printer.is_default:
            marks.append(_("the server's default"))
        if printer.message:
            marks.append(printer.message)
        tags = ("chosen",) if printer.name == choice.name else ()
        if not usable:
            tags = (*tags, "failed")
        rows.append(PrinterRow(printer.name, (
            printer.name, printer_state_text(printer), printer.description, printer.location,
            " · ".join(marks)), tags, usable))
    return rows


def choice_text(choice: PrinterChoice) -> str:
    if choice.name is None:
        return _("No printer is chosen for this counter, and the print server has no default "
                 "one.")
    source = {
        "counter": _("chosen at this counter"),
        "salon.ini": _("from salon.ini, [printing] printer"),
        "cups": _("the print server's default"),
    }.get(choice.source, choice.source)
    return _("Documents are printed on «{printer}» ({source}).").format(printer=choice.name,
                                                                      source=source)


def choose_warning(printer: PrinterInfo) -> str | None:
    """A printer can be chosen while stopped (the administrator may be fixing it); the clerk
    is told what that means."""
    if not printer.accepting or printer.state is PrinterState.STOPPED:
        return _("«{printer}» is {state} now: documents sent to it will not be printed until "
                 "it is fixed.").format(printer=printer.name, state=printer_state_text(printer))
    return None
