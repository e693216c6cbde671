"""The three faces of the operation dialog: choose an option, read the preview, see the result.
Widgets only; the dialog (app/ui/views/order_dialog.py) decides which one shows and what in."""

from __future__ import annotations

import tkinter as tk
from collections.abc import Callable
from tkinter import ttk

from app.i18n import _
from app.ui.presenters.order_result import OutcomeView, PreviewView
from app.ui.presenters.orders import OptionRow
from app.ui.theme import PALETTE
from app.ui.views.section import Section, label_width
from app.ui.views.step_dialog import StepFace
from app.ui.views.tooltip import RowTooltip

OPTION_COLUMNS = ("name", "one_off", "monthly", "note")


class ChooseStep(StepFace):
    """The options as a table; the ones the subscriber cannot have are there, greyed, with
    their reason, but the selection never rests on them."""

    def __init__(self, master: tk.Misc, on_pick: Callable[[], None]) -> None:
        super().__init__(master, style="Body.TFrame")
        self.columnconfigure(0, weight=1)
        self.rowconfigure(1, weight=1)
        self.prompt = ttk.Label(self, style="Field.TLabel")
        self.prompt.grid(row=0, column=0, sticky="w", pady=(0, 6))
        self.tree = ttk.Treeview(self, columns=OPTION_COLUMNS, show="headings",
                                 selectmode="browse", height=8)
        widths = {"name": 210, "one_off": 135, "monthly": 175, "note": 260}
        for column in OPTION_COLUMNS:
            numeric = column in {"one_off", "monthly"}
            self.tree.column(column, width=widths[column], minwidth=80,
                             anchor="e" if numeric else "w", stretch=column == "note")
        self.tree.tag_configure("disabled", foreground=PALETTE.faint)
        self.tree.grid(row=1, column=0, sticky="nsew")
        scrollbar = ttk.Scrollbar(self, orient="vertical", command=self.tree.yview)
        scrollbar.grid(row=1, column=1, sticky="ns")
        self.tree.configure(yscrollcommand=scrollbar.set)
        self.detail = ttk.Label(self, style="Note.TLabel", justify="left")
        self.detail.grid(row=2, column=0, columnspan=2, sticky="ew", pady=(6, 0))
        self.rows: dict[str, OptionRow] = {}
        # The note column is narrow for a reason's whole sentence: the pointer on a row shows
        # all of it (and the selected row's is under the list).
        self.tooltip = RowTooltip(self.tree, lambda key: self.rows[key].note
                                  if key in self.rows else "", column="note")
        self._last_good: str | None = None
        self.tree.bind("<<TreeviewSelect>>", self._selected)
        self.tree.bind("<Up>", lambda _e: self._step(-1))
        self.tree.bind("<Down>", lambda _e: self._step(1))
        self.tree.bind("<Button-1>", self._clicked)
        self.tree.bind("<Double-Button-1>", self._double_clicked)
        self._on_pick = on_pick
        self._hold_detail = False  # the reason of a refused click stays in the detail line

    def wrap(self, width: int) -> None:
        self.detail.configure(wraplength=max(200, width))

    def retranslate(self) -> None:
        headings = {"name": _("Name"), "one_off": _("One-off fee"),
                    "monthly": _("Monthly fee"), "note": _("Note")}
        for column, text in headings.items():
            numeric = column in {"one_off", "monthly"}
            self.tree.heading(column, text=text, anchor="e" if numeric else "w")

    def show(self, prompt: str, rows: tuple[OptionRow, ...], keep: str | None) -> None:
        """`keep`: the key to select again if it is still available."""
        self.retranslate()
        self.prompt.configure(text=prompt)
        self.tree.delete(*self.tree.get_children())
        self.rows = {row.key: row for row in rows}
        for row in rows:
            self.tree.insert("", "end", iid=row.key,
                             values=(row.name, row.one_off, row.monthly, row.note),
                             tags=() if row.available else ("disabled",))
        available = [row.key for row in rows if row.available]
        self._last_good = None
        chosen = keep if keep in available else (available[0] if available else None)
        if chosen is not None:
            self.select(chosen)
        else:
            self.tree.selection_set(())
            first = rows[0] if rows else None
            self.detail.configure(text=first.detail if first else "")

    @property
    def selected(self) -> str | None:
        selection = self.tree.selection()
        if not selection or not self.rows[selection[0]].available:
            return None
        return str(selection[0])

    def select(self, key: str) -> None:
        self._hold_detail = False
        if self.rows[key].available:
            self._last_good = key  # now, not when the virtual event comes round
        self.tree.selection_set(key)
        self.tree.focus(key)
        self.tree.see(key)

    def focus_list(self) -> None:
        self.tree.focus_set()

    def _clicked(self, event: tk.Event) -> str | None:
        """A click on an option the subscriber cannot have: say why, keep the choice."""
        key = self.tree.identify_row(event.y)
        if key and not self.rows[key].available:
            self.explain(key)
            return "break"
        return None

    def _double_clicked(self, event: tk.Event) -> None:
        key = self.tree.identify_row(event.y)
        if key and self.rows[key].available:
            self._on_pick()

    def explain(self, key: str) -> None:
        self.detail.configure(text=self.rows[key].detail)

    def _selected(self, _event: tk.Event) -> None:
        selection = self.tree.selection()
        if not selection:
            return
        row = self.rows[selection[0]]
        if row.available:
            self._last_good = row.key
            if not self._hold_detail:
                self.detail.configure(text=row.detail)
            self._hold_detail = False
            return
        # Reached some other way (Home, End, Page keys): back to the last good choice.
        self.explain(row.key)
        if self._last_good is not None:
            self._hold_detail = True  # the event of this change keeps the reason on screen
            self.tree.selection_set(self._last_good)
            self.tree.focus(self._last_good)
        else:
            self.tree.selection_set(())

    def _step(self, direction: int) -> str:
        """Up/Down skip the rows that cannot be chosen."""
        keys = list(self.tree.get_children())
        current = self.tree.focus() or (self._last_good or "")
        index = keys.index(current) if current in keys else -1
        index += direction
        while 0 <= index < len(keys):
            if self.rows[keys[index]].available:
                self.select(keys[index])
                break
            index += direction
        return "break"


class PreviewStep(StepFace):
    """What the operator says the change costs (R4), the trial notice (R5), what it would
    disconnect, and a refusal in red."""

    def __init__(self, master: tk.Misc) -> None:
        super().__init__(master, style="Body.TFrame")
        self.columnconfigure(0, weight=1)
        self.section = Section(self)
        self.section.grid(row=0, column=0, sticky="ew")
        self.trial = ttk.Label(self, style="Trial.TLabel", justify="left")
        self.trial.grid(row=1, column=0, sticky="ew", pady=(8, 0))
        self.dropped = ttk.Label(self, style="Trial.TLabel", justify="left")
        self.dropped.grid(row=2, column=0, sticky="ew", pady=(8, 0))
        self.refusal = ttk.Label(self, style="Refusal.TLabel", justify="left")
        self.refusal.grid(row=3, column=0, sticky="ew", pady=(8, 0))
        self.hint = ttk.Label(self, style="Note.TLabel", justify="left")
        self.hint.grid(row=4, column=0, sticky="ew", pady=(10, 0))
        self.view: PreviewView | None = None

    def show(self, view: PreviewView | None, heading: str) -> None:
        """None: the preview is being fetched (or failed): the heading only."""
        self.view = view
        self.section.set_title(view.heading if view else heading)
        self.section.set_fields(view.fields if view else ())
        if view is not None:
            self.section.set_label_width(label_width(self, [f.label for f in view.fields]))
        for label, text in ((self.trial, view.trial if view else ""),
                            (self.dropped, view.dropped if view else ""),
                            (self.refusal, view.refusal if view else ""),
                            (self.hint, view.hint if view else "")):
            label.configure(text=text)
            if text:
                label.grid()
            else:
                label.grid_remove()

    def wrap(self, width: int) -> None:
        for label in (self.trial, self.dropped, self.refusal, self.hint):
            label.configure(wraplength=max(200, width - 24))


class ResultStep(StepFace):
    """The outcome: a headline and its sentences; the confirmation slip's path when done."""

    def __init__(self, master: tk.Misc) -> None:
        super().__init__(master, style="Body.TFrame")
        self.columnconfigure(0, weight=1)
        self.headline = ttk.Label(self, style="Name.TLabel")
        self.headline.grid(row=0, column=0, sticky="w")
        self.text = ttk.Label(self, style="Value.TLabel", justify="left")
        self.text.grid(row=1, column=0, sticky="ew", pady=(10, 0))
        self.slip = ttk.Label(self, style="Success.TLabel", justify="left")
        self.slip.grid(row=2, column=0, sticky="ew", pady=(12, 0))
        actions = ttk.Frame(self, style="Body.TFrame")
        actions.grid(row=3, column=0, sticky="w", pady=(6, 0))
        self.actions = actions
        self.copy = ttk.Button(actions, style="Action.TButton", command=self._copy_path)
        self.copy.grid(row=0, column=0, sticky="w")
        # The slip on the counter's printer: only the slip is printed again, never the order.
        self.print = ttk.Button(actions, style="Action.TButton", command=self.print_slip)
        self.print.grid(row=0, column=1, sticky="w", padx=(8, 0))
        self.on_print: Callable[[str], None] | None = None
        self.view: OutcomeView | None = None
        self._path = ""

    def show(self, view: OutcomeView, path: str | None) -> None:
        self.view = view
        self._path = path or ""
        self.headline.configure(text=view.headline)
        self.text.configure(text=view.text)
        self.slip.configure(text=view.slip)
        self.copy.configure(text=_("Copy the path (Ctrl+C)"))
        self.print.configure(text=_("Print the slip (Ctrl+P)"))
        if view.slip:
            self.slip.grid()
            self.actions.grid()
        else:
            self.slip.grid_remove()
            self.actions.grid_remove()
        if view.slip and self.on_print is not None:
            self.print.grid()
        else:
            self.print.grid_remove()

    def print_slip(self) -> None:
        if self._path and self.on_print is not None and self.print.winfo_ismapped():
            self.on_print(self._path)

    def _copy_path(self) -> None:
        if self._path:
            self.clipboard_clear()
            self.clipboard_append(self._path)

    def copy_path(self) -> None:
        self._copy_path()

    def wrap(self, width: int) -> None:
        for label in (self.text, self.slip):
            label.configure(wraplength=max(200, width - 24))
