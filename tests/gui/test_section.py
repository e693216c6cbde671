"""A card section shown again re-uses its rows: the texts change, the widgets stay (a new card
within 100 ms of Enter), and nothing of the last rows is left on screen."""

from __future__ import annotations

import tkinter as tk

from app.ui.presenters.card import FieldView, PackageView
from app.ui.theme import apply_theme
from app.ui.views.section import Section
from tests.gui.helpers import screen_text


def test_rows_are_reused_and_nothing_old_is_left(root: tk.Tk, pump) -> None:
    apply_theme(root)
    section = Section(root)
    section.pack(fill="both", expand=True)
    section.set_fields((FieldView("Номер", "+7 916 123-45-67"),
                        FieldView("Статус", "Заблокирован", attention=True, note="с 01.11"),
                        FieldView("Личный архив", "пуст")))
    root.update()
    first = section.values["Номер"]
    assert "с 01.11" in screen_text(section)
    assert str(section.values["Статус"].cget("style")) == "Attention.TLabel"

    section.set_fields((FieldView("Номер", "+7 903 123-45-00"),
                        FieldView("Статус", "Активен")))
    root.update()
    text = screen_text(section)
    assert "+7 903 123-45-00" in text and "Активен" in text
    assert "с 01.11" not in text and "Личный архив" not in text and "пуст" not in text
    assert section.values["Номер"] is first  # the same widget, new text
    assert str(section.values["Статус"].cget("style")) == "Value.TLabel"
    assert list(section.values) == ["Номер", "Статус"]

    # Packages in between: the rows start afresh after them.
    section.set_packages((PackageView("Минуты", "10 из 500 мин", "до 01.12", 0.02),),
                         "Нет пакетов")
    root.update()
    assert "Номер" not in screen_text(section)
    section.set_fields((FieldView("Тариф", "Смарт"),))
    root.update()
    assert screen_text(section).split() == ["Тариф", "Смарт"]
    section.destroy()
