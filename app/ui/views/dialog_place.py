"""Where the window's dialogs open: over the main window, sized from it within bounds, and
(for the modal ones) holding the grab once they can."""

from __future__ import annotations

import contextlib
import tkinter as tk
from dataclasses import dataclass

from app.ui.views.screen_fit import clamp_to_screen


@dataclass(frozen=True)
class DialogSize:
    """How big a dialog opens, from the main window's size: its width less `margin`, kept
    between `width`'s bounds (the columns' own width), and likewise the height."""

    width: tuple[int, int]
    height: tuple[int, int]
    minimum: tuple[int, int]
    margin: tuple[int, int] = (40, 80)


def place_over(dialog: tk.Toplevel, master: tk.Misc, size: DialogSize) -> None:
    """Centred across the main window, a third of the way down its free height."""
    top = master.winfo_toplevel()
    top.update_idletasks()
    width = min(size.width[1], max(size.width[0], top.winfo_width() - size.margin[0]))
    height = min(size.height[1], max(size.height[0], top.winfo_height() - size.margin[1]))
    x = top.winfo_rootx() + max(0, (top.winfo_width() - width) // 2)
    y = top.winfo_rooty() + max(0, (top.winfo_height() - height) // 3)
    width, height, x, y = clamp_to_screen(width, height, x, y, top)  # never partly off it
    dialog.geometry(f"{width}x{height}+{x}+{y}")
    dialog.minsize(*size.minimum)


def grab_when_mapped(dialog: tk.Toplevel) -> None:
    """Modal to the main window. A dialog not viewable yet cannot grab: the next <Map>
    tries again."""

    def grab(_event: tk.Event) -> None:
        with contextlib.suppress(tk.TclError):
            dialog.grab_set()

    dialog.bind("<Map>", grab, add="+")
