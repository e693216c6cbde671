"""R2 end to end: no access code ever reaches the console's database, its logs, the audit
journal, an exported daily log or the CLI's output.

The real services as app/main.py wires them (the embedded sandbox over loopback, the SQLite
store, the log file in data_dir/logs — at DEBUG, httpx's request lines included): codes are
issued and checked right and wrong through the `salon code` commands and through the service
the window uses, the lock reached and waited out on the sandbox clock; the codes are read from
the sandbox's SMS outbox (the subscriber's phone), and then every byte the console wrote is
searched for them."""

from __future__ import annotations

import io
import json
import logging
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from app import cli
from app.config import Settings, load_settings
from app.i18n import set_language
from app.main import Wiring, console_clock, setup_logging
from app.services.registry import Services
from models.access_codes import VerifyOutcome
from tests.conftest import write_ini
from tests.integration.test_audit_secrets import readable_text

MARIA = "+79161234567"


def digits_token(code: str) -> re.Pattern[str]:
    """The code as a token: six digits with no digit either side (a phone number or a time
    may hold any six digits in a longer run by chance)."""
    return re.compile(rf"(?<!\d){code}(?!\d)")


def bytes_token(code: str) -> re.Pattern[bytes]:
    return re.compile(rb"(?<![0-9])" + code.encode() + rb"(?![0-9])")


class Console:
    """`salon …` in this process over the services under test, every output kept."""

    def __init__(self, wiring: Wiring) -> None:
        self.wiring = wiring
        self.outputs: list[str] = []

    def run(self, *argv: str, stdin: str = "") -> tuple[int, str, str]:
        out, err = io.StringIO(), io.StringIO()
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr("sys.stdin", io.StringIO(stdin))
            patch.setattr("sys.stderr", err)
            code = cli.run(cli.build_parser().parse_args(list(argv)), self.wiring, out)  # type: ignore[arg-type]
        self.outputs += [out.getvalue(), err.getvalue()]
        return code, out.getvalue(), err.getvalue()


@pytest.fixture
def logged(tmp_path: Path) -> Iterator[Settings]:
    """The settings, with the console's log file set up as `salon` does — then opened all the
    way to DEBUG, httpx and httpcore too, so that a URL or a header with a code would show."""
    settings = load_settings(write_ini(tmp_path))
    root = logging.getLogger()
    before = (root.level, list(root.handlers))
    setup_logging(settings)
    added = [h for h in root.handlers if h not in before[1]]
    root.setLevel(logging.DEBUG)
    for name in ("httpx", "httpcore", "app", "salon"):
        logging.getLogger(name).setLevel(logging.DEBUG)
    for handler in added:
        handler.setLevel(logging.DEBUG)
    yield settings
    for handler in added:
        handler.flush()
        root.removeHandler(handler)
        handler.close()
    root.setLevel(before[0])
    for name in ("httpx", "httpcore", "app", "salon"):
        logging.getLogger(name).setLevel(logging.NOTSET)


def newest_code(services: Services) -> str:
    assert services.sandbox is not None
    text = services.sandbox.sms(MARIA)[0].text
    (code,) = re.findall(r"(?<!\d)\d{6}(?!\d)", text)
    return code


def store_bytes(settings: Settings) -> bytes:
    return b"".join(path.read_bytes() for path in sorted(settings.data_dir.glob("salon.db*")))


def wrong(code: str, shift: int = 1) -> str:
    return f"{(int(code) + 500_000 + shift) % 10**6:06d}"


def test_no_code_reaches_the_store_logs_journal_exports_or_output(
        logged: Settings, tmp_path: Path) -> None:
    settings = logged
    set_language("en")
    wiring = Wiring(settings, clerk="clerk", read_password=lambda _prompt: "clerk-demo",
                    clock=console_clock(settings))
    console = Console(wiring)
    services = wiring.services()
    assert services.access_codes is not None and services.sandbox is not None
    codes: list[str] = []
    try:
        assert console.run("lookup", MARIA)[0] == 0
        baseline = store_bytes(settings)
        # A random code may sit in the store by chance (a time, an amount): issue until one
        # does not, so that finding it later can only mean it leaked.
        for _ in range(5):
            status, out, _err = console.run("code", "issue", MARIA, "--json")
            assert status == 0, out
            code = newest_code(services)
            if not bytes_token(code).search(baseline):
                break
        else:
            raise AssertionError("five codes in a row already in the store: not random")
        codes.append(code)
        assert json.loads(out)["state"]["state"] == "active"

        # The CLI: wrong, malformed, right, then a lock and its end on the sandbox clock.
        assert console.run("code", "verify", MARIA, stdin=wrong(code) + "\n")[0] == 1
        assert console.run("code", "verify", MARIA, stdin=code[:5] + "\n")[0] == 2
        assert console.run("code", "verify", MARIA, "--json", stdin=code + "\n")[0] == 0
        for shift in range(3):
            assert console.run("code", "verify", MARIA, stdin=wrong(code, shift) + "\n")[0] == 1
        status, _out, err = console.run("code", "verify", MARIA, stdin=wrong(code) + "\n")
        assert status == 4 and "locked" in err.lower()
        assert console.run("code", "verify", MARIA, stdin=code + "\n")[0] == 4  # even right
        assert console.run("sandbox", "clock", "--advance", "24h")[0] == 0
        assert console.run("code", "status", MARIA, "--json")[0] == 0
        assert console.run("code", "verify", MARIA, stdin=code + "\n")[0] == 0  # same code
        assert console.run("code", "verify", MARIA, code)[0] == 2  # never on the command line

        # The window's service: a new code replaces the old one, right and wrong entries.
        clerk = wiring.session()
        card = services.lookup.lookup(MARIA, clerk)
        services.access_codes.issue(clerk, MARIA, card)
        new = newest_code(services)
        codes.append(new)
        if new != code:
            assert services.access_codes.verify(clerk, MARIA, code, card).outcome \
                is VerifyOutcome.WRONG  # the replaced code
        assert services.access_codes.verify(clerk, MARIA, wrong(new), card).outcome \
            is VerifyOutcome.WRONG
        assert services.access_codes.verify(clerk, MARIA, new, card).outcome is VerifyOutcome.OK
        assert console.run("code", "leaflet", MARIA, "-o", str(tmp_path / "leaflet.pdf"))[0] == 0

        # The day's log in every format, by a manager.
        daily = services.daily_log
        assert daily is not None
        exports = [daily.export(daily.today(), fmt, tmp_path / f"log.{fmt}", clerk="manager")
                   for fmt in ("csv", "xlsx", "pdf")]
        journal = services.audit.latest(500) if services.audit else []
        code_entries = [e for e in journal if e.action.startswith("code_")]
        assert {e.action for e in code_entries} == {"code_issue", "code_verify"}
        reasons = {e.reason for e in code_entries}
        assert {"wrong, 3 attempts left", "malformed entry: not sent, not counted"} <= reasons
        assert any(r.startswith("locked until ") for r in reasons)
    finally:
        wiring.close()
    for handler in logging.getLogger().handlers:
        handler.flush()

    found = []
    raw = store_bytes(settings)
    logs = b"".join(p.read_bytes() for p in sorted((settings.data_dir / "logs").glob("*")))
    assert re.search(rb"/tmf-api/x-salon/v1/accessCode/L-[0-9]+/check", logs)  # the log did
    assert b"/communicationMessage?receiver.phoneNumber=" in logs  # see the requests' URLs...
    texts = {"journal": repr([vars(e) if hasattr(e, "__dict__") else e for e in journal]),
             "leaflet": readable_text(tmp_path / "leaflet.pdf"),
             **{f"export {p.suffix}": readable_text(p) for p in exports},
             **{f"output {i}": text for i, text in enumerate(console.outputs)}}
    for code in codes:
        for where, blob in (("store", raw), ("logs", logs)):
            if bytes_token(code).search(blob):
                found.append(f"{code} in {where}")
        for where, text in texts.items():
            if digits_token(code).search(text):
                found.append(f"{code} in {where}")
    assert found == []  # ...and never a code
