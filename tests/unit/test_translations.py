"""Every string the clerk can see has its Russian translation (Russian is the default)."""

from __future__ import annotations

import ast
from pathlib import Path

from babel.messages.pofile import read_po

from app.i18n import _, set_language
from resources import RESOURCES

ROOT = Path(__file__).resolve().parents[2]


def translatable_strings() -> dict[str, str]:
    """msgid → where it is, for every `_("...")` call under app/."""
    found: dict[str, str] = {}
    for path in sorted((ROOT / "app").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id == "_"
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)
            ):
                found.setdefault(node.args[0].value, f"{path.relative_to(ROOT)}:{node.lineno}")
    return found


def russian_catalog() -> dict[str, str]:
    path = RESOURCES / "locale" / "ru" / "LC_MESSAGES" / "salon.po"
    with path.open("rb") as handle:
        catalog = read_po(handle, locale="ru")
    return {str(m.id): str(m.string) for m in catalog if m.id and isinstance(m.id, str)}


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
