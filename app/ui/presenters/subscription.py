"""The monthly e-mail detalization of the number on the card (no tkinter): its row on the card
and the dialog's words. The address is shown masked on the card (the counter's screen faces
the queue); in the dialog the clerk sees what they typed."""

from __future__ import annotations

from typing import TYPE_CHECKING

from app.formatting import mask_email
from app.i18n import _
from app.ui.presenters.archive import with_key
from app.ui.presenters.card import FieldView

if TYPE_CHECKING:  # models.periodic is a peewee module: not loaded with the window
    from models.periodic import PeriodRun, Subscription

KEY = "Ctrl+Shift+M"


def format_name(fmt: str) -> str:
    # The detalization presenter's words; imported here, not at the top, because that module
    # reaches the journal's tables (peewee), which the window must not load at start.
    from app.ui.presenters.detalization import format_name as name

    return name(fmt)


def month_text(month: str) -> str:
    """'2026-11' → '11.2026'."""
    year, number = month.split("-")
    return f"{number}.{year}"


def subscription_card_fields(subscription: Subscription | None) -> tuple[FieldView, ...]:
    """The monthly e-mail detalization's row on the card, its key on the value's line."""
    label = _("Mailing")  # short: the card's label column is as wide as its widest label
    if subscription is None:
        return (FieldView(label, with_key(_("not subscribed"), KEY)),)
    return (FieldView(label, with_key(_("detalization to {address}, {format}, from {month}")
                                      .format(address=mask_email(subscription.email),
                                              format=format_name(subscription.format),
                                              month=month_text(subscription.first_period)),
                                      KEY)),)


def subscription_text(subscription: Subscription) -> str:
    return _("by e-mail to {address}, {format}, from {month}").format(
        address=subscription.email, format=format_name(subscription.format),
        month=month_text(subscription.first_period))


def run_lines(runs: list[PeriodRun]) -> list[str]:
    """The latest months first: what was sent, what will be tried again."""
    names = {"sent": _("sent"), "sending": _("being sent"),
             "failed": _("not sent yet, will be tried again")}
    return [_("{month}: {state}").format(month=month_text(run.period),
                                         state=names.get(run.state, run.state))
            for run in sorted(runs, key=lambda r: r.period, reverse=True)[:6]]
