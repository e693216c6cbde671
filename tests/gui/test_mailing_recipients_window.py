"""Delivery goes only to the subscriber, in the real window (issue 14.5, R10): wired by app.main
as `salon` does it, the embedded sandbox over loopback, `[identity] require_for` at everything.
After the holder's identity check the card shows the operator's address masked; the monthly
mailing dialog (Ctrl+Shift+M) refuses an address that is not the subscriber's with R10's
sentence and stores nothing, takes one the holder gave at the counter when the clerk ticks so,
and the journal has it masked with its kind."""

from __future__ import annotations

import tkinter as tk
from pathlib import Path

from app.config import load_settings
from app.formatting import mask_email
from models.identity import DocumentType, Presenter
from tests.conftest import write_ini
from tests.gui.helpers import real_window, screen_text

MARIA = "+79161234567"
GIVEN = "new.mailbox.5521@mail.example"
STRANGER = "stranger.box@elsewhere.example"


def test_the_monthly_mailing_goes_only_to_the_subscriber(
        root: tk.Tk, pump, screenshot, tmp_path: Path) -> None:
    settings = load_settings(write_ini(
        tmp_path, identity={"require_for": "all"},
        email={"host": "127.0.0.1", "port": "2525", "from": "salon@example.ru"}))
    with real_window(root, settings, pump) as window:
        services = window.services
        assert services is not None and services.demo_subscribers is not None
        maria = next(d for d in services.demo_subscribers() if d.msisdn == MARIA)
        assert maria.document is not None and maria.email
        services.identity.check(window.session, MARIA, Presenter.HOLDER,
                                DocumentType(maria.document.type), maria.document.number)
        window.search.set_text(MARIA)
        window.search.entry.focus_force()
        window.search.entry.event_generate("<Return>")
        pump(lambda: window.card is not None and not window.busy, timeout=15, what="the card")
        subscriber = screen_text(window.card_panel.subscriber)
        assert mask_email(maria.email) in subscriber and maria.email not in subscriber

        window.search.entry.event_generate("<Control-M>")
        dialog = window.delivery.subscription_dialog
        assert dialog is not None
        pump(lambda: dialog.loaded, what="the subscription looked up")
        dialog.address.insert(0, STRANGER)
        dialog.address.focus_force()
        dialog.address.event_generate("<Return>")
        pump(lambda: not dialog.busy and dialog.message.text, what="the refusal")
        assert "R10" in dialog.message.text and STRANGER not in dialog.message.text
        assert services.periodic.for_number(MARIA) is None
        screenshot("mailing-refused")

        dialog.address.delete(0, "end")
        dialog.address.insert(0, GIVEN)
        dialog.given_check.invoke()  # the holder gave it at the counter
        dialog.address.event_generate("<Return>")
        pump(lambda: dialog.subscription is not None, what="subscribed")
        found = services.periodic.for_number(MARIA)
        assert found is not None and found.email == GIVEN
        pump(lambda: mask_email(GIVEN) in screen_text(window.card_panel.subscriber),
             what="the card's mailing row")
        screenshot("mailing-given")
        journal = [entry for entry in services.audit.latest(20) if entry.action == "email"]
        assert any(entry.detail.endswith(f"{mask_email(GIVEN)} (counter), from "
                                         f"{found.first_period}") for entry in journal)
        assert all(GIVEN not in entry.detail and STRANGER not in entry.detail + entry.reason
                   for entry in journal)
