"""The window on the counter's screen: it opens as big as the screen (maximised where the window
manager allows), and a dialog never opens bigger than the screen or partly off it."""

from __future__ import annotations

import contextlib
import tkinter as tk


def fit_to_screen(root: tk.Tk) -> None:
    """The screen's whole size at its corner first — what a bare X server or a window manager
    that ignores hints shows — then maximised where the window manager allows it, so that its
    panels and the title bar are taken off (X11: `wm attributes -zoomed`, Windows and macOS:
    `wm state zoomed`)."""
    width, height = root.winfo_screenwidth(), root.winfo_screenheight()
    root.geometry(f"{width}x{height}+0+0")
    try:
        root.attributes("-zoomed", True)
    except tk.TclError:  # not X11: the attribute is unknown there
        with contextlib.suppress(tk.TclError):
            root.state("zoomed")


def clamp_to_screen(width: int, height: int, x: int, y: int,
                    widget: tk.Misc) -> tuple[int, int, int, int]:
    """(width, height, x, y) made to lie within the screen `widget` is on: no bigger than the
    screen, moved in from its edges."""
    screen_w, screen_h = widget.winfo_screenwidth(), widget.winfo_screenheight()
    width, height = min(width, screen_w), min(height, screen_h)
    x = max(0, min(x, screen_w - width))
    y = max(0, min(y, screen_h - height))
    return width, height, x, y
