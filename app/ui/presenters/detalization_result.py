"""What a finished detalization shows in the dialog (no tkinter): the document's number and
file, the main balance's state over the period (opening, charges, payments, closing — R6),
the tariff comparison's best alternative, and what becomes of the file (R9)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from app import formatting
from app.i18n import _
from app.ui.presenters.card import FieldView
from app.ui.presenters.detalization import Delivery, days_text, format_name, period_text
from models.detalization import Category, Detalization
from models.domain import Money

if TYPE_CHECKING:  # the service's module loads the store; the type is all that is needed here
    from app.services.detalization import DocumentInfo


@dataclass(frozen=True)
class ResultView:
    headline: str
    fields: tuple[FieldView, ...]
    comparison: str  # the cheaper tariff, or that the current one is the cheapest; "" unknown
    cheaper: bool  # the comparison names a cheaper tariff (drawn as a notice)
    note: str  # where the file is and how long the console keeps it
    path: str


def category_amount(category: Category, amount: Decimal) -> str:
    """'calls 788,00 ₽': a category's charges in the totals' note."""
    texts = {
        Category.CALLS: _("calls {amount}"),
        Category.SMS: _("SMS {amount}"),
        Category.DATA: _("mobile data {amount}"),
        Category.FEES: _("services and monthly fees {amount}"),
        Category.OTHER: _("other charges {amount}"),
    }
    return texts[category].format(amount=rub(amount))


def rub(value: Decimal) -> str:
    return formatting.money(Money(value))


def present_result(info: DocumentInfo, delivery: Delivery, kept_days: int,
                   in_console_folder: bool) -> ResultView:
    """`in_console_folder`: the file is in the console's documents folder (deleted after
    `kept_days`, R9)."""
    report = info.report
    rows = _("{rows} rows of {records} records").format(
        rows=_count(info.rows), records=_count(report.record_count))
    if not report.options.itemized:
        rows = _("totals only ({records} records)").format(records=_count(report.record_count))
    fields = (
        FieldView(_("Document number"), info.document_id,
                  note=_("{format}, {rows}").format(format=format_name(info.format), rows=rows)),
        FieldView(_("Saved file"), str(info.path)),
        FieldView(_("Detalization period"), period_text(info.period)),
        FieldView(_("Opening balance"), rub(report.opening)),
        FieldView(_("Charged in the period"), rub(report.total_charges), note=charges_note(report)),
        FieldView(_("Payments in the period"), rub(report.payments), note=_promised_note(report)),
        FieldView(_("Closing balance"), rub(report.closing),
                  attention=report.closing < 0),
    )
    comparison, cheaper = tariff_comparison(report)
    if in_console_folder:
        note = _("The console deletes its copy after {days} (R9); save it elsewhere to keep "
                 "it.").format(days=days_text(kept_days))
    else:
        note = _("Saved where you chose; the console does not delete it.")
    headline = (_("The detalization is ready") if delivery is Delivery.FILE
                else _("The detalization is ready: its first page is on the right"))
    return ResultView(headline, fields, comparison, cheaper, note, str(info.path))


def charges_note(report: Detalization) -> str:
    """'calls 788,00 ₽ · services and monthly fees 549,00 ₽' (the non-zero categories)."""
    parts = [category_amount(c, v) for c, v in report.charges.items() if v]
    return " · ".join(parts)


def _promised_note(report: Detalization) -> str:
    if not report.promised_credits:
        return ""
    return _("of which promised payments: {amount}").format(amount=rub(report.promised_credits))


def tariff_comparison(report: Detalization) -> tuple[str, bool]:
    """The best alternative of the estimate (models/pricing.py): (sentence, is it cheaper)."""
    if not report.tariffs:
        return "", False
    actual = report.comparison_base  # the own tariff's estimate: the same footing
    cheaper = [t for t in report.tariffs if not t.current and t.total < actual]
    if not cheaper:
        return _("The current tariff is the cheapest for this usage (an estimate by the "
                 "catalog's prices)."), False
    best = min(cheaper, key=lambda t: t.total)
    return _("On the tariff «{name}» the same usage would have cost {amount} less (an estimate "
             "by the catalog's prices).").format(name=best.name, amount=rub(actual - best.total)
                                                 ), True


def _count(value: int) -> str:
    return formatting.quantity(Decimal(value))
