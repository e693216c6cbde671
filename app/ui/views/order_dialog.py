"""The operation dialog, one for all four actions (R4): choose → preview → confirm → result.

Modal to the main window and keyboard first: Enter does the highlighted thing (Next, Confirm,
Queue it, Done), Esc cancels or closes, Backspace goes back to the choice. Every call to the
order service runs on the BackgroundRunner; here is the flow that moves the state, and
app/ui/views/order_face.py draws it.

    choose ──Enter──▶ previewing ──▶ preview ──Enter──▶ submitting ──▶ result
      ▲                                 │                    │ STALE
      └────────── Backspace ────────────┘      reloading ◀───┘ (the card again, what changed)
                                           result (UNREACHABLE) ──queue / cancel──▶ settling
"""

from __future__ import annotations

import tkinter as tk
from collections.abc import Callable
from functools import partial
from typing import TypeVar

from app.flows.orders import Changed, OrderFlow, Settlement
from app.ui.ports import OrderPort
from app.ui.presenters.errors import MessageView, present_error
from app.ui.presenters.order_result import present_outcome, present_settlement
from app.ui.presenters.orders import option_key, options_for
from app.ui.runner import BackgroundRunner
from app.ui.views.order_face import OrderFace
from models.domain import Session, SubscriberCard
from models.orders import (
    OrderAction,
    OrderOptions,
    OrderPreview,
    SubmitOutcome,
    SubmitStatus,
)

# Prints a slip (its path, what it confirms) and tells the dialog how it went (app/ui/delivery.py).
PrintSlip = Callable[[str, str, Callable[[MessageView], None]], None]
ReloadCard = Callable[[Callable[[SubscriberCard], None], Callable[[BaseException], None]], None]
PROGRESS_AFTER_MS = 700  # a progress bar only for what is not instant (DESIGN §6: ~1 s)
T = TypeVar("T")  # what a job on the runner answers
V = TypeVar("V")  # an answer or an error, passed on if still wanted


class OrderDialog(OrderFace):
    def __init__(
        self, master: tk.Misc, *, action: OrderAction, card: SubscriberCard,
        options: OrderOptions, orders: OrderPort, clerk: Session, runner: BackgroundRunner,
        reload_card: ReloadCard, on_changed: Callable[[], None],
        print_slip: PrintSlip | None = None,
    ) -> None:
        super().__init__(master, action=action, card=card, options=options)
        if print_slip is not None:
            self.result_step.on_print = lambda path: print_slip(path, self._confirms(),
                                                                self._show_notice)
        self._flow, self._runner = OrderFlow(orders, clerk), runner
        self._reload_card, self._on_changed = reload_card, on_changed
        self._request = 0
        self._bind_keys()
        self.protocol("WM_DELETE_WINDOW", self.escape)
        only = options_for(options, action)
        if action is OrderAction.CONNECT_ASSISTANT and only[0].available:
            self.chosen = only[0]
            self._fetch_preview()  # nothing to choose: straight to what it costs
        else:
            self._render()
        self.after_idle(self._focus)

    def _bind_keys(self) -> None:
        for sequence in ("<Return>", "<KP_Enter>"):
            self.bind(sequence, lambda _e: self._key(self.primary))
        self.bind("<Escape>", lambda _e: self._key(self.escape))
        for sequence in ("<BackSpace>", "<Alt-Left>"):
            self.bind(sequence, lambda _e: self._key(self.back))
        for sequence in ("<Control-c>", "<Control-Cyrillic_es>"):
            self.bind(sequence, lambda _e: self._key(self.result_step.copy_path))
        for sequence in ("<Control-p>", "<Control-Cyrillic_ze>"):
            self.bind(sequence, lambda _e: self._key(self.result_step.print_slip))

    def _confirms(self) -> str:
        """What the slip confirms, as the print queue lists it ("order ORD-000001")."""
        result = self.outcome.item.result if self.outcome is not None else None
        return f"order {result.order_id}" if result is not None else ""

    def _show_notice(self, notice: MessageView) -> None:
        """A sentence that comes back later (the slip's print): kept over a re-render."""
        if self.winfo_exists():
            self.notice = notice
            self.message.show(notice)

    def _key(self, action: Callable[[], None]) -> str:
        action()
        return "break"

    # -- the buttons -------------------------------------------------------------------------
    def primary(self) -> None:
        if self.primary_button.instate(["disabled"]) or not self.primary_button.winfo_ismapped():
            return
        if self.phase == "choose":
            self._pick()
        elif self.phase == "preview":
            if self.preview is None:
                self._fetch_preview()  # the last attempt failed: try again
            else:
                self._submit()
        elif self.phase == "result" and self.result and self.result.kind == "unreachable":
            self._settle(keep=True)
        elif self.phase == "result":
            self.close()

    def escape(self) -> None:
        """Esc / the window's close box: cancel before anything is sent; after an unconfirmed
        send, cancel the operation (the service refuses if it may have arrived)."""
        if self.phase in ("submitting", "settling", "reloading"):
            return  # an answer is on its way; the buttons say so
        if self.phase == "result" and self.result and self.result.kind == "unreachable":
            self._settle(keep=False)
            return
        self.close()

    def back(self) -> None:
        if not self.back_button.winfo_ismapped() or self.back_button.instate(["disabled"]):
            return
        self._request += 1  # a preview still on its way is dropped
        self.preview, self.outcome, self.result = None, None, None
        self.phase = "choose"
        self.notice = None
        self._render()
        self.choose.focus_list()

    def close(self) -> None:
        if self.winfo_exists():
            self.grab_release()
            self.destroy()

    # -- the flow ----------------------------------------------------------------------------
    def _pick(self) -> None:
        key = self.choose.selected
        if key is None:
            return
        self.chosen = next(o for o in options_for(self.options, self.action)
                           if option_key(o) == key)
        self._fetch_preview()

    def _fetch_preview(self) -> None:
        assert self.chosen is not None
        self.phase, self.preview, self.notice = "previewing", None, None
        self._render()
        chosen, flow = self.chosen, self._flow
        self._run(lambda: flow.preview(chosen), self._previewed, self._preview_failed)

    def _previewed(self, preview: OrderPreview) -> None:
        self.phase, self.preview = "preview", preview
        self._render()
        # Refused: Enter has nothing to confirm; the keys that do something are Backspace/Esc.
        (self.primary_button if preview.allowed else self.secondary_button).focus_set()

    def _preview_failed(self, error: BaseException) -> None:
        self.phase, self.preview = "preview", None
        self.notice = present_error(error)
        self._render()

    def _submit(self) -> None:
        assert self.preview is not None
        self.phase = "submitting"
        self._render()
        preview, flow = self.preview, self._flow
        self._run(lambda: flow.submit(preview), self._submitted, self._submit_failed)

    def _submitted(self, outcome: SubmitOutcome) -> None:
        self.outcome = outcome
        if outcome.status is SubmitStatus.STALE:
            self._reload()
            return
        self.phase = "result"
        self.result = present_outcome(outcome, self._chosen_name)
        self._render()
        self.primary_button.focus_set()
        if outcome.status in (SubmitStatus.DONE, SubmitStatus.UNREACHABLE):
            self._on_changed()  # the card (done) or the pending strip (queued) changed

    def _submit_failed(self, error: BaseException) -> None:
        self.phase = "preview"
        self.notice = present_error(error)
        self._render()

    def _reload(self) -> None:
        """412: someone changed the subscriber since the preview. Reload the card through
        the window (so the card behind shows it too), then say what changed."""
        self.phase = "reloading"
        self._render()
        self._request += 1
        request = self._request
        self._reload_card(partial(self._reloaded, request), partial(self._failed, request))

    def _reloaded(self, request: int, card: SubscriberCard) -> None:
        if request != self._request or not self.winfo_exists():
            return
        confirmed_on, flow = self.card, self._flow
        self._run(lambda: flow.changed(confirmed_on, card), self._new_options,
                  self._reload_failed)

    def _new_options(self, changed: Changed) -> None:
        self.card, self.options, self._changed = changed.card, changed.options, changed.changes
        self.phase, self.preview, self.outcome, self.result = "choose", None, None, None
        self.notice = self._changed_notice()
        self._render()
        self.choose.focus_list()

    def _reload_failed(self, error: BaseException) -> None:
        self.phase, self.preview = "choose", None
        self.notice = present_error(error)
        self._render()

    def _settle(self, *, keep: bool) -> None:
        assert self.outcome is not None
        item_id, flow = self.outcome.item.id, self._flow
        self.phase = "settling"
        self._render()
        self._run(lambda: flow.settle(item_id, keep=keep), self._settled, self._settle_failed)

    def _settle_failed(self, error: BaseException) -> None:
        self.phase = "result"  # the question again, with what went wrong
        self.notice = present_error(error)
        self._render()

    def _settled(self, settlement: Settlement) -> None:
        self.phase, self.result, self.notice = "result", present_settlement(settlement), None
        self._render()
        self.primary_button.focus_set()
        self._on_changed()

    # -- running jobs --------------------------------------------------------------------------
    def _run(self, job: Callable[[], T], done: Callable[[T], None],
             failed: Callable[[BaseException], None]) -> None:
        self._request += 1
        request = self._request
        self._runner.submit(job, partial(self._answer, request, done),
                            partial(self._answer, request, failed))
        if self._progress_after is not None:
            self.after_cancel(self._progress_after)
        self._progress_after = self.after(PROGRESS_AFTER_MS, self._show_progress)

    def _answer(self, request: int, callback: Callable[[V], None], value: V) -> None:
        if request != self._request or not self.winfo_exists():
            return  # the clerk went back or closed the dialog meanwhile
        callback(value)

    def _failed(self, request: int, error: BaseException) -> None:
        if request == self._request and self.winfo_exists():
            self._reload_failed(error)

