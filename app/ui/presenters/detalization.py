"""The detalization dialog's steps as strings (no tkinter): the period and its quick picks, the
delivery and the format with its options, the order's summary with the R7 refusal up front,
and the progress line while the order runs. The result is app/ui/presenters/
detalization_result.py.

The rules themselves (a reversed or future period, the home region, a folder one may write
into) are the service's: the dialog asks it and shows its sentences; here is only how things
read. Dates are typed and shown as DD.MM.YYYY.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum
from pathlib import Path

from app import formatting
from app.errors import InputError
from app.i18n import _, language, ngettext
from app.phone import format_msisdn
from app.ui.presenters.card import FieldView
from app.ui.presenters.daily_log import parse_day
from models.detalization import Options, Period
from models.domain import Subscriber


class Step(StrEnum):
    PERIOD = "period"
    DELIVERY = "delivery"
    FORMAT = "format"
    CHECK = "check"
    SENDING = "sending"
    DONE = "done"


STEPS: tuple[Step, ...] = tuple(Step)
INPUT_STEPS: tuple[Step, ...] = (Step.PERIOD, Step.DELIVERY, Step.FORMAT, Step.CHECK)


def step_titles() -> tuple[str, ...]:
    """The steps' strip over the dialog, in the operator's order (seed 003)."""
    return (_("1. Period"), _("2. Delivery"), _("3. Format"), _("4. Check the order"),
            _("5. Sending"), _("6. Done"))


# -- 1. the period -----------------------------------------------------------------------------

class QuickPick(StrEnum):
    THIS_MONTH = "this_month"
    LAST_MONTH = "last_month"
    LAST_3_MONTHS = "last_3_months"
    THIS_YEAR = "this_year"
    ANY = "any"


QUICK_PICKS: tuple[QuickPick, ...] = tuple(QuickPick)


def quick_label(pick: QuickPick) -> str:
    labels = {
        QuickPick.THIS_MONTH: _("This month so far"),
        QuickPick.LAST_MONTH: _("Last month"),
        QuickPick.LAST_3_MONTHS: _("Last 3 months"),
        QuickPick.THIS_YEAR: _("This year"),
        QuickPick.ANY: _("Any period…"),
    }
    return labels[pick]


def quick_period(pick: QuickPick, today: date) -> Period | None:
    """The dates a quick pick stands for, counted from today in the number's home region;
    None for "any period" (the clerk types the dates)."""
    if pick is QuickPick.THIS_MONTH:
        return Period(today.replace(day=1), today)
    if pick is QuickPick.LAST_MONTH:
        last = today.replace(day=1) - timedelta(days=1)
        return Period(last.replace(day=1), last)
    if pick is QuickPick.LAST_3_MONTHS:
        return Period(_months_back(today, 3) + timedelta(days=1), today)
    if pick is QuickPick.THIS_YEAR:
        return Period(today.replace(month=1, day=1), today)
    return None


def _months_back(day: date, months: int) -> date:
    """The same day `months` calendar months earlier (the month's last day if it is shorter)."""
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    following = date(year + (month + 1) // 12, (month + 1) % 12 + 1, 1)
    return date(year, month + 1, min(day.day, (following - timedelta(days=1)).day))


def date_text(day: date) -> str:
    return f"{day:%d.%m.%Y}"


def read_period(first: str, last: str) -> Period:
    """The two typed dates → a Period; InputError saying which field is wrong. Whether the
    period may be ordered is the service's question (check_period)."""
    if not first.strip():
        raise InputError(_("Type the period's first day as DD.MM.YYYY, or pick a period."))
    if not last.strip():
        raise InputError(_("Type the period's last day as DD.MM.YYYY, or pick a period."))
    return Period(parse_day(first), parse_day(last))


def days_text(days: int) -> str:
    return ngettext("{count} day", "{count} days", days).format(count=days)


def period_text(period: Period) -> str:
    """'01.10.2026 — 31.10.2026 (31 день)'."""
    return f"{period.text()} ({days_text(period.days)})"


def period_hint(today: date) -> str:
    return _("Dates are the number's home-region dates, both inclusive; the last one can be "
             "today ({today}) at the latest. Alt+1…Alt+5 pick a period.").format(
        today=date_text(today))


# -- 2. delivery -------------------------------------------------------------------------------

class Delivery(StrEnum):
    """The step's choices. The last three carry the values of the delivery service's
    DeliveryMethod (app/services/delivery.py) and are offered only when it can do them."""

    FILE = "file"  # saved into a folder the clerk chooses
    SCREEN = "screen"  # shown in the dialog; the console's own copy expires (R9)
    PAPER = "paper"  # printed at the counter (from the PDF)
    EMAIL = "email"  # sent to the address the clerk types
    ARCHIVE = "archive"  # the subscriber's personal archive, 3 days (R9)


DELIVERIES: tuple[Delivery, ...] = tuple(Delivery)
# Made into the console's documents folder and then handed to the delivery service (R8).
SENT: tuple[Delivery, ...] = (Delivery.PAPER, Delivery.EMAIL, Delivery.ARCHIVE)


def delivery_label(delivery: Delivery) -> str:
    labels = {
        Delivery.FILE: _("Save the file"),
        Delivery.SCREEN: _("Show on screen"),
        Delivery.PAPER: _("Print at the counter"),
        Delivery.EMAIL: _("Send by e-mail"),
        Delivery.ARCHIVE: _("Put into the personal archive"),
    }
    return labels[delivery]


def delivery_note(delivery: Delivery, folder: Path, default: Path, days: int) -> str:
    """What becomes of the file, R9 included: the console's own copies are deleted."""
    if delivery is Delivery.PAPER:
        return _("Printed from the PDF on this counter's printer; the console keeps its copy "
                 "for {days} (R9), so a failed print can be tried again.").format(
            days=days_text(days))
    if delivery is Delivery.EMAIL:
        return _("The document goes as an attachment through the salon's mail server. Tab "
                 "goes to the address; Enter checks it.")
    if delivery is Delivery.ARCHIVE:
        return _("The subscriber can fetch it from the personal archive for 3 days (R9); the "
                 "console deletes its own copy after {days}.").format(days=days_text(days))
    if delivery is Delivery.SCREEN:
        return _("The first page is shown here when it is ready. The console keeps its copy "
                 "in {folder} for {days}, then deletes it (R9).").format(
            folder=default, days=days_text(days))
    if _same(folder, default):
        return _("The console's documents folder: files in it are deleted after {days} "
                 "(R9). Choose another folder to keep the file.").format(days=days_text(days))
    return _("The file is named by its document number, e.g. DET-20261123-….pdf.")


def _same(a: Path, b: Path) -> bool:
    return a.expanduser().resolve() == b.expanduser().resolve()


# -- 3. format ---------------------------------------------------------------------------------

FORMATS: tuple[str, ...] = ("pdf", "html", "xlsx", "csv", "txt")


def format_label(fmt: str) -> str:
    labels = {
        "pdf": _("PDF — a document for printing"),
        "html": _("HTML — a web page"),
        "xlsx": _("XLSX — a spreadsheet (Excel)"),
        "csv": _("CSV — a table for any spreadsheet program"),
        "txt": _("Text — a plain .txt document"),
    }
    return labels[fmt]


def format_name(fmt: str) -> str:
    return _("plain text document") if fmt == "txt" else fmt.upper()


@dataclass(frozen=True)
class OptionLabels:
    mask_numbers: str
    summary_only: str
    hide_covered: str


def option_labels() -> OptionLabels:
    return OptionLabels(
        _("Mask the counterparts' numbers (+7 916 ***-**-67)"),
        _("Totals only (no itemized rows)"),
        _("Leave out calls, SMS and data paid by a package"),
    )


def options_text(options: Options) -> str:
    """The chosen options in one line, or that there are none."""
    labels = option_labels()
    chosen = [label for label, on in ((labels.mask_numbers, options.mask_numbers),
                                      (labels.summary_only, not options.itemized),
                                      (labels.hide_covered, not options.show_covered)) if on]
    return "; ".join(chosen) if chosen else _("none: every row, numbers in full")


# -- 4. check the order ------------------------------------------------------------------------

@dataclass(frozen=True)
class CheckView:
    heading: str
    fields: tuple[FieldView, ...]
    refusal: str  # R7 (or another rule) before anything is sent; "" when it may be ordered
    hint: str

    @property
    def can_submit(self) -> bool:
        return not self.refusal


def delivery_target(delivery: Delivery, folder: Path, *, printer: str | None = None,
                    address: str = "") -> str:
    """Where it goes, as the check shows it: the folder, the printer, the address the clerk
    typed (shown in full here, it is on their screen anyway; never logged)."""
    if delivery is Delivery.FILE:
        return _("save into {folder}").format(folder=folder)
    if delivery is Delivery.PAPER:
        if printer:
            return _("print at the counter on «{printer}»").format(printer=printer)
        return _("print at the counter")
    if delivery is Delivery.EMAIL:
        return _("send by e-mail to {address}").format(address=address)
    if delivery is Delivery.ARCHIVE:
        return _("put into the subscriber's personal archive (3 days)")
    return _("show on screen")


def present_check(subscriber: Subscriber, period: Period, delivery: Delivery, folder: Path,
                  fmt: str, options: Options, refusal: str, *, printer: str | None = None,
                  address: str = "") -> CheckView:
    region = subscriber.region.name if language() == "ru" else subscriber.region.name_en
    where = delivery_target(delivery, folder, printer=printer, address=address)
    fields = (
        FieldView(_("Subscriber"), subscriber.name, note=format_msisdn(subscriber.msisdn)),
        FieldView(_("Home region"), region, attention=bool(refusal)),
        FieldView(_("Detalization period"), period_text(period)),
        FieldView(_("Delivery method"), where),
        FieldView(_("Document format"), format_label(fmt)),
        FieldView(_("Report options"), options_text(options)),
    )
    hint = (_("Nothing can be ordered here: Esc closes, Backspace goes back.") if refusal
            else _("Enter orders it; Backspace goes back to fix a step; Esc cancels."))
    return CheckView(_("Check the order"), fields, refusal, hint)


# -- 5. sending --------------------------------------------------------------------------------

def progress_text(stage: str, done: int, total: int) -> str:
    """The line under the bar: which stage, how far (numbers grouped as the clerk reads)."""
    if stage == "start":
        return _("Asking the operator's system…")
    if stage == "fetch":
        if total and done >= total:
            return _("Records loaded: checking the balances and building the report…")
        return _("Loading records: day {done} of {total}").format(
            done=_count(done), total=_count(total))
    if stage == "render":
        if not total:
            return _("Writing the document…")
        return _("Writing the document: row {done} of {total}").format(
            done=_count(done), total=_count(total))
    if stage == "preview":
        return _("Drawing the first page…")
    return ""


def progress_fraction(done: int, total: int) -> float:
    """The bar's fill for the stage under way, 0..1."""
    if total <= 0:
        return 0.0
    return max(0.0, min(1.0, done / total))


def running_heading(period: Period) -> str:
    return _("Making the detalization for {period}").format(period=period.text())


def _count(value: int) -> str:
    return formatting.quantity(Decimal(value))
