"""app/main.py builds the whole console on the parts it is given (issue 13, point 7): a
recording operator transport, a fake print server at the adapter boundary, a fake mail relay
and an in-memory keyring — and one use case goes through each of them."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from email.message import EmailMessage
from pathlib import Path

import pytest

from app.config import Settings, load_settings
from app.main import Parts, Wiring, build_services, console_clock, real_parts
from app.services.audit_keys import AUDIT_KEY
from app.services.credentials import KEYRING_SERVICE, OPERATOR_TOKEN
from app.services.email import Letter
from conformance.recording import RecordingTransport
from sandbox.server import RunningSandbox, start_in_background
from tests.conftest import write_ini
from tests.support.keyring_memory import MemoryKeyring
from tests.support.print_fakes import FakePrinter, queue

TOKEN = "bootstrap-token"
IVANOVA = "+79161234567"


class FakeRelay:
    def __init__(self) -> None:
        self.sent: list[EmailMessage] = []

    def send(self, message: EmailMessage) -> None:
        self.sent.append(message)


@pytest.fixture
def sandbox(tmp_path: Path) -> Iterator[RunningSandbox]:
    running = start_in_background(tmp_path / "world.sqlite3", 2026, TOKEN)
    try:
        yield running
    finally:
        running.stop()


def test_the_whole_console_runs_on_the_parts_it_is_given(sandbox: RunningSandbox,
                                                          tmp_path: Path) -> None:
    settings = load_settings(write_ini(
        tmp_path, operator={"url": sandbox.url, "read_retries": "1"},
        email={"host": "relay.invalid", "from": "salon@example.ru"}))
    keyring = MemoryKeyring()
    keyring.set_password(KEYRING_SERVICE, OPERATOR_TOKEN, TOKEN)
    transport, relay = RecordingTransport(), FakeRelay()
    printer = FakePrinter(queue("Counter1"), default="Counter1")
    parts = Parts(operator_transport=transport, printer=printer, relay=relay, keyring=keyring)
    services = build_services(settings, console_clock(settings), parts, start_pump=False)
    try:
        services.clerks.add_first_manager("boss", "Игорь Белов", "boss-pass-1")
        clerk = services.clerks.sign_in("boss", "boss-pass-1")
        # The keyring: the operator's token came from it, the journal's key went into it.
        assert any(user.startswith(AUDIT_KEY) for _service, user in keyring.secrets)
        # The operator's transport: the lookup went through it, with the keyring's token.
        card = services.lookup.lookup(IVANOVA, clerk)
        assert card.subscriber.msisdn == IVANOVA
        assert transport.exchanges
        assert {e.request.headers["Authorization"] for e in transport.exchanges} == {
            f"Bearer {TOKEN}"}
        # The printer: the customer's leaflet (the operator's catalog on it) on paper.
        leaflet = services.leaflets.make(clerk, IVANOVA).path
        services.printing.print_document(clerk, Path(leaflet), subscriber=IVANOVA)
        assert [Path(p).name for p, *_ in printer.submitted] == [Path(leaflet).name]
        # The relay: the same leaflet by e-mail.
        services.email.send(clerk, Path(leaflet), "ivanova@example.ru",
                            letter=Letter("Памятка", "Памятка во вложении."))
        assert [m["To"] for m in relay.sent] == ["ivanova@example.ru"]
    finally:
        services.close()


def test_the_real_parts_are_chosen_in_one_place(tmp_path: Path) -> None:
    plain = load_settings(write_ini(tmp_path))
    assert real_parts(plain).relay is None  # no [email] relay: e-mail says it is not set up
    assert real_parts(plain).operator_transport is None  # httpx's own network transport
    keyring = MemoryKeyring()
    with_mail = load_settings(write_ini(tmp_path, email={"host": "relay.invalid",
                                                        "from": "salon@example.ru"}))
    parts = real_parts(with_mail, keyring=keyring)
    assert parts.relay is not None and parts.keyring is keyring
    with pytest.raises(dataclasses.FrozenInstanceError):
        parts.relay = None  # type: ignore[misc]


def test_the_commands_wiring_builds_on_the_parts_it_is_given(tmp_path: Path) -> None:
    """`salon …` builds through Wiring: given parts, the training console (its embedded
    sandbox) sends through the given transport and keeps its journal's key in the keyring."""
    settings = load_settings(write_ini(tmp_path))
    keyring, transport = MemoryKeyring(), RecordingTransport()

    def parts(chosen: Settings) -> Parts:
        return dataclasses.replace(real_parts(chosen, keyring=keyring),
                                   operator_transport=transport)

    wiring = Wiring(settings, clock=console_clock(settings), parts=parts)
    try:
        services = wiring.services()
        clerk = services.clerks.sign_in("clerk", "clerk-demo")  # README: training accounts
        assert services.lookup.lookup(IVANOVA, clerk).subscriber.msisdn == IVANOVA
        assert transport.exchanges and services.training
        assert any(user.startswith(AUDIT_KEY) for _service, user in keyring.secrets)
    finally:
        wiring.close()


def test_a_command_builds_only_the_services_it_uses(tmp_path: Path) -> None:
    """Issue 15: the clerks need the local store alone (no operator, no training sandbox);
    the lookup reaches the data folder's sandbox; the detalization comes after R9's purge
    at start. Closing lets the sandbox go (it stays for the next command)."""
    from sandbox.resident import RUN_FILE, USERS_FILE

    settings = load_settings(write_ini(tmp_path))
    keyring = MemoryKeyring()
    services = build_services(settings, console_clock(settings),
                              real_parts(settings, keyring=keyring), start_pump=False)
    run_file = settings.data_dir / RUN_FILE
    try:
        clerks = services.clerks
        assert clerks.sign_in("clerk", "clerk-demo").login == "clerk"
        assert not run_file.exists()  # no operator yet: no sandbox started
        assert "detalization" not in vars(services) and "lookup" not in vars(services)
        assert services.lookup.lookup(IVANOVA, clerks.sign_in("clerk", "clerk-demo"))
        assert run_file.exists()
        assert services.clerks is clerks  # built once
        assert services.purged_at_start is not None  # R9 ran before the documents' services
        assert services.detalization is services.detalization
    finally:
        services.close()
    import fcntl

    with open(settings.data_dir / USERS_FILE, "a+") as users:  # nobody holds it now
        fcntl.flock(users, fcntl.LOCK_EX | fcntl.LOCK_NB)
