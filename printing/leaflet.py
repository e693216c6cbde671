"""The customer leaflet for the Electronic Assistant: one A4 page the clerk hands over.

How to connect the Assistant and order an access code, the 3-tries/24-hours rule (R3), the
trial-operation dates (R5) and the price (free, R1). It never carries a code (R2): there is no
parameter for one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from models.domain import TrialPeriod
from printing.fonts import register_cyrillic_fonts

SERVICE_NAME = "Электронный Помощник"


@dataclass(frozen=True)
class LeafletInfo:
    salon_name: str
    salon_id: str
    trial: TrialPeriod | None  # from the catalog's ASSISTANT service
    issued_on: date  # the salon's local date
    subscriber: str = ""  # a masked number ("+7 916 ***-**-67"), or "" for a blank leaflet


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


def render_leaflet(info: LeafletInfo, path: Path) -> None:
    """Write the leaflet as a one-page PDF at `path` (the caller makes it atomic)."""
    from xml.sax.saxutils import escape

    from reportlab.lib.colors import HexColor
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer
    from reportlab.platypus.flowables import HRFlowable

    regular, bold = register_cyrillic_fonts()
    accent = HexColor("#c8102e")
    title = ParagraphStyle("title", fontName=bold, fontSize=22, leading=27, textColor=accent)
    lead = ParagraphStyle("lead", fontName=regular, fontSize=10, leading=13,
                          textColor=HexColor("#5f6b7a"))
    heading = ParagraphStyle("heading", fontName=bold, fontSize=13, leading=17,
                             spaceBefore=9, spaceAfter=3)
    body = ParagraphStyle("body", fontName=regular, fontSize=11, leading=15)
    bullet = ParagraphStyle("bullet", parent=body, leftIndent=14, bulletIndent=3)
    doc = SimpleDocTemplate(str(path), pagesize=A4, leftMargin=20 * mm, rightMargin=20 * mm,
                            topMargin=18 * mm, bottomMargin=18 * mm,
                            title=f"{SERVICE_NAME}: как подключить и получить код доступа",
                            author=info.salon_name)
    story: list = [
        Paragraph(escape(SERVICE_NAME), title),
        Paragraph("Как подключить услугу и получить код доступа", heading),
        Paragraph(escape(f"{info.salon_name} · {info.issued_on:%d.%m.%Y}"
                         + (f" · для номера {info.subscriber}" if info.subscriber else "")),
                  lead),
        Spacer(1, 4 * mm),
        HRFlowable(width="100%", thickness=1, color=accent),
    ]
    for name, lines in leaflet_sections(info):
        paragraphs = [Paragraph(escape(name), heading)]
        listed = name[:2] in {"1.", "2."}
        for line in lines:
            paragraphs.append(Paragraph(escape(line), bullet if listed else body,
                                        bulletText="•" if listed else None))
        story.append(KeepTogether(paragraphs))
    story += [
        Spacer(1, 8 * mm),
        HRFlowable(width="100%", thickness=0.5, color=HexColor("#d5dae1")),
        Paragraph(escape(f"Салон {info.salon_id}. Код доступа приходит только в SMS на ваш "
                         "телефон и в этом листке не печатается."), lead),
    ]
    doc.build(story)
