"""Under the Electronic Assistant's rows on the card: «Выдать код доступа F10», «Проверить код
F11», «Памятка F12», and why the first two are disabled (R1, not connected, blocked, offline)
said up front. Widgets only; app/ui/access_codes.py fills them from the presenters."""

from __future__ import annotations

import tkinter as tk
from collections.abc import Callable
from tkinter import ttk

from app.ui.presenters.access_codes import CodeActionsView
from app.ui.views.tooltip import Tooltip

GAP = 6


class CodeActionsBar(ttk.Frame):
    def __init__(self, master: tk.Misc, *, on_issue: Callable[[], None],
                 on_check: Callable[[], None], on_leaflet: Callable[[], None]) -> None:
        super().__init__(master, style="Body.TFrame")
        self.columnconfigure(0, weight=1)
        self._flow = ttk.Frame(self, style="Body.TFrame")
        self._flow.grid(row=0, column=0, sticky="ew", pady=(8, 0))
        self._lines = [ttk.Frame(self._flow, style="Body.TFrame") for _ in range(3)]
        self.issue = ttk.Button(self._flow, style="Action.TButton", takefocus=False,
                                command=on_issue)
        self.check = ttk.Button(self._flow, style="Action.TButton", takefocus=False,
                                command=on_check)
        self.leaflet = ttk.Button(self._flow, style="Action.TButton", takefocus=False,
                                  command=on_leaflet)
        self.tooltips = {button: Tooltip(button) for button in (self.issue, self.check)}
        self.note = ttk.Label(self, style="Note.TLabel", justify="left")
        self.note.grid(row=1, column=0, sticky="ew", pady=(4, 0))
        self.view: CodeActionsView | None = None
        self._layout: tuple[int, ...] | None = None
        self.bind("<Configure>", lambda _event: self._reflow())

    def show(self, view: CodeActionsView) -> None:
        self.view = view
        for button, text, enabled in ((self.issue, view.issue_text, view.issue_enabled),
                                      (self.check, view.check_text, view.check_enabled),
                                      (self.leaflet, view.leaflet_text, True)):
            button.configure(text=text)
            button.state(["!disabled"] if enabled else ["disabled"])
        for button, enabled in ((self.issue, view.issue_enabled),
                                (self.check, view.check_enabled)):
            self.tooltips[button].set("" if enabled else view.reason)
        self.note.configure(text=view.reason)
        if view.reason:
            self.note.grid()
        else:
            self.note.grid_remove()
        self._layout = None
        self._reflow()

    def enabled(self, button: ttk.Button) -> bool:
        return not button.instate(["disabled"])

    def _reflow(self) -> None:
        """All three in a line when they fit, else as many per line as fit."""
        room = self.winfo_width() if self.winfo_width() > 1 else 10_000
        self.note.configure(wraplength=max(160, room - 4))
        lines: list[list[ttk.Button]] = [[]]
        used = 0
        for button in (self.issue, self.check, self.leaflet):
            width = button.winfo_reqwidth() + GAP
            if lines[-1] and used + width > room:
                lines.append([])
                used = 0
            lines[-1].append(button)
            used += width
        layout = tuple(len(line) for line in lines)
        if layout == self._layout:
            return
        self._layout = layout
        for frame in self._lines:
            frame.pack_forget()
        for index, line in enumerate(lines):
            frame = self._lines[index]
            frame.pack(side="top", anchor="w", pady=(0 if index == 0 else GAP // 2, 0))
            for button in line:
                button.pack(in_=frame, side="left", padx=(0, GAP))
