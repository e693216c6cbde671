"""The frame of the window's step-by-step dialogs (the operation dialog, the detalization):
a title and the subscriber under it, the steps with the current one marked, the message
area, the content where each step's face is shown, and a button row — Back at the left,
Cancel and the primary action at the right. Modal, placed over the main window.

A face subclass builds its step faces into `content` (`_build_content`), may put more into
the button row (`buttons`, column 1) or below the content (row 5), and names its faces in
`faces` so that each wraps its text to the content's width.
"""

from __future__ import annotations

import tkinter as tk
from tkinter import ttk

from app.ui.theme import PALETTE
from app.ui.views.dialog_place import DialogSize, grab_when_mapped, place_over
from app.ui.views.message import MessageArea


class StepFace(ttk.Frame):
    """One step's face in a StepDialog: it wraps its text to the content's width."""

    def wrap(self, width: int) -> None:
        raise NotImplementedError


class StepDialog(tk.Toplevel):
    def __init__(self, master: tk.Misc, *, steps: int, size: DialogSize,
                 step_gap: int = 10) -> None:
        super().__init__(master)
        self.withdraw()  # placed first, then shown (no flash at 0,0)
        self.configure(background=PALETTE.page)
        self.transient(master.winfo_toplevel())  # what Tk does with any master
        self._build_frame(steps, step_gap)
        self._build_content(self.content)
        place_over(self, master, size)
        self.deiconify()
        grab_when_mapped(self)

    # The flow's buttons (the dialog subclass).
    def primary(self) -> None:
        raise NotImplementedError

    def escape(self) -> None:
        raise NotImplementedError

    def back(self) -> None:
        raise NotImplementedError

    # What the face subclass builds.
    def _build_content(self, content: ttk.Frame) -> None:
        raise NotImplementedError

    @property
    def faces(self) -> tuple[StepFace, ...]:
        raise NotImplementedError

    def _build_frame(self, steps: int, step_gap: int) -> None:
        body = ttk.Frame(self, style="Card.TFrame", padding=(18, 14))
        body.pack(fill="both", expand=True, padx=10, pady=10)
        body.columnconfigure(0, weight=1)
        body.rowconfigure(4, weight=1)
        self.body = body
        self.title_label = ttk.Label(body, style="Name.TLabel")
        self.title_label.grid(row=0, column=0, sticky="w")
        self.subtitle = ttk.Label(body, style="Field.TLabel")
        self.subtitle.grid(row=1, column=0, sticky="w", pady=(2, 0))
        row = ttk.Frame(body, style="Body.TFrame")
        row.grid(row=2, column=0, sticky="w", pady=(10, 8))
        self.step_labels = [ttk.Label(row, style="Step.TLabel") for _ in range(steps)]
        for index, label in enumerate(self.step_labels):
            label.grid(row=0, column=index * 2)
            if index < steps - 1:
                ttk.Label(row, text="›", style="Step.TLabel").grid(row=0, column=index * 2 + 1,
                                                                   padx=step_gap)
        self.message = MessageArea(body)
        self.message.grid(row=3, column=0, sticky="ew", pady=(0, 8))
        self.message.show(None)
        self.content = ttk.Frame(body, style="Body.TFrame")
        self.content.grid(row=4, column=0, sticky="nsew")
        self.content.columnconfigure(0, weight=1)
        self.content.rowconfigure(0, weight=1)
        # Hidden faces get no <Configure>: the always-shown frame tells them all.
        self.content.bind("<Configure>", self._wrap_faces)
        self.buttons = ttk.Frame(body, style="Body.TFrame")
        self.buttons.grid(row=6, column=0, sticky="ew", pady=(12, 0))
        self.buttons.columnconfigure(1, weight=1)
        self.back_button = ttk.Button(self.buttons, style="Action.TButton", command=self.back)
        self.back_button.grid(row=0, column=0, sticky="w")
        self.secondary_button = ttk.Button(self.buttons, style="Action.TButton",
                                           command=self.escape)
        self.secondary_button.grid(row=0, column=2, sticky="e", padx=(0, 8))
        self.primary_button = ttk.Button(self.buttons, style="Primary.TButton",
                                         command=self.primary)
        self.primary_button.grid(row=0, column=3, sticky="e")

    def _wrap_faces(self, event: tk.Event) -> None:
        for face in self.faces:
            face.wrap(event.width)
