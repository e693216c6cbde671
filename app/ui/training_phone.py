"""Training mode's «Телефон абонента» under the demo subscribers: the SMS the phone of the
number on screen received (the sandbox's outbox), refreshed after a code is issued, on demand
and every few seconds while it is on screen; and the training world's clock, moved forward
(+1 h, +24 h) so a clerk can watch a 24-hour lock end (R3).

R2: the one place a code is ever on the console's screen — and only against the training
sandbox (`Services.training`); it is labelled as the subscriber's phone, not the console.
Tk thread only; the sandbox is asked on the BackgroundRunner.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING

from app.phone import format_msisdn
from app.ui.ports import TrainingWorldPort
from app.ui.presenters.errors import MessageView, present_error
from app.ui.presenters.phone import PhoneView, moved_message, present_phone
from app.ui.views.phone_panel import PhonePanel
from models.access_codes import SandboxTime, SmsMessage

if TYPE_CHECKING:
    from app.services.registry import Services
    from app.ui.window import MainWindow

PHONE_EVERY_S = 5.0  # asked again this often while on screen


class TrainingPhone:
    def __init__(self, window: MainWindow, on_clock_moved: Callable[[], None]) -> None:
        self.window = window
        self._on_clock_moved = on_clock_moved  # a lock on screen may have ended
        self.panel: PhonePanel | None = None
        self.msisdn: str | None = None  # whose phone is shown
        self._messages: list[SmsMessage] = []
        self._world: SandboxTime | None = None
        self._error = ""
        self._asked_at = 0.0

    @property
    def world(self) -> TrainingWorldPort | None:
        services = self.window.services
        if services is None or not services.training:
            return None
        return services.sandbox

    def attach(self, services: Services) -> None:
        training = self.window.training
        if self.world is None or training is None or self.panel is not None:
            return
        self.panel = PhonePanel(training.pane, on_refresh=self.refresh,
                                on_advance=self.advance)
        self.panel.grid(row=1, column=0, sticky="nsew", pady=(8, 0))
        training.pane.rowconfigure(1, weight=1)
        self._render()
        self.refresh()

    def show(self, msisdn: str | None) -> None:
        """The number on screen (None: no card): its phone, asked for at once."""
        if msisdn != self.msisdn:
            self.msisdn, self._messages, self._error = msisdn, [], ""
            self._render()
            self.refresh()

    def refresh(self) -> None:
        world = self.world
        if world is None or self.panel is None:
            return
        msisdn = self.msisdn
        self._asked_at = time.monotonic()

        def ask() -> tuple[list[SmsMessage], SandboxTime]:
            return (world.sms(msisdn) if msisdn else []), world.clock()

        self.window.runner.submit(ask, partial(self._answered, msisdn), self._failed)

    def tick(self) -> None:
        """Every second from the code controls: ask again while on screen."""
        panel = self.panel
        if panel is not None and panel.winfo_ismapped() and self.window.working \
                and time.monotonic() - self._asked_at >= PHONE_EVERY_S:
            self.refresh()

    def advance(self, seconds: int) -> None:
        world, panel = self.world, self.panel
        if world is None or panel is None or not self.window.working:
            return
        panel.set_busy(True)
        self.window.runner.submit(lambda: world.advance(seconds),
                                  partial(self._advanced, seconds), self._advance_failed)

    def retranslate(self) -> None:
        if self.panel is not None:
            self.panel.retranslate()
            self._render()

    # -- answers ------------------------------------------------------------------------------
    def _answered(self, msisdn: str | None,
                  answer: tuple[list[SmsMessage], SandboxTime]) -> None:
        if msisdn != self.msisdn:
            return  # another number is on screen since
        self._messages, self._world = answer
        self._error = ""
        self._render()

    def _failed(self, error: BaseException) -> None:
        self._error = present_error(error).text
        self._render()

    def _advanced(self, seconds: int, now: SandboxTime) -> None:
        if self.panel is not None:
            self.panel.set_busy(False)
        self._world = now
        self.window.message.show(MessageView(moved_message(seconds, now.now, self._zone()),
                                             "info"))
        self.refresh()
        self._on_clock_moved()

    def _advance_failed(self, error: BaseException) -> None:
        if self.panel is not None:
            self.panel.set_busy(False)
        self.window.message.show(present_error(error))

    def _render(self) -> None:
        if self.panel is None:
            return
        view = present_phone(format_msisdn(self.msisdn) if self.msisdn else None,
                             self._messages, self._world.now if self._world else None,
                             self._zone())
        if self._error:
            view = PhoneView(view.title, view.note, (), self._error, view.clock)
        self.panel.show(view)

    def _zone(self) -> str:
        card = self.window.card
        if card is not None and card.subscriber.msisdn == self.msisdn:
            return card.subscriber.region.timezone
        return self.window.settings.salon.timezone
