"""The access code in the window on the real parts (the embedded training sandbox over loopback,
the SQLite store), as `salon` wires them: F10 sends the code to the subscriber's phone, which
the training panel shows; the subscriber types it into the masked check dialog; afterwards the
code is nowhere in what the console wrote (R2)."""

from __future__ import annotations

import re
import tkinter as tk
from pathlib import Path

from app.config import load_settings
from app.main import build_services, console_clock, real_parts
from app.ui.window import MainWindow
from tests.conftest import write_ini
from tests.gui.helpers import screen_text, sign_in


def test_issue_and_check_on_the_real_sandbox(root: tk.Tk, pump, screenshot,
                                             tmp_path: Path) -> None:
    settings = load_settings(write_ini(tmp_path, salon={"language": "ru"}))
    clock = console_clock(settings)
    window = MainWindow(root, settings, clock=clock)
    try:
        window.connect(lambda: build_services(settings, clock, real_parts(settings)))
        pump(lambda: window.services is not None, timeout=30, what="the services to start")
        sign_in(window, pump, "clerk", "clerk-demo")
        pump(lambda: window.working, timeout=15, what="the clerk signed in")
        window.search.set_text("+7 916 123-45-67")
        window.search.entry.focus_force()
        window.search.entry.event_generate("<Return>")
        pump(lambda: window.card is not None and not window.busy, timeout=15, what="the card")
        codes = window.codes
        pump(lambda: codes.state is not None, timeout=15, what="the code's state")
        phone = codes.phone
        assert phone is not None  # embedded = training: the subscriber's phone is there
        pump(phone.winfo_ismapped, what="the phone beside the card at 1280 px")

        window.search.entry.event_generate("<F10>")
        pump(lambda: "Код доступа к Электронному Помощнику" in phone.text, timeout=15,
             what="the SMS on the subscriber's phone")
        (code,) = re.findall(r"(?<!\d)\d{6}(?!\d)", phone.text.splitlines()[1])
        assert code not in screen_text(window.card_panel) + window.message.text
        screenshot("codes-10-real-phone")

        window.search.entry.event_generate("<F11>")
        pump(lambda: codes.dialog is not None, what="the check dialog")
        dialog = codes.dialog
        assert dialog is not None and dialog.entry.cget("show") == "•"
        pump(dialog.winfo_ismapped, what="the dialog on screen")
        dialog.lift()
        for entry, expected in ((f"{(int(code) + 1) % 10**6:06d}", "осталось 3 попытки"),
                                (code, "Код верный")):
            dialog.entry.insert(0, entry)
            dialog.entry.event_generate("<Return>")
            assert dialog.entry.get() == ""
            pump(lambda: not codes.checking, timeout=15, what="the answer")
            assert expected in dialog.result.text
        dialog.close()
        pump(lambda: "осталось 4 попытки" in screen_text(window.card_panel.assistant),
             what="a fresh count after the right code")
        services = window.services
        assert services is not None and services.audit is not None
        journal = services.audit.latest(50)
        pump(lambda: not window.runner.busy, what="the runner")
    finally:
        window.close()

    reasons = {(e.action, e.result, e.reason) for e in journal if e.action.startswith("code_")}
    assert reasons == {("code_issue", "done", ""), ("code_verify", "refused",
                                                    "wrong, 3 attempts left"),
                       ("code_verify", "done", "")}
    token = re.compile(rb"(?<![0-9])" + code.encode() + rb"(?![0-9])")
    written = [p for p in settings.data_dir.rglob("*")  # not the operator's side, nor the
               if p.is_file()                           # subscriber's phone (sandbox/sms.py)
               and not p.name.startswith(("sandbox.db", "sandbox-phones.db"))]
    assert any(p.name.startswith("salon.db") for p in written)
    assert [p.name for p in written if token.search(p.read_bytes())] == []
    assert not re.search(rf"(?<!\d){code}(?!\d)", repr(journal))
