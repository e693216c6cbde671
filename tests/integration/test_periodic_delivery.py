"""Monthly e-mail detalization with the real parts: the sandbox over loopback makes each
month's report, a real SMTP server with STARTTLS receives it. Each due month goes out once —
after days offline, after a crash before sending, with two senders at once; the one window
that may repeat a letter (the relay took it, the record did not happen) repeats it with the
same Message-ID."""

from __future__ import annotations

import ssl
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from app.clock import Clock, FixedClock
from app.config import EmailSettings, Settings
from app.errors import InputError, RuleRefused
from app.operator_api.client import OperatorClient
from app.services.detalization import DetalizationService
from app.services.email import EmailService
from app.services.periodic import PeriodicDeliveryService, month_period, months_between
from app.services.smtp_relay import SmtpRelay
from models.db import open_store
from models.documents import DocumentRegister
from models.periodic import StorePeriodic
from models.usage import UsageStore
from sandbox.server import RunningSandbox
from tests.integration.test_sandbox_kit import MARIA, TOKEN, start
from tests.support.fake_wiring import CLERK
from tests.support.identity import IDENTIFIED
from tests.support.pdf_compare import words
from tests.support.pinned import RunningClock
from tests.support.print_fakes import ListJournal
from tests.support.smtp import LOGIN, PASSWORD, MailServer, attachment, running_smtp

SEPTEMBER = datetime(2026, 9, 15, 9, 0, tzinfo=UTC)  # the subscription is made then


@pytest.fixture(scope="module")
def world_clock() -> RunningClock:
    """The sandbox and the console's detalizations run on one clock pinned to 23 November:
    subscribed in September, September and October are due."""
    return RunningClock()


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory: pytest.TempPathFactory,
            world_clock: RunningClock) -> Iterator[RunningSandbox]:
    with start(tmp_path_factory.mktemp("periodic"), world_clock.seconds) as running:
        yield running


@pytest.fixture(scope="module")
def relay_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[MailServer]:
    with running_smtp(tmp_path_factory.mktemp("relay")) as server:
        yield server


@pytest.fixture
def world(settings: Settings, sandbox: RunningSandbox, relay_server: MailServer,
          world_clock: RunningClock, tmp_path: Path) -> Iterator[dict]:
    db = open_store(f"sqlite:///{tmp_path / 'salon.db'}")
    relay_server.received.clear()
    client = OperatorClient(sandbox.url, TOKEN, clock=world_clock)
    journal = ListJournal()
    documents = tmp_path / "documents"
    detalization = DetalizationService(client, UsageStore(), DocumentRegister(), settings.salon,
                                       retention_days=3, documents_dir=documents,
                                       journal=journal, clock=world_clock, identity=IDENTIFIED)
    mail = EmailSettings(host=relay_server.host, port=relay_server.port, username=LOGIN,
                         from_address="salon@tverskaya.example.ru", timeout=10)
    relay = SmtpRelay(mail, lambda: PASSWORD,
                      tls=ssl.create_default_context(cafile=str(relay_server.cert)))
    email = EmailService(relay, mail, settings.salon, journal=journal, clock=world_clock,
        identity=IDENTIFIED)

    def service(owner: str = "counter-1", clock: Clock | None = None, relay_=None):
        sender = email if relay_ is None else EmailService(relay_, mail, settings.salon,
                                                           clock=world_clock, identity=IDENTIFIED)
        return PeriodicDeliveryService(
            StorePeriodic(), detalization, sender, settings.salon,
            home_region=lambda msisdn: client.subscriber(msisdn).region.code,
            journal=journal, clock=clock or FixedClock(SEPTEMBER), owner=lambda: owner,
            identity=IDENTIFIED)

    yield {"service": service, "journal": journal, "documents": documents, "relay": relay,
           "store": StorePeriodic(), "now": world_clock.now()}
    client.close()
    db.close()


def subscribe(world: dict) -> int:
    sub = world["service"]().subscribe(CLERK, "8 916 123-45-67", "Ivanova@Example.ru")
    assert sub.first_period == "2026-09" and sub.email == "Ivanova@example.ru"
    return sub.id


def periods_sent(server: MailServer) -> list[str]:
    return [letter.message["Subject"] for letter in server.letters()]


def test_every_missed_month_goes_once(world: dict, relay_server: MailServer) -> None:
    """Subscribed in September, the console off until today (23 November): September and
    October go now, each once; the next passes send nothing."""
    sub_id = subscribe(world)
    now = world["now"]
    report = world["service"]().deliver_due(now)
    assert [(s, p) for s, p, _to in report.sent] == [(sub_id, "2026-09"), (sub_id, "2026-10")]
    assert report.sent[0][2] == "I***@example.ru" and not report.failed
    assert periods_sent(relay_server) == [
        "Детализация за 01.09.2026 — 30.09.2026 (ежемесячная рассылка)",
        "Детализация за 01.10.2026 — 31.10.2026 (ежемесячная рассылка)"]
    letter = relay_server.letters()[1]
    assert letter.tls and letter.rcpt_tos == ["Ivanova@example.ru"]
    name, content_type, content = attachment(letter.message)
    assert content_type == "application/pdf" and name.startswith("DET-")
    pdf = world["documents"].parent / "october.pdf"
    pdf.write_bytes(content)
    assert "01.10.2026" in words(pdf) and "31.10.2026" in words(pdf)
    runs = world["store"].runs(sub_id)
    assert [(r.period, r.state, r.attempts) for r in runs] == [("2026-09", "sent", 1),
                                                               ("2026-10", "sent", 1)]
    assert all(r.message_id and r.document_id for r in runs)
    assert world["service"]().deliver_due(now).nothing
    assert world["service"]().deliver_due(now + timedelta(days=1)).nothing
    assert len(relay_server.letters()) == 2
    assert not list(world["documents"].glob("DET-*"))  # R9: no copy stays here
    emails = world["journal"].of("email")
    assert [e[2] for e in emails] == ["done"] * 3  # the subscription, then two letters
    assert "Ivanova" not in str(world["journal"].entries)


def test_a_crash_before_sending_leaves_the_month_to_the_next_pass(
        world: dict, relay_server: MailServer) -> None:
    sub_id = subscribe(world)
    now = world["now"]
    # A pass claimed October and died before its letter (its lease runs 30 minutes).
    assert world["store"].claim(sub_id, "2026-10", "dead-counter", now,
                                now + timedelta(minutes=30)) is not None
    report = world["service"]().deliver_due(now)
    assert [p for _s, p, _to in report.sent] == ["2026-09"]  # October is not touched yet
    report = world["service"]().deliver_due(now + timedelta(minutes=31))
    assert [p for _s, p, _to in report.sent] == ["2026-10"]
    assert world["service"]().deliver_due(now + timedelta(hours=2)).nothing
    assert len(relay_server.letters()) == 2
    october = world["store"].runs(sub_id)[1]
    assert (october.state, october.attempts, october.owner) == ("sent", 2, "counter-1")


class Crash(BaseException):
    """The process dies (not an error anything catches)."""


def test_a_crash_after_the_relay_took_it_repeats_it_once_with_the_same_message_id(
        world: dict, relay_server: MailServer) -> None:
    """The one at-least-once window: the letter left, "sent" was never recorded."""
    sub_id = subscribe(world)
    now = world["now"]
    real = world["relay"]
    crashed = []

    class DyingRelay:
        def send(self, message) -> None:
            real.send(message)
            if not crashed:
                crashed.append(message["Message-ID"])
                raise Crash

    with pytest.raises(Crash):
        world["service"](relay_=DyingRelay()).deliver_due(now)
    assert [r.state for r in world["store"].runs(sub_id)] == ["sending"]
    # Five minutes on, September's claim still runs: only October (never claimed) goes.
    report = world["service"]().deliver_due(now + timedelta(minutes=5))
    assert [p for _s, p, _to in report.sent] == ["2026-10"]
    report = world["service"]().deliver_due(now + timedelta(minutes=31))
    assert [p for _s, p, _to in report.sent] == ["2026-09"]
    assert world["service"]().deliver_due(now + timedelta(hours=3)).nothing
    ids = [letter.message["Message-ID"].strip() for letter in relay_server.letters()]
    assert len(ids) == 3 and len(set(ids)) == 2
    assert ids[0] == ids[2] == crashed[0].strip()  # September twice, recognisably the same


def test_a_failure_is_retried_an_hour_later(world: dict, relay_server: MailServer) -> None:
    sub_id = subscribe(world)
    now = world["now"]
    closed = SmtpRelay(EmailSettings(host="127.0.0.1", port=1, from_address="s@e.ru",
                                     starttls=False, timeout=2), lambda: None)
    report = world["service"](relay_=closed).deliver_due(now)
    assert [p for _s, p, _e in report.failed] == ["2026-09", "2026-10"]
    assert "cannot be reached" in report.failed[0][2]
    assert [r.state for r in world["store"].runs(sub_id)] == ["failed", "failed"]
    assert world["service"]().deliver_due(now + timedelta(minutes=30)).nothing
    report = world["service"]().deliver_due(now + timedelta(minutes=61))
    assert [p for _s, p, _to in report.sent] == ["2026-09", "2026-10"]
    assert len(relay_server.letters()) == 2


def test_two_counters_at_once_send_each_month_once(world: dict,
                                                   relay_server: MailServer) -> None:
    subscribe(world)
    now = world["now"]
    reports = []
    barrier = threading.Barrier(3)

    def counter(name: str) -> None:
        barrier.wait()
        reports.append(world["service"](owner=name).deliver_due(now))

    threads = [threading.Thread(target=counter, args=(f"counter-{n}",)) for n in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    sent = sorted(p for report in reports for _s, p, _to in report.sent)
    assert sent == ["2026-09", "2026-10"] and len(relay_server.letters()) == 2


def test_subscriptions_are_checked_and_removal_forgets_the_address(world: dict) -> None:
    service = world["service"]()
    with pytest.raises(InputError, match="is not an e-mail address"):
        service.subscribe(CLERK, MARIA, "ivanova@")
    with pytest.raises(RuleRefused, match="R7") as r7:
        service.subscribe(CLERK, "+79121234567", "komi@example.ru")  # Komi
    assert r7.value.rule == "R7"
    sub_id = subscribe(world)
    with pytest.raises(RuleRefused, match="already receives"):
        service.subscribe(CLERK, MARIA, "other@example.ru")
    removed = service.unsubscribe(CLERK, sub_id)
    assert not removed.active and removed.email == "" and removed.msisdn == "+7 916 ***-**-67"
    assert service.subscriptions() == []
    again = service.subscribe(CLERK, MARIA, "other@example.ru")
    assert again.id != sub_id


def test_months() -> None:
    assert months_between("2026-11", "2027-02") == ["2026-11", "2026-12", "2027-01", "2027-02"]
    assert months_between("2026-11", "2026-10") == []
    december = month_period("2026-12")
    assert (december.first.isoformat(), december.last.isoformat()) == ("2026-12-01",
                                                                       "2026-12-31")
    assert month_period("2028-02").last.day == 29
