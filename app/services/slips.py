"""The confirmation slip of a completed change (printing/slip.py lays it out): what changed,
the fee, the new monthly cost, the balance after, the order number, the date and time in the
subscriber's home-region zone, the clerk, the salon and counter — and its QR code and hash.

The slip is saved under `<data_dir>/documents/slips/` and its path shown to the clerk (who may
have it printed: app/services/printing.py). It is registered (id SLP-…, its hash, the number
masked) so `salon verify-document` can check it later.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol
from zoneinfo import ZoneInfo

from app import formatting
from app.config import Settings
from app.i18n import _
from app.phone import format_msisdn
from app.services.kept_files import KeptFiles
from models.documents import DocumentRegister, RegisteredDocument, new_document_id
from models.domain import Money
from models.orders import OrderAction, OutboxItem
from models.printing import DocumentKind

if TYPE_CHECKING:
    from printing.slip import Slip

ASSISTANT = "ASSISTANT"


class SlipFacts(Protocol):
    """What the outbox row says beyond the OutboxItem (models/outbox.py OutboxExtras, a
    frozen dataclass: read-only members)."""

    @property
    def clerk_name(self) -> str: ...

    @property
    def salon(self) -> str: ...

    @property
    def counter(self) -> str: ...

    @property
    def context(self) -> dict[str, Any]: ...


class SlipSource(Protocol):
    def extras(self, item_id: int) -> SlipFacts: ...


class SlipMaker:
    """SlipWriter of app/services/outbox_delivery.py."""

    def __init__(self, settings: Settings, store: SlipSource,
                 kept: KeptFiles | None = None,
                 register: DocumentRegister | None = None) -> None:
        self._kept = kept  # where slips are recorded for R9
        self._settings = settings
        self._store = store
        self._register = register
        self.folder = settings.data_dir / "documents" / "slips"

    def write(self, item: OutboxItem) -> str:
        from models.detalization import mask_msisdn
        from printing.slip import write_slip  # ReportLab loads on the first slip only

        result = item.result
        if result is None:
            raise ValueError("a slip is written for a completed order only")
        zone = ZoneInfo(self._zone(item))
        document_id = new_document_id(DocumentKind.SLIP, result.completed_at, zone)
        slip = self.compose(item, document_id)
        path = self.folder / f"slip-{result.order_id}-{item.id}.pdf"
        sha = write_slip(slip, path)
        if self._kept is not None:
            self._kept.written(path)
        if self._register is not None:
            day = result.completed_at.astimezone(zone).date()
            salon = self._settings.salon
            self._register.add(RegisteredDocument(
                document_id, "pdf", sha, result.completed_at, day, day,
                mask_msisdn(item.request.msisdn), salon.id, salon.counter, DocumentKind.SLIP))
        return str(path)

    def _zone(self, item: OutboxItem) -> str:
        return str(self._store.extras(item.id).context.get("timezone")
                   or self._settings.salon.timezone)

    def compose(self, item: OutboxItem, document_id: str = "") -> Slip:
        from printing.slip import Slip, SlipRow, SlipSection

        result = item.result
        assert result is not None
        facts = self._store.extras(item.id)
        context = facts.context
        zone = context.get("timezone") or self._settings.salon.timezone
        when = formatting.local_datetime(result.completed_at, zone, with_zone=True)
        subscriber = format_msisdn(item.request.msisdn)
        if context.get("subscriber_name"):
            subscriber = f"{subscriber}, {context['subscriber_name']}"
        change_rows = [SlipRow(label, value, strong=True) for label, value in
                       _what_changed(item, context)]
        dropped = ", ".join(f"«{s.name}»" for s in result.dropped_services)
        if dropped:
            change_rows.append(SlipRow(_("Disconnected with the tariff change"), dropped))
        money_rows = [SlipRow(_("One-off fee"), formatting.money(result.fee), strong=True)]
        monthly = formatting.money(result.monthly_cost_after)
        if item.preview is not None:
            before = formatting.money(item.preview.monthly_cost_before)
            monthly = f"{before} → {monthly}"
        money_rows.append(SlipRow(_("Monthly cost"), monthly))
        money_rows.append(SlipRow(_("Main balance after the change"),
                                  formatting.money(result.balance_after)))
        salon = self._settings.salon
        clerk = f"{facts.clerk_name} ({item.clerk})" if facts.clerk_name else item.clerk
        place = _("{salon}, counter {counter}").format(salon=facts.salon or salon.id,
                                                       counter=facts.counter or salon.counter)
        return Slip(
            salon=salon.name,
            salon_detail=place,
            title=_("Confirmation of a change"),
            subtitle=_("Order {order}, {when}").format(order=result.order_id, when=when),
            sections=(
                SlipSection(_("Subscriber"), (
                    SlipRow(_("Number and name"), subscriber),
                    *((SlipRow(_("Home region"), context["region"]),)
                      if context.get("region") else ()),
                )),
                SlipSection(_("What changed"), tuple(change_rows)),
                SlipSection(_("Charges"), tuple(money_rows)),
                SlipSection(_("Done by"), (
                    SlipRow(_("Clerk"), clerk),
                    SlipRow(_("Salon"), place),
                    SlipRow(_("Date and time"), when),
                )),
            ),
            notes=_notes(item, result.fee),
            signatures=(_("Clerk's signature"), _("Subscriber's signature")),
            footer=_("Order {order} is recorded by the operator; this slip confirms it. "
                     "Outbox #{item}.").format(order=result.order_id, item=item.id),
            document_title=_("Confirmation of order {order}").format(order=result.order_id),
            author=f"{salon.name} ({salon.id})",
            document_id=document_id,
            verify_note=_("Slip {id}; to check it: salon verify-document <file>").format(
                id=document_id),
        )


def _what_changed(item: OutboxItem, context: dict[str, Any]) -> list[tuple[str, str]]:
    request = item.request
    name = context.get("target_name") or request.code or ""
    if request.action is OrderAction.CHANGE_TARIFF:
        before = (context.get("tariff_before") or {}).get("name")
        value = f"«{before}» → «{name}»" if before else f"→ «{name}»"
        return [(_("Tariff plan"), value)]
    if request.action is OrderAction.REMOVE_SERVICE:
        return [(_("Service disconnected"), f"«{name}»")]
    if request.action is OrderAction.CONNECT_ASSISTANT or request.code == ASSISTANT:
        return [(_("Service connected"), _("«Electronic Assistant»"))]
    return [(_("Service connected"), f"«{name}»")]


def _notes(item: OutboxItem, fee: Money) -> tuple[str, ...]:
    notes = []
    request = item.request
    connects_assistant = request.action is OrderAction.CONNECT_ASSISTANT or (
        request.action is OrderAction.ADD_SERVICE and request.code == ASSISTANT)
    if connects_assistant:
        notes.append(_("The Electronic Assistant is connected free of charge and has no "
                           "subscription fee (R1)."))
    trial = item.preview.trial if item.preview else None
    if trial is not None:
        notes.append(_("The service is in trial operation from {start} to {end}: proper "
                       "service cannot be guaranteed during it (R5).").format(
            start=trial.start.strftime("%d.%m.%Y"), end=trial.end.strftime("%d.%m.%Y")))
    if fee.amount and item.preview is not None and item.preview.fee != fee:
        notes.append(_("The fee was charged by the tariff plan in force when the change was "
                       "applied (R4)."))
    return tuple(notes)
