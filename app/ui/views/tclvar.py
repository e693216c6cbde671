"""A Tcl variable for radio and check buttons, without tkinter.Variable's `__del__`.

tkinter.Variable unsets its Tcl variable when garbage-collected; the collector may run on a
worker thread, where any Tcl call raises "main thread is not in main loop". A named variable
that lives as long as the interpreter avoids that.
"""

from __future__ import annotations

import itertools
import tkinter as tk

_numbers = itertools.count(1)


class TclVar:
    def __init__(self, master: tk.Misc, value: str = "") -> None:
        self._master = master
        self.name = f"::salon_ui_var{next(_numbers)}"
        master.setvar(self.name, value)

    def get(self) -> str:
        return str(self._master.getvar(self.name))

    def set(self, value: str) -> None:
        self._master.setvar(self.name, value)

    def get_bool(self) -> bool:
        return bool(self._master.getboolean(self._master.getvar(self.name)))

    def set_bool(self, value: bool) -> None:
        self._master.setvar(self.name, "1" if value else "0")
