"""A clerk's day, scripted: the console's own services, built by app/main.py's bootstrap with a
recording operator transport (conformance/recording.py), against a running `salon sandbox`.
Every request the console sends and every answer it gets is then held to the published
documents (conformance/exchanges.py).

The day: lookups of several subscribers, the identity check of each one served (R10: here a
representative with a power of attorney, whose document is recorded, not compared), the
catalog, a preview and each kind of change (a
tariff, a service on, a service off, the Assistant), a detalization (of the heavy subscriber's
last full month in `make conformance`), the personal archive (upload, list, fetch), an access
code (issue, state, check with the code from the training phone's SMS).
"""

from __future__ import annotations

import dataclasses
import re
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import partial
from pathlib import Path
from typing import Any

from app.clock import Clock, SystemClock
from app.config import load_settings
from app.main import Parts, build_services, real_parts
from app.services.credentials import KEYRING_SERVICE, OPERATOR_TOKEN
from conformance.documents import TmfDocs
from conformance.exchanges import ALLOW_V1, Validation, validate
from conformance.own_document import OwnDocument
from conformance.recording import RecordingTransport
from models.access_codes import VerifyOutcome
from models.detalization import Options, Period
from models.domain import Session
from models.identity import DocumentType, PowerOfAttorney, Presenter
from models.orders import OrderAction, OrderRequest, SubmitStatus

LOOKED_UP = ("+79161234567", "+79261112233", "+79031234500", "+79119876543", "+79121234567")
CHANGED = "+79121234567"  # a mass tariff, no Assistant yet (sandbox/world.py's showcase)
CODES_FOR = "+79161234567"  # a mass tariff with the Assistant: codes may be issued
HEAVY = "+79160000100"  # ≥100,000 usage records in every full month
CLERK, CLERK_PASSWORD = "conformance", "clerks-day-1"


class MemoryKeyring:
    """The operator's token and the journal's key, kept for this run only (the console reads
    them through Parts)."""

    def __init__(self, secrets: dict[tuple[str, str], str]) -> None:
        self._secrets = secrets

    def get_password(self, service: str, username: str) -> str | None:
        return self._secrets.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self._secrets[(service, username)] = password


@dataclass(frozen=True)
class Detalization:
    msisdn: str
    period: Callable[[date], Period]  # from today (the subscriber's region's date)


def last_full_month(today: date) -> Period:
    last = today.replace(day=1) - timedelta(days=1)
    return Period(last.replace(day=1), last)


def two_days_ago(today: date) -> Period:
    day = today - timedelta(days=2)
    return Period(day, day)


HEAVY_MONTH = Detalization(HEAVY, last_full_month)


@dataclass
class DayResult:
    steps: list[tuple[str, str]] = field(default_factory=list)  # (step, "ok" or what failed)
    validation: Validation = field(default_factory=Validation)

    @property
    def failed_steps(self) -> list[tuple[str, str]]:
        return [(step, outcome) for step, outcome in self.steps if outcome != "ok"]

    @property
    def failed(self) -> bool:
        return bool(self.failed_steps) or self.validation.failed


def run_day(url: str, token: str, docs: Path, *, detalization: Detalization = HEAVY_MONTH,
            clock: Clock | None = None, allow_v1: bool = ALLOW_V1,
            parts: Callable[[Parts], Parts] = lambda parts: parts) -> DayResult:
    """The day against the sandbox at `url` (its token `token`), checked against TM Forum's
    documents in `docs`. `parts`: changes to the real parts beyond the recording transport."""
    transport = RecordingTransport()
    result = DayResult()
    with tempfile.TemporaryDirectory(prefix="conformance-day-") as scratch:
        folder = Path(scratch)
        ini = folder / "salon.ini"
        ini.write_text("[salon]\nlanguage = en\n"
                       f"[paths]\ndata_dir = {folder / 'data'}\n"
                       f"[operator]\nurl = {url}\nread_retries = 1\n", encoding="utf-8")
        settings = load_settings(ini)
        keyring = MemoryKeyring({(KEYRING_SERVICE, OPERATOR_TOKEN): token})
        chosen = parts(dataclasses.replace(real_parts(settings, keyring=keyring),
                                           operator_transport=transport))
        services = build_services(settings, clock or SystemClock(), chosen, start_pump=False)
        try:
            services.clerks.add_first_manager(CLERK, "Clerk's day", CLERK_PASSWORD)
            clerk = services.clerks.sign_in(CLERK, CLERK_PASSWORD)
            _the_day(services, clerk, folder, detalization, result)
        finally:
            services.close()
    result.validation = validate(transport.exchanges, TmfDocs.from_folder(docs), OwnDocument(),
                                 allow_v1=allow_v1)
    return result


def _the_day(services: Any, clerk: Session, folder: Path, detalization: Detalization,
             result: DayResult) -> None:
    def step(name: str, action: Callable[[], object]) -> Any:
        try:
            done = action()
        except Exception as error:  # the day goes on; the step is reported as failed
            result.steps.append((name, f"{type(error).__name__}: {error}"))
            return None
        result.steps.append((name, "ok"))
        return done

    for msisdn in LOOKED_UP:
        step(f"lookup {msisdn}", partial(services.lookup.lookup, msisdn, clerk))
    def identify(msisdn: str) -> None:
        """R10 for `msisdn`'s visit: looked up (another subscriber's visit ends), checked."""
        services.lookup.lookup(msisdn, clerk)
        issued = services.clock.now().date() - timedelta(days=30)
        services.identity.check(clerk, msisdn, Presenter.REPRESENTATIVE,
                                DocumentType.PASSPORT_RF, "4510 000000",
                                PowerOfAttorney("77 AA 0000001", issued))

    step(f"identity check {CHANGED}", partial(identify, CHANGED))
    step("catalog: tariffs", lambda: services.orders.tariffs(refresh=True))
    step("catalog: services", lambda: services.orders.services(refresh=True))
    for action, code in ((OrderAction.CHANGE_TARIFF, "SMART_PLUS"),
                         (OrderAction.ADD_SERVICE, "FAVOURITE"),
                         (OrderAction.REMOVE_SERVICE, "FAVOURITE"),
                         (OrderAction.CONNECT_ASSISTANT, None)):
        step(f"{action.value} {code or ''}".strip(),
             partial(_change, services, clerk, action, code))

    def detalize() -> Any:
        zone = services.lookup.lookup(detalization.msisdn, clerk).subscriber.region.timezone
        identify(detalization.msisdn)
        period = detalization.period(services.detalization.today(zone))
        (folder / "detalizations").mkdir(exist_ok=True)
        return services.detalization.order(clerk, detalization.msisdn, period, Options(), "csv",
                                           folder=folder / "detalizations")

    document = step(f"detalization {detalization.msisdn}", detalize)
    if document is not None:
        archived = step("archive: upload", lambda: services.archive.upload(
            clerk, detalization.msisdn, document.path))
        step("archive: list", lambda: _listed(services, clerk, detalization.msisdn, archived))
        if archived is not None:
            step("archive: fetch", lambda: services.archive.fetch(
                clerk, archived.id, folder / "fetched.csv", subscriber=detalization.msisdn))
    step(f"identity check {CODES_FOR}", partial(identify, CODES_FOR))
    step("access code: issue", lambda: services.access_codes.issue(clerk, CODES_FOR))
    step("access code: state", lambda: services.access_codes.state(clerk, CODES_FOR))
    sms = step("training phone: SMS", lambda: services.sandbox.sms(CODES_FOR))
    step("access code: check", lambda: _check_code(services, clerk, sms))


def _change(services: Any, clerk: Session, action: OrderAction, code: str | None) -> None:
    preview = services.orders.preview(clerk, OrderRequest(CHANGED, action, code))
    if not preview.allowed:
        raise AssertionError(f"the preview refused it ({preview.refusal_rule})")
    outcome = services.orders.submit(clerk, preview)
    if outcome.status is not SubmitStatus.DONE:
        raise AssertionError(f"{outcome.status.value}: {outcome.message}")


def _listed(services: Any, clerk: Session, msisdn: str, archived: Any) -> None:
    documents = services.archive.documents(clerk, msisdn)
    if archived is not None and archived.id not in {d.id for d in documents}:
        raise AssertionError("the uploaded document is not listed")


def _check_code(services: Any, clerk: Session, sms: Any) -> None:
    codes = [m.group(0) for message in sms or ()
             for m in [re.search(r"\b\d{6}\b", message.text)] if m]
    if not codes:
        raise AssertionError("no code among the phone's SMS")
    result = services.access_codes.verify(clerk, CODES_FOR, codes[0])  # newest first
    if result.outcome is not VerifyOutcome.OK:
        raise AssertionError(f"the code from the SMS was not accepted: {result.outcome}")


def report(result: DayResult) -> str:
    lines = ["clerk's day (the console's services, through a recording transport):"]
    lines += [f"  {step}: {outcome}" for step, outcome in result.steps]
    lines += ["", result.validation.table(),
              "(the last rows count the requests made there: they are not validated)"]
    lines += [f"\ndeviation: {d}" for d in result.validation.deviations]
    if result.validation.off_contract:
        verdict = "listed, not failed (ALLOW_V1)" if result.validation.allow_v1 else "failed"
        lines.append(f"\n{result.validation.off_contract} request(s) not on the TMF contract: "
                     f"{verdict}")
    return "\n".join(lines)
