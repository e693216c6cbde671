"""The Assistant's customer leaflet, read back from the PDF (pdftotext) and looked at."""

from __future__ import annotations

import subprocess
from datetime import date
from pathlib import Path

from models.domain import TrialPeriod
from printing.leaflet import LeafletInfo, render_leaflet

SCREENSHOTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"


def test_the_leaflet_says_how_and_never_carries_a_code(tmp_path: Path) -> None:
    info = LeafletInfo("Салон «Тверская, 12»", "MSK-TVERSKAYA-12",
                       TrialPeriod(date(2026, 11, 11), date(2026, 12, 11)), date(2026, 11, 23),
                       "+7 916 ***-**-67")
    path = tmp_path / "leaflet.pdf"
    render_leaflet(info, path)
    pages = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
    assert "Pages:           1" in pages.stdout
    text = " ".join(subprocess.run(["pdftotext", "-layout", str(path), "-"],
                                   capture_output=True, text=True, check=True).stdout.split())
    for expected in ("Электронный Помощник", "111 2163", "*111*2163#", "2163 на номер 111",
                     "пустое SMS на номер 6262", "«Заказать пароль»", "более 3 раз",
                     "блокируется на сутки", "с прежним кодом", "бесплатны",
                     "корпоративных и VIP", "С 11.11.2026 по 11.12.2026",
                     "+7 916 ***-**-67", "Салон «Тверская, 12»"):
        assert expected in text, expected
    assert not any(word.isdigit() and len(word) == 6 for word in text.split())  # no code
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-singlefile", str(path),
                    str(SCREENSHOTS / "30-leaflet")], check=True)


def test_without_a_trial_there_is_no_trial_notice(tmp_path: Path) -> None:
    path = tmp_path / "leaflet.pdf"
    render_leaflet(LeafletInfo("Салон", "S-1", None, date(2027, 1, 10)), path)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert "Тестовая эксплуатация" not in text
    assert "6262" in text
