"""The operation dialog's face: its widgets and how its state is drawn (app/ui/views/
order_dialog.py is the flow that changes the state). Widgets and presenters only.

The face is drawn from the state alone (`phase`, the options, what the service answered), so
a language switch is one `retranslate()`.
"""

from __future__ import annotations

import contextlib
import tkinter as tk
from tkinter import ttk
from typing import Literal

from app.i18n import _
from app.phone import format_msisdn
from app.ui.presenters.changes import changed_sentence
from app.ui.presenters.errors import MessageView
from app.ui.presenters.order_result import OutcomeView, present_outcome, present_preview
from app.ui.presenters.orders import (
    action_name,
    choose_prompt,
    option_key,
    options_for,
    present_options,
    what_text,
)
from app.ui.views.dialog_place import DialogSize
from app.ui.views.order_steps import ChooseStep, PreviewStep, ResultStep
from app.ui.views.step_dialog import StepDialog, StepFace
from models.domain import SubscriberCard
from models.orders import OrderAction, OrderOption, OrderOptions, OrderPreview, SubmitOutcome

Phase = Literal["choose", "previewing", "preview", "submitting", "result", "settling",
                "reloading"]
BUSY: tuple[Phase, ...] = ("previewing", "submitting", "settling", "reloading")


SIZE = DialogSize(width=(600, 900), height=(460, 600), minimum=(600, 440), margin=(60, 60))


class OrderFace(StepDialog):
    def __init__(self, master: tk.Misc, *, action: OrderAction, card: SubscriberCard,
                 options: OrderOptions) -> None:
        self.action, self.card, self.options = action, card, options
        self.phase: Phase = "choose"
        self.chosen: OrderOption | None = None
        self.preview: OrderPreview | None = None
        self.outcome: SubmitOutcome | None = None
        self.result: OutcomeView | None = None
        self.notice: MessageView | None = None
        self._changed: tuple[str, ...] | None = None  # what a 412 found different
        self._progress_after: str | None = None
        super().__init__(master, steps=3, size=SIZE)

    # -- layout ------------------------------------------------------------------------------
    def _build_content(self, content: ttk.Frame) -> None:
        self.choose = ChooseStep(content, on_pick=self.primary)
        self.preview_step = PreviewStep(content)
        self.result_step = ResultStep(content)
        for face in self.faces:
            face.grid(row=0, column=0, sticky="nsew")
        busy = ttk.Frame(self.body, style="Body.TFrame")
        busy.grid(row=5, column=0, sticky="ew", pady=(8, 0))
        busy.columnconfigure(1, weight=1)
        self.busy_label = ttk.Label(busy, style="Field.TLabel")
        self.busy_label.grid(row=0, column=0, sticky="w")
        self.progress = ttk.Progressbar(busy, mode="indeterminate",
                                        style="Accent.Horizontal.TProgressbar")
        self.progress.grid(row=0, column=1, sticky="ew", padx=(12, 0))
        self.progress.grid_remove()

    @property
    def faces(self) -> tuple[StepFace, ...]:
        return (self.choose, self.preview_step, self.result_step)

    def _focus(self) -> None:
        if not self.winfo_exists():
            return
        self.lift()
        if self.phase == "choose":
            self.choose.focus_list()
        else:
            self.primary_button.focus_set()

    def destroy(self) -> None:
        # A pending `after` would call a command Tk no longer has ("invalid command name").
        if self._progress_after is not None:
            with contextlib.suppress(tk.TclError):
                self.after_cancel(self._progress_after)
            self._progress_after = None
        super().destroy()

    @property
    def _can_go_back(self) -> bool:
        return len(options_for(self.options, self.action)) > 1 or \
            self.action is not OrderAction.CONNECT_ASSISTANT

    def _changed_notice(self) -> MessageView | None:
        if self._changed is None:
            return None
        return MessageView(changed_sentence(self._changed), "input")

    def _show_progress(self) -> None:
        self._progress_after = None
        if self.winfo_exists() and self.busy:
            self.progress.grid()
            self.progress.start(15)

    @property
    def busy(self) -> bool:
        return self.phase in BUSY

    @property
    def _chosen_name(self) -> str:
        return self.chosen.name if self.chosen is not None else ""

    # -- drawing -------------------------------------------------------------------------------
    def retranslate(self) -> None:
        if self.result is not None and self.outcome is not None and self.phase == "result" \
                and self.result.kind in ("done", "rejected", "unreachable"):
            self.result = present_outcome(self.outcome, self._chosen_name)
        if self._changed is not None and self.notice is not None \
                and self.notice.kind == "input":
            self.notice = self._changed_notice()
        self._render()

    def _render(self) -> None:
        subscriber = self.card.subscriber
        title = action_name(self.action)
        self.title(f"{title} — {subscriber.name}")
        self.title_label.configure(text=title)
        phone = format_msisdn(subscriber.msisdn)
        if self.phase == "result":  # the tariff may be another one now: the card says which
            self.subtitle.configure(text=f"{subscriber.name} · {phone}")
        else:
            self.subtitle.configure(text=_("{name} · {phone} · tariff «{tariff}»").format(
                name=subscriber.name, phone=phone, tariff=subscriber.tariff.name))
        self._render_steps()
        self.message.show(self.notice)
        phase = self.phase
        if phase in ("choose", "reloading"):
            self._face(self.choose)
            rows = present_options(options_for(self.options, self.action))
            keep = option_key(self.chosen) if self.chosen is not None else None
            self.choose.show(choose_prompt(self.action), rows, keep)
        elif phase in ("previewing", "preview", "submitting"):
            self._face(self.preview_step)
            view = present_preview(
                self.preview, self._chosen_name, tariff=self.card.subscriber.tariff.name,
                list_fee=self.chosen.one_off_fee if self.chosen is not None else None,
            ) if self.preview else None
            self.preview_step.show(view, what_text(self.action, self._chosen_name))
        else:
            self._face(self.result_step)
            assert self.result is not None
            slip = self.outcome.slip_path if self.outcome is not None else None
            self.result_step.show(self.result, slip)
        self._render_busy()
        self._render_buttons()

    def _render_steps(self) -> None:
        texts = (_("1. Choice"), _("2. Cost"), _("3. Confirmation"))
        now = {"choose": 0, "reloading": 0, "previewing": 1, "preview": 1}.get(self.phase, 2)
        for index, (label, text) in enumerate(zip(self.step_labels, texts, strict=True)):
            label.configure(text=text, style="StepNow.TLabel" if index == now else "Step.TLabel")

    def _face(self, face: ttk.Frame) -> None:
        for other in (self.choose, self.preview_step, self.result_step):
            if other is face:
                other.grid()
            else:
                other.grid_remove()

    def _render_busy(self) -> None:
        texts = {
            "previewing": _("Calculating…"),
            "submitting": _("Sending to the operator… wait for the answer."),
            "settling": _("Saving your decision…"),
            "reloading": _("The subscriber's data has changed: loading the card again…"),
        }
        self.busy_label.configure(text=texts.get(self.phase, ""))
        self.configure(cursor="watch" if self.busy else "")
        if not self.busy:
            if self._progress_after is not None:
                self.after_cancel(self._progress_after)
                self._progress_after = None
            self.progress.stop()
            self.progress.grid_remove()

    def _render_buttons(self) -> None:
        phase, kind = self.phase, self.result.kind if self.result else ""
        back = phase in ("choose", "previewing", "preview") or kind == "rejected"
        back = back and phase != "choose" and self._can_go_back
        primary = {
            "choose": _("Next (Enter)"),
            "previewing": _("Confirm (Enter)"),
            "preview": _("Confirm (Enter)") if self.preview is not None
            else _("Try again (Enter)"),
            "submitting": _("Confirm (Enter)"),
            "reloading": _("Next (Enter)"),
        }.get(phase, _("Done (Enter)") if kind == "done" else _("Close (Enter)"))
        secondary = _("Cancel (Esc)")
        if kind == "unreachable":
            primary, secondary = _("Queue it (Enter)"), _("Cancel the operation (Esc)")
        enabled = {
            "choose": self.choose.selected is not None,
            "preview": self.preview is None or self.preview.allowed,
            "result": True,
        }.get(phase, False)
        self.primary_button.configure(text=primary)
        self.primary_button.state(["!disabled"] if enabled else ["disabled"])
        self.secondary_button.configure(text=secondary)
        show_secondary = phase in ("choose", "previewing", "preview") or kind == "unreachable"
        _shown(self.secondary_button, show_secondary)
        self.back_button.configure(text=_("← Back (Backspace)"))
        _shown(self.back_button, back)
        self.secondary_button.state(["disabled"] if self.busy else ["!disabled"])

def _shown(widget: tk.Widget, shown: bool) -> None:
    if shown:
        widget.grid()
    else:
        widget.grid_remove()
