"""R10's identity check as the F2 dialog and `salon identify` say it (no tkinter): the documents
a clerk chooses from, the form's power of attorney read into plain data, and the sentence that
says the check was recorded. Never the document's number: a visit says its last 4 only."""

from __future__ import annotations

from app import formatting
from app.document_names import document_names
from app.i18n import _
from app.phone import format_msisdn
from app.ui.presenters.errors import MessageView
from models.identity import DocumentType, Presenter, Visit


def document_named(name: str) -> DocumentType | None:
    """The document the dialog's list shows by `name` (None: nothing chosen)."""
    return {shown: kind for kind, shown in document_names().items()}.get(name)


def visit_sentence(visit: Visit, timezone: str) -> str:
    """"Identity checked for … until 12:34": the clerk's confirmation, window and CLI alike."""
    until = formatting.local_time(visit.ends_at, timezone)
    who = (_("the holder") if visit.presenter is Presenter.HOLDER
           else _("a representative (power of attorney {number} of {date})").format(
               number=visit.poa_number,
               date=visit.poa_date.isoformat() if visit.poa_date else ""))
    sentence = _("Identity checked for {number}: {who}, document ending in {last4}. The check "
                 "holds for this visit, until {until} at most.").format(
        number=format_msisdn(visit.msisdn), who=who, last4=visit.last4, until=until)
    if not visit.verified:
        sentence += " " + _("The operator has not confirmed this subscriber's data (303-FZ): "
                            "only the identity check is offered.")
    return sentence


def checked_message(visit: Visit, timezone: str) -> MessageView:
    return MessageView(visit_sentence(visit, timezone), "done" if visit.verified else "info")
