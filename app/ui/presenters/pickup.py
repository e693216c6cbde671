"""R11 pick-up at this salon as the clerk sees it (no tkinter): the status bar's button with how
many orders wait, the list's rows, and the sentences the list's actions end in.

The entries are app/services/pickup.py's QueueEntry; only their plain fields are read here.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from app import formatting
from app.errors import IdentityRequired, PickupConflict, PrintFailed
from app.i18n import _, ngettext
from app.ui.presenters.errors import MessageView, present_error
from models.pickup import PickupState

if TYPE_CHECKING:
    from app.services.pickup import BatchResult, HandedOver, Printed, QueueEntry

PICKUP_COLUMNS = ("order", "subscriber", "period", "ordered", "state")
WAITING = (PickupState.NEW, PickupState.PRINTED)  # what the status bar counts
ACTIONS = ("print", "print_all", "hand_over", "destroy", "destroy_all")


def state_name(state: PickupState) -> str:
    return {PickupState.NEW: _("new"), PickupState.PRINTED: _("printed"),
            PickupState.HANDED_OVER: _("handed over"), PickupState.EXPIRED: _("expired"),
            PickupState.DESTROYED: _("destroyed")}[state]


def waiting_count(entries: Iterable[QueueEntry]) -> int:
    """New and printed orders: what waits for a subscriber at this salon."""
    return sum(1 for entry in entries if entry.state in WAITING)


def pickup_button_text(count: int | None) -> str:
    """«Выдача: 3 (Ctrl+G)»; without a count (not known yet, or nothing waits) the key only."""
    if count:
        return _("Pick-up: {count} (Ctrl+G)").format(count=count)
    return _("Pick-up (Ctrl+G)")


def pickup_headings() -> dict[str, str]:
    return {"order": _("Order"), "subscriber": _("Number and name"),
            "period": _("Period"), "ordered": _("Ordered"), "state": _("State")}


@dataclass(frozen=True)
class PickupRow:
    order_id: str
    values: tuple[str, ...]
    state: PickupState
    detail: str
    tags: tuple[str, ...]

    def can(self, action: str) -> bool:
        """Whether the selected row's button is enabled."""
        if action == "print":
            return self.state in WAITING
        if action == "hand_over":
            return self.state is PickupState.PRINTED
        if action == "destroy":
            return self.state is PickupState.EXPIRED
        return True


def present_row(entry: QueueEntry, timezone: str) -> PickupRow:
    order = entry.order
    who = f"{entry.masked_number} {order.name}".strip()
    period = f"{order.first:%d.%m.%Y} — {order.last:%d.%m.%Y}"
    ordered = formatting.local_datetime(order.ordered_at, timezone)
    state = entry.state
    if state in WAITING:
        detail = _("{order}: waits for its subscriber until {until}.").format(
            order=order.order_id, until=formatting.local_datetime(entry.expires_at, timezone))
    elif state is PickupState.EXPIRED:
        detail = _("{order}: not collected in time; destroy it (Delete, then Delete "
                   "again).").format(order=order.order_id)
    else:
        detail = _("{order}: {state}.").format(order=order.order_id, state=state_name(state))
    tags = ("pending",) if state is PickupState.EXPIRED else \
        ("muted",) if state in (PickupState.HANDED_OVER, PickupState.DESTROYED) else ()
    return PickupRow(order.order_id, (order.order_id, who, period, ordered, state_name(state)),
                     state, detail, tags)


def present_rows(entries: Sequence[QueueEntry], timezone: str) -> list[PickupRow]:
    return [present_row(entry, timezone) for entry in entries]


def pickup_summary(rows: Sequence[PickupRow]) -> str:
    if not rows:
        return _("No detalizations wait for pick-up at this salon.")
    new = sum(1 for row in rows if row.state is PickupState.NEW)
    printed = sum(1 for row in rows if row.state is PickupState.PRINTED)
    expired = sum(1 for row in rows if row.state is PickupState.EXPIRED)
    return _("New: {new} · printed: {printed} · expired: {expired}").format(
        new=new, printed=printed, expired=expired)


# -- the actions' sentences -----------------------------------------------------------------------

def printed_message(printed: Printed) -> MessageView:
    order = printed.entry.order.order_id
    if printed.reprint:
        return MessageView(_("{order} printed again (the same detalization {document}); "
                             "nothing new was ordered.").format(
                                 order=order, document=printed.detalization_id), "done")
    return MessageView(_("{order} printed with its cover sheet (detalization {document}): put "
                         "it on the shelf.").format(order=order,
                                                    document=printed.detalization_id), "done")


def batch_message(result: BatchResult) -> MessageView:
    printed = len(result.printed)
    text = ngettext("{count} new order printed.", "{count} new orders printed.",
                    printed).format(count=printed) if printed else \
        _("No new orders to print.")
    for order, sentence in result.skipped:
        text += " " + _("{order} skipped: {reason}").format(order=order, reason=sentence)
    return MessageView(text, "input" if result.skipped else "done")


def handed_over_message(handed: HandedOver) -> MessageView:
    text = _("{order} handed over; the receipt is printed — the subscriber signs it.").format(
        order=handed.entry.order.order_id)
    if handed.presented is not None:
        text += " " + _("Presented by: {who}.").format(who=handed.presented.sentence())
    return MessageView(text, "done")


def destroyed_message(order: str) -> MessageView:
    return MessageView(_("{order} destroyed: its papers go to the shredder.").format(
        order=order), "done")


def destroyed_all_message(destroyed: int, skipped: Sequence[tuple[str, str]]) -> MessageView:
    text = ngettext("{count} expired order destroyed.", "{count} expired orders destroyed.",
                    destroyed).format(count=destroyed)
    for order, sentence in skipped:
        text += " " + _("{order} skipped: {reason}").format(order=order, reason=sentence)
    return MessageView(text, "input" if skipped else "done")


def confirm_destroy(row: PickupRow) -> MessageView:
    return MessageView(_("Destroy {order} ({subscriber})? Its papers go to the shredder. Press "
                         "Delete again to destroy it.").format(order=row.order_id,
                                                               subscriber=row.values[1]),
                       "input")


def confirm_destroy_all(count: int) -> MessageView:
    return MessageView(ngettext(
        "Destroy {count} expired order? Press Shift+Delete again to destroy it.",
        "Destroy {count} expired orders? Press Shift+Delete again to destroy them.",
        count).format(count=count), "input")


def action_failed(error: BaseException, row: PickupRow | None = None) -> MessageView:
    """A refusal as the clerk reads it: R10 says what to do, R11 the service's sentence (the
    list is then refreshed), a printer failure where the files are kept."""
    if isinstance(error, IdentityRequired):
        who = row.values[1] if row is not None else ""
        return MessageView(_("R10: the hand-over to {subscriber} needs this visit's identity "
                             "check, and it has not been recorded. Close this list (Esc), look "
                             "the number up, press F2 and check the holder's or the "
                             "representative's document, then hand the order over here. "
                             "Nothing was changed.").format(subscriber=who), "input")
    if isinstance(error, PickupConflict):
        return MessageView(str(error), "input")
    if isinstance(error, PrintFailed):
        return MessageView(str(error), "failure")
    return present_error(error)


def progress_text(done: int, total: int, order: str) -> str:
    if total == 0:
        return _("Looking for new orders…")
    if done >= total:
        return _("Printed {done} of {total}.").format(done=done, total=total)
    return _("Printing {order}: {done} of {total} done…").format(order=order, done=done,
                                                                 total=total)
