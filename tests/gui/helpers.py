"""Reading what the window shows, the way a person would: mapped widgets only."""

from __future__ import annotations

import tkinter as tk
from tkinter import ttk


def visible_texts(widget: tk.Misc) -> list[str]:
    """Texts of every mapped label/button under `widget`, plus Treeview rows and headings."""
    texts: list[str] = []
    if not widget.winfo_ismapped():
        return texts
    if isinstance(widget, ttk.Treeview):
        for column in ("#0", *widget.cget("columns")):
            heading = str(widget.heading(column, "text"))
            if heading:
                texts.append(heading)
        for iid in widget.get_children():
            text = str(widget.item(iid, "text"))
            if text:
                texts.append(text)
            texts.extend(str(value) for value in widget.item(iid, "values"))
    else:
        try:
            text = str(widget.cget("text"))
        except tk.TclError:
            text = ""
        if text:
            texts.append(text)
    for child in widget.winfo_children():
        texts.extend(visible_texts(child))
    return texts


def screen_text(widget: tk.Misc) -> str:
    return "\n".join(visible_texts(widget))
