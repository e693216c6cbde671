"""Every string the clerk can see has its Russian translation (Russian is the default)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from babel.messages.pofile import read_po

from app.i18n import _, set_language
from resources import RESOURCES

ROOT = Path(__file__).resolve().parents[2]


PO = RESOURCES / "locale" / "ru" / "LC_MESSAGES" / "salon.po"


def translatable_strings() -> dict[str, str]:
    """msgid → where it is, for every `_("...")` call under app/."""
    found: dict[str, str] = {}
    for path in sorted((ROOT / "app").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "_":
                where = f"{path.relative_to(ROOT)}:{node.lineno}"
                argument = node.args[0] if node.args else None
                assert isinstance(argument, ast.Constant) and isinstance(argument.value, str), (
                    f"{where}: _() needs a literal string to be extractable"
                )
                found.setdefault(argument.value, where)
    return found


def russian_catalog() -> dict[str, str]:
    with PO.open("rb") as handle:
        catalog = read_po(handle, locale="ru")
    return {str(m.id): str(m.string) for m in catalog if m.id and isinstance(m.id, str)}


def test_catalog_is_a_valid_utf8_po_file() -> None:
    with PO.open("rb") as handle:
        catalog = read_po(handle, locale="ru")
    assert dict(catalog.mime_headers)["Content-Type"].lower() == "text/plain; charset=utf-8"
    assert catalog.num_plurals == 3
    assert not [message.id for message in catalog if message.id and message.fuzzy]


def test_every_visible_string_has_a_russian_translation() -> None:
    catalog = russian_catalog()
    missing = [f"{where}: {msgid!r}" for msgid, where in translatable_strings().items()
               if not catalog.get(msgid)]
    assert missing == []


def test_placeholders_survive_translation() -> None:
    catalog = russian_catalog()
    broken = []
    for msgid in translatable_strings():
        wanted = {part.split("}")[0] for part in msgid.split("{")[1:]}
        got = {part.split("}")[0] for part in catalog.get(msgid, msgid).split("{")[1:]}
        if wanted != got:
            broken.append(msgid)
    assert broken == []


def test_switching_language_switches_the_text() -> None:
    sample = "The operator's system cannot be reached."
    set_language("ru")
    assert _(sample) != sample
    set_language("en")
    assert _(sample) == sample


# Latin words a Russian sentence may carry: keys, the rules' names (R1…, C1…), file formats,
# protocols and acronyms, and — in the command line's sentences — its own words (the program,
# packages to install, option values). Anything else is an English word or an internal code
# (`already_connected`, "api") on a Russian screen.
ALLOWED_LATIN = {
    "Enter", "Esc", "Ctrl", "Alt", "Tab", "Backspace", "Delete", "Excel", "e", "E", "mail",
    "salon", "Debian", "apt", "get", "install", "gnome", "keyring", "poppler", "utils",
    "pdftoppm", "pycups", "pdf", "html", "xlsx", "csv", "txt", "paper", "email", "archive",
    "y", "N", "a", "f", "s", "m", "h", "d", "i", "petrova", "name",
}
ACRONYM = re.compile(r"[A-Z]|[A-Z]{2,}|[RC][0-9]+|F[0-9]{1,2}")


def latin_words(text: str) -> list[str]:
    """The Latin words of a sentence, leaving out what is not prose: placeholders, commands in
    backquotes, command-line options with their values, salon.ini's [section] key, environment
    variables, file names and addresses."""
    text = re.sub(r"https?://\S+", " ", text)
    text = re.sub(r"\{[^}]*\}", " ", text)
    text = re.sub(r"`[^`]*`", " ", text)
    text = re.sub(r"(?<!\w)--?[a-z][\w-]*(?: [a-z]+(?:\|[a-z]+)*)?", " ", text)
    text = re.sub(r"\[[a-z]+\](?: [a-z]+(?: и [a-z]+)?)?", " ", text)
    text = re.sub(r"\b[A-Z][A-Z0-9]*_[A-Z0-9_]+\b", " ", text)
    text = re.sub(r"\b[\w.-]+\.(?:ini|pdf|ru)\b|\b\d+[smhd]\b", " ", text)
    return re.findall(r"[A-Za-z][A-Za-z0-9_]*", text)


def test_no_english_word_or_internal_code_in_russian() -> None:
    with PO.open("rb") as handle:
        catalog = read_po(handle, locale="ru")
    english = []
    for message in catalog:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for text in strings:
            words = [word for word in latin_words(text)
                     if word not in ALLOWED_LATIN and not ACRONYM.fullmatch(word)]
            if words:
                english.append(f"{words}: {text}")
    assert english == []
