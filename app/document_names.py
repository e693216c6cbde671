"""The identity documents a salon accepts (R10), by name in the console's language — one list
for the identity check's dialog, the hand-over receipt and the journal's words. No tkinter and
no heavy imports. `_`: the translation (default: the console's current language), so the day's
log can speak the language its export asks for."""

from __future__ import annotations

from collections.abc import Callable

from app.i18n import _ as current
from models.identity import DocumentType


def document_names(_: Callable[[str], str] = current) -> dict[DocumentType, str]:
    """Each accepted document, in the order a clerk meets them."""
    return {
        DocumentType.PASSPORT_RF: _("RF passport"),
        DocumentType.INTERNATIONAL_PASSPORT_RF: _("RF international passport"),
        DocumentType.FOREIGN_PASSPORT: _("foreign passport"),
        DocumentType.RESIDENCE_PERMIT: _("residence permit"),
        DocumentType.TEMPORARY_RESIDENCE_PERMIT: _("temporary residence permit"),
        DocumentType.MILITARY_ID: _("military ID"),
    }


def document_name(kind: str, _: Callable[[str], str] = current) -> str:
    """A document by its TMF632 `identificationType`; one the console does not know as it is."""
    return {str(k): name for k, name in document_names(_).items()}.get(kind, kind)
