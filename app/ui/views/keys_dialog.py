"""The F1 sheet: every shortcut of the main window, in two columns of groups. Esc, Enter or F1
closes it."""

from __future__ import annotations

import tkinter as tk
from tkinter import ttk

from app.i18n import _
from app.ui.presenters.keys import KeyGroup, key_groups
from app.ui.theme import PALETTE


class KeysDialog(tk.Toplevel):
    def __init__(self, master: tk.Misc, *, manager: bool = False) -> None:
        super().__init__(master)
        self.withdraw()
        self.configure(background=PALETTE.page)
        self.transient(master.winfo_toplevel())  # what Tk does with any master
        self.title(_("Keyboard"))
        body = ttk.Frame(self, style="Card.TFrame", padding=(20, 14))
        body.pack(fill="both", expand=True, padx=10, pady=10)
        ttk.Label(body, style="Name.TLabel", text=_("Keyboard")).grid(
            row=0, column=0, columnspan=2, sticky="w", pady=(0, 8))
        groups = key_groups(manager)
        half = (len(groups) + 1) // 2
        for column, part in enumerate((groups[:half], groups[half:])):
            frame = ttk.Frame(body, style="Body.TFrame")
            frame.grid(row=1, column=column, sticky="nw", padx=(0 if column == 0 else 28, 0))
            self._fill(frame, part)
        self.close_button = ttk.Button(body, style="Primary.TButton", text=_("Close (Esc)"),
                                       command=self.destroy)
        self.close_button.grid(row=2, column=1, sticky="e", pady=(12, 0))
        for sequence in ("<Escape>", "<Return>", "<KP_Enter>", "<F1>"):
            self.bind(sequence, lambda _e: self.destroy())
        self._place(master)
        self.deiconify()
        self.after_idle(self._focus)

    @staticmethod
    def _fill(frame: ttk.Frame, groups: tuple[KeyGroup, ...]) -> None:
        row = 0
        for group in groups:
            ttk.Label(frame, style="Section.TLabel", text=group.title).grid(
                row=row, column=0, columnspan=2, sticky="w", pady=(8 if row else 0, 4))
            row += 1
            for keys, what in group.keys:
                ttk.Label(frame, style="Value.TLabel", text=keys, font="SalonValueBold").grid(
                    row=row, column=0, sticky="nw", padx=(0, 14))
                ttk.Label(frame, style="Value.TLabel", text=what).grid(
                    row=row, column=1, sticky="nw")
                row += 1

    def _place(self, master: tk.Misc) -> None:
        top = master.winfo_toplevel()
        self.update_idletasks()
        width, height = self.winfo_reqwidth(), self.winfo_reqheight()
        x = top.winfo_rootx() + max(0, (top.winfo_width() - width) // 2)
        y = top.winfo_rooty() + max(0, (top.winfo_height() - height) // 3)
        self.geometry(f"+{x}+{y}")

    def _focus(self) -> None:
        if self.winfo_exists():
            self.lift()
            self.close_button.focus_set()
