"""A white card section: a title and label → value rows (labels right, values left)."""

from __future__ import annotations

import tkinter as tk
from collections.abc import Sequence
from dataclasses import dataclass
from tkinter import font as tkfont
from tkinter import ttk

from app.ui.presenters.card import FieldView, PackageView

LABEL_GAP = 14  # between a label and its value
MIN_VALUE_WIDTH = 140


def label_width(widget: tk.Misc, labels: Sequence[str]) -> int:
    """The label column's width for these labels, so sections in a column line up."""
    measure = tkfont.nametofont("SalonLabel", widget).measure
    return max((measure(label) for label in labels), default=80) + LABEL_GAP


@dataclass
class _Row:
    """One label → value row, kept and re-used: a card shown again (another subscriber, the
    archive's row arriving, the clock's minute) changes texts instead of building widgets."""

    label: ttk.Label
    cell: ttk.Frame
    value: ttk.Label
    note: ttk.Label


class Section(ttk.Frame):
    def __init__(self, master: tk.Misc) -> None:
        super().__init__(master, style="Card.TFrame", padding=(16, 8, 16, 10))
        self.columnconfigure(0, weight=1)
        self.title = ttk.Label(self, style="Section.TLabel")
        self.title.grid(row=0, column=0, sticky="w")
        ttk.Frame(self, style="Rule.TFrame", height=1).grid(
            row=1, column=0, sticky="ew", pady=(4, 5)
        )
        self.top = ttk.Frame(self, style="Body.TFrame")  # optional content above the rows
        self.top.grid(row=2, column=0, sticky="ew")
        self.top.columnconfigure(0, weight=1)
        self.body = ttk.Frame(self, style="Body.TFrame")
        self.body.grid(row=3, column=0, sticky="ew")
        self.body.columnconfigure(1, weight=1)
        self.bottom = ttk.Frame(self, style="Body.TFrame")  # optional content below the rows
        self.bottom.grid(row=4, column=0, sticky="nsew")
        self.bottom.columnconfigure(0, weight=1)
        self._label_width = 150
        self._wrapping: list[ttk.Label] = []
        self.values: dict[str, ttk.Label] = {}  # label text → its value widget
        self._rows: list[_Row] = []  # set_fields' rows (none while packages are shown)
        self._fields: tuple[FieldView, ...] | None = None  # what they show now
        self.body.bind("<Configure>", self._rewrap)

    def set_title(self, text: str) -> None:
        self.title.configure(text=text)

    def set_label_width(self, width: int) -> None:
        self._label_width = width
        self.body.columnconfigure(0, minsize=width)
        self._apply_wrap(self.body.winfo_width())

    def labels(self) -> list[str]:
        return list(self.values)

    def clear(self) -> None:
        for child in self.body.winfo_children():
            child.destroy()
        self._wrapping = []
        self.values = {}
        self._rows = []
        self._fields = None

    def set_fields(self, fields: Sequence[FieldView]) -> None:
        shown = tuple(fields)
        if shown == self._fields:
            return  # the same rows: nothing to redraw
        if self._fields is None:
            self.clear()  # packages (or nothing) were shown: rows start afresh
        while len(self._rows) < len(shown):
            self._rows.append(self._new_row(len(self._rows)))
        for row in self._rows[len(shown):]:
            row.label.destroy()
            row.cell.destroy()
        del self._rows[len(shown):]
        self.values = {}
        self._wrapping = []
        for row, field in zip(self._rows, shown, strict=True):
            row.label.configure(text=field.label)
            row.value.configure(text=field.value, style="Attention.TLabel" if field.attention
                                else "Value.TLabel")
            row.note.configure(text=field.note)
            if field.note and not row.note.winfo_manager():
                row.note.pack(anchor="w")
            elif not field.note and row.note.winfo_manager():
                row.note.pack_forget()
            self.values[field.label] = row.value
            self._wrapping += [row.value, row.note]
        self._fields = shown
        self._apply_wrap(self.body.winfo_width())

    def _new_row(self, index: int) -> _Row:
        label = ttk.Label(self.body, style="Field.TLabel", anchor="e")
        label.grid(row=index, column=0, sticky="ne", padx=(0, LABEL_GAP), pady=(2, 1))
        cell = ttk.Frame(self.body, style="Body.TFrame")
        cell.grid(row=index, column=1, sticky="ew", pady=1)
        value = ttk.Label(cell, justify="left", style="Value.TLabel")
        value.pack(anchor="w")
        note = ttk.Label(cell, style="Note.TLabel", justify="left")
        return _Row(label, cell, value, note)

    def set_packages(self, packages: Sequence[PackageView], empty_text: str) -> None:
        self.clear()
        if not packages:
            ttk.Label(self.body, text=empty_text, style="Empty.TLabel").grid(
                row=0, column=0, columnspan=2, sticky="w", pady=2
            )
            return
        for row, package in enumerate(packages):
            self._label(row, package.label)
            cell = ttk.Frame(self.body, style="Body.TFrame")
            cell.grid(row=row, column=1, sticky="ew", pady=(1, 4))
            cell.columnconfigure(0, weight=1)
            value = ttk.Label(
                cell, text=package.amount, justify="left",
                style="Attention.TLabel" if package.attention else "Value.TLabel",
            )
            value.grid(row=0, column=0, columnspan=2, sticky="w")
            self._wrapping.append(value)
            self.values[package.label] = value
            # The bar gives way to the date when the column is narrow, never the other way.
            ttk.Progressbar(
                cell, mode="determinate", maximum=100, value=package.fraction * 100,
                style="Package.Horizontal.TProgressbar",
            ).grid(row=1, column=0, sticky="ew", pady=(2, 0))
            ttk.Label(cell, text=package.until, style="Note.TLabel").grid(
                row=1, column=1, sticky="e", padx=(8, 0)
            )
        self._apply_wrap(self.body.winfo_width())

    def _label(self, row: int, text: str) -> None:
        ttk.Label(self.body, text=text, style="Field.TLabel", anchor="e").grid(
            row=row, column=0, sticky="ne", padx=(0, LABEL_GAP), pady=(2, 1)
        )

    def _rewrap(self, event: tk.Event) -> None:
        self._apply_wrap(event.width)

    def _apply_wrap(self, width: int) -> None:
        if width <= 1:
            return  # not laid out yet; <Configure> will come
        length = max(MIN_VALUE_WIDTH, width - self._label_width - 4)
        for label in self._wrapping:
            if int(str(label.cget("wraplength")) or 0) != length:
                label.configure(wraplength=length)
