"""On the card, under the data source line: the operations the clerk can start (each with its
F-key) and why one is disabled, then the strip of this subscriber's writes waiting in the
outbox. Widgets only; app/ui/orders.py fills them from the presenters."""

from __future__ import annotations

import tkinter as tk
from collections.abc import Callable
from functools import partial
from tkinter import ttk

from app.i18n import _
from app.ui.presenters.orders import ACTIONS, ActionsView
from app.ui.presenters.outbox import PendingView
from app.ui.views.tooltip import Tooltip
from models.orders import OrderAction

GAP = 6  # between buttons
TITLE_GAP = 14


class OperationsBar(ttk.Frame):
    def __init__(self, master: tk.Misc, on_action: Callable[[OrderAction], None]) -> None:
        super().__init__(master, style="Card.TFrame", padding=(16, 6, 16, 6))
        self.columnconfigure(1, weight=1)
        # One row: the title, then the buttons (wrapping when the card is narrow).
        self.title = ttk.Label(self, style="Section.TLabel")
        self.title.grid(row=0, column=0, sticky="nw", padx=(0, TITLE_GAP), pady=(6, 0))
        self._buttons_frame = ttk.Frame(self, style="Body.TFrame")
        self._buttons_frame.grid(row=0, column=1, sticky="ew")
        # A flow of buttons: each line a frame, the buttons packed into it with -in.
        self._lines = [ttk.Frame(self._buttons_frame, style="Body.TFrame") for _ in ACTIONS]
        self.buttons: dict[OrderAction, ttk.Button] = {}
        self.tooltips: dict[OrderAction, Tooltip] = {}
        for action in ACTIONS:
            button = ttk.Button(self._buttons_frame, style="Action.TButton", takefocus=False,
                                command=partial(on_action, action))
            self.buttons[action] = button
            self.tooltips[action] = Tooltip(button)
        self.note = ttk.Label(self, style="Note.TLabel", justify="left")
        self.note.grid(row=1, column=0, columnspan=2, sticky="ew", pady=(4, 0))
        self.view: ActionsView | None = None
        self._layout: tuple[bool, tuple[int, ...]] | None = None
        self.bind("<Configure>", lambda _event: self._reflow())
        self.retranslate()

    def retranslate(self) -> None:
        self.title.configure(text=_("Operations"))

    def show(self, view: ActionsView) -> None:
        self.view = view
        for action_view in view.actions:
            button = self.buttons[action_view.action]
            button.configure(text=action_view.text)
            button.state(["!disabled"] if action_view.enabled else ["disabled"])
            self.tooltips[action_view.action].set(action_view.reason)
        self.note.configure(text=view.note)
        if view.note:
            self.note.grid()
        else:
            self.note.grid_remove()
        self._layout = None  # the texts' widths changed
        self._reflow()

    def enabled(self, action: OrderAction) -> bool:
        return not self.buttons[action].instate(["disabled"])

    def _reflow(self) -> None:
        """All the buttons in one line if they fit (the title gives way first, as on a
        1024 px screen); otherwise as many per line as fit, under the title."""
        laid_out = self.winfo_width() > 1
        room = self.winfo_width() - 32 if laid_out else 10_000  # <Configure> comes again
        self.note.configure(wraplength=max(200, room))
        buttons = list(self.buttons.values())
        widths = [button.winfo_reqwidth() + GAP for button in buttons]
        title = self.title.winfo_reqwidth() + TITLE_GAP
        show_title = sum(widths) + title <= room or sum(widths) > room
        if show_title:
            room -= title
        lines: list[list[ttk.Button]] = [[]]
        used = 0
        for button, width in zip(buttons, widths, strict=True):
            if lines[-1] and used + width > room:
                lines.append([])
                used = 0
            lines[-1].append(button)
            used += width
        layout = (show_title, tuple(len(line) for line in lines))
        if layout == self._layout:
            return
        self._layout = layout
        if show_title:
            self.title.grid()
        else:
            self.title.grid_remove()
        for frame in self._lines:
            frame.pack_forget()
        for index, line in enumerate(lines):
            frame = self._lines[index]
            frame.pack(side="top", anchor="w", pady=(0 if index == 0 else GAP // 2, 0))
            for button in line:
                button.pack(in_=frame, side="left", padx=(0, GAP))


class PendingStrip(ttk.Frame):
    """"В очереди: 2 операции (ожидают связи)" and a line per waiting write; hidden when
    nothing of this subscriber waits."""

    def __init__(self, master: tk.Misc, on_open_queue: Callable[[], None]) -> None:
        super().__init__(master, style="Warn.TFrame")
        self.columnconfigure(1, weight=1)
        ttk.Frame(self, style="WarnBar.TFrame", width=4).grid(row=0, column=0, rowspan=2,
                                                              sticky="ns")
        self.title = ttk.Label(self, style="Pending.TLabel", anchor="w")
        self.title.grid(row=0, column=1, sticky="ew", padx=(10, 0), pady=(6, 0))
        self.open_button = ttk.Button(self, style="WarnLink.TButton", takefocus=False,
                                      command=on_open_queue)
        self.open_button.grid(row=0, column=2, sticky="e", padx=(0, 6), pady=(2, 0))
        self.lines = ttk.Label(self, style="PendingLine.TLabel", anchor="w", justify="left")
        self.lines.grid(row=1, column=1, columnspan=2, sticky="ew", padx=(10, 10), pady=(0, 6))
        self.view: PendingView | None = None
        self.bind("<Configure>", self._wrap)
        self.retranslate()

    @property
    def text(self) -> str:
        if self.view is None:
            return ""
        return "\n".join([self.view.title, *self.view.lines])

    def retranslate(self) -> None:
        self.open_button.configure(text=_("Open the queue (Ctrl+Q)"))

    def show(self, view: PendingView | None) -> None:
        self.view = view
        if view is None:
            self.grid_remove()
            return
        self.title.configure(text=view.title)
        self.lines.configure(text="\n".join(f"•  {line}" for line in view.lines))
        self.grid()

    def _wrap(self, event: tk.Event) -> None:
        self.lines.configure(wraplength=max(200, event.width - 40))
