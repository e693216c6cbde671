"""Translations: English in the code, Russian by default on screen (gettext catalogs).

The catalogs are `.po` files in resources/locale; they are compiled on first use, so there is
no build step and no binary file to keep in sync. Compiling one takes babel a few hundred
milliseconds, which every start (the window's sign-in field, a one-line command) would wait for,
so the compiled catalog is kept in the user's cache folder under the hash of the `.po` text it
was made from: a changed `.po` is compiled afresh, an unwritable cache only costs the time.
"""

from __future__ import annotations

import contextlib
import gettext
import hashlib
import io
import os
import tempfile
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
    po_text = po_path.read_bytes()
    kept = cache_folder() / f"{DOMAIN}-{language}-{hashlib.sha256(po_text).hexdigest()[:32]}.mo"
    try:
        compiled = kept.read_bytes()
    except OSError:
        compiled = _compile(po_text, language)
        _keep(kept, compiled)
    return gettext.GNUTranslations(io.BytesIO(compiled))


def cache_folder() -> Path:
    """Where compiled catalogs are kept ($XDG_CACHE_HOME/salon-console, else ~/.cache/…)."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "salon-console"


def _compile(po_text: bytes, language: str) -> bytes:
    # Imported here: babel.messages is only needed when a catalog is not compiled yet.
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    catalog = read_po(io.BytesIO(po_text), locale=language)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    return buffer.getvalue()


def _keep(path: Path, compiled: bytes) -> None:
    """Write the compiled catalog whole or not at all (another console may read it at once);
    a cache that cannot be written is no error: the next start compiles again."""
    with contextlib.suppress(OSError):
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path.parent, delete=False, suffix=".part") as part:
            part.write(compiled)
        try:
            os.replace(part.name, path)
        except OSError:
            os.unlink(part.name)
            raise


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
