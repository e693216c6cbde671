"""Every user-visible string in app/ui has its Russian translation in salon.po."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from babel.messages.pofile import read_po

from resources import RESOURCES

ROOT = Path(__file__).resolve().parents[2]
PO = RESOURCES / "locale" / "ru" / "LC_MESSAGES" / "salon.po"
# The GUI also shows these modules' sentences (phone parsing, lookup errors).
SOURCES = [*sorted((ROOT / "app" / "ui").rglob("*.py")), ROOT / "app" / "phone.py",
           ROOT / "app" / "services" / "lookup.py"]


def _messages() -> dict[str, str]:
    found: dict[str, str] = {}
    for path in SOURCES:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "_":
                argument = node.args[0]
                assert isinstance(argument, ast.Constant) and isinstance(argument.value, str), (
                    f"{path}:{node.lineno}: _() needs a literal string to be extractable"
                )
                found[argument.value] = f"{path.relative_to(ROOT)}:{node.lineno}"
    return found


def test_catalog_is_a_valid_utf8_po_file() -> None:
    with PO.open("rb") as handle:
        catalog = read_po(handle, locale="ru")
    assert dict(catalog.mime_headers)["Content-Type"].lower() == "text/plain; charset=utf-8"
    assert '"Content-Type: text/plain; charset=UTF-8\\n"' in PO.read_text(encoding="utf-8")
    assert catalog.num_plurals == 3
    assert not [message.id for message in catalog if message.id and message.fuzzy]


def test_every_ui_string_is_translated_with_the_same_placeholders() -> None:
    with PO.open("rb") as handle:
        catalog = read_po(handle, locale="ru")
    messages = _messages()
    assert len(messages) > 60
    for text, where in messages.items():
        entry = catalog.get(text)
        assert entry is not None and entry.string, f"{where}: no Russian for {text!r}"
        assert set(re.findall(r"{\w+}", text)) == set(re.findall(r"{\w+}", entry.string)), (
            f"{where}: placeholders differ in the translation of {text!r}"
        )
