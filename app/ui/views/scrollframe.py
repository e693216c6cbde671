"""A frame that scrolls vertically when the window is too short for it, and otherwise
stretches to fill the height (so lists inside can use the room)."""

from __future__ import annotations

import tkinter as tk
from tkinter import ttk

from app.ui.theme import PALETTE


class ScrollFrame(ttk.Frame):
    def __init__(self, master: tk.Misc) -> None:
        super().__init__(master)
        self.columnconfigure(0, weight=1)
        self.rowconfigure(0, weight=1)
        self.canvas = tk.Canvas(
            self, background=PALETTE.page, highlightthickness=0, borderwidth=0,
            yscrollincrement=20, takefocus=False,
        )
        self.canvas.grid(row=0, column=0, sticky="nsew")
        self.scrollbar = ttk.Scrollbar(self, orient="vertical", command=self.canvas.yview)
        self.scrollbar.grid(row=0, column=1, sticky="ns", padx=(6, 0))
        self.scrollbar.grid_remove()
        self.inner = ttk.Frame(self.canvas)
        self._window = self.canvas.create_window(0, 0, window=self.inner, anchor="nw")
        self.canvas.bind("<Configure>", self._fit)
        self.inner.bind("<Configure>", self._fit)
        # The wheel scrolls the card while the pointer is over it (X11 sends buttons 4/5).
        # Bound on the toplevel, whose tag every widget carries: <Enter>/<Leave> on this
        # frame would fire each time the pointer crosses into one of its children.
        toplevel = self.winfo_toplevel()
        for sequence in ("<Button-4>", "<Button-5>", "<MouseWheel>"):
            toplevel.bind(sequence, self._wheel, add="+")

    def _fit(self, _event: tk.Event | None = None) -> None:
        width = self.canvas.winfo_width()
        height = self.canvas.winfo_height()
        needed = self.inner.winfo_reqheight()
        self.canvas.itemconfigure(self._window, width=width, height=max(height, needed))
        self.canvas.configure(scrollregion=(0, 0, width, max(height, needed)))
        if needed > height > 1:
            self.scrollbar.grid()
            self.canvas.configure(yscrollcommand=self.scrollbar.set)
        else:
            self.scrollbar.grid_remove()
            self.canvas.configure(yscrollcommand="")
            self.canvas.yview_moveto(0)

    def follow(self, *widgets: tk.Misc) -> None:
        """Refit whenever one of these (the inner frame's columns) changes size: once the inner
        frame is stretched to the canvas, rows added later to it (a section's late rows, the
        access code's buttons) change its requested height only, and no <Configure> of its
        own says so — without this, a grown card is cut off with no scrollbar."""
        for widget in widgets:
            widget.bind("<Configure>", self._fit, add="+")

    def refit(self) -> None:
        """After the content's requested height changed: its actual height is the canvas
        item's, so no <Configure> says so."""
        self._fit()

    def to_top(self) -> None:
        self.canvas.yview_moveto(0)

    def see(self, widget: tk.Misc) -> None:
        """Scroll so that `widget` (inside) is on screen: its bottom if it fits, else its top."""
        self.update_idletasks()
        total = self.inner.winfo_height()
        view = self.canvas.winfo_height()
        if total <= view or total <= 1:
            return
        top = widget.winfo_rooty() - self.inner.winfo_rooty()
        bottom = top + widget.winfo_height()
        first = self.canvas.canvasy(0)
        if top >= first and bottom <= first + view:
            return  # already all on screen
        start = top if bottom - top > view or top < first else bottom - view
        self.canvas.yview_moveto(max(0.0, min(start, total - view)) / total)

    @property
    def scrolls(self) -> bool:
        return self.inner.winfo_reqheight() > self.canvas.winfo_height()

    def _wheel(self, event: tk.Event) -> None:
        inside = str(event.widget).startswith(str(self) + ".")
        if not inside or isinstance(event.widget, ttk.Treeview) or not self.scrolls:
            return  # elsewhere, or the services list, which scrolls itself
        if event.num == 4 or getattr(event, "delta", 0) > 0:
            self.canvas.yview_scroll(-2, "units")
        else:
            self.canvas.yview_scroll(2, "units")
