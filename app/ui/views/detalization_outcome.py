"""The detalization dialog's last three faces: the order to check (with a refusal in red), the
progress while it is made, and the result with the first page's preview. Widgets only."""

from __future__ import annotations

import tkinter as tk
from tkinter import ttk

from app.i18n import _
from app.ui.presenters.detalization import CheckView
from app.ui.presenters.detalization_delivery import DeliveryStatus, StatusKind
from app.ui.presenters.detalization_result import ResultView
from app.ui.theme import PALETTE
from app.ui.views.section import Section, label_width
from app.ui.views.step_dialog import StepFace

A4_RATIO = 297 / 210  # a page's height / width


class CheckStep(StepFace):
    def __init__(self, master: tk.Misc) -> None:
        super().__init__(master, style="Body.TFrame")
        self.columnconfigure(0, weight=1)
        self.section = Section(self)
        self.section.grid(row=0, column=0, sticky="ew")
        self.refusal = ttk.Label(self, style="Refusal.TLabel", justify="left")
        self.refusal.grid(row=1, column=0, sticky="ew", pady=(8, 0))
        self.hint = ttk.Label(self, style="Note.TLabel", justify="left")
        self.hint.grid(row=2, column=0, sticky="ew", pady=(10, 0))
        self.view: CheckView | None = None

    def show(self, view: CheckView) -> None:
        self.view = view
        self.section.set_title(view.heading)
        self.section.set_fields(view.fields)
        self.section.set_label_width(label_width(self, [f.label for f in view.fields]))
        self.refusal.configure(text=view.refusal)
        if view.refusal:
            self.refusal.grid()
        else:
            self.refusal.grid_remove()
        self.hint.configure(text=view.hint)

    def wrap(self, width: int) -> None:
        for label in (self.refusal, self.hint):
            label.configure(wraplength=max(200, width - 24))


class SendingStep(StepFace):
    """A determinate bar per stage (days fetched, then rows written) and what is under way."""

    def __init__(self, master: tk.Misc) -> None:
        super().__init__(master, style="Body.TFrame")
        self.columnconfigure(0, weight=1)
        self.heading = ttk.Label(self, style="Section.TLabel")
        self.heading.grid(row=0, column=0, sticky="w", pady=(24, 12))
        self.stage = ttk.Label(self, style="Value.TLabel")
        self.stage.grid(row=1, column=0, sticky="w")
        self.bar = ttk.Progressbar(self, mode="determinate", maximum=1000,
                                   style="Job.Horizontal.TProgressbar")
        self.bar.grid(row=2, column=0, sticky="ew", pady=(8, 0))
        self.note = ttk.Label(self, style="Note.TLabel", justify="left")
        self.note.grid(row=3, column=0, sticky="ew", pady=(12, 0))

    def show(self, heading: str, stage: str, fraction: float, note: str) -> None:
        self.heading.configure(text=heading)
        self.stage.configure(text=stage)
        self.bar.configure(value=round(fraction * 1000))
        self.note.configure(text=note)

    @property
    def fraction(self) -> float:
        return float(self.bar.cget("value")) / 1000

    def wrap(self, width: int) -> None:
        self.note.configure(wraplength=max(200, width - 24))


class DoneStep(StepFace):
    """The document, the balance's state, the tariff comparison on the left; page one on the
    right, scaled to the room there is. (Open / copy are in the dialog's button row.)"""

    def __init__(self, master: tk.Misc) -> None:
        super().__init__(master, style="Body.TFrame")
        self.columnconfigure(0, weight=1)
        self.rowconfigure(4, weight=1)
        self.headline = ttk.Label(self, style="Success.TLabel", justify="left")
        self.headline.grid(row=0, column=0, sticky="ew")
        # Paper, e-mail, the archive: the headline says how it went too (show_delivery).
        self.status: DeliveryStatus | None = None
        self.section = Section(self)
        self.section.grid(row=1, column=0, sticky="ew", pady=(8, 0))
        self.comparison = ttk.Label(self, style="Trial.TLabel", justify="left")
        self.comparison.grid(row=2, column=0, sticky="ew", pady=(8, 0))
        self.note = ttk.Label(self, style="Note.TLabel", justify="left")
        self.note.grid(row=3, column=0, sticky="ew", pady=(6, 0))
        # The page: a plain label with a border, so the image sits on a "sheet".
        self.page = ttk.Frame(self, style="Body.TFrame")
        self.page.grid(row=0, column=1, rowspan=5, sticky="ns", padx=(16, 0))
        self.page.rowconfigure(0, weight=1)
        self.image_label = tk.Label(self.page, background=PALETTE.page, borderwidth=1,
                                    relief="solid", foreground=PALETTE.muted,
                                    font="SalonSmall", justify="center")
        self.image_label.grid(row=0, column=0, sticky="n")
        self.caption = ttk.Label(self.page, style="Note.TLabel")
        self.caption.grid(row=1, column=0, sticky="n", pady=(4, 0))
        self.view: ResultView | None = None
        self._image: tk.PhotoImage | None = None
        self._room = (200, 280)

    def show(self, view: ResultView) -> None:
        self.view = view
        self.headline.configure(text=view.headline)
        self.section.set_title(_("The main balance over the period"))
        self.section.set_fields(view.fields)
        self.section.set_label_width(label_width(self, [f.label for f in view.fields]))
        self.comparison.configure(text=view.comparison,
                                  style="Trial.TLabel" if view.cheaper else "Success.TLabel")
        if view.comparison:
            self.comparison.grid()
        else:
            self.comparison.grid_remove()
        self.note.configure(text=view.note)

    def show_delivery(self, status: DeliveryStatus | None) -> None:
        """None: nothing is delivered beyond the file (saved, or on screen). Otherwise the
        delivery's sentence joins the headline in one box — under way, done, or why not — so
        the face fits 1024x700 beside the page; after a failure the R9 note gives way (the
        sentence names where the document is kept)."""
        self.status = status
        headline = self.view.headline if self.view is not None else ""
        if status is None:
            self.headline.configure(text=headline, style="Success.TLabel")
        else:
            style = {StatusKind.RUNNING: "Trial.TLabel", StatusKind.DONE: "Success.TLabel",
                     StatusKind.FAILED: "Undelivered.TLabel"}[status.kind]
            self.headline.configure(text=f"{headline}\n{status.text}", style=style)
        _shown(self.note, status is None or not status.can_retry)

    def page_room(self, width: int, height: int) -> tuple[int, int]:
        """The largest page (width, height) in pixels that fits the dialog's content area of
        `width`×`height`, leaving the left column at least half."""
        caption = 24
        high = max(120, height - caption)
        wide = max(90, min(width // 2 - 16, round(high / A4_RATIO)))
        self._room = (wide, round(wide * A4_RATIO))
        self.wrap(width)
        return self._room

    def show_waiting(self, text: str) -> None:
        wide, high = self._room
        self._image = None
        self.image_label.configure(image="", text=text, width=0, height=0,
                                   wraplength=max(80, wide - 20))
        # A blank sheet exactly the page's size: padding a label out to it would make it as
        # wide as its text plus the padding, and squeeze the left column.
        self.page.configure(width=wide, height=high)
        self.page.grid_propagate(False)
        self.image_label.grid_configure(sticky="nsew")
        self.caption.configure(text="")

    def show_page(self, image: tk.PhotoImage, caption: str) -> None:
        wide, high = self._room
        shrink = max(1, -(-image.width() // wide), -(-image.height() // high))
        if shrink > 1:  # a window made smaller meanwhile: keep it inside
            image = image.subsample(shrink)
        self._image = image  # Tk forgets an image nobody in Python holds
        self.image_label.configure(image=image, text="")
        self.page.grid_propagate(True)
        self.image_label.grid_configure(sticky="n")
        self.caption.configure(text=caption)

    @property
    def has_page(self) -> bool:
        return self._image is not None

    def wrap(self, width: int) -> None:
        left = max(200, width - self._room[0] - 16 - 24)  # the page, its gap, the padding
        for label in (self.comparison, self.note, self.headline):
            label.configure(wraplength=left)


def _shown(widget: tk.Widget, shown: bool) -> None:
    if shown:
        widget.grid()
    else:
        widget.grid_remove()
