"""The detalization dialog's first three faces: the period (dates and quick picks), the delivery
(a file, the screen, paper, e-mail, the personal archive) and the format with its options.
Widgets only; app/ui/views/detalization_dialog.py reads them and decides what is next."""

from __future__ import annotations

import tkinter as tk
from collections.abc import Callable
from functools import partial
from tkinter import ttk

from app.i18n import _
from app.ui.presenters.detalization import (
    DELIVERIES,
    FORMATS,
    QUICK_PICKS,
    Delivery,
    QuickPick,
    delivery_label,
    format_label,
    option_labels,
)
from app.ui.presenters.detalization_delivery import unavailable_reason
from app.ui.views.step_dialog import StepFace
from models.detalization import Options

ENTRY_FONT = "SalonValue"


class PeriodStep(StepFace):
    """From / to (DD.MM.YYYY) and the quick picks; the line under them says what the typed
    dates make, or what is wrong with them."""

    def __init__(self, master: tk.Misc, on_pick: Callable[[QuickPick], None],
                 on_typed: Callable[[], None]) -> None:
        super().__init__(master, style="Body.TFrame")
        self.columnconfigure(1, weight=1)
        self.prompt = ttk.Label(self, style="Field.TLabel")
        self.prompt.grid(row=0, column=0, sticky="w", pady=(0, 8))
        dates = ttk.Frame(self, style="Body.TFrame")
        dates.grid(row=1, column=0, sticky="nw")
        self.from_label = ttk.Label(dates, style="Value.TLabel")
        self.from_label.grid(row=0, column=0, sticky="e", padx=(0, 10), pady=(0, 8))
        self.first = ttk.Entry(dates, width=12, style="Phone.TEntry", font=ENTRY_FONT)
        self.first.grid(row=0, column=1, sticky="w", pady=(0, 8))
        self.to_label = ttk.Label(dates, style="Value.TLabel")
        self.to_label.grid(row=1, column=0, sticky="e", padx=(0, 10))
        self.last = ttk.Entry(dates, width=12, style="Phone.TEntry", font=ENTRY_FONT)
        self.last.grid(row=1, column=1, sticky="w")
        for entry in (self.first, self.last):
            entry.bind("<KeyRelease>", lambda _e: on_typed(), add="+")
            entry.bind("<FocusIn>", lambda e: e.widget.select_range(0, "end"), add="+")
        self.summary = ttk.Label(dates, style="Value.TLabel")
        self.summary.grid(row=2, column=0, columnspan=2, sticky="w", pady=(14, 0))
        # The quick picks: a column beside the dates, the same width each.
        picks = ttk.Frame(self, style="Body.TFrame")
        picks.grid(row=1, column=1, sticky="nw", padx=(56, 0))
        picks.columnconfigure(0, weight=1)
        self.picks_label = ttk.Label(picks, style="Field.TLabel")
        self.picks_label.grid(row=0, column=0, sticky="w", pady=(0, 6))
        self.picks: dict[QuickPick, ttk.Button] = {}
        for index, pick in enumerate(QUICK_PICKS):
            button = ttk.Button(picks, style="Pick.Action.TButton",
                                command=partial(on_pick, pick))
            button.grid(row=1 + index, column=0, sticky="ew", pady=(0, 4))
            self.picks[pick] = button
        self.hint = ttk.Label(self, style="Note.TLabel", justify="left")
        self.hint.grid(row=2, column=0, columnspan=2, sticky="ew", pady=(14, 0))

    def show(self, prompt: str, labels: dict[QuickPick, str], summary: str, hint: str) -> None:
        self.prompt.configure(text=prompt)
        self.from_label.configure(text=_("The period's first day"))
        self.to_label.configure(text=_("The period's last day"))
        self.picks_label.configure(text=_("Quick choice"))
        for pick, button in self.picks.items():
            button.configure(text=labels[pick])
        self.summary.configure(text=summary)
        self.hint.configure(text=hint)

    def set_dates(self, first: str, last: str) -> None:
        for entry, text in ((self.first, first), (self.last, last)):
            entry.delete(0, "end")
            entry.insert(0, text)

    @property
    def texts(self) -> tuple[str, str]:
        return self.first.get(), self.last.get()

    def focus_first(self) -> None:
        self.first.focus_set()
        self.first.select_range(0, "end")

    def wrap(self, width: int) -> None:
        self.hint.configure(wraplength=max(200, width - 24))


class DeliveryStep(StepFace):
    """Save the file (into the console's documents folder, or one the clerk chooses), show it
    on screen, print it at the counter, send it by e-mail (the address field shows only for
    that), or put it into the personal archive. A way the console cannot do is shown disabled
    with the reason beside it; with no delivery service at all it is not shown."""

    def __init__(self, master: tk.Misc, on_change: Callable[[], None],
                 on_browse: Callable[[], None]) -> None:
        super().__init__(master, style="Body.TFrame")
        self.columnconfigure(0, weight=1)
        self.prompt = ttk.Label(self, style="Field.TLabel")
        self.prompt.grid(row=0, column=0, sticky="w", pady=(0, 6))
        self.choice = tk.StringVar(self, value=Delivery.FILE.value)
        self.radios: dict[Delivery, ttk.Radiobutton] = {}
        self.reasons: dict[Delivery, ttk.Label] = {}
        self.offered: dict[Delivery, str] = {Delivery.FILE: "", Delivery.SCREEN: ""}
        self._rows: dict[Delivery, ttk.Frame] = {}
        for index, delivery in enumerate(DELIVERIES):
            row = ttk.Frame(self, style="Body.TFrame")
            row.grid(row=1 + index * 2, column=0, sticky="w")
            radio = ttk.Radiobutton(row, style="Choice.TRadiobutton", variable=self.choice,
                                    value=delivery.value, command=on_change)
            radio.grid(row=0, column=0, sticky="w")
            radio.bind("<Up>", lambda _e: self._move(-1))
            radio.bind("<Down>", lambda _e: self._move(1))
            reason = ttk.Label(row, style="Note.TLabel")  # why it cannot be chosen here
            reason.grid(row=0, column=1, sticky="w", padx=(12, 0))
            self.radios[delivery], self.reasons[delivery] = radio, reason
            self._rows[delivery] = row
        folder_row = ttk.Frame(self, style="Body.TFrame")
        folder_row.columnconfigure(0, weight=1)
        folder_row.grid(row=2, column=0, sticky="ew", padx=(28, 0), pady=(2, 6))
        self.folder_label = ttk.Label(folder_row, style="Field.TLabel")
        self.folder_label.grid(row=0, column=0, columnspan=2, sticky="w")
        self.folder = ttk.Entry(folder_row, style="Phone.TEntry", font=ENTRY_FONT)
        self.folder.grid(row=1, column=0, sticky="ew", pady=(2, 0))
        self.browse = ttk.Button(folder_row, style="Action.TButton", command=on_browse)
        self.browse.grid(row=1, column=1, sticky="w", padx=(8, 0), pady=(2, 0))
        # Under "Send by e-mail", shown only while it is the choice.
        self.email_row = ttk.Frame(self, style="Body.TFrame")
        self.email_row.columnconfigure(1, weight=1)
        self.email_row.grid(row=2 + DELIVERIES.index(Delivery.EMAIL) * 2, column=0,
                            sticky="ew", padx=(28, 0), pady=(2, 6))
        self.email_label = ttk.Label(self.email_row, style="Field.TLabel")
        self.email_label.grid(row=0, column=0, sticky="w", padx=(0, 10))
        self.email = ttk.Entry(self.email_row, style="Phone.TEntry", font=ENTRY_FONT,
                               width=36)
        self.email.grid(row=0, column=1, sticky="w")
        self.email.bind("<KeyRelease>", lambda _e: self.show_email_error(""), add="+")
        # R10: an address the operator does not hold goes only when the identified holder
        # gave it at the counter; the clerk says so here.
        self.given = tk.BooleanVar(self, value=False)
        self.given_check = ttk.Checkbutton(self.email_row, style="Choice.TCheckbutton",
                                           variable=self.given)
        self.given_check.grid(row=1, column=1, sticky="w", pady=(2, 0))
        # What the delivery service said of the address, right under it.
        self.email_error = ttk.Label(self.email_row, style="Refusal.TLabel", justify="left")
        self.email_error.grid(row=2, column=0, columnspan=2, sticky="w", pady=(4, 0))
        self.email_error.grid_remove()
        self.note = ttk.Label(self, style="Note.TLabel", justify="left")
        self.note.grid(row=2 + len(DELIVERIES) * 2, column=0, sticky="ew", pady=(8, 0))

    def offer(self, offered: dict[Delivery, str]) -> None:
        """What the console can do (see presenters/detalization_delivery.offered)."""
        self.offered = offered
        for delivery, row in self._rows.items():
            if delivery in offered:
                row.grid()
            else:
                row.grid_remove()
            self.radios[delivery].state(["disabled"] if offered.get(delivery) else
                                        ["!disabled"])
        if not self.can_choose(self.delivery):
            self.choice.set(Delivery.FILE.value)

    def can_choose(self, delivery: Delivery) -> bool:
        return delivery in self.offered and not self.offered[delivery]

    def show(self, prompt: str, note: str) -> None:
        self.prompt.configure(text=prompt)
        for delivery, radio in self.radios.items():
            radio.configure(text=delivery_label(delivery))
            # Asked again here, not kept from offer(): a language switch redraws it.
            reason = unavailable_reason(delivery) if self.offered.get(delivery) else ""
            self.reasons[delivery].configure(text=reason)
        self.folder_label.configure(text=_("Save into the folder"))
        self.browse.configure(text=_("Choose a folder…"))
        self.email_label.configure(text=_("The subscriber's e-mail address"))
        self.given_check.configure(text=_("the holder gave it at the counter"))
        self.note.configure(text=note)
        state = ["!disabled"] if self.delivery is Delivery.FILE else ["disabled"]
        self.folder.state(state)
        self.browse.state(state)
        if self.delivery is Delivery.EMAIL:
            self.email_row.grid()
        else:
            self.email_row.grid_remove()

    @property
    def delivery(self) -> Delivery:
        return Delivery(self.choice.get())

    @property
    def address(self) -> str:
        return self.email.get().strip()

    def set_folder(self, text: str) -> None:
        self.folder.delete(0, "end")
        self.folder.insert(0, text)

    def focus_choice(self) -> None:
        self.radios[self.delivery].focus_set()

    def show_email_error(self, text: str) -> None:
        if text == str(self.email_error.cget("text")) and bool(text) == bool(
                self.email_error.grid_info()):
            return  # typing: nothing to redraw
        self.email_error.configure(text=text)
        if text:
            self.email_error.grid()
        else:
            self.email_error.grid_remove()

    def focus_email(self) -> None:
        self.email.focus_set()
        self.email.select_range(0, "end")

    def _move(self, step: int) -> str:
        """↑/↓ to the next choice that can be chosen (a disabled one is passed over)."""
        order = [d for d in DELIVERIES if self.can_choose(d)]
        chosen = order[(order.index(self.delivery) + step) % len(order)]
        self.radios[chosen].focus_set()
        self.radios[chosen].invoke()
        return "break"

    def wrap(self, width: int) -> None:
        self.note.configure(wraplength=max(200, width - 24))
        for reason in self.reasons.values():
            reason.configure(wraplength=max(160, width // 2))
        self.email_error.configure(wraplength=max(200, width - 80))


class FormatStep(StepFace):
    """PDF / HTML / XLSX / CSV / text, and what the report leaves out or hides."""

    def __init__(self, master: tk.Misc) -> None:
        super().__init__(master, style="Body.TFrame")
        self.columnconfigure(1, weight=1)
        self.prompt = ttk.Label(self, style="Field.TLabel")
        self.prompt.grid(row=0, column=0, sticky="w", pady=(0, 8))
        self.choice = tk.StringVar(self, value="pdf")
        self.radios: dict[str, ttk.Radiobutton] = {}
        for index, fmt in enumerate(FORMATS):
            radio = ttk.Radiobutton(self, style="Choice.TRadiobutton", variable=self.choice,
                                    value=fmt)
            radio.grid(row=1 + index, column=0, sticky="w", padx=(0, 24))
            radio.bind("<Up>", lambda _e: self._move(-1))
            radio.bind("<Down>", lambda _e: self._move(1))
            self.radios[fmt] = radio
        self.options_prompt = ttk.Label(self, style="Field.TLabel")
        self.options_prompt.grid(row=0, column=1, sticky="w", pady=(0, 8))
        self.mask = tk.BooleanVar(self, value=False)
        self.summary_only = tk.BooleanVar(self, value=False)
        self.hide_covered = tk.BooleanVar(self, value=False)
        self.checks: list[ttk.Checkbutton] = []
        for index, variable in enumerate((self.mask, self.summary_only, self.hide_covered)):
            check = ttk.Checkbutton(self, style="Choice.TCheckbutton", variable=variable)
            check.grid(row=1 + index, column=1, sticky="w")
            self.checks.append(check)
        self.note = ttk.Label(self, style="Note.TLabel", justify="left")
        self.note.grid(row=len(FORMATS) + 1, column=0, columnspan=2, sticky="ew", pady=(12, 0))

    def show(self) -> None:
        self.prompt.configure(text=_("Document format"))
        self.options_prompt.configure(text=_("What the document shows"))
        for fmt, radio in self.radios.items():
            radio.configure(text=format_label(fmt))
        labels = option_labels()
        for check, text in zip(self.checks, (labels.mask_numbers, labels.summary_only,
                                             labels.hide_covered), strict=True):
            check.configure(text=text)
        self.note.configure(text=_("↑/↓ choose the format, Tab goes to the options, Space "
                                   "ticks one, Enter goes on."))

    @property
    def fmt(self) -> str:
        return self.choice.get()

    @property
    def options(self) -> Options:
        return Options(mask_numbers=self.mask.get(), itemized=not self.summary_only.get(),
                       show_covered=not self.hide_covered.get())

    def focus_choice(self) -> None:
        self.radios[self.fmt].focus_set()

    def _move(self, step: int) -> str:
        order = list(FORMATS)
        chosen = order[(order.index(self.fmt) + step) % len(order)]
        self.radios[chosen].focus_set()
        self.radios[chosen].invoke()
        return "break"

    def wrap(self, width: int) -> None:
        self.note.configure(wraplength=max(200, width - 24))
