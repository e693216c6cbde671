"""Orders on the card (R4): the four actions with their shortcuts and why one is not possible,
the option rows of the operation dialog, and the names and rules the other presenters share.

No tkinter here: everything is strings and flags for app/ui/views/operations.py and
app/ui/views/order_dialog.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from babel.dates import format_date

from app import formatting
from app.i18n import _, language
from models.domain import Money, TrialPeriod
from models.orders import OrderAction, OrderOption, OrderOptions

ACTIONS: tuple[OrderAction, ...] = (
    OrderAction.CHANGE_TARIFF,
    OrderAction.ADD_SERVICE,
    OrderAction.REMOVE_SERVICE,
    OrderAction.CONNECT_ASSISTANT,
)
ACTION_KEYS: dict[OrderAction, str] = {
    OrderAction.CHANGE_TARIFF: "F5",
    OrderAction.ADD_SERVICE: "F6",
    OrderAction.REMOVE_SERVICE: "F7",
    OrderAction.CONNECT_ASSISTANT: "F8",
}
ASSISTANT_KEY = "assistant"  # the option row's key when the request has no code


def action_label(action: OrderAction) -> str:
    """The button on the card: a verb, with "…" when a choice follows."""
    labels = {
        OrderAction.CHANGE_TARIFF: _("Change tariff…"),
        OrderAction.ADD_SERVICE: _("Connect a service…"),
        OrderAction.REMOVE_SERVICE: _("Disconnect a service…"),
        OrderAction.CONNECT_ASSISTANT: _("Connect the Electronic Assistant"),
    }
    return labels[action]


def action_name(action: OrderAction) -> str:
    """The operation as a noun: the dialog's title, the queue's "Operation" column."""
    names = {
        OrderAction.CHANGE_TARIFF: _("Tariff change"),
        OrderAction.ADD_SERVICE: _("Service connection"),
        OrderAction.REMOVE_SERVICE: _("Service disconnection"),
        OrderAction.CONNECT_ASSISTANT: _("Electronic Assistant connection"),
    }
    return names[action]


def what_text(action: OrderAction, name: str) -> str:
    """What is being done, with the tariff's or service's name: "Tariff change to «Смарт»"."""
    if action is OrderAction.CHANGE_TARIFF:
        return _("Tariff change to «{name}»").format(name=name)
    if action is OrderAction.ADD_SERVICE:
        return _("Connecting «{name}»").format(name=name)
    if action is OrderAction.REMOVE_SERVICE:
        return _("Disconnecting «{name}»").format(name=name)
    return _("Connecting the Electronic Assistant")


def rule_text(rule: str | None) -> str:
    """A refusal's rule as the clerk reads it: "rule R1", "not enough money on the balance"."""
    if not rule:
        return ""
    known = {
        "insufficient_balance": _("not enough money on the main balance"),
        "subscriber_blocked": _("the number is blocked"),
        "same_tariff": _("already on this tariff"),
        "not_available": _("not available for this subscriber"),
        "already_connected": _("already connected"),
        "not_connected": _("not connected"),
        "stale": _("the subscriber's data changed"),
    }
    return known.get(rule, _("rule {rule}").format(rule=rule))


def fee_text(fee: Money) -> str:
    return _("free") if fee.amount == 0 else formatting.money(fee)


def short_date(day: date) -> str:
    """A trial's date without the year: '11.11' / '11 Nov'."""
    if language() == "ru":
        return format_date(day, "dd.MM", locale="ru_RU")
    return format_date(day, "d MMM", locale="en_GB")


def trial_notice(trial: TrialPeriod) -> str:
    """R5: the notice the clerk reads out for a service in trial operation."""
    return _("Trial operation from {start} to {end}: proper provision is not guaranteed").format(
        start=short_date(trial.start), end=short_date(trial.end)
    )


# -- the actions on the card ---------------------------------------------------------------
@dataclass(frozen=True)
class ActionView:
    action: OrderAction
    label: str  # "Сменить тариф…"
    key: str  # "F5"
    enabled: bool
    reason: str  # why not, "" when enabled

    @property
    def text(self) -> str:
        """The button's text with its shortcut."""
        return f"{self.label}  {self.key}"


@dataclass(frozen=True)
class ActionsView:
    actions: tuple[ActionView, ...]
    note: str  # one line under the buttons: why what is disabled is disabled

    def get(self, action: OrderAction) -> ActionView:
        return next(view for view in self.actions if view.action is action)


def options_for(options: OrderOptions, action: OrderAction) -> tuple[OrderOption, ...]:
    if action is OrderAction.CHANGE_TARIFF:
        return options.tariffs
    if action is OrderAction.ADD_SERVICE:
        return options.add_services
    if action is OrderAction.REMOVE_SERVICE:
        return options.remove_services
    return (options.assistant,)


def _shared_reason(options: tuple[OrderOption, ...], fallback: str) -> str:
    reasons = {option.reason for option in options if option.reason}
    return reasons.pop() if len(reasons) == 1 else fallback


def _why_none(action: OrderAction, options: tuple[OrderOption, ...]) -> str:
    if action is OrderAction.CONNECT_ASSISTANT:
        return options[0].reason or _("The Electronic Assistant cannot be connected.")
    if not options:
        empty = {
            OrderAction.CHANGE_TARIFF: _("There are no other tariffs in the catalog."),
            OrderAction.ADD_SERVICE: _("Every service in the catalog is already connected."),
            OrderAction.REMOVE_SERVICE: _("No services are connected."),
        }
        return empty[action]
    fallback = {
        OrderAction.CHANGE_TARIFF: _("None of the tariffs is available to this subscriber."),
        OrderAction.ADD_SERVICE: _("None of the services is available to this subscriber."),
        OrderAction.REMOVE_SERVICE: _("None of the services can be disconnected now."),
    }
    return _shared_reason(options, fallback[action])


def present_actions(options: OrderOptions | None, unavailable: str = "") -> ActionsView:
    """The four buttons. Without options (still computing, or `unavailable` says why not)
    every button is disabled with that sentence."""
    views = []
    for action in ACTIONS:
        if options is None:
            reason = unavailable or _("Checking what this subscriber may have…")
            views.append(ActionView(action, action_label(action), ACTION_KEYS[action], False,
                                    reason))
            continue
        choices = options_for(options, action)
        enabled = any(option.available for option in choices)
        reason = "" if enabled else _why_none(action, choices)
        views.append(ActionView(action, action_label(action), ACTION_KEYS[action], enabled,
                                reason))
    return ActionsView(tuple(views), _note(tuple(views), options is None))


def _note(views: tuple[ActionView, ...], waiting: bool) -> str:
    disabled = [view for view in views if not view.enabled]
    if not disabled:
        return ""
    reasons = {view.reason for view in disabled}
    if len(reasons) == 1 and (waiting or len(disabled) == len(views)):
        return disabled[0].reason
    # One line per distinct reason, naming the buttons it is about (in the buttons' order).
    parts = []
    for reason in dict.fromkeys(view.reason for view in disabled):
        names = ", ".join(f"«{view.label.rstrip('…')}»" for view in disabled
                          if view.reason == reason)
        parts.append(_("{actions}: {reason}").format(actions=names, reason=reason))
    return "\n".join(parts)


# -- the choice in the operation dialog ----------------------------------------------------
@dataclass(frozen=True)
class OptionRow:
    key: str  # the tariff's or service's code, or ASSISTANT_KEY
    name: str
    one_off: str  # the catalog's list price (the preview gives the exact fee, R4)
    monthly: str
    note: str  # short: the reason it is not available, or the trial's end
    detail: str  # the whole sentence under the list for the selected row
    available: bool


def option_key(option: OrderOption) -> str:
    return option.request.code or ASSISTANT_KEY


def present_option(option: OrderOption) -> OptionRow:
    if not option.available:
        note = option.reason
        detail = _("Not available: {reason}").format(reason=option.reason)
    elif option.trial is not None:
        note = _("trial operation until {end} (R5)").format(end=short_date(option.trial.end))
        detail = trial_notice(option.trial) + " (R5)."
    else:
        note, detail = "", ""
    return OptionRow(
        key=option_key(option),
        name=option.name,
        one_off=fee_text(option.one_off_fee),
        monthly=_("{fee} a month").format(fee=formatting.money(option.monthly_fee)),
        note=note,
        detail=detail,
        available=option.available,
    )


def present_options(options: tuple[OrderOption, ...]) -> tuple[OptionRow, ...]:
    """Available ones first (in the catalog's order), then the others, still visible."""
    rows = [present_option(option) for option in options]
    return tuple([row for row in rows if row.available] + [r for r in rows if not r.available])


def choose_prompt(action: OrderAction) -> str:
    prompts = {
        OrderAction.CHANGE_TARIFF: _("Choose the new tariff:"),
        OrderAction.ADD_SERVICE: _("Choose the service to connect:"),
        OrderAction.REMOVE_SERVICE: _("Choose the service to disconnect:"),
        OrderAction.CONNECT_ASSISTANT: _("The Electronic Assistant:"),
    }
    return prompts[action]
