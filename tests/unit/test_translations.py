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
    "Enter", "Esc", "Ctrl", "Shift", "Alt", "Tab", "Backspace", "Delete", "Excel", "e", "E", "mail",
    "salon", "Debian", "apt", "get", "install", "gnome", "keyring", "poppler", "utils",
    "pdftoppm", "pycups", "pdf", "html", "xlsx", "csv", "txt", "paper", "email", "archive",
    "y", "N", "a", "f", "s", "m", "h", "d", "i", "petrova", "name", "OAuth2",
}
ACRONYM = re.compile(r"[A-Z]|[A-Z]{2,}|[RC][0-9]+|F[0-9]{1,2}")


def latin_words(text: str) -> list[str]:
    """The Latin words of a sentence, leaving out what is not prose: placeholders, commands in
    backquotes, command-line options with their values, salon.ini's [section] key, environment
    variables, file names and addresses."""
    text = re.sub(r"https?://\S+", " ", text)
    text = re.sub(r"\{[^}]*\}", " ", text)
    text = re.sub(r"`[^`]*`", " ", text)
    text = re.sub(r"\bsalon verify-document\b", " ", text)  # printed on documents as it is typed
    text = re.sub(r"(?<!\w)--?[a-z][\w-]*(?: [a-z]+(?:\|[a-z]+)*)?", " ", text)
    text = re.sub(r"\[[a-z]+\](?: [a-z_]+(?: и [a-z_]+)?)?", " ", text)
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


CYRILLIC = re.compile("[А-Яа-яЁё]")


def no_english(text: str) -> list[str]:
    return [word for word in latin_words(text)
            if word not in ALLOWED_LATIN and not ACRONYM.fullmatch(word)]


def test_english_source_strings_are_english() -> None:
    """The English interface is the msgids: a Russian word in one is untranslated English."""
    russian = [f"{where}: {msgid!r}" for msgid, where in translatable_strings().items()
               if CYRILLIC.search(re.sub(r"«[^»]*»", "", msgid))]
    assert russian == []


def test_the_daily_logs_labels_are_complete_in_both_languages() -> None:
    """printing/daily_log.py's own catalog (the files are written where app's is not)."""
    from dataclasses import fields

    from models.audit_codes import AuditAction, AuditResult
    from printing.daily_log import EN, RU

    for words, language in ((RU, "ru"), (EN, "en")):
        for field in fields(words):
            value = getattr(words, field.name)
            texts = list(value.values()) if isinstance(value, dict) else [value]
            assert all(texts), f"{language}: {field.name} is empty"
            for text in texts:
                if language == "ru":
                    assert no_english(text) == [], f"ru {field.name}: {text}"
                else:
                    assert not CYRILLIC.search(text), f"en {field.name}: {text}"
        assert set(words.actions) == set(AuditAction), language
        assert set(words.results) == set(AuditResult), language


def test_names_from_models_are_there_in_both_languages() -> None:
    from models.detalization import CATEGORY_LABELS, Category
    from models.regions import REGION_NAMES

    for code, (russian, english) in REGION_NAMES.items():
        assert russian and not no_english(russian), code
        assert english and not CYRILLIC.search(english), code
    assert set(CATEGORY_LABELS) == set(Category)  # the detalization is a Russian document
    assert all(label and not no_english(label) for label in CATEGORY_LABELS.values())


# What each service writes into the journal (the forms app/journal_text.py knows), and what the
# Russian daily log must then say without an English word or a code.
JOURNAL_DETAILS = [
    ("lookup", "api", ""), ("lookup", "cache", ""), ("lookup", "", "malformed number"),
    ("sign_in_failed", "unknown login", ""), ("sign_out", "takeover", ""),
    ("screen_lock", "shortcut", ""), ("screen_lock", "idle", ""),
    ("clerk_add", "i.petrova clerk", ""), ("clerk_add", "o.smirnov manager", ""),
    ("tariff_change", "change_tariff, SMART_PLUS, fee 100.00 RUB, outbox #3, ORD-000001", ""),
    ("service_add", "add_service, GUARD, fee 0.00 RUB, outbox #4, ORD-000002, "
                    "confirmation slip saved", ""),
    ("service_remove", "remove_service, GUARD, fee 0.00 RUB, outbox #5", ""),
    ("assistant_connect", "connect_assistant, fee 0.00 RUB, outbox #6, maybe delivered", ""),
    ("order_queue", "change_tariff, SMART_PLUS, fee 100.00 RUB, outbox #7, waits its turn", ""),
    ("order_cancel", "add_service, GUARD, outbox #8, never reached the operator", ""),
    ("tariff_change", "change_tariff, BIZ_MAX, fee 500.00 RUB", ""),
    ("code_issue", "sms sent", ""),
    ("code_issue", "sms sent; still locked until 2026-11-24T09:25:00Z", ""),
    ("code_verify", "correct", ""), ("code_verify", "", "wrong, 3 attempts left"),
    ("code_verify", "", "wrong, 1 attempt left"),
    ("code_verify", "", "locked until 2026-11-24T09:25:00Z"),
    ("code_verify", "", "no code issued"),
    ("code_verify", "", "malformed entry: not sent, not counted"),
    ("detalization", "2026-11-01..2026-11-30 pdf", ""),
    ("detalization", "2026-11-01..2026-11-30 xlsx DET-20261130-0001", ""),
    ("purge", "usage 120 records, 3 days", ""),
    ("purge", "at start: removed 6 (usage records 2, local documents 3, print jobs 1, "
              "archive notes 0)", ""),
    ("purge", "on request: removed 1 (usage records 0, local documents 1, print jobs 0, "
              "archive notes 0)", ""),
    ("print", "slip slip-ORD-000001-1.pdf → Salon_PDF, CUPS job 12, attempt 2", ""),
    ("print", "daily_log journal-2026-11-23.pdf → —", ""),
    ("archive", "upload DET-20261130-0001.pdf", ""), ("archive", "fetch DOC-17", ""),
    ("archive", "upload a.pdf → DOC-18, until 2026-11-26T09:25:00Z", ""),
    ("email", "DET-20261130-0001.pdf → i***@example.ru", ""),
    ("email", "subscription #4: monthly detalization (pdf) → i***@example.ru, from 2026-12", ""),
    ("email", "subscription #4 removed", ""),
    ("export", "2026-11-23 xlsx journal-2026-11-23.xlsx", ""),
    ("print", "change_tariff, SMART_PLUS, fee 100.00 RUB, outbox #3, ORD-000001, "
              "confirmation slip saved", ""),  # the slip saved with its order (outbox)
    ("document_save", "change_tariff, SMART_PLUS, fee 100.00 RUB, outbox #3, ORD-000001, "
                      "confirmation slip slip-ORD-000001-3.pdf", ""),
]
IDENTIFIER = re.compile(r"\b[A-Z]+-[\w-]+\b|\S+\.(?:pdf|xlsx|csv|html|txt)\b|\S+@\S+|"
                        r"\b[a-z]+\.[a-z]+\b|Salon_PDF")


def test_the_daily_logs_details_are_said_in_words() -> None:
    from app.journal_text import describe_detail, describe_reason

    names = {"SMART_PLUS": "Смарт Плюс", "GUARD": "Антивирус", "BIZ_MAX": "Бизнес Максимум"}
    set_language("ru")
    english = []
    for action, detail, reason in JOURNAL_DETAILS:
        said = describe_detail(action, detail, names) + " " + describe_reason(action, reason)
        leftover = no_english(IDENTIFIER.sub(" ", said))
        if leftover or not said.strip():
            english.append(f"{action} {detail!r} {reason!r} → {said!r}")
    assert english == []
    order = "change_tariff, SMART_PLUS, fee 100.00 RUB, outbox #3, ORD-000001"
    assert describe_detail("tariff_change", order, names) == (
        "Смена тарифа, «Смарт Плюс», плата 100,00\u00a0₽, очередь № 3, заказ ORD-000001")
    assert describe_reason("code_verify", "wrong, 3 attempts left") == (
        "неверный код, осталось 3 попытки")
    set_language("en")
    try:
        assert describe_detail("lookup", "api") == "from the operator's system"
        assert describe_detail("lookup", "something new") == "something new"  # as it is
    finally:
        set_language("ru")
