"""The window's sentence for what changed after a 412 (the phrases: app/flows/changes.py)."""

from __future__ import annotations

from app.i18n import _


def changed_sentence(changes: tuple[str, ...]) -> str:
    """"Данные абонента изменились: тариф «Смарт» → «Мой Онлайн»; …. Check the choice again."""
    return _("The subscriber's data has changed: {changes}. The card is reloaded; "
             "check the choice again.").format(changes="; ".join(changes))
