"""The customer leaflet of the Electronic Assistant (printing/leaflet.py lays it out): how to
connect it and order a code, the 3-tries/24-hours rule (R3), the trial-operation dates (R5,
from the catalog's ASSISTANT service) and the price (free, R1). The subscriber's number is
masked; the code is never on it (R2: there is nothing to put it in).

The leaflet is saved, atomically, under `<data_dir>/documents/leaflets/` (or where the clerk
says) and its path shown; it carries a QR code and its hash, and is registered (id LFT-…, the
number masked) so `salon verify-document` can check it later.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

from app.clock import Clock
from app.config import Settings
from app.errors import InputError, OperatorUnavailable
from app.i18n import _
from app.inputs import output_target, shown_path
from app.services.clerks import require_clerk
from app.services.kept_files import KeptFiles
from models.documents import DocumentRegister, RegisteredDocument, new_document_id
from models.domain import CatalogService, Session, TrialPeriod
from models.printing import DocumentKind

log = logging.getLogger(__name__)
ASSISTANT = "ASSISTANT"


@dataclass(frozen=True)
class Leaflet:
    path: Path
    subscriber: str  # the number as printed, masked ("+7 916 ***-**-67"), or "" when blank
    trial: TrialPeriod | None
    catalog_reached: bool  # False: the catalog could not be read, so no trial dates on it
    document_id: str = ""  # LFT-…, registered with its hash
    sha256: str = ""


class LeafletService:
    def __init__(self, settings: Settings, catalog: Callable[[], list[CatalogService]],
                 clock: Clock, kept: KeptFiles | None = None, *,
                 register: DocumentRegister | None = None) -> None:
        """`catalog`: the services of the operator's catalog (OrderService.services, which
        keeps a copy for when the operator does not answer); `kept`: where leaflets written
        into the documents folder are recorded (R9)."""
        self._kept = kept
        self._settings = settings
        self._catalog = catalog
        self._clock = clock
        self._register = register
        self.folder = settings.data_dir / "documents" / "leaflets"

    def make(self, clerk: Session, msisdn: str | None = None,
             path: Path | None = None) -> Leaflet:
        """Write the leaflet for `msisdn` (E.164; None: a blank one) to `path` or the
        leaflets folder, all or nothing."""
        from models.detalization import mask_msisdn
        from printing.atomic import atomic_output
        from printing.leaflet import LeafletInfo, render_leaflet  # ReportLab on first use

        require_clerk(clerk)
        target = self._target(path)
        trial, reached = self._trial()
        salon = self._settings.salon
        now = self._clock.now()
        masked = mask_msisdn(msisdn) if msisdn else ""
        zone = ZoneInfo(salon.timezone)
        day = now.astimezone(zone).date()
        document_id = new_document_id(DocumentKind.LEAFLET, now, zone)
        info = LeafletInfo(salon.name, salon.id, trial, day, masked, document_id)
        with atomic_output(target) as temp:
            sha = render_leaflet(info, temp)
        if self._kept is not None:
            self._kept.written(target)
        if self._register is not None:
            self._register.add(RegisteredDocument(document_id, "pdf", sha, now, day, day, masked,
                                                  salon.id, salon.counter,
                                                  DocumentKind.LEAFLET))
        return Leaflet(target, masked, trial, reached, document_id, sha)

    def _target(self, path: Path | None) -> Path:
        if path is None:
            self.folder.mkdir(parents=True, exist_ok=True)
            stamp = self._clock.now().astimezone(ZoneInfo(self._settings.salon.timezone))
            return self.folder / (f"assistant-leaflet-{stamp:%Y%m%d-%H%M%S}-"
                                  f"{secrets.token_hex(2)}.pdf")
        if path.suffix.lower() != ".pdf":
            raise InputError(_("The leaflet is a PDF: give the file a .pdf name."))
        output_target(path)  # a usable name; no folder, device, FIFO or socket
        if not path.parent.is_dir():
            raise InputError(_("There is no folder {folder} to save the leaflet in.")
                             .format(folder=shown_path(path.parent)))
        return path

    def _trial(self) -> tuple[TrialPeriod | None, bool]:
        try:
            services = self._catalog()
        except OperatorUnavailable as error:
            log.warning("leaflet without trial dates: the catalog is unavailable (%s)", error)
            return None, False
        entry = next((s for s in services if s.code == ASSISTANT), None)
        return (entry.trial if entry is not None else None), True
