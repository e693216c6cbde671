"""The confirmation slip as a person gets it: one page, Cyrillic, what changed (old → new
tariff, a service connected or disconnected, the Assistant with its free note and trial
notice), the fee, monthly cost and balance after, the order, the time in the subscriber's home
region, the clerk and the salon. Read back with pdftotext; page 1 rendered to
artifacts/screenshots/ for a person to look at."""

from __future__ import annotations

import subprocess
from dataclasses import replace
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from app.config import Settings
from app.i18n import set_language
from app.services.slips import SlipMaker
from models.domain import Money, ServiceRef, TrialPeriod
from models.orders import (
    OrderAction,
    OrderPreview,
    OrderRequest,
    OrderResult,
    OutboxExtras,
    OutboxItem,
    OutboxState,
)
from printing.slip import Slip, SlipRow, SlipSection, SlipTooLong, write_slip

SCREENSHOTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"
WHEN = datetime(2026, 11, 23, 9, 15, tzinfo=UTC)  # 12:15 in Moscow, 14:15 in Ufa


def rub(value: str) -> Money:
    return Money(Decimal(value))


class Extras:
    def __init__(self, context: dict[str, object]) -> None:
        self.context = context

    def extras(self, item_id: int) -> OutboxExtras:
        return OutboxExtras("Анна Соколова", "MSK-TVERSKAYA-12", "2", dict(self.context))


def item(action: OrderAction, code: str | None, *, fee: str = "100.00",
         dropped: tuple[ServiceRef, ...] = (), trial: TrialPeriod | None = None) -> OutboxItem:
    request = OrderRequest("+79161234567", action, code)
    preview = OrderPreview(request, True, None, None, rub(fee), rub("549.00"), rub("849.00"),
                           rub("1197.00"), rub("1097.00"), trial, dropped, 3)
    result = OrderResult("ORD-000123", rub(fee), rub("849.00"), rub("1097.00"), WHEN, 4,
                         dropped)
    return OutboxItem(7, "salon-abc", request, 3, "clerk", WHEN, WHEN, OutboxState.DONE, 1,
                      False, "", result, None, preview)


CONTEXT = {"subscriber_name": "Иванова Мария Петровна", "timezone": "Europe/Moscow",
           "region": "Москва", "tariff_before": {"code": "SMART", "name": "Смарт"}}


def text_of(path: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                          text=True, check=True).stdout


def pages_of(path: Path) -> int:
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True,
                          check=True).stdout
    return int(next(line.split()[-1] for line in info.splitlines()
                    if line.startswith("Pages:")))


def render(path: Path, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for old in SCREENSHOTS.glob(f"{name}-*.png"):
        old.unlink()
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", str(path),
                    str(SCREENSHOTS / name)], check=True)


def test_a_tariff_change_slip_in_russian(settings: Settings) -> None:
    set_language("ru")
    maker = SlipMaker(settings, Extras({**CONTEXT, "target_name": "Бизнес Старт"}))
    path = Path(maker.write(item(OrderAction.CHANGE_TARIFF, "BIZ_START", fee="300.00",
                                 dropped=(ServiceRef("ASSISTANT", "Электронный Помощник"),))))
    assert path.parent == settings.data_dir / "documents" / "slips"
    assert pages_of(path) == 1
    text = text_of(path)
    for expected in ("Подтверждение изменения", "Заказ ORD-000123", "23.11.2026, 12:15",
                     "+7 916 123-45-67, Иванова Мария Петровна", "«Смарт» → «Бизнес Старт»",
                     "Отключены при смене тарифа", "«Электронный Помощник»",
                     "300,00 ₽", "549,00 ₽ → 849,00 ₽", "1 097,00 ₽",
                     "Анна Соколова (clerk)", "MSK-TVERSKAYA-12, рабочее место 2",
                     "Подпись абонента"):
        assert expected in text.replace("\u00a0", " "), expected
    render(path, "slip-tariff-ru")


def test_the_assistant_slip_says_it_is_free_and_in_trial(settings: Settings) -> None:
    set_language("ru")
    trial = TrialPeriod(date(2026, 11, 11), date(2026, 12, 11))
    zone = {**CONTEXT, "timezone": "Asia/Yekaterinburg", "region": "Республика Башкортостан"}
    maker = SlipMaker(settings, Extras(zone))
    path = Path(maker.write(item(OrderAction.CONNECT_ASSISTANT, None, fee="0.00",
                                 trial=trial)))
    text = " ".join(text_of(path).split())
    assert "Подключена услуга «Электронный Помощник»" in text
    assert "бесплатно, абонентской платы нет (R1)" in text
    assert "тестовой эксплуатации с 11.11.2026 по 11.12.2026" in text and "(R5)" in text
    assert "23.11.2026, 14:15 (UTC+5)" in text  # the subscriber's home region's time
    render(path, "slip-assistant-ru")


def test_service_slips_in_english(settings: Settings) -> None:
    set_language("en")
    maker = SlipMaker(settings, Extras({**CONTEXT, "target_name": "Любимый номер"}))
    added = text_of(Path(maker.write(item(OrderAction.ADD_SERVICE, "FAVOURITE", fee="25.00"))))
    assert "Service connected" in added and "«Любимый номер»" in added
    removed = replace(item(OrderAction.REMOVE_SERVICE, "FAVOURITE", fee="0.00"), id=8)
    text = text_of(Path(maker.write(removed)))
    assert "Service disconnected" in text and "0.00" in text


def test_long_text_wraps_and_too_much_is_refused(tmp_path: Path) -> None:
    name = "Константинопольская-Длинноимённая Александра Виссарионовна " * 3
    slip = Slip("Салон «Тверская, 12»", "MSK-TVERSKAYA-12, рабочее место 2", "Подтверждение",
                "Заказ ORD-1", (SlipSection("Абонент", (SlipRow("Номер и имя", name),)),),
                ("Примечание " * 40,), ("Подпись",), "Сноска", "Заказ", "Салон")
    write_slip(slip, tmp_path / "long.pdf")
    text = " ".join(text_of(tmp_path / "long.pdf").split())
    assert text.count("Константинопольская-Длинноимённая") == 3  # wrapped, nothing cut
    crowded = replace(slip, sections=tuple(slip.sections * 40))
    with pytest.raises(SlipTooLong):
        write_slip(crowded, tmp_path / "crowded.pdf")
    assert not (tmp_path / "crowded.pdf").exists()  # nothing half-written under the name
