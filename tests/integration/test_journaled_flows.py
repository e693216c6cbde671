"""What a counter does ends up in the audit journal, with who did it: the real services
(embedded sandbox, SQLite store) as app/main.py wires them."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest

from app import cli
from app.config import load_settings
from app.errors import BadPhoneNumber, RuleRefused, SubscriberNotFound, WrongPassword
from app.main import build_services, console_clock, real_parts
from app.services.registry import Services
from models.domain import ClerkRole
from tests.conftest import write_ini
from tests.support.fake_wiring import CLERK, FakeWiring


@pytest.fixture
def services(tmp_path: Path) -> Iterator[Services]:
    settings = load_settings(write_ini(tmp_path))
    built = build_services(settings, console_clock(settings), real_parts(settings))
    yield built
    built.close()


def entries(services: Services) -> list[tuple[str, str, str, str, str, str]]:
    assert services.audit is not None
    return [(e.clerk, e.action, e.result, e.subscriber, e.detail, e.reason)
            for e in services.audit.latest(100)]


def test_lookups_and_sign_ins_are_recorded_with_the_clerk(services: Services) -> None:
    session = services.clerks.sign_in("clerk", "clerk-demo")
    services.lookup.lookup("8 916 123-45-67", session)
    with pytest.raises(BadPhoneNumber):
        services.lookup.lookup("my-secret-pass", session)
    with pytest.raises(SubscriberNotFound):
        services.lookup.lookup("+7 999 000-00-01", session)
    with pytest.raises(WrongPassword):
        services.clerks.sign_in("clerk", "not-the-password")
    with pytest.raises(WrongPassword):
        services.clerks.sign_in("clerk-demo", "clerk")  # fields swapped: a password as login
    services.clerks.sign_out(session)
    log = entries(services)
    assert log[0] == ("clerk", "sign_in", "done", "", "", "")
    assert log[1] == ("clerk", "lookup", "done", "+79161234567", "api", "")
    assert log[2][:4] == ("clerk", "lookup", "refused", "")
    assert log[2][5] == "malformed number"  # not what was typed
    assert log[3][:4] == ("clerk", "lookup", "refused", "+79990000001")
    assert log[4][:3] == ("clerk", "sign_in_failed", "refused")
    assert log[5][:5] == ("", "sign_in_failed", "refused", "", "unknown login")
    assert log[6][:2] == ("clerk", "sign_out")
    everything = repr(log)
    for secret in ("clerk-demo", "not-the-password", "my-secret-pass"):
        assert secret not in everything


def test_account_changes_are_recorded_and_refusals_too(services: Services) -> None:
    manager = services.clerks.sign_in("manager", "manager-demo")
    services.clerks.add(manager, "petrova", "Петрова Ольга", ClerkRole.CLERK, "petrova-pass-1")
    clerk = services.clerks.sign_in("clerk", "clerk-demo")
    with pytest.raises(RuleRefused):
        services.clerks.disable(clerk, "petrova")
    services.clerks.disable(manager, "petrova")
    log = [row[:5] for row in entries(services)]
    assert ("manager", "clerk_add", "done", "", "petrova clerk") in log
    assert ("clerk", "clerk_disable", "refused", "", "petrova") in log
    assert ("manager", "clerk_disable", "done", "", "petrova") in log
    assert "petrova-pass-1" not in repr(entries(services))


@pytest.mark.parametrize("argv", [["audit", "verify"], ["audit", "tail"],
                                  ["log", "export", "--date", "2026-11-20", "-o", "x.csv"]])
def test_only_a_manager_reads_or_exports_the_journal(services: Services, argv) -> None:
    wiring = FakeWiring(CLERK, audit=services.audit, daily_log=services.daily_log)
    with pytest.MonkeyPatch.context() as patch:
        stderr = io.StringIO()
        patch.setattr("sys.stderr", stderr)
        code = cli.run(cli.build_parser().parse_args(argv), wiring, io.StringIO())  # type: ignore[arg-type]
    assert code == 3
    assert "C1" in stderr.getvalue()
