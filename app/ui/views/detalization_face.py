"""The detalization dialog's face: its widgets and how its state is drawn (app/ui/views/
detalization_dialog.py is the flow that changes the state). Widgets and presenters only.

Drawn from the state alone (`step`, the choices, what the service answered), so a language
switch is one `retranslate()`. Looks and keys follow the operation dialog (order_face.py).
"""

from __future__ import annotations

import tkinter as tk
from datetime import date
from pathlib import Path
from tkinter import ttk

from app.i18n import _
from app.phone import format_msisdn
from app.ui.presenters.detalization import (
    QUICK_PICKS,
    STEPS,
    CheckView,
    Delivery,
    Step,
    delivery_note,
    period_hint,
    period_text,
    present_check,
    quick_label,
    step_titles,
)
from app.ui.presenters.detalization_delivery import RETRY_KEY, DeliveryStatus, retry_note
from app.ui.presenters.detalization_result import ResultView
from app.ui.presenters.errors import MessageView
from app.ui.views.detalization_inputs import DeliveryStep, FormatStep, PeriodStep
from app.ui.views.detalization_outcome import CheckStep, DoneStep, SendingStep
from app.ui.views.dialog_place import DialogSize
from app.ui.views.step_dialog import StepDialog, StepFace
from app.ui.views.tooltip import Tooltip
from models.detalization import Options, Period
from models.domain import SubscriberCard

SIZE = DialogSize(width=(760, 980), height=(560, 720), minimum=(760, 540), margin=(60, 50))


class DetalizationFace(StepDialog):
    def __init__(self, master: tk.Misc, *, card: SubscriberCard, today: date,
                 documents: Path, kept_days: int) -> None:
        self.card, self.today, self.documents, self.kept_days = card, today, documents, kept_days
        self.step = Step.PERIOD
        self.period: Period | None = None
        self.refusal = ""  # R7, known from the card before anything is typed
        self.notice: MessageView | None = None
        self.result: ResultView | None = None
        self.cancelling = False
        self.address = ""  # the e-mail address as the delivery service checked it
        self.printer: str | None = None  # the counter's printer, once asked (on a worker)
        self.delivery_status: DeliveryStatus | None = None  # paper, e-mail, archive on DONE
        super().__init__(master, steps=len(STEPS), size=SIZE, step_gap=7)

    # The flow's other commands (DetalizationDialog).
    def pick(self, _pick: object) -> None:
        raise NotImplementedError

    def typed(self) -> None:
        raise NotImplementedError

    def delivery_changed(self) -> None:
        raise NotImplementedError

    def browse(self) -> None:
        raise NotImplementedError

    def open_document(self) -> None:
        raise NotImplementedError

    def open_folder(self) -> None:
        raise NotImplementedError

    def copy_path(self) -> None:
        raise NotImplementedError

    def retry_delivery(self) -> None:
        raise NotImplementedError

    # -- layout ------------------------------------------------------------------------------
    def _build_content(self, content: ttk.Frame) -> None:
        self.period_step = PeriodStep(content, on_pick=self.pick, on_typed=self.typed)
        self.delivery_step = DeliveryStep(content, on_change=self.delivery_changed,
                                          on_browse=self.browse)
        self.format_step = FormatStep(content)
        self.check_step = CheckStep(content)
        self.sending_step = SendingStep(content)
        self.done_step = DoneStep(content)
        for face in self.faces:
            face.grid(row=0, column=0, sticky="nsew")
        self.done_actions = ttk.Frame(self.buttons, style="Body.TFrame")  # the result's, left
        self.done_actions.grid(row=0, column=1, sticky="w")
        self.open_document_button = ttk.Button(self.done_actions, style="Action.TButton",
                                               command=self.open_document)
        self.open_folder_button = ttk.Button(self.done_actions, style="Action.TButton",
                                             command=self.open_folder)
        self.copy_button = ttk.Button(self.done_actions, style="Action.TButton",
                                      command=self.copy_path)
        self.retry_button = ttk.Button(self.done_actions, style="Action.TButton",
                                       command=self.retry_delivery)
        self.retry_tip = Tooltip(self.retry_button)
        for index, button in enumerate((self.retry_button, self.open_document_button,
                                        self.open_folder_button, self.copy_button)):
            button.grid(row=0, column=index, padx=(0, 6))

    @property
    def faces(self) -> tuple[StepFace, ...]:
        return (self.period_step, self.delivery_step, self.format_step, self.check_step,
                self.sending_step, self.done_step)

    def focus_step(self) -> None:
        """The cursor where the clerk types next on this step."""
        if not self.winfo_exists():
            return
        self.lift()
        if self.step is Step.PERIOD:
            self.period_step.focus_first()
        elif self.step is Step.DELIVERY:
            self.delivery_step.focus_choice()
        elif self.step is Step.FORMAT:
            self.format_step.focus_choice()
        elif self.step is Step.SENDING:
            self.secondary_button.focus_set()
        elif self.can_press_primary:
            self.primary_button.focus_set()
        else:
            self.secondary_button.focus_set()

    @property
    def can_press_primary(self) -> bool:
        """Shown (gridded: it may not be mapped yet right after a step changed) and enabled."""
        button = self.primary_button
        return bool(button.grid_info()) and button.instate(["!disabled"])

    # -- what the steps hold -----------------------------------------------------------------
    @property
    def delivery(self) -> Delivery:
        return self.delivery_step.delivery

    @property
    def folder(self) -> Path:
        text = self.delivery_step.folder.get().strip()
        return Path(text).expanduser() if text else self.documents

    @property
    def fmt(self) -> str:
        return self.format_step.fmt

    @property
    def options(self) -> Options:
        return self.format_step.options

    def check_view(self) -> CheckView:
        assert self.period is not None
        return present_check(self.card.subscriber, self.period, self.delivery, self.folder,
                             self.fmt, self.options, self.refusal, printer=self.printer,
                             address=self.address)

    # -- drawing -------------------------------------------------------------------------------
    def retranslate(self) -> None:
        self.render()

    def render(self) -> None:
        subscriber = self.card.subscriber
        title = _("Detalization")
        self.title(f"{title} — {subscriber.name}")
        self.title_label.configure(text=title)
        self.subtitle.configure(text=_("{name} · {phone} · tariff «{tariff}»").format(
            name=subscriber.name, phone=format_msisdn(subscriber.msisdn),
            tariff=subscriber.tariff.name))
        now = STEPS.index(self.step)
        for index, (label, text) in enumerate(zip(self.step_labels, step_titles(), strict=True)):
            label.configure(text=text, style="StepNow.TLabel" if index == now else "Step.TLabel")
        repeated = self.step is Step.CHECK and self.notice is not None \
            and self.notice.text == self.refusal  # the check says it in red itself
        self.message.show(None if repeated else self.notice)
        for index, face in enumerate(self.faces):  # the current one is never unmapped
            if index == now:
                face.grid()
            else:
                face.grid_remove()
        self._render_face()
        self._render_buttons()
        self.configure(cursor="watch" if self.step is Step.SENDING else "")

    def _render_face(self) -> None:
        step = self.step
        if step is Step.PERIOD:
            self.period_step.show(_("The period of the detalization"),
                                  {p: f"{quick_label(p)}  Alt+{i + 1}"
                                   for i, p in enumerate(QUICK_PICKS)},
                                  self.period_summary(), period_hint(self.today))
        elif step is Step.DELIVERY:
            self.delivery_step.show(_("How the subscriber gets it"),
                                    delivery_note(self.delivery, self.folder, self.documents,
                                                  self.kept_days))
        elif step is Step.FORMAT:
            self.format_step.show()
        elif step is Step.CHECK:
            self.check_step.show(self.check_view())
        elif step is Step.DONE and self.result is not None:
            self.done_step.show(self.result)
            self.done_step.show_delivery(self.delivery_status)

    def period_summary(self) -> str:
        """What the typed dates make: "01.10.2026 — 31.10.2026 (31 день)", or nothing yet."""
        return period_text(self.period) if self.period is not None else ""

    def _render_buttons(self) -> None:
        step = self.step
        primary = {
            Step.CHECK: _("Order it (Enter)"),
            Step.DONE: _("Close (Enter)"),
        }.get(step, _("Next (Enter)"))
        self.primary_button.configure(text=primary)
        blocked = step is Step.CHECK and bool(self.refusal)
        self.primary_button.state(["disabled"] if blocked else ["!disabled"])
        _shown(self.primary_button, step is not Step.SENDING)
        if step is Step.SENDING:
            secondary = (_("Close without waiting (Esc)") if self.cancelling
                         else _("Stop the order (Esc)"))
        else:
            secondary = _("Cancel (Esc)")
        self.secondary_button.configure(text=secondary)
        _shown(self.secondary_button, step is not Step.DONE)
        self.back_button.configure(text=_("← Back (Backspace)"))
        _shown(self.back_button, step in (Step.DELIVERY, Step.FORMAT, Step.CHECK))
        self.open_document_button.configure(text=_("Open the document (Ctrl+O)"))
        self.open_folder_button.configure(text=_("Open the folder"))
        self.copy_button.configure(text=_("Copy the path (Ctrl+C)"))
        self.retry_button.configure(text=_("Retry delivery ({key})").format(key=RETRY_KEY))
        self.retry_tip.set(retry_note())
        retry = self.delivery_status is not None and self.delivery_status.can_retry
        _shown(self.retry_button, retry)
        # The row holds four buttons at 1024 px: the folder gives way to Retry (the path can
        # still be copied, the document opened).
        _shown(self.open_folder_button, not retry)
        _shown(self.done_actions, step is Step.DONE)


def _shown(widget: tk.Widget, shown: bool) -> None:
    if shown:
        widget.grid()
    else:
        widget.grid_remove()
