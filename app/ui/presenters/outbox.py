"""The outbox as the clerk sees it: the pending strip on the card, the queue view's rows, and
the sentence that reaches the clerk when the pump settles a queued write."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from app import formatting
from app.i18n import _, ngettext
from app.phone import format_msisdn
from app.ui.presenters.errors import MessageKind, MessageView
from app.ui.presenters.orders import action_name, rule_text, what_text
from models.orders import OrderRequest, OutboxItem, OutboxState

MAX_QUEUE_ROWS = 200  # the queue view never holds more (DESIGN §6: no huge Treeviews)
MAX_STRIP_LINES = 3


def state_name(state: OutboxState) -> str:
    names = {
        OutboxState.QUEUED: _("queued"),
        OutboxState.SENDING: _("sending"),
        OutboxState.DONE: _("done"),
        OutboxState.REJECTED: _("refused"),
        OutboxState.CANCELLED: _("cancelled"),
    }
    return names[state]


def request_text(request: OrderRequest, names: Mapping[str, str]) -> str:
    """"Tariff change to «Смарт Плюс»", with the code when the name is not known."""
    code = request.code or ""
    return what_text(request.action, names.get(code, code))


# -- the strip on the card -----------------------------------------------------------------
@dataclass(frozen=True)
class PendingView:
    title: str  # "В очереди: 2 операции (ожидают связи)"
    lines: tuple[str, ...]


def present_pending(items: Iterable[OutboxItem], names: Mapping[str, str],
                    salon_timezone: str) -> PendingView | None:
    """None when nothing of this subscriber waits (the strip hides)."""
    waiting = sorted((item for item in items if item.pending), key=lambda item: item.created_at)
    if not waiting:
        return None
    title = ngettext("Queued: {count} operation (waiting for the connection)",
                     "Queued: {count} operations (waiting for the connection)",
                     len(waiting)).format(count=len(waiting))
    lines = []
    for item in waiting[:MAX_STRIP_LINES]:
        parts = [
            request_text(item.request, names),
            _("since {time}").format(
                time=formatting.local_datetime(item.created_at, salon_timezone)),
            _("attempts: {count}").format(count=item.attempts),
        ]
        if item.state is OutboxState.SENDING:
            parts.append(state_name(item.state))
        if item.last_error:
            parts.append(item.last_error)
        lines.append(" · ".join(parts))
    if len(waiting) > MAX_STRIP_LINES:
        lines.append(_("…and {count} more in the queue (Ctrl+Q)").format(
            count=len(waiting) - MAX_STRIP_LINES))
    return PendingView(title, tuple(lines))


def queue_button_text(pending_count: int) -> str:
    if pending_count:
        return _("Queue: {count} (Ctrl+Q)").format(count=pending_count)
    return _("Queue (Ctrl+Q)")


# -- the queue view ------------------------------------------------------------------------
QUEUE_COLUMNS = ("time", "subscriber", "operation", "code", "state", "attempts", "error",
                 "result")


def queue_headings() -> dict[str, str]:
    return {
        "time": _("Time"),
        "subscriber": _("Subscriber"),
        "operation": _("Operation"),
        "code": _("Code"),
        "state": _("State"),
        "attempts": _("Attempts"),
        "error": _("Last error"),
        "result": _("Result"),
    }


@dataclass(frozen=True)
class QueueRow:
    item_id: int
    values: tuple[str, ...]  # in QUEUE_COLUMNS order
    detail: str  # the whole story of the selected row, under the table (columns cut)
    pending: bool
    maybe_delivered: bool


def merge_items(pending: Iterable[OutboxItem], recent: Iterable[OutboxItem],
                limit: int = MAX_QUEUE_ROWS) -> list[OutboxItem]:
    """Pending first (oldest first: sent in that order), then the rest newest first; each
    item once (the newer copy wins), at most `limit`."""
    by_id: dict[int, OutboxItem] = {}
    for item in (*recent, *pending):
        known = by_id.get(item.id)
        if known is None or item.updated_at >= known.updated_at:
            by_id[item.id] = item
    waiting = sorted((i for i in by_id.values() if i.pending), key=lambda i: i.created_at)
    settled = sorted((i for i in by_id.values() if not i.pending),
                     key=lambda i: i.updated_at, reverse=True)
    return (waiting + settled)[:limit]


def result_text(item: OutboxItem) -> str:
    if item.state is OutboxState.DONE and item.result is not None:
        return _("order {order} · {fee}").format(order=item.result.order_id,
                                                 fee=formatting.money(item.result.fee))
    if item.state is OutboxState.REJECTED:
        return rule_text(item.refusal_rule)
    return ""


def present_queue(items: Iterable[OutboxItem], names: Mapping[str, str],
                  salon_timezone: str) -> tuple[QueueRow, ...]:
    rows = []
    for item in items:
        phone = format_msisdn(item.request.msisdn)
        parts = [phone, request_text(item.request, names), state_name(item.state),
                 item.last_error, result_text(item)]
        rows.append(QueueRow(
            item_id=item.id,
            values=(
                formatting.local_datetime(item.created_at, salon_timezone),
                phone,
                action_name(item.request.action),
                item.request.code or "",
                state_name(item.state),
                str(item.attempts),
                item.last_error,
                result_text(item),
            ),
            detail=" · ".join(part for part in parts if part),
            pending=item.pending,
            maybe_delivered=item.maybe_delivered,
        ))
    return tuple(rows)


def queue_summary(rows: tuple[QueueRow, ...]) -> str:
    waiting = sum(1 for row in rows if row.pending)
    return _("Waiting to be sent: {waiting}. Shown: {shown} (the latest).").format(
        waiting=waiting, shown=len(rows))


# -- the pump's results --------------------------------------------------------------------
def present_settled(item: OutboxItem, names: Mapping[str, str]) -> MessageView:
    """The sentence for a queued write that reached a final state while the clerk worked."""
    phone = format_msisdn(item.request.msisdn)
    what = request_text(item.request, names)
    what = what[:1].lower() + what[1:]  # inside the sentence
    kind: MessageKind
    if item.state is OutboxState.DONE:
        state, kind = _("done"), "done"
        if item.result is not None:
            state = _("done, charged {fee}").format(fee=formatting.money(item.result.fee))
    elif item.state is OutboxState.REJECTED:
        state = _("refused ({rule})").format(rule=rule_text(item.refusal_rule)
                                             or _("no rule given"))
        kind = "failure"
    else:
        state, kind = state_name(item.state), "info"
    return MessageView(
        _("Queued operation for {phone} ({what}): {state}.").format(
            phone=phone, what=what, state=state),
        kind,
    )
