"""Use case R11: paper detalizations ordered online for pick-up at this salon — the queue, printing
ahead, the hand-over after R10, and the destruction of what was not collected in time. One
service for the window and the `salon pickup` command alike; long work reports progress through
plain callbacks (no Tk here), so the window runs it on its worker.

    service.queue(clerk) -> list[QueueEntry]            this salon's open orders (R7-filtered)
    service.expired(clerk) -> list[QueueEntry]          the destroy list (older than keep_days)
    service.print_ahead(clerk, order, progress) -> Printed
    service.print_all_new(clerk, progress) -> BatchResult
    service.hand_over(clerk, order) -> HandedOver       R10 first; the receipt printed
    service.destroy(clerk, order, confirmed=True) -> QueueEntry

- The operator keeps the order's state (TMF622, app/operator_api/pickup.py); the console reports
  each change under an Idempotency-Key made from the salon, counter, clerk, order and state —
  the same for a retry of one clerk's action, across a restart too (nothing to store), and
  different for two counters, so that of two counters handing over one order at once exactly
  one wins and the other gets R11.
- R7: an order for a number of another home region than the salon's is never shown or acted
  on, whatever the operator lists.
- Printing ahead makes the detalization exactly as DetalizationService does (the same
  document, registered for verify-document) plus a cover sheet, both sent to the printer; a
  reprint sends the kept copies again (or makes them again once R9 purged them) and never
  reports anything new. The copies live in `<documents>/pickup/` named by the order, so the
  hand-over and the destruction purge them (R9); the R9 purge takes them after the retention
  days in any case.
- Every state change is journaled (PICKUP_PRINT, PICKUP_HAND_OVER, PICKUP_DESTROY) with the
  order number; a refusal as refused, never as done.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Protocol

from app.clock import Clock
from app.config import SalonSettings
from app.errors import InputError, PickupConflict, RuleRefused, SalonError
from app.i18n import _
from app.services.clerks import require_clerk
from app.services.detalization import DetalizationService
from app.services.journaling import Journal, journaled
from app.services.kept_files import KeptFiles
from app.services.pickup_papers import Presented, cover_sheet, hand_over_receipt
from app.services.printing import PrintService
from models.audit_codes import AuditAction
from models.detalization import Options, Period, mask_msisdn
from models.documents import DocumentRegister, RegisteredDocument, new_document_id
from models.domain import Session
from models.identity import Need, Visit
from models.pickup import OperatorState, PickupOrder, PickupState
from models.printing import DocumentKind, PrintJob
from models.regions import region_name

log = logging.getLogger(__name__)

# (orders done, orders in all, the order now) — print_all_new's progress.
BatchProgress = Callable[[int, int, str], None]
# (stage, done, total) — one detalization's progress (app/services/usage_sync.py OrderProgress).
OrderProgress = Callable[[str, int, int], None]


class PickupApi(Protocol):
    """The operator calls R11 needs (app/operator_api/pickup.py)."""

    def pickup_queue(self, salon: str) -> list[PickupOrder]: ...

    def pickup_expired(self, salon: str, ordered_before: datetime) -> list[PickupOrder]: ...

    def pickup_order(self, order_id: str, *, listed: PickupOrder | None = None
                     ) -> PickupOrder: ...

    def report_pickup_state(self, order_id: str, state: OperatorState, key: str, *,
                            read: PickupOrder | None = None) -> PickupOrder: ...


class PickupIdentity(Protocol):
    """R10 as the hand-over needs it (app/services/identity.py IdentityService)."""

    def require(self, clerk: Session, msisdn: str, *needs: Need) -> None: ...

    def visit_of(self, clerk: Session, msisdn: str) -> Visit | None: ...


@dataclass(frozen=True)
class QueueEntry:
    """One line of the pick-up list."""

    order: PickupOrder
    state: PickupState
    expires_at: datetime  # when it goes to the destroy list (UTC)

    @property
    def masked_number(self) -> str:
        return mask_msisdn(self.order.msisdn)


@dataclass(frozen=True)
class Printed:
    entry: QueueEntry
    detalization_id: str
    files: tuple[Path, ...]  # the cover sheet, then the detalization
    jobs: tuple[PrintJob, ...]
    reprint: bool  # it had been printed before: nothing new was reported


@dataclass(frozen=True)
class HandedOver:
    entry: QueueEntry
    receipt: Path
    receipt_id: str
    job: PrintJob
    presented: Presented | None


@dataclass
class BatchResult:
    printed: list[Printed] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (order, the sentence)


class PickupService:
    def __init__(self, api: PickupApi, detalization: DetalizationService,
                 printing: PrintService, identity: PickupIdentity, *, salon: SalonSettings,
                 keep_days: int, documents_dir: Path, clock: Clock,
                 journal: Journal | None = None, kept: KeptFiles | None = None,
                 register: DocumentRegister | None = None) -> None:
        self._api = api
        self._detalization = detalization
        self._printing = printing
        self._identity = identity
        self._salon = salon
        self._keep = timedelta(days=keep_days)
        self.keep_days = keep_days
        self.folder = documents_dir / "pickup"
        self._clock = clock
        self._journal = journal
        self._kept = kept
        self._register = register

    # -- the lists -------------------------------------------------------------------------------

    def queue(self, clerk: Session) -> list[QueueEntry]:
        """This salon's open orders (new, printed, expired), oldest first."""
        require_clerk(clerk)
        return self._entries(self._api.pickup_queue(self._salon.id))

    def expired(self, clerk: Session) -> list[QueueEntry]:
        """The destroy list: open orders ordered more than keep_days ago."""
        require_clerk(clerk)
        cutoff = self._clock.now() - self._keep
        return self._entries(self._api.pickup_expired(self._salon.id, cutoff))

    def entry(self, clerk: Session, order_id: str) -> QueueEntry:
        """One of this salon's orders (any state); InputError for another salon's, or R7."""
        require_clerk(clerk)
        return self._mine(self._api.pickup_order(_order_id(order_id)))

    # -- printing ahead --------------------------------------------------------------------------

    def print_ahead(self, clerk: Session, order_id: str,
                    progress: OrderProgress | None = None) -> Printed:
        """Print the order's detalization with its cover sheet; a new order is then reported
        printed (inProgress). A printed one is printed again and nothing is reported. RuleRefused
        R11 for a closed order; PrintFailed (the files kept) when the printer fails — the state
        is then not reported."""
        return self._print_ahead(clerk, order_id, progress)

    def _print_ahead(self, clerk: Session, order_id: str, progress: OrderProgress | None,
                     listed: PickupOrder | None = None) -> Printed:
        """`print_ahead`; `listed`: the order as the batch's queue named it (its state is
        read again all the same: another counter may have taken it since)."""
        require_clerk(clerk)
        order_id = _order_id(order_id)
        with journaled(self._journal, clerk.login, AuditAction.PICKUP_PRINT,
                       detail=order_id) as outcome:
            entry = self._mine(self._api.pickup_order(order_id, listed=listed))
            order = entry.order
            outcome.subscriber = order.msisdn
            self._open(order)
            reprint = order.state is OperatorState.PRINTED
            cover, paper, document_id = self._papers(clerk, order, progress)
            jobs = tuple(self._printing.print_document(
                clerk, path, kind=DocumentKind.DETALIZATION if path == paper
                else DocumentKind.SLIP, title=f"{order.order_id} {path.stem}",
                subscriber=order.msisdn) for path in (cover, paper))
            if order.state is OperatorState.NEW:
                order = self._report(clerk, order, OperatorState.PRINTED)
            outcome.detail = f"{order_id} {document_id}" + (" reprint" if reprint else "")
        return Printed(self._entry(order), document_id, (cover, paper), jobs, reprint)

    def print_all_new(self, clerk: Session, progress: BatchProgress | None = None,
                      ) -> BatchResult:
        """Print ahead every new order of the queue, one by one, `progress(done, total,
        order)` before each. An order another counter took meanwhile (R11), or that a rule
        refuses, is skipped with its sentence; a printer failure stops the batch (PrintFailed:
        the printer needs the clerk, not the next order)."""
        result = BatchResult()
        new = [e for e in self.queue(clerk) if e.state is PickupState.NEW]
        for done, entry in enumerate(new):
            if progress is not None:
                progress(done, len(new), entry.order.order_id)
            try:
                result.printed.append(self._print_ahead(clerk, entry.order.order_id, None,
                                                        listed=entry.order))
            except (RuleRefused, InputError) as refused:
                result.skipped.append((entry.order.order_id, str(refused)))
        if progress is not None:
            progress(len(new), len(new), "")
        return result

    # -- the hand-over ---------------------------------------------------------------------------

    def hand_over(self, clerk: Session, order_id: str) -> HandedOver:
        """Hand the printed order over: R10 for its subscriber first (IdentityRequired), the
        operator told (completed; PickupConflict R11 when another counter was first, and
        nothing is printed or journaled as handed over), then the receipt printed and the
        local copies purged (R9)."""
        require_clerk(clerk)
        order_id = _order_id(order_id)
        with journaled(self._journal, clerk.login, AuditAction.PICKUP_HAND_OVER,
                       detail=order_id) as outcome:
            entry = self._mine(self._api.pickup_order(order_id))
            order = entry.order
            outcome.subscriber = order.msisdn
            if order.state is not OperatorState.HANDED_OVER or self._receipts(order_id):
                self._open(order)  # closed, or handed over here already (its receipt kept)
            self._identity.require(clerk, order.msisdn, Need.PICKUP)
            visit = self._identity.visit_of(clerk, order.msisdn)
            presented = Presented.of(visit) if visit is not None else None
            if order.state is OperatorState.NEW:
                raise InputError(_("Pick-up order {order} has not been printed yet: print it "
                                   "first (salon pickup print {order}).").format(
                                       order=order_id))
            # Handed over, and no receipt here: by this very action whose answer was lost (a
            # timeout, a crash)? The same key gets the operator's stored answer — the order
            # (it was ours: the receipt is printed now) or R11 (another counter's).
            order = self._report(clerk, order, OperatorState.HANDED_OVER)
            outcome.detail = f"{order_id} " + (presented.journal_text() if presented
                                               else "unchecked")
            self._purge(order_id)
            receipt, receipt_id = self._receipt(clerk, order, presented)
            outcome.detail += f" {receipt_id}"
        # Printed after the state is recorded: the hand-over is done whatever the printer says
        # (PrintFailed keeps the receipt and gives its path).
        job = self._printing.print_document(clerk, receipt, kind=DocumentKind.SLIP,
                                            title=f"{order_id} receipt",
                                            subscriber=order.msisdn)
        return HandedOver(self._entry(order), receipt, receipt_id, job, presented)

    # -- destruction -----------------------------------------------------------------------------

    def destroy(self, clerk: Session, order_id: str, *, confirmed: bool) -> QueueEntry:
        """Destroy an expired order the clerk confirmed: the local copies purged (R9), the
        operator told (cancelled). RuleRefused R11 for one that has not expired, or is closed."""
        require_clerk(clerk)
        order_id = _order_id(order_id)
        if not confirmed:
            raise InputError(_("Destroying pick-up order {order} needs the clerk's "
                               "confirmation (--yes); nothing was changed.").format(
                                   order=order_id))
        with journaled(self._journal, clerk.login, AuditAction.PICKUP_DESTROY,
                       detail=order_id) as outcome:
            entry = self._mine(self._api.pickup_order(order_id))
            outcome.subscriber = entry.order.msisdn
            self._open(entry.order)
            if entry.state is not PickupState.EXPIRED:
                raise RuleRefused(_(
                    "R11: pick-up order {order} waits for its subscriber until {until}; only "
                    "an order not collected within {days} days is destroyed.").format(
                        order=order_id, until=_local(entry.expires_at, self._salon.timezone),
                        days=self.keep_days), rule="R11")
            self._purge(order_id)
            order = self._report(clerk, entry.order, OperatorState.DESTROYED)
        return self._entry(order)

    def destroy_all_expired(self, clerk: Session, *, confirmed: bool,
                            progress: BatchProgress | None = None,
                            ) -> tuple[list[QueueEntry], list[tuple[str, str]]]:
        """Destroy the whole destroy list; (destroyed, skipped with the sentence)."""
        if not confirmed:
            raise InputError(_("Destroying the expired pick-up orders needs the clerk's "
                               "confirmation (--yes); nothing was changed."))
        expired = self.expired(clerk)
        done: list[QueueEntry] = []
        skipped: list[tuple[str, str]] = []
        for count, entry in enumerate(expired):
            if progress is not None:
                progress(count, len(expired), entry.order.order_id)
            try:
                done.append(self.destroy(clerk, entry.order.order_id, confirmed=True))
            except (RuleRefused, InputError) as refused:
                skipped.append((entry.order.order_id, str(refused)))
        if progress is not None:
            progress(len(expired), len(expired), "")
        return done, skipped

    # -- parts -----------------------------------------------------------------------------------

    def _entries(self, orders: list[PickupOrder]) -> list[QueueEntry]:
        mine = []
        for order in orders:
            if order.salon != self._salon.id or order.home_region != self._salon.region:
                # R7: the operator should not list it here; the console never shows it.
                log.warning("pick-up order %s (salon %s, region %s) left out: not this "
                            "salon's home region", order.order_id, order.salon,
                            order.home_region)
                continue
            mine.append(self._entry(order))
        return sorted(mine, key=lambda e: (e.order.ordered_at, e.order.order_id))

    def _entry(self, order: PickupOrder) -> QueueEntry:
        return QueueEntry(order, order.shown_state(self._clock.now(), self.keep_days),
                          order.expires_at(self.keep_days))

    def _mine(self, order: PickupOrder) -> QueueEntry:
        if order.salon != self._salon.id:
            raise InputError(_("Pick-up order {order} is to be collected at another salon "
                               "({salon}), not here.").format(order=order.order_id,
                                                              salon=order.salon))
        if order.home_region != self._salon.region:
            raise RuleRefused(_(
                "Pick-up order {order} is for a number of another home region than this "
                "salon's («{region}»): a detalization is picked up in the number's home "
                "region (R7).").format(order=order.order_id,
                                       region=region_name(self._salon.region)), rule="R7")
        return self._entry(order)

    @staticmethod
    def _open(order: PickupOrder) -> None:
        if order.state is OperatorState.HANDED_OVER:
            raise PickupConflict(_("R11: pick-up order {order} has already been handed over "
                                   "(at this or another counter); nothing was changed.")
                                 .format(order=order.order_id), order.state.value)
        if order.state is OperatorState.DESTROYED:
            raise PickupConflict(_("R11: pick-up order {order} has already been destroyed; "
                                   "nothing was changed.").format(order=order.order_id),
                                 order.state.value)

    def _papers(self, clerk: Session, order: PickupOrder,
                progress: OrderProgress | None) -> tuple[Path, Path, str]:
        """The cover sheet and the detalization: the kept ones, or made now."""
        from printing.slip import write_slip

        self.folder.mkdir(parents=True, exist_ok=True)
        kept = sorted(self.folder.glob(f"{order.order_id}-DET-*.pdf"))
        cover = self.folder / f"{order.order_id}-cover.pdf"
        if kept and cover.is_file():
            return cover, kept[-1], kept[-1].stem.removeprefix(f"{order.order_id}-")
        made = self._detalization.order(
            clerk, order.msisdn, Period(order.first, order.last), Options(), "pdf",
            folder=self.folder, progress=progress, pickup_order=order.order_id)
        paper = made.path.with_name(f"{order.order_id}-{made.path.name}")
        made.path.replace(paper)
        if self._kept is not None:
            self._kept.written(paper)
        write_slip(cover_sheet(order, self._salon, clerk, self._clock.now(), made.document_id),
                   cover)
        if self._kept is not None:
            self._kept.written(cover)
        return cover, paper, made.document_id

    def _receipt(self, clerk: Session, order: PickupOrder,
                 presented: Presented | None) -> tuple[Path, str]:
        from zoneinfo import ZoneInfo

        from printing.slip import write_slip

        now = self._clock.now()
        zone = ZoneInfo(self._salon.timezone)
        receipt_id = new_document_id(DocumentKind.SLIP, now, zone)
        path = self.folder / f"{order.order_id}-receipt-{receipt_id}.pdf"
        sha = write_slip(hand_over_receipt(order, self._salon, clerk, now, presented,
                                           receipt_id), path)
        if self._kept is not None:
            self._kept.written(path)
        if self._register is not None:
            day = now.astimezone(zone).date()
            self._register.add(RegisteredDocument(
                receipt_id, "pdf", sha, now, day, day, mask_msisdn(order.msisdn),
                self._salon.id, self._salon.counter, DocumentKind.SLIP))
        return path, receipt_id

    def _receipts(self, order_id: str) -> list[Path]:
        return sorted(self.folder.glob(f"{order_id}-receipt-*.pdf"))

    def _purge(self, order_id: str) -> int:
        """R9: the order's local copies (detalization and cover sheet) go now."""
        gone = 0
        for path in (*self.folder.glob(f"{order_id}-DET-*"), self.folder / f"{order_id}-cover.pdf"):
            try:
                path.unlink()
                gone += 1
            except FileNotFoundError:
                continue
            except OSError as error:
                log.warning("R9: cannot remove %s: %s", path, error)
                raise SalonError(_("The local copy {path} could not be deleted: {error}")
                                 .format(path=path, error=error.strerror or error)) from error
        return gone

    def _report(self, clerk: Session, order: PickupOrder, state: OperatorState) -> PickupOrder:
        return self._api.report_pickup_state(order.order_id, state,
                                             self.report_key(clerk, order.order_id, state),
                                             read=order)

    def report_key(self, clerk: Session, order_id: str, state: OperatorState) -> str:
        """The Idempotency-Key of one clerk's report of one state of one order at this
        counter: the same for its retries (and after a restart), another for another counter
        or clerk, so the operator decides between two counters."""
        said = "\x1f".join((self._salon.id, self._salon.counter, clerk.login, order_id,
                            state.value))
        return "pickup-" + hashlib.sha256(said.encode()).hexdigest()[:48]


def _order_id(text: str) -> str:
    order = text.strip()
    if not order or len(order) > 64 or not order.isprintable() or "/" in order:
        raise InputError(_("A pick-up order number looks like PU-000007; nothing was "
                           "changed."))
    return order


def _local(moment: datetime, timezone: str) -> str:
    from app import formatting

    return formatting.local_datetime(moment, timezone, with_zone=True)


def shown_state(state: PickupState) -> str:
    """The state as the clerk reads it."""
    return {PickupState.NEW: _("new"), PickupState.PRINTED: _("printed"),
            PickupState.HANDED_OVER: _("handed over"), PickupState.EXPIRED: _("expired"),
            PickupState.DESTROYED: _("destroyed")}[state]
