"""The detalization dialog e-mails for real (R8): the embedded sandbox, the SQLite store, the
services wired by app.main, and an SMTP server on loopback with STARTTLS and a password (the
relay's password in the keyring, never in salon.ini). The clerk chooses "Send by e-mail",
types the address and the CSV format; the server receives one letter, and the attachment it
got is the very file the console made."""

from __future__ import annotations

import tkinter as tk
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.config import Settings, load_settings
from app.services.credentials import set_smtp_password
from app.ui.presenters.detalization import Delivery, Step
from app.ui.presenters.detalization_delivery import StatusKind
from app.ui.window import MainWindow
from tests.conftest import write_ini
from tests.gui.helpers import real_window, screen_text, type_in
from tests.gui.test_detalization import NORMAL, Pump, enter, open_dialog, show
from tests.gui.test_detalization_delivery import choose, inside
from tests.support.calendar import last_month, ru, today_in
from tests.support.smtp import LOGIN, PASSWORD, MailServer, attachment, running_smtp


@pytest.fixture
def mail(tmp_path: Path, memory_keyring: object,
         monkeypatch: pytest.MonkeyPatch) -> Iterator[MailServer]:
    with running_smtp(tmp_path) as server:
        monkeypatch.setenv("SSL_CERT_FILE", str(server.cert))  # the relay's certificate
        set_smtp_password(PASSWORD)
        yield server


@pytest.fixture
def settings(tmp_path: Path, mail: MailServer) -> Settings:
    return load_settings(write_ini(tmp_path, salon={"language": "ru"}, email={
        "host": mail.host, "port": str(mail.port), "username": LOGIN,
        "from": "salon@example.ru"}))


@pytest.fixture
def window(root: tk.Tk, settings: Settings, pump: Pump) -> Iterator[MainWindow]:
    with real_window(root, settings, pump) as window:
        yield window


def test_send_by_email_through_a_real_relay(window: MainWindow, root: tk.Tk, pump: Pump,
                                            screenshot, mail: MailServer) -> None:
    root.geometry("1024x700+0+0")  # the smallest screen
    pump(lambda: root.winfo_width() == 1024 and root.winfo_height() == 700, what="1024x700")
    show(window, pump, NORMAL)
    dialog = open_dialog(window, pump)
    enter(dialog, pump, Step.DELIVERY)
    choose(dialog, pump, Delivery.EMAIL)
    step = dialog.delivery_step
    pump(step.email_row.winfo_ismapped, what="the address field")
    type_in(step.email, "maria.ivanova@example.ru")
    enter(dialog, pump, Step.FORMAT)
    dialog.format_step.radios["csv"].invoke()
    enter(dialog, pump, Step.CHECK)
    assert "maria.ivanova@example.ru" in screen_text(dialog)
    enter(dialog, pump, Step.SENDING)
    pump(lambda: dialog.step is Step.DONE, timeout=60, what="the document")
    pump(lambda: dialog.delivery_status is not None
         and dialog.delivery_status.kind is not StatusKind.RUNNING, timeout=30,
         what="the letter")
    status = dialog.delivery_status
    assert status is not None and status.kind is StatusKind.DONE, status
    assert "m***@example.ru" in status.text
    [letter] = mail.letters()
    assert letter.tls and letter.login == LOGIN  # STARTTLS, then the keyring's password
    assert letter.rcpt_tos == ["maria.ivanova@example.ru"]
    info = dialog.info
    assert info is not None
    name, content_type, content = attachment(letter.message)
    assert name == info.path.name and content_type == "text/csv"
    assert content == info.path.read_bytes()  # the very file the console made
    first, last_day = last_month(today_in(window.clock))  # the dialog's default period
    assert f"{ru(first)} — {ru(last_day)}" in letter.message["Subject"]
    # The page is still being drawn: the left column keeps its room meanwhile.
    screenshot("detalization-51-emailed-real-waiting", size="1024x700")
    for widget in (dialog.done_step.headline, dialog.done_step.section):
        inside(widget, dialog.content)
    headline = dialog.done_step.headline  # not cut at the right while the page is drawn
    assert headline.winfo_width() >= headline.winfo_reqwidth()
    pump(lambda: dialog.done_step.has_page, timeout=30, what="the first page")
    for widget in (dialog.done_step.headline, dialog.done_step.section,
                   dialog.done_step.comparison):
        inside(widget, dialog.content)
    assert headline.winfo_width() >= headline.winfo_reqwidth()
    screenshot("detalization-51-emailed-real", size="1024x700")
