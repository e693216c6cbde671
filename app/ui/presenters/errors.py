"""An exception → the sentence the clerk reads. Details go to the log, never to the screen."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Literal

from app.errors import InputError, OperatorUnavailable, SalonError
from app.i18n import _

log = logging.getLogger(__name__)

MessageKind = Literal["input", "offline", "failure", "info", "done"]


@dataclass(frozen=True)
class MessageView:
    text: str
    # input: the clerk can fix it; offline: the network; failure: anything else;
    # info: news, not a problem; done: something the clerk asked for has been done.
    kind: MessageKind


def present_error(error: BaseException) -> MessageView:
    """SalonError carries its own translated sentence; anything else is a bug, so the clerk
    gets a generic sentence and the log gets the traceback."""
    if isinstance(error, SalonError):
        log.info("shown to the clerk: %r", error, exc_info=error.__cause__ is not None)
        if isinstance(error, InputError):
            return MessageView(str(error), "input")
        if isinstance(error, OperatorUnavailable):
            return MessageView(str(error), "offline")
        return MessageView(str(error), "failure")
    log.error("unexpected error in the console", exc_info=error)
    return MessageView(
        _("Something went wrong in the console. Try again; if it happens again, "
          "tell the administrator (the details are in the log)."),
        "failure",
    )
