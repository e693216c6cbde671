"""The customer leaflet for the Electronic Assistant: one A4 page the clerk hands over.

How to connect the Assistant and order an access code, the 3-tries/24-hours rule (R3), the
trial-operation dates (R5) and the price (free, R1). It never carries a code (R2): there is no
parameter for one. Its QR code and SHA-256 let `salon verify-document` check it later.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from models.domain import TrialPeriod
from printing.fonts import register_cyrillic_fonts
from printing.pdf_document import HashText, Op, Qr, Rule, Text, write_pdf

SERVICE_NAME = "Электронный Помощник"


@dataclass(frozen=True)
class LeafletInfo:
    salon_name: str
    salon_id: str
    trial: TrialPeriod | None  # from the catalog's ASSISTANT service
    issued_on: date  # the salon's local date
    subscriber: str = ""  # a masked number ("+7 916 ***-**-67"), or "" for a blank leaflet
    document_id: str = ""  # LFT-…: in the QR code with the hash (models/documents.py)


def leaflet_sections(info: LeafletInfo) -> list[tuple[str, list[str]]]:
    """The leaflet's text, section by section (also what a test reads back)."""
    sections = [
        ("Что это", [
            f"«{SERVICE_NAME}» — самообслуживание на терминалах приёма платежей: управление "
            "набором услуг, смена тарифного плана и проверка баланса в любое удобное время.",
        ]),
        ("1. Подключите услугу", [
            "через Интернет-Помощник;",
            "позвоните по номеру 111 2163;",
            "наберите команду *111*2163#;",
            "отправьте SMS с текстом 2163 на номер 111.",
        ]),
        ("2. Закажите код доступа", [
            "отправьте пустое SMS на номер 6262, или",
            "выберите пункт меню «Заказать пароль» в сервисе «Электронный Помощник» "
            "на терминале.",
            "Код придёт в SMS на ваш телефон. Никому его не сообщайте: сотрудники салона "
            "его не видят и никогда не спросят.",
        ]),
        ("3. Войдите на терминале", [
            "Выберите на терминале пункт «Сервис» и следуйте подсказкам на экране.",
            "Если код введён неверно более 3 раз, доступ блокируется на сутки. После этого "
            "можно войти с прежним кодом или заказать новый (новый заменяет старый).",
        ]),
        ("Сколько это стоит", [
            "Подключение и пользование «Электронным Помощником» бесплатны, абонентской платы "
            "нет. Подключение услуг и смена тарифа оплачиваются по вашему тарифному плану.",
            "Услуга недоступна на корпоративных и VIP тарифных планах.",
        ]),
    ]
    if info.trial is not None:
        sections.append(("Тестовая эксплуатация", [
            f"С {info.trial.start:%d.%m.%Y} по {info.trial.end:%d.%m.%Y} сервис работает в "
            "режиме тестовой эксплуатации: в это время его надлежащее оказание не может "
            "гарантироваться.",
        ]))
    return sections


def render_leaflet(info: LeafletInfo, path: Path) -> str:
    """Write the leaflet as a one-page PDF at `path` (the caller makes it atomic); return the
    hash of what it shows (printing/pdf_document.py)."""
    from reportlab.lib.pagesizes import A4

    regular, bold = register_cyrillic_fonts()
    page = _layout(info, regular, bold)
    return write_pdf(path, document_id=info.document_id, page_size=A4,
                     title=f"{SERVICE_NAME}: как подключить и получить код доступа",
                     author=info.salon_name, subject=SERVICE_NAME, pages=lambda: iter([page]))


def _layout(info: LeafletInfo, regular: str, bold: str) -> list[Op]:
    from reportlab.lib.colors import HexColor
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.lib.utils import simpleSplit

    accent, muted, faint = HexColor("#c8102e"), HexColor("#5f6b7a"), HexColor("#d5dae1")
    width_, height = A4
    left, right = 20 * mm, width_ - 20 * mm
    width = right - left
    qr = 70.0
    ops: list[Op] = [Qr(right - qr, height - 18 * mm - qr, qr)]
    y = height - 18 * mm - 20
    beside_qr = width - qr - 16

    def lines(text: str, font: str, size: float, room: float) -> list[str]:
        return simpleSplit(text, font, size, room) or [text]

    ops.append(Text(left, y, SERVICE_NAME, bold, 22, colour=accent))
    y -= 24
    for line in lines("Как подключить услугу и получить код доступа", bold, 13, beside_qr):
        ops.append(Text(left, y, line, bold, 13))
        y -= 17
    lead = f"{info.salon_name} · {info.issued_on:%d.%m.%Y}" + (
        f" · для номера {info.subscriber}" if info.subscriber else "")
    for line in lines(lead, regular, 10, beside_qr):
        ops.append(Text(left, y, line, regular, 10, colour=muted))
        y -= 13
    y = min(y, height - 18 * mm - qr - 6) - 6
    ops.append(Rule(left, y, right, y, accent, 1))
    y -= 12
    for name, texts in leaflet_sections(info):
        y -= 9
        ops.append(Text(left, y - 13, name, bold, 13))
        y -= 20
        listed = name[:2] in {"1.", "2."}
        for text in texts:
            indent = 14 if listed else 0
            for i, line in enumerate(lines(text, regular, 11, width - indent)):
                if listed and i == 0:
                    ops.append(Text(left + 3, y - 11, "•", regular, 11))
                ops.append(Text(left + indent, y - 11, line, regular, 11))
                y -= 15
    y -= 8 * mm
    ops.append(Rule(left, y, right, y, faint, 0.5))
    y -= 14
    for line in lines(f"Салон {info.salon_id}. Код доступа приходит только в SMS на ваш "
                      "телефон и в этом листке не печатается.", regular, 10, width):
        ops.append(Text(left, y, line, regular, 10, colour=muted))
        y -= 13
    ops.append(Text(left, 14 * mm + 9, f"Памятка {info.document_id or '—'}; проверка "
                    "подлинности: salon verify-document", regular, 6.5, colour=muted))
    ops.append(HashText(left, 14 * mm, "SHA-256 ", regular, 6.5, muted))
    return ops
