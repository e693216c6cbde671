"""Where widgets are on the screen, for the tests that a window fits the counter's screen:
every mapped widget lies within its toplevel and within the screen (what scrolls inside a
canvas lies within the canvas's width, and its height is reachable by the canvas's scrollbar).
"""

from __future__ import annotations

import contextlib
import tkinter as tk
from dataclasses import dataclass


@dataclass(frozen=True)
class Box:
    x: int
    y: int
    width: int
    height: int

    @property
    def right(self) -> int:
        return self.x + self.width

    @property
    def bottom(self) -> int:
        return self.y + self.height

    def holds(self, other: Box) -> bool:
        return (other.x >= self.x and other.y >= self.y and other.right <= self.right
                and other.bottom <= self.bottom)

    def holds_across(self, other: Box) -> bool:
        return other.x >= self.x and other.right <= self.right

    def __str__(self) -> str:
        return f"{self.width}x{self.height}+{self.x}+{self.y}"


def box(widget: tk.Misc) -> Box:
    return Box(widget.winfo_rootx(), widget.winfo_rooty(), widget.winfo_width(),
               widget.winfo_height())


def screen_box(widget: tk.Misc) -> Box:
    return Box(0, 0, widget.winfo_screenwidth(), widget.winfo_screenheight())


def toplevels(root: tk.Misc) -> list[tk.Misc]:
    """The root and every Toplevel under it that is on screen."""
    found: list[tk.Misc] = [root]
    pending = list(root.winfo_children())
    while pending:
        widget = pending.pop()
        if isinstance(widget, tk.Toplevel) and widget.winfo_ismapped():
            found.append(widget)
        pending.extend(widget.winfo_children())
    return found


def _describe(widget: tk.Misc) -> str:
    text = ""
    with contextlib.suppress(tk.TclError):
        text = str(widget.cget("text"))[:40]
    return f"{widget.winfo_class()} {widget}" + (f" «{text}»" if text else "")


def misplaced(top: tk.Misc) -> list[str]:
    """Every mapped widget of `top` (its own toplevel's, not its dialogs') that sticks out of
    `top` or out of the screen; one line each, empty when everything is in view."""
    problems: list[str] = []
    top.update_idletasks()
    frame, screen = box(top), screen_box(top)
    if not screen.holds(frame):
        problems.append(f"the window {top} ({frame}) is not within the screen ({screen})")

    def walk(widget: tk.Misc, clip: Box | None, scroller: tk.Misc | None) -> None:
        for child in widget.winfo_children():
            if isinstance(child, tk.Toplevel) or not child.winfo_ismapped():
                continue
            where = box(child)
            if clip is None:
                if not (frame.holds(where) and screen.holds(where)):
                    problems.append(f"{_describe(child)} at {where} is outside {frame}")
            elif not clip.holds_across(where):  # scrolled: the width must fit, not the height
                problems.append(f"{_describe(child)} at {where} is cut across by {clip}")
            elif (where.bottom > clip.bottom or where.y < clip.y) and (
                    scroller is None or not scroller.winfo_ismapped()):
                problems.append(f"{_describe(child)} at {where} is below {clip} with no "
                                    "scrollbar to reach it")
            if isinstance(child, tk.Canvas):
                walk(child, box(child), _scrollbar_of(child))
            else:
                walk(child, clip, scroller)

    walk(top, None, None)
    return problems


def _scrollbar_of(canvas: tk.Canvas) -> tk.Misc | None:
    """The vertical scrollbar beside a scrolling canvas (app/ui/views/scrollframe.py)."""
    return getattr(canvas.master, "scrollbar", None)
