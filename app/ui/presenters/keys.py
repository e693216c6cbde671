"""The window's keyboard, as the F1 sheet shows it (no tkinter): every shortcut the main
window binds, grouped the way a clerk works — the number, the subscriber, the documents,
printing and delivery, the counter. The README's list says the same."""

from __future__ import annotations

from dataclasses import dataclass

from app.i18n import _


@dataclass(frozen=True)
class KeyGroup:
    title: str
    keys: tuple[tuple[str, str], ...]  # (the keys, what they do)


def key_groups(manager: bool = False) -> tuple[KeyGroup, ...]:
    counter = [("Ctrl+Shift+L", _("lock the console (the next clerk signs in)"))]
    if manager:
        counter.append(("F9", _("the day's log (managers)")))
    counter.append(("F1", _("this sheet")))
    return (
        KeyGroup(_("The number"), (
            ("Enter", _("find the subscriber")),
            ("F3, Ctrl+L", _("to the phone field")),
            ("Esc", _("clear: ready for the next subscriber")),
            ("F4", _("the demo subscribers (training)")),
        )),
        KeyGroup(_("The subscriber"), (
            ("F2", _("the identity check of this visit (R10)")),
            ("F5", _("change the tariff")),
            ("F6 / F7", _("connect / disconnect a service")),
            ("F8", _("connect the Electronic Assistant")),
            ("F10 / F11", _("issue an access code / check it")),
            ("Ctrl+K", _("the catalog")),
            ("Ctrl+Q", _("the operations queue")),
        )),
        KeyGroup(_("Documents and delivery"), (
            ("Ctrl+D", _("the detalization")),
            ("F12", _("the Assistant's leaflet (printed)")),
            ("Ctrl+Shift+A", _("the personal archive")),
            ("Ctrl+Shift+M", _("the monthly e-mail detalization")),
            ("Ctrl+P", _("the print queue")),
            ("Ctrl+Shift+P", _("the printer of this counter")),
            ("Ctrl+G", _("pick-up at this salon: orders made online (R11)")),
        )),
        KeyGroup(_("The counter"), tuple(counter)),
    )
