"""The CUPS adapter: the printers a print server offers, submitting a PDF, a job's state, and
cancelling it — over pycups, imported only when the first call is made.

Every call runs on a short-lived thread with its own connection and is given `timeout`
seconds: libcups has no timeout of its own for a server that accepts and then says nothing,
and the clerk must hear about a failure within seconds (app/services/printing.py). A new
connection per call also keeps libcups' per-thread state (the server name) out of the picture.

Every pycups failure becomes a `PrintProblem` with a `ProblemKind` and CUPS's own words in
`detail`; app/services/printing.py turns the kind into the clerk's sentence (printing/ cannot
translate: it imports only models).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import Any, Protocol, TypeVar

from models.printing import CupsJobState, JobStatus, PrinterInfo, PrinterState

log = logging.getLogger(__name__)
T = TypeVar("T")

# IPP status codes (RFC 8011 §B, CUPS' ipp.h) that mean something particular to the clerk.
_IPP_FORBIDDEN = 0x0401
_IPP_NOT_AUTHENTICATED = 0x0402
_IPP_NOT_AUTHORIZED = 0x0403
_IPP_NOT_FOUND = 0x0406
_IPP_SERVICE_UNAVAILABLE = 0x0502
_IPP_NOT_ACCEPTING = 0x0506
_CUPS_PRINTER_REJECTING = 0x80000  # a bit of printer-type (cups.h)
_PRINTER_STATE = {3: PrinterState.IDLE, 4: PrinterState.PRINTING, 5: PrinterState.STOPPED}
_PRINTER_ATTRIBUTES = ["printer-state", "printer-state-message", "printer-is-accepting-jobs",
                       "printer-info", "printer-location"]
_JOB_ATTRIBUTES = ["job-state", "job-state-reasons", "job-printer-state-message"]


class ProblemKind(StrEnum):
    NO_CUPS = "no_cups"  # pycups is not installed
    UNREACHABLE = "unreachable"  # no cupsd there, or it went away
    TIMEOUT = "timeout"  # it accepted the connection and did not answer in time
    NO_PRINTER = "no_printer"  # none chosen, none in salon.ini, no CUPS default
    UNKNOWN_PRINTER = "unknown_printer"
    REJECTING = "rejecting"  # cupsreject
    STOPPED = "stopped"  # cupsdisable, or stopped by its error policy
    HELD = "held"  # CUPS could not send the job and holds it
    ABORTED = "aborted"  # the backend failed and the job was aborted
    CANCELED_AT_PRINTER = "canceled_at_printer"  # cancelled by CUPS or someone else
    FORBIDDEN = "forbidden"
    UNKNOWN_JOB = "unknown_job"  # CUPS no longer knows the job
    REFUSED = "refused"  # any other refusal; `detail` has CUPS's words


class PrintProblem(Exception):
    def __init__(self, kind: ProblemKind, detail: str = "", printer: str = "") -> None:
        super().__init__(f"{kind.value}: {detail}" if detail else kind.value)
        self.kind = kind
        self.detail = detail
        self.printer = printer


class Printer(Protocol):
    """What the console needs of a print server (CupsPrinter; a fake in the tests)."""

    def printers(self) -> list[PrinterInfo]: ...

    def printer(self, name: str) -> PrinterInfo:
        """Raises PrintProblem(UNKNOWN_PRINTER) for a name the server does not have."""
        ...

    def default_printer(self) -> str | None: ...

    def submit(self, path: Path, printer: str, title: str) -> int:
        """The CUPS job id. Raises PrintProblem (UNKNOWN_PRINTER, REJECTING, ...)."""
        ...

    def job_status(self, job_id: int, printer: str) -> JobStatus: ...

    def cancel(self, job_id: int) -> None: ...


class CupsPrinter:
    """The real print server. `server`: a host, host:port or a socket path; None for the
    system's choice (CUPS_SERVER, client.conf, the local socket)."""

    def __init__(self, server: str | None = None, *, timeout: float = 3.0) -> None:
        self._server = server or None
        self.timeout = timeout

    @property
    def server(self) -> str:
        return self._server or ""

    def printers(self) -> list[PrinterInfo]:
        def listing(conn: Any) -> list[PrinterInfo]:
            default = conn.getDefault()
            return [_printer_info(name, attrs, name == default)
                    for name, attrs in sorted(conn.getPrinters().items())]

        return self._call(listing)

    def printer(self, name: str) -> PrinterInfo:
        return self._call(lambda conn: _printer_info(
            name, conn.getPrinterAttributes(name, requested_attributes=_PRINTER_ATTRIBUTES),
            False), printer=name)

    def default_printer(self) -> str | None:
        return self._call(lambda conn: conn.getDefault() or None)

    def submit(self, path: Path, printer: str, title: str) -> int:
        def send(conn: Any) -> int:
            # Asked first: printFile to a missing queue answers with an unhelpful
            # "internal error", and a rejecting queue is named better by its own message.
            attrs = conn.getPrinterAttributes(printer, requested_attributes=_PRINTER_ATTRIBUTES)
            info = _printer_info(printer, attrs, False)
            if not info.accepting:
                raise PrintProblem(ProblemKind.REJECTING, info.message, printer)
            return int(conn.printFile(printer, str(path), title, {}))

        return self._call(send, printer=printer)

    def job_status(self, job_id: int, printer: str) -> JobStatus:
        def ask(conn: Any) -> JobStatus:
            try:
                job = conn.getJobAttributes(job_id, requested_attributes=_JOB_ATTRIBUTES)
            except _ipp_error() as error:
                if _status(error) == _IPP_NOT_FOUND:
                    raise PrintProblem(ProblemKind.UNKNOWN_JOB, str(job_id), printer) from None
                raise
            queue = None
            try:
                queue = _printer_info(printer, conn.getPrinterAttributes(
                    printer, requested_attributes=_PRINTER_ATTRIBUTES), False)
            except _ipp_error():
                pass  # the queue was deleted under the job: the job's own state still counts
            reasons = job.get("job-state-reasons") or ()
            return JobStatus(job_id, CupsJobState(int(job["job-state"])),
                             (reasons,) if isinstance(reasons, str) else tuple(reasons),
                             str(job.get("job-printer-state-message") or ""), queue)

        return self._call(ask, printer=printer)

    def cancel(self, job_id: int) -> None:
        self._call(lambda conn: conn.cancelJob(job_id))

    # -- plumbing ----------------------------------------------------------------------------

    def _call(self, work: Callable[[Any], T], *, printer: str = "") -> T:
        outcome: list[Any] = []
        failure: list[BaseException] = []

        def run() -> None:
            try:
                conn = self._connect()
                outcome.append(work(conn))
            except BaseException as error:  # handed to the caller's thread below
                failure.append(error)

        thread = threading.Thread(target=run, name="cups-call", daemon=True)
        thread.start()
        thread.join(self.timeout)
        if thread.is_alive():  # left behind; it ends when libcups gives up
            log.warning("CUPS at %r did not answer within %s s", self.server, self.timeout)
            raise PrintProblem(ProblemKind.TIMEOUT, f"{self.timeout:g}", printer)
        if failure:
            raise _mapped(failure[0], printer) from failure[0]
        return outcome[0]

    def _connect(self) -> Any:
        try:
            import cups
        except ImportError:
            raise PrintProblem(ProblemKind.NO_CUPS) from None
        if self._server is None:
            return cups.Connection()
        host, port = self._server, None
        if not host.startswith("/") and host.count(":") == 1:
            host, _, number = host.partition(":")
            port = int(number)
        return cups.Connection(host=host, port=port) if port else cups.Connection(host=host)


def _ipp_error() -> type[BaseException]:
    import cups

    return cups.IPPError


def _status(error: BaseException) -> int | None:
    args = getattr(error, "args", ())
    return int(args[0]) if args and isinstance(args[0], int) else None


def _mapped(error: BaseException, printer: str) -> PrintProblem:
    if isinstance(error, PrintProblem):
        return error
    name = type(error).__name__
    log.info("CUPS call failed: %r", error)
    if isinstance(error, RuntimeError) and "connect" in str(error):
        return PrintProblem(ProblemKind.UNREACHABLE, str(error), printer)
    if name == "IPPError":
        status = _status(error)
        words = str(error.args[1]) if len(error.args) > 1 else ""
        if status == _IPP_NOT_FOUND:
            return PrintProblem(ProblemKind.UNKNOWN_PRINTER, words, printer)
        if status == _IPP_NOT_ACCEPTING:
            return PrintProblem(ProblemKind.REJECTING, words, printer)
        if status in (_IPP_FORBIDDEN, _IPP_NOT_AUTHENTICATED, _IPP_NOT_AUTHORIZED):
            return PrintProblem(ProblemKind.FORBIDDEN, words, printer)
        if status is None or status < 0 or status == _IPP_SERVICE_UNAVAILABLE:
            return PrintProblem(ProblemKind.UNREACHABLE, words, printer)
        return PrintProblem(ProblemKind.REFUSED, words or f"IPP status {status:#06x}", printer)
    if name == "HTTPError":
        status = _status(error)
        if status in (401, 403):
            return PrintProblem(ProblemKind.FORBIDDEN, f"HTTP {status}", printer)
        return PrintProblem(ProblemKind.UNREACHABLE, f"HTTP {status}", printer)
    if isinstance(error, OSError):
        return PrintProblem(ProblemKind.UNREACHABLE, str(error), printer)
    return PrintProblem(ProblemKind.REFUSED, f"{name}: {error}", printer)


def _printer_info(name: str, attrs: dict[str, Any], is_default: bool) -> PrinterInfo:
    accepting = attrs.get("printer-is-accepting-jobs")
    if accepting is None:  # CUPS-Get-Printers does not send it; printer-type carries it
        accepting = not int(attrs.get("printer-type", 0)) & _CUPS_PRINTER_REJECTING
    return PrinterInfo(
        name=name,
        description=str(attrs.get("printer-info") or ""),
        location=str(attrs.get("printer-location") or ""),
        state=_PRINTER_STATE.get(int(attrs.get("printer-state", 3)), PrinterState.IDLE),
        accepting=bool(accepting),
        message=str(attrs.get("printer-state-message") or ""),
        is_default=is_default,
    )
