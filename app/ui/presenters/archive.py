"""The subscriber's personal archive for the card (no tkinter): the documents the operator
keeps for 3 days (R9), with when each was put there and when it expires."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from app import formatting
from app.i18n import _, ngettext
from app.ui.presenters.card import FieldView

if TYPE_CHECKING:  # models.archive is a peewee module: not loaded with the window
    from models.archive import ArchivedDocument

ARCHIVE_COLUMNS = ("name", "uploaded", "expires", "left", "size")
SOON = timedelta(hours=6)


def archive_headings() -> dict[str, str]:
    return {"name": _("Document"), "uploaded": _("Put there"), "expires": _("Kept until"),
            "left": _("Time left"), "size": _("Size")}


@dataclass(frozen=True)
class ArchiveRow:
    document_id: str
    values: tuple[str, ...]
    tags: tuple[str, ...]


def time_left(expires_at: datetime, now: datetime) -> str:
    left = expires_at - now
    if left <= timedelta(0):
        return _("expired")
    hours = int(left.total_seconds() // 3600)
    if hours < 1:
        return _("less than an hour")
    days, hours = divmod(hours, 24)
    if days:
        return _("{days} d {hours} h").format(days=days, hours=hours)
    return ngettext("{count} hour", "{count} hours", hours).format(count=hours)


def size_text(size: int) -> str:
    if size < 1024:
        return _("{count} B").format(count=size)
    if size < 1024 * 1024:
        return _("{count} KB").format(count=size // 1024)
    return _("{count} MB").format(count=round(size / 2**20, 1))


def present_archive(documents: Iterable[ArchivedDocument], now: datetime,
                    timezone: str) -> list[ArchiveRow]:
    rows = []
    for doc in documents:
        soon = doc.expires_at - now < SOON
        rows.append(ArchiveRow(doc.id, (
            doc.name, formatting.local_datetime(doc.uploaded_at, timezone),
            formatting.local_datetime(doc.expires_at, timezone), time_left(doc.expires_at, now),
            size_text(doc.size)), ("pending",) if soon else ()))
    return rows


def archive_summary(documents: Iterable[ArchivedDocument]) -> str:
    count = len(list(documents))
    if not count:
        return _("The subscriber's personal archive is empty: documents are kept there 3 days.")
    return ngettext("{count} document in the personal archive; each is kept 3 days (R9).",
                    "{count} documents in the personal archive; each is kept 3 days (R9).",
                    count).format(count=count)


ARCHIVE_KEY = "Ctrl+Shift+A"
CARD_LINES = 3  # more would push the tariff's services off a 1024×700 card


def archive_card_fields(documents: Iterable[ArchivedDocument] | None, timezone: str, *,
                        offline: bool = False) -> tuple[FieldView, ...]:
    """The personal archive's row on the card, under the Subscriber's: each document with its
    expiry (the newest first, as the operator lists them), or why it is not known now. The
    key that opens it is on the value's line (a row of its own would push the tariff's
    services off a 1024×700 screen), and under the list when there is one."""
    label = _("Personal archive")
    if offline:
        return (FieldView(label, with_key(_("not known offline"), ARCHIVE_KEY)),)
    if documents is None:
        return (FieldView(label, with_key(_("the operator did not answer"), ARCHIVE_KEY)),)
    docs = list(documents)
    if not docs:
        return (FieldView(label, with_key(_("empty"), ARCHIVE_KEY)),)
    lines = [_("{name} — until {when}").format(
        name=doc.name, when=formatting.local_datetime(doc.expires_at, timezone))
        for doc in docs[:CARD_LINES]]
    if len(docs) > CARD_LINES:
        more = len(docs) - CARD_LINES
        lines.append(_("and {count} more").format(count=more))
    return (FieldView(label, "\n".join(lines),
                      note=_("{key} — open; kept 3 days (R9)").format(key=ARCHIVE_KEY)),)


def with_key(text: str, key: str) -> str:
    return f"{text}  ·  {key}"
