"""The detalization dialog (R6–R9), in the operator's order (seed 003): period → delivery →
format → check the order → sending → done, with the first page's preview.

Keyboard first: Enter goes on (Next, Order it, Close), Esc cancels (while the order runs: stops
it; pressed again: closes without waiting), Backspace goes back (Alt+Left inside a text field),
Alt+1…5 pick a period, Ctrl+O opens the document, Ctrl+C copies its path, Ctrl+R delivers it
again after a failed delivery.

Paper, e-mail and the personal archive (R8) are the delivery service's: the choice is checked
through it before anything is made (the address when leaving step 2, the format when leaving
step 3, both again before the order), the document is made into the console's folder, and then
delivered on the BackgroundRunner. A failed delivery keeps the document on screen as made; the
retry hands the SAME file to the service again and never orders the detalization twice.

The rules are the service's: each step asks it (`check_period`, `check_folder`, and R7 from
the card through `check_region`) and shows its sentences. The order and the preview run on
the BackgroundRunner; the progress callback (on the worker) only stores numbers in a
lock-guarded box, and an `after` poll draws them, so the Tk thread never waits.

    period ─Enter▶ delivery ─Enter▶ format ─Enter▶ check ─Enter▶ sending ──▶ done
       ◀──Backspace──┘ ◀──Backspace──┘ ◀──Backspace─┘   ▲  error/stopped │
                                                     └───────────────┘
"""

from __future__ import annotations

import base64
import shutil
import subprocess
import tempfile
import threading
import tkinter as tk
from collections.abc import Callable
from functools import partial
from pathlib import Path
from tkinter import ttk
from typing import TYPE_CHECKING

from app.errors import AddressRefused, Cancelled, InputError, RuleRefused, SalonError
from app.i18n import _
from app.ui.presenters.detalization import (
    QUICK_PICKS,
    SENT,
    Delivery,
    QuickPick,
    Step,
    date_text,
    progress_fraction,
    progress_text,
    quick_period,
    read_period,
    running_heading,
)
from app.ui.presenters.detalization_delivery import (
    delivered,
    delivering,
    delivery_failed,
    offered,
)
from app.ui.presenters.detalization_result import present_result
from app.ui.presenters.errors import MessageView, present_error
from app.ui.runner import BackgroundRunner
from app.ui.views.detalization_face import DetalizationFace
from models.detalization import Period
from models.domain import Session, SubscriberCard

if TYPE_CHECKING:
    from app.services.delivery import DeliveryMethod
    from app.services.detalization import DocumentInfo
    from app.ui.detalization import DeliveryPort, DetalizationPort, PrinterPort

POLL_MS = 50  # the bar is redrawn this often while the order runs
DPI_PER_INCH_HEIGHT = 11.69  # an A4 page is 11.69 inches high
AskFolder = Callable[[Path], Path | None]
Opener = Callable[[Path], None]


def _same_folder(a: Path, b: Path) -> bool:
    return a.expanduser().resolve() == b.expanduser().resolve()


def open_with_system(path: Path) -> None:
    """The desktop's own viewer or file manager (on a worker: it may take a moment)."""
    for command in (["xdg-open"], ["gio", "open"]):
        if shutil.which(command[0]):
            subprocess.Popen([*command, str(path)], stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL, start_new_session=True)
            return
    raise SalonError(_("No program to open files is installed here; the path is {path}.")
                     .format(path=path))


class Progress:
    """Handed to the worker instead of the dialog (no Tk object ever leaves the Tk thread):
    the last (stage, done, total) under a lock, and the clerk's "stop"."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._value: tuple[str, int, int] = ("start", 0, 0)
        self.stop = threading.Event()

    def __call__(self, stage: str, done: int, total: int) -> None:  # on the worker
        with self._lock:
            self._value = (stage, done, total)
        if self.stop.is_set():
            raise Cancelled(_("The detalization was stopped: no document was saved."))

    @property
    def value(self) -> tuple[str, int, int]:
        with self._lock:
            return self._value


def page_png(service: DetalizationPort, info: DocumentInfo, dpi: int) -> str:
    """Page one as base64 PNG for a PhotoImage; the PNG file (personal data) is gone at once."""
    with tempfile.TemporaryDirectory(prefix="salon-preview-") as folder:
        path = service.preview_png(info, Path(folder) / "page.png", dpi=dpi)
        return base64.b64encode(path.read_bytes()).decode("ascii")


class DetalizationDialog(DetalizationFace):
    def __init__(self, master: tk.Misc, *, card: SubscriberCard, service: DetalizationPort,
                 clerk: Session, runner: BackgroundRunner, ask_folder: AskFolder | None = None,
                 opener: Opener = open_with_system, delivery: DeliveryPort | None = None,
                 printing: PrinterPort | None = None,
                 after_close: Callable[[MessageView], None] | None = None) -> None:
        """`after_close`: where a delivery's sentence goes when it comes back after the
        dialog was closed (the window's message area), so no outcome goes unsaid."""
        timezone = card.subscriber.region.timezone
        super().__init__(master, card=card, today=service.today(timezone),
                         documents=service.documents_folder, kept_days=service.retention_days)
        self._service, self._clerk, self._runner = service, clerk, runner
        self._ask_folder = ask_folder or self._choose_folder
        self._opener = opener
        self._timezone = timezone
        self._request = 0
        self._progress: Progress | None = None
        self._poll_after: str | None = None
        self.info: DocumentInfo | None = None
        self._delivery = delivery
        self._after_close = after_close
        # The service's own DeliveryMethod members, by the step's choice: handed back to it
        # as they came (no import of the service's module on the Tk thread).
        self._methods: dict[Delivery, DeliveryMethod] = {}
        if delivery is not None:
            self._methods = {Delivery(str(m)): m for m in delivery.available()
                             if str(m) in {d.value for d in SENT}}
        self._delivery_request = 0
        self.delivered: object | None = None  # the service's Delivered, once it answered
        self.delivery_step.offer(offered(None if delivery is None else
                                         [str(m) for m in self._methods.values()]))
        if Delivery.PAPER in self._methods and printing is not None:
            self._ask_printer(printing)
        try:
            service.check_region(card.subscriber)
        except RuleRefused as refused:  # R7: said at once, and no order at step 4
            self.refusal = str(refused)
            self.notice = MessageView(self.refusal, "input")
        self.delivery_step.set_folder(str(self.documents))
        self._fill(quick_period(QuickPick.LAST_MONTH, self.today))
        self._bind_keys()
        self.protocol("WM_DELETE_WINDOW", self.close)
        self.render()
        self.after_idle(self.focus_step)

    def _bind_keys(self) -> None:
        for sequence in ("<Return>", "<KP_Enter>"):
            self.bind(sequence, lambda _e: self._key(self.primary))
        self.bind("<Escape>", lambda _e: self._key(self.escape))
        self.bind("<BackSpace>", self._backspace)
        self.bind("<Alt-Left>", lambda _e: self._key(self.back))
        for index, pick in enumerate(QUICK_PICKS):
            self.bind(f"<Alt-Key-{index + 1}>", partial(self._pick_key, pick))
        for sequence in ("<Control-c>", "<Control-Cyrillic_es>"):
            self.bind(sequence, lambda _e: self._key(self.copy_path))
        for sequence in ("<Control-o>", "<Control-Cyrillic_shcha>"):
            self.bind(sequence, lambda _e: self._key(self.open_document))
        for sequence in ("<Control-r>", "<Control-Cyrillic_ka>"):
            self.bind(sequence, lambda _e: self._key(self.retry_delivery))

    def _pick_key(self, pick: QuickPick, _event: tk.Event) -> str:
        return self._key(partial(self.pick, pick))

    def _key(self, action: Callable[[], None]) -> str:
        action()
        return "break"

    def _backspace(self, event: tk.Event) -> str | None:
        if isinstance(event.widget, tk.Entry | ttk.Entry):
            return None  # deleting a character, not going back
        return self._key(self.back)

    # -- the buttons -------------------------------------------------------------------------
    def primary(self) -> None:
        if not self.can_press_primary:
            return
        step = self.step
        if step is Step.PERIOD:
            self._period_next()
        elif step is Step.DELIVERY:
            self._delivery_next()
        elif step is Step.FORMAT:
            self._format_next()
        elif step is Step.CHECK:
            self._submit()
        elif step is Step.DONE:
            self.close()

    def escape(self) -> None:
        if self.step is Step.SENDING and not self.cancelling:
            self._stop()
            return
        self.close()

    def back(self) -> None:
        before = {Step.DELIVERY: Step.PERIOD, Step.FORMAT: Step.DELIVERY,
                  Step.CHECK: Step.FORMAT}.get(self.step)
        if before is not None:
            self.notice = self._standing_notice()
            self._go(before)

    def close(self) -> None:
        if self._progress is not None:
            self._progress.stop.set()  # the worker stops at its next progress report
        if self.winfo_exists():
            self.grab_release()
            self.destroy()

    def destroy(self) -> None:
        if self._poll_after is not None:
            self.after_cancel(self._poll_after)
            self._poll_after = None
        super().destroy()

    # -- 1. period ---------------------------------------------------------------------------
    def pick(self, pick: object) -> None:
        if self.step is not Step.PERIOD:
            return
        assert isinstance(pick, QuickPick)
        period = quick_period(pick, self.today)
        if period is None:  # any period: the clerk types it
            self.period_step.focus_first()
            return
        self._fill(period)
        self.notice = self._standing_notice()
        self.message.show(self.notice)
        self.period_step.summary.configure(text=self.period_summary())
        self.primary_button.focus_set()

    def _fill(self, period: Period | None) -> None:
        if period is not None:
            self.period = period
            self.period_step.set_dates(date_text(period.first), date_text(period.last))

    def typed(self) -> None:
        """The line under the dates follows what is typed (no sentence until Enter)."""
        try:
            self.period = read_period(*self.period_step.texts)
        except InputError:
            self.period = None
        self.period_step.summary.configure(text=self.period_summary())

    def _period_next(self) -> None:
        self.typed()
        try:
            period = read_period(*self.period_step.texts)
            self._service.check_period(period, self._timezone)
        except InputError as error:
            self.notice = present_error(error)
            self.message.show(self.notice)
            self.period_step.focus_first()
            return
        self.period = period
        self.notice = self._standing_notice()
        self._go(Step.DELIVERY)

    # -- 2. delivery -------------------------------------------------------------------------
    def delivery_changed(self) -> None:
        self.render()

    def _choose_folder(self, initial: Path) -> Path | None:
        """The console's own folder chooser (app/ui/views/file_dialog.py): in the folder in
        the field, unless that is the console's documents folder, whose files are purged
        (R9) — then in the user's documents folder, where a file is kept."""
        from app.ui.views.file_dialog import ask_folder

        keep = None if _same_folder(initial, self.documents) else initial
        return ask_folder(self, _("Where to save the detalization"), keep)

    def browse(self) -> None:
        chosen = self._ask_folder(self.folder)
        if chosen is not None:
            self.delivery_step.set_folder(str(chosen))
            self.render()

    def _delivery_next(self) -> None:
        self.delivery_step.show_email_error("")
        if self.delivery in SENT:
            if not self._check_delivery(None):
                return
            if self.delivery is Delivery.PAPER:
                self.format_step.choice.set("pdf")  # paper is printed from the PDF
        elif self.chosen_folder is not None:
            try:
                folder = self._service.check_folder(self.folder)
            except InputError as error:
                self.notice = present_error(error)
                self.message.show(self.notice)
                self.delivery_step.folder.focus_set()
                return
            self.delivery_step.set_folder(str(folder))
        self.notice = self._standing_notice()
        self._go(Step.FORMAT)

    def _check_delivery(self, fmt: str | None) -> bool:
        """Ask the delivery service whether the choice can be delivered (the address, the
        format); its sentence is shown where the clerk fixes it. True: it can."""
        method = self._methods.get(self.delivery)
        if method is None or self._delivery is None:
            return True  # the file or the screen: nothing to deliver
        email = self.delivery is Delivery.EMAIL
        try:
            address = self._delivery.check(method, to=self.delivery_step.address if email
                                           else None, fmt=fmt)
        except SalonError as error:
            self._refused(error, at_address=email)
            return False
        self.address = address or ""
        return True

    def _refused(self, error: SalonError, *, at_address: bool) -> None:
        # Not present_error: it logs the sentence, and this one may quote the typed address.
        view = MessageView(str(error), "input" if isinstance(error, InputError) else "failure")
        if at_address:
            self.notice = self._standing_notice()
            self.message.show(self.notice)
            if self.step is not Step.DELIVERY:
                self._go(Step.DELIVERY)
            self.delivery_step.show_email_error(view.text)
            self.delivery_step.focus_email()
            return
        self.notice = view
        self.message.show(view)
        self.focus_step()

    # -- 3. format -----------------------------------------------------------------------------
    def _format_next(self) -> None:
        if not self._check_delivery(self.fmt):  # e.g. paper is printed from the PDF only
            return
        self.notice = self._standing_notice()
        self._go(Step.CHECK)

    def _ask_printer(self, printing: PrinterPort) -> None:
        """The printer's name for the check; asked on a worker (it may ask CUPS). Not known
        in time, the check says "print at the counter" and the service picks it anyway."""
        def named(choice: object) -> None:
            if self.winfo_exists():
                self.printer = getattr(choice, "name", None)
                if self.step is Step.CHECK:
                    self.render()

        self._runner.submit(printing.choice, named, lambda _error: None)

    @property
    def chosen_folder(self) -> Path | None:
        """A folder the clerk chose; None for the console's own (the service makes it)."""
        if self.delivery is not Delivery.FILE:
            return None
        folder = self.folder
        if folder.expanduser().resolve() == self.documents.expanduser().resolve():
            return None
        return folder

    # -- 4. the order --------------------------------------------------------------------------
    def _submit(self) -> None:
        if self.refusal or self.period is None:
            return
        if not self._check_delivery(self.fmt):
            return  # nothing is ordered that could not be delivered
        service, clerk, msisdn = self._service, self._clerk, self.card.subscriber.msisdn
        period, options, fmt = self.period, self.options, self.fmt
        folder = self.chosen_folder
        progress = Progress()
        self._progress, self.cancelling, self.notice = progress, False, None
        self._request += 1
        request = self._request
        port, method = self._delivery, self._methods.get(self.delivery)
        to, given = self.address or None, self.delivery_step.given.get()

        def order() -> object:
            from app.flows.detalization import SAVED, DetalizationFlow, Sending  # on the worker

            # Where it goes is checked before anything is made (R10: the e-mail address).
            sending = SAVED if method is None else Sending(method, to=to, given=given)
            return DetalizationFlow(service, port, clerk).make(
                msisdn, period, options, fmt, sending, folder=folder, progress=progress)

        self._runner.submit(
            order,
            partial(self._answer, request, self._ordered),
            partial(self._answer, request, self._failed))
        self._go(Step.SENDING)
        self._draw_progress()

    def _stop(self) -> None:
        if self._progress is not None:
            self._progress.stop.set()
        self.cancelling = True
        self.render()
        self._draw_progress()

    def _draw_progress(self) -> None:
        self._poll_after = None
        if self.step is not Step.SENDING or self._progress is None:
            return
        stage, done, total = self._progress.value
        text = _("Stopping…") if self.cancelling else progress_text(stage, done, total)
        assert self.period is not None
        self.sending_step.show(running_heading(self.period), text,
                               progress_fraction(done, total),
                               _("A month of heavy use takes a while. Esc stops the order; "
                                 "nothing is saved then."))
        self._poll_after = self.after(POLL_MS, self._draw_progress)

    def _answer(self, request: int, callback: Callable[[object], None], value: object) -> None:
        if request != self._request or not self.winfo_exists():
            return  # the dialog was closed or another order started meanwhile
        callback(value)

    def _ordered(self, info: object) -> None:
        from app.services.detalization import DocumentInfo  # loaded by now: the order ran

        assert isinstance(info, DocumentInfo)
        stopped_late = self.cancelling
        self.info, self._progress, self.cancelling = info, None, False
        in_console = info.path.parent.resolve() == self.documents.expanduser().resolve()
        self.result = present_result(info, self.delivery, self.kept_days, in_console)
        self.notice = MessageView(_("The order finished before it could be stopped: the "
                                    "document is saved."), "info") if stopped_late else None
        self.delivery_status = None
        self._go(Step.DONE)
        self._deliver()
        self._load_page(info)

    def _failed(self, error: object) -> None:
        assert isinstance(error, BaseException)
        self._progress, self.cancelling = None, False
        if isinstance(error, AddressRefused):  # said under the address, where it is fixed
            self._refused(error, at_address=True)
            return
        if isinstance(error, Cancelled):
            self.notice = MessageView(str(error), "info")
        else:
            self.notice = present_error(error)
        self._go(Step.CHECK)

    # -- 6. done: delivery ----------------------------------------------------------------------
    def _deliver(self) -> None:
        """Hand the document made to the delivery service, on a worker. Used for the first
        attempt and for Retry: the same file, never a second order."""
        info, port, method = self.info, self._delivery, self._methods.get(self.delivery)
        if info is None or port is None or method is None or self.delivery not in SENT:
            return
        clerk, to = self._clerk, self.address or None
        given = self.delivery_step.given.get()  # R10: the holder gave the address here

        def deliver() -> object:
            # Loaded with the service by now; imported here so the view never needs it sooner.
            from app.flows.detalization import DetalizationFlow, Sending

            return DetalizationFlow(self._service, port, clerk).deliver(
                info, Sending(method, to=to, given=given))

        self._delivery_request += 1
        request = self._delivery_request
        self.delivery_status = delivering(self.delivery)
        self._runner.submit(deliver, partial(self._delivery_answer, request, self._delivered),
                            partial(self._delivery_answer, request, self._delivery_failed))
        self.render()

    def _delivery_answer(self, request: int, callback: Callable[[object], None],
                         value: object) -> None:
        # Its own counter: the first page's preview runs alongside and must not drop it.
        if request != self._delivery_request:
            return
        if not self.winfo_exists():  # closed meanwhile: the window says how it went
            if self._after_close is not None:
                self._after_close(present_error(value) if isinstance(value, BaseException)
                                  else MessageView(str(getattr(value, "sentence", "")), "done"))
            return
        callback(value)

    def _delivered(self, result: object) -> None:
        self.delivered = result
        self.delivery_status = delivered(str(getattr(result, "sentence", "")))
        self.render()

    def _delivery_failed(self, error: object) -> None:
        assert isinstance(error, BaseException)
        self.delivery_status = delivery_failed(present_error(error))
        self.render()  # Enter still closes; Ctrl+R (or the button) tries again

    def retry_delivery(self) -> None:
        """Ctrl+R or the button, after a failed delivery only."""
        status = self.delivery_status
        if self.step is Step.DONE and status is not None and status.can_retry:
            self._deliver()
            self.primary_button.focus_set()

    # -- 6. done -------------------------------------------------------------------------------
    def _load_page(self, info: DocumentInfo) -> None:
        self.update_idletasks()  # the content's size decides the page's
        content = self.content
        _wide, high = self.done_step.page_room(content.winfo_width(), content.winfo_height())
        self.done_step.show_waiting(progress_text("preview", 0, 0))
        dpi = max(20, min(100, int(high / DPI_PER_INCH_HEIGHT)))
        service = self._service
        self._request += 1
        request = self._request
        self._runner.submit(lambda: page_png(service, info, dpi),
                            partial(self._answer, request, self._page_ready),
                            partial(self._answer, request, self._page_failed))

    def _page_ready(self, data: object) -> None:
        image = tk.PhotoImage(master=self, data=str(data), format="png")
        assert self.info is not None
        caption = (_("Page 1 of the document") if self.info.format == "pdf"
                   else _("Page 1 as the PDF would show it"))
        self.done_step.show_page(image, caption)

    def _page_failed(self, error: object) -> None:
        assert isinstance(error, BaseException)
        self.done_step.show_waiting(present_error(error).text)

    def open_document(self) -> None:
        if self.step is Step.DONE and self.info is not None:
            self._open(self.info.path)

    def open_folder(self) -> None:
        if self.step is Step.DONE and self.info is not None:
            self._open(self.info.path.parent)

    def _open(self, path: Path) -> None:
        opener = self._opener
        self._runner.submit(lambda: opener(path), lambda _done: None, self._open_failed)

    def _open_failed(self, error: BaseException) -> None:
        if self.winfo_exists():
            self.notice = present_error(error)
            self.message.show(self.notice)

    def copy_path(self) -> None:
        if self.step is Step.DONE and self.info is not None:
            self.clipboard_clear()
            self.clipboard_append(str(self.info.path))

    # -- moving between steps --------------------------------------------------------------------
    def _go(self, step: Step) -> None:
        self.step = step
        self.render()
        self.focus_step()

    def _standing_notice(self) -> MessageView | None:
        """What stays said on every step: the R7 refusal (known from the card)."""
        return MessageView(self.refusal, "input") if self.refusal else None
