"""The operation dialog's steps 2 and 3 as strings: the preview the clerk confirms (R4, R5)
and the sentences of what happened after "Confirm" (done, refused, stale, unreachable), and
after the clerk chose to keep an unconfirmed write queued or to cancel it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from app import formatting
from app.flows.orders import Settled, Settlement
from app.i18n import _
from app.order_rules import is_known, refusal_sentence
from app.ui.presenters.card import FieldView
from app.ui.presenters.orders import rule_text, trial_notice, what_text
from models.domain import Money
from models.orders import OrderAction, OrderPreview, OutboxItem, SubmitOutcome, SubmitStatus


@dataclass(frozen=True)
class PreviewView:
    heading: str  # "Смена тарифа на «Смарт Плюс»"
    fields: tuple[FieldView, ...]  # the fee, the monthly cost and the balance, before → after
    trial: str  # R5 notice, "" when none
    dropped: str  # services the change would disconnect, "" when none
    refusal: str  # the operator's refusal with its rule, "" when allowed
    hint: str  # what Enter and Esc do now
    can_confirm: bool
    negative_balance: bool  # the balance after would be below zero: drawn as attention

    @property
    def refused(self) -> bool:
        return bool(self.refusal)


def before_after(before: Money, after: Money) -> str:
    return f"{formatting.money(before)} → {formatting.money(after)}"


def present_preview(preview: OrderPreview, name: str, *, list_fee: Money | None = None,
                    tariff: str = "") -> PreviewView:
    """`name` is the chosen tariff's or service's name (the preview carries only the code);
    `list_fee`, the catalog's price of it, and `tariff`, the subscriber's tariff: a fee that
    differs from the list price is the subscriber's tariff's doing (R4), and the note says so."""
    negative = preview.balance_after.amount < 0
    fee = preview.fee
    notes = [_("charged from the main balance when you confirm") if fee.amount > 0
             else _("nothing is charged")]
    if list_fee is not None and list_fee != fee and tariff:
        notes.append(_("this is the price on the subscriber's tariff «{tariff}»; the list "
                       "price is {price}").format(tariff=tariff,
                                                  price=formatting.money(list_fee)))
    fields = (
        FieldView(_("One-off fee"), formatting.money(fee), note="\n".join(notes)),
        FieldView(
            _("Monthly cost"),
            _("{change} a month").format(
                change=before_after(preview.monthly_cost_before, preview.monthly_cost_after)),
        ),
        FieldView(
            _("Main balance"),
            before_after(preview.balance_before, preview.balance_after),
            attention=negative,
            note=_("The balance would go below zero.") if negative else "",
        ),
    )
    dropped = ""
    if preview.dropped_services:
        names = ", ".join(f"«{service.name}»" for service in preview.dropped_services)
        dropped = _("The change disconnects: {services}.").format(services=names)
    refusal = ""
    if not preview.allowed:
        refusal = refusal_text(preview.refusal_rule, preview.refusal_message)
    hint = (
        _("Check the amounts with the subscriber. Enter — confirm, Esc — cancel.")
        if preview.allowed
        else _("This operation cannot be confirmed. Backspace — choose another, Esc — close.")
    )
    return PreviewView(
        heading=what_text(preview.request.action, name),
        fields=fields,
        trial=trial_notice(preview.trial) + " (R5)." if preview.trial is not None else "",
        dropped=dropped,
        refusal=refusal,
        hint=hint,
        can_confirm=preview.allowed,
        negative_balance=negative,
    )


def refusal_text(rule: str | None, message: str | None) -> str:
    """The operator's refusal as one sentence in the console's language: its own sentence for
    a rule it knows (the operator's words are English), else the operator's words and the
    rule."""
    if is_known(rule):
        return refusal_sentence(rule or "")
    return _("The operator refuses: {message} ({rule}).").format(
        message=(message or "").rstrip(".") or _("no reason given"),
        rule=rule_text(rule) or _("no rule given"))


OutcomeKind = Literal["done", "rejected", "stale", "unreachable", "queued", "cancelled",
                      "cancel_refused"]


@dataclass(frozen=True)
class OutcomeView:
    kind: OutcomeKind
    headline: str
    text: str
    slip: str = ""  # "Подтверждение сохранено: /path/slip.pdf"


def _done_sentence(action: OrderAction, name: str) -> str:
    sentences = {
        OrderAction.CHANGE_TARIFF: _("The tariff is changed to «{name}»."),
        OrderAction.ADD_SERVICE: _("The service «{name}» is connected."),
        OrderAction.REMOVE_SERVICE: _("The service «{name}» is disconnected."),
        OrderAction.CONNECT_ASSISTANT: _("The Electronic Assistant is connected."),
    }
    return sentences[action].format(name=name)


def present_outcome(outcome: SubmitOutcome, name: str) -> OutcomeView:
    item = outcome.item
    if outcome.status is SubmitStatus.DONE:
        lines = [_done_sentence(item.request.action, name)]
        result = item.result
        if result is not None:
            lines.append(_("Charged: {fee}. Monthly cost now: {monthly} a month. "
                           "Main balance: {balance}.").format(
                fee=formatting.money(result.fee),
                monthly=formatting.money(result.monthly_cost_after),
                balance=formatting.money(result.balance_after)))
            if result.dropped_services:
                names = ", ".join(f"«{s.name}»" for s in result.dropped_services)
                lines.append(_("Disconnected with it: {services}.").format(services=names))
        slip = (_("The confirmation slip is saved: {path}").format(path=outcome.slip_path)
                if outcome.slip_path else "")
        return OutcomeView("done", _("The operation is done"), "\n".join(lines), slip)
    if outcome.status is SubmitStatus.REJECTED:
        text = _("{reason} Nothing was changed.").format(
            reason=refusal_text(item.refusal_rule, outcome.message))
        return OutcomeView("rejected", _("The operator refused the operation"), text)
    if outcome.status is SubmitStatus.STALE:
        return OutcomeView("stale", _("The subscriber's data has changed"), outcome.message)
    text = "\n".join([
        outcome.message,
        _("The operation is not confirmed. Queue it: it will be sent when the connection "
          "returns, and the result will reach you in the console. Or cancel it."),
    ])
    return OutcomeView("unreachable", _("The operator's system did not answer"), text)


def present_settlement(settlement: Settlement) -> OutcomeView:
    """What became of an unconfirmed write once the clerk chose to keep or cancel it."""
    if settlement.kind is Settled.QUEUED:
        return present_queued(settlement.item)
    if settlement.kind is Settled.CANCELLED:
        return present_cancelled(settlement.item)
    return present_cancel_refused(str(settlement.refusal))


def present_queued(item: OutboxItem) -> OutcomeView:
    return OutcomeView(
        "queued", _("Queued"),
        _("The operation waits in the queue and will be sent when the connection returns "
          "(attempts so far: {attempts}). Its result will appear in the console.").format(
            attempts=item.attempts),
    )


def present_cancelled(_item: OutboxItem) -> OutcomeView:
    return OutcomeView("cancelled", _("Cancelled"),
                       _("The operation is cancelled. Nothing was changed for the subscriber."))


def present_cancel_refused(reason: str) -> OutcomeView:
    return OutcomeView(
        "cancel_refused", _("It cannot be cancelled"),
        "\n".join([reason,
                   _("The operation stays in the queue; it will be settled when the connection "
                     "returns, and the result will reach you in the console.")]),
    )

