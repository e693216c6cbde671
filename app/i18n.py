"""Translations: English in the code, Russian by default on screen (gettext catalogs).

The catalogs are `.po` files in resources/locale; they are compiled in memory on first use,
so there is no build step and no binary file to keep in sync.
"""

from __future__ import annotations

import gettext
import io
from functools import cache

from resources import RESOURCES

LANGUAGES = {"ru": "Русский", "en": "English"}
DOMAIN = "salon"

_active: gettext.NullTranslations = gettext.NullTranslations()
_language = "en"


@cache
def _load(language: str) -> gettext.NullTranslations:
    po_path = RESOURCES / "locale" / language / "LC_MESSAGES" / f"{DOMAIN}.po"
    if not po_path.exists():
        return gettext.NullTranslations()
    # Imported here: babel.messages is only needed once per language.
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with po_path.open("rb") as po:
        catalog = read_po(po, locale=language)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


def set_language(language: str) -> None:
    global _active, _language
    if language not in LANGUAGES:
        raise ValueError(f"unknown language {language!r}; expected one of {sorted(LANGUAGES)}")
    _active = _load(language)
    _language = language


def language() -> str:
    return _language


def translation(language: str) -> gettext.NullTranslations:
    """One language's catalog, without switching the console's (a file made in English while
    the window speaks Russian)."""
    if language not in LANGUAGES:
        raise ValueError(f"unknown language {language!r}; expected one of {sorted(LANGUAGES)}")
    return _load(language)


def _(message: str) -> str:
    return _active.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return _active.ngettext(singular, plural, n)
