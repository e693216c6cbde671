"""What the audit journal may say an entry is about, and how it ended: plain codes, no I/O,
so the GUI and the services can name them without loading the store."""

from __future__ import annotations

from enum import StrEnum


class AuditAction(StrEnum):
    """The documented set of things the journal records; anything else is refused."""

    SIGN_IN = "sign_in"
    SIGN_OUT = "sign_out"
    SIGN_IN_FAILED = "sign_in_failed"
    SCREEN_LOCK = "screen_lock"
    SCREEN_UNLOCK = "screen_unlock"
    LOOKUP = "lookup"
    IDENTITY_CHECK = "identity_check"  # R10: holder or representative, document, last 4
    IDENTITY_END = "identity_end"  # R10: the visit's check ended before its minutes ran out
    TARIFF_CHANGE = "tariff_change"
    SERVICE_ADD = "service_add"
    SERVICE_REMOVE = "service_remove"
    ASSISTANT_CONNECT = "assistant_connect"
    ORDER_QUEUE = "order_queue"  # the clerk queued a change the operator did not confirm
    ORDER_CANCEL = "order_cancel"  # the clerk cancelled a queued change
    CODE_ISSUE = "code_issue"
    CODE_VERIFY = "code_verify"
    DETALIZATION = "detalization"
    PICKUP_PRINT = "pickup_print"  # R11: an order for pick-up printed ahead (or again)
    PICKUP_HAND_OVER = "pickup_hand_over"  # R11: handed over after R10, receipt printed
    PICKUP_DESTROY = "pickup_destroy"  # R11: not collected in time, destroyed
    DOCUMENT_SAVE = "document_save"  # a document written to a file, not (yet) printed
    PRINT = "print"  # done only for a CUPS job that completed
    EMAIL = "email"
    ARCHIVE = "archive"
    EXPORT = "export"
    PURGE = "purge"
    AUDIT_VERIFY = "audit_verify"
    CLERK_ADD = "clerk_add"
    CLERK_DISABLE = "clerk_disable"
    CLERK_ENABLE = "clerk_enable"
    CLERK_PASSWD = "clerk_passwd"


class AuditResult(StrEnum):
    DONE = "done"
    REFUSED = "refused"  # a rule or the operator said no
    FAILED = "failed"  # something broke (network, printer, disk)
