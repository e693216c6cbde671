"""The window's list dialogs, one frame for all (the operations queue, the print queue, the
printer settings, the personal archive): a Toplevel over the main window with a title, a line
that sums the list up, the message area, the table, and a row of buttons ending in Close.

What they share beyond the look is how they talk to the services: every call goes to the
BackgroundRunner through `call`, which shows the busy cursor, drops an answer that comes back
after the dialog closed, and puts a failure's sentence into the message area. A subclass adds
its buttons, its keys, `retranslate`, `reload` and `_selected` (the buttons' states), then
calls `open()` at the end of its own __init__.
"""

from __future__ import annotations

import tkinter as tk
from collections.abc import Callable, Collection, Sequence
from tkinter import ttk
from typing import Any

from app.ui.presenters.errors import present_error
from app.ui.runner import BackgroundRunner
from app.ui.theme import PALETTE
from app.ui.views.dialog_place import DialogSize, place_over
from app.ui.views.message import MessageArea
from app.ui.views.tables import Table


class TableDialog(tk.Toplevel):
    def __init__(self, master: tk.Misc, runner: BackgroundRunner, size: DialogSize, *,
                 columns: Sequence[str], widths: dict[str, int], height: int,
                 numeric: Collection[str] = (), stretch: Collection[str] = (),
                 summary_style: str = "Note.TLabel") -> None:
        super().__init__(master)
        self.withdraw()
        self._runner = runner
        self.loaded = False
        self.busy = False
        self.configure(background=PALETTE.page)
        self.transient(master.winfo_toplevel())  # what Tk does with any master
        body = ttk.Frame(self, style="Card.TFrame", padding=(16, 12))
        body.pack(fill="both", expand=True, padx=10, pady=10)
        body.columnconfigure(0, weight=1)
        body.rowconfigure(3, weight=1)
        self.title_label = ttk.Label(body, style="Name.TLabel")
        self.title_label.grid(row=0, column=0, sticky="w")
        self.summary = ttk.Label(body, style=summary_style)
        self.summary.grid(row=1, column=0, sticky="w", pady=(2, 8))
        self.message = MessageArea(body)
        self.message.grid(row=2, column=0, sticky="ew", pady=(0, 8))
        self.message.show(None)
        self.table = Table(body, columns, widths, numeric=set(numeric), stretch=set(stretch),
                           height=height)
        self.table.grid(row=3, column=0, sticky="nsew")
        self.table.tree.bind("<<TreeviewSelect>>", lambda _e: self._selected())
        self.buttons = ttk.Frame(body, style="Body.TFrame")
        self.buttons.grid(row=4, column=0, sticky="ew", pady=(10, 0))
        self.buttons.columnconfigure(98, weight=1)  # Close at the right end, the rest left
        self.close_button = ttk.Button(self.buttons, style="Action.TButton",
                                       command=self.destroy)
        self.close_button.grid(row=0, column=99, sticky="e")
        self._next_column = 0
        place_over(self, master, size)
        self.bind("<Escape>", lambda _e: self.destroy())

    def add_button(self, command: Callable[[], object], *, primary: bool = False) -> ttk.Button:
        """The next button of the row, left to right."""
        button = ttk.Button(self.buttons, style="Primary.TButton" if primary
                            else "Action.TButton", command=command)
        button.grid(row=0, column=self._next_column, sticky="w",
                    padx=(0 if self._next_column == 0 else 8, 0))
        self._next_column += 1
        return button

    def open(self) -> None:
        """Shown, in the clerk's language, loading, with the cursor in the table."""
        self.deiconify()
        self.retranslate()
        self.reload()
        self.after_idle(self._focus)

    def _focus(self) -> None:
        if self.winfo_exists():
            self.lift()
            self.table.tree.focus_set()

    # -- what a subclass says ------------------------------------------------------------------

    def retranslate(self) -> None:
        raise NotImplementedError

    def reload(self) -> None:
        raise NotImplementedError

    def _selected(self) -> None:
        """The buttons' states for the selected row (and the busy flag)."""

    # -- the calls -----------------------------------------------------------------------------

    def call(self, work: Callable[[], Any], done: Callable[[Any], None], *,
             failed: Callable[[BaseException], None] | None = None,
             reload_after_failure: bool = False) -> None:
        """`work` on the worker; `done(answer)` here, if the dialog is still open. A failure
        shows its sentence (or goes to `failed`), then reloads the list when asked."""
        self._set_busy(True)

        def answer(value: Any) -> None:
            if self.winfo_exists():
                self._set_busy(False)
                done(value)

        def error(exc: BaseException) -> None:
            if not self.winfo_exists():
                return
            self._set_busy(False)
            if failed is not None:
                failed(exc)
            else:
                self.message.show(present_error(exc))
            if reload_after_failure:
                self.reload()

        self._runner.submit(work, answer, error)

    def _set_busy(self, busy: bool) -> None:
        self.busy = busy
        self.configure(cursor="watch" if busy else "")
        self._selected()
