"""Translations: English in the code, Russian by default on screen (gettext catalogs).

The catalogs are `.po` files in resources/locale; they are compiled on first use, so there is
no build step and no binary file to keep in sync. The compiled catalog is kept in the user's
cache folder under the hash of its `.po`: compiling takes longer than a whole `salon` command
should (DESIGN §9), reading it back a millisecond, and an edited `.po` gets a new one.
"""

from __future__ import annotations

import contextlib
import gettext
import hashlib
import io
import os
from functools import cache
from pathlib import Path

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
    source = po_path.read_bytes()
    compiled = _compiled_path(language, source)
    try:
        with compiled.open("rb") as mo:
            return gettext.GNUTranslations(mo)
    except (OSError, ValueError):  # not compiled yet (or a broken file): compile it again
        pass
    mo_bytes = _compiled(source, language)
    with contextlib.suppress(OSError):  # a read-only home still gets its translations
        compiled.parent.mkdir(parents=True, exist_ok=True)
        temporary = compiled.with_name(f"{compiled.name}.{os.getpid()}")
        temporary.write_bytes(mo_bytes)
        os.replace(temporary, compiled)
    return gettext.GNUTranslations(io.BytesIO(mo_bytes))


def _compiled_path(language: str, source: bytes) -> Path:
    from platformdirs import user_cache_path

    digest = hashlib.sha256(source).hexdigest()[:16]
    return user_cache_path("salon-console", appauthor=False) / f"{DOMAIN}-{language}-{digest}.mo"


def _compiled(source: bytes, language: str) -> bytes:
    # Imported here: babel.messages is only needed when a catalog changed.
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    catalog = read_po(io.BytesIO(source), locale=language)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    return buffer.getvalue()


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
