"""R2 and DESIGN §5: no code, token or password ever reaches the journal or its exports.

A flow that handles secrets runs through the console (the operator token stored with
`salon credentials set`, a clerk signing in and failing with a password, an access code issued
and checked), its events are recorded as the owning services record them, the day is exported
in every format and the journal verified; then every table of the any_store, the raw SQLite files
and every exported file are searched for the secrets. Add each new flow that touches a secret
here as it lands.
"""

from __future__ import annotations

import io
import subprocess
import zipfile
from pathlib import Path

import pytest
from peewee import Database

from app import cli
from app.config import SalonSettings
from app.services.audit import AuditJournal
from app.services.credentials import operator_token
from app.services.daily_log import DailyLogService
from models.audit import AuditAction, AuditResult
from models.db import is_sqlite
from tests.support.fake_wiring import FakeWiring
from tests.support.pinned import pinned_clock

TOKEN = "tok-7Qx9-SECRET-operator-token"
PASSWORD = "Pa55-word-of-ivanova"
CODE = "480913"
SECRETS = (TOKEN, PASSWORD, CODE)


def run(wiring: FakeWiring, *argv: str, stdin: str = "") -> int:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("sys.stdin", io.StringIO(stdin))
        patch.setattr("sys.stderr", io.StringIO())
        return cli.run(cli.build_parser().parse_args(list(argv)), wiring,  # type: ignore[arg-type]
                       io.StringIO())


def test_no_secret_reaches_the_store_or_an_export(
    any_store: Database, tmp_path: Path, memory_keyring: object
) -> None:
    clock = pinned_clock()
    journal = AuditJournal("MSK-TVERSKAYA-12", "2", clock)
    salon = SalonSettings("MSK-TVERSKAYA-12", "Салон", "RU-MOW", "Europe/Moscow", "2", "ru")
    daily = DailyLogService(journal, salon, clock)
    wiring = FakeWiring(audit=journal, daily_log=daily)

    assert run(wiring, "credentials", "set", stdin=TOKEN + "\n") == 0
    assert operator_token("https://api.example") == TOKEN  # it went to the keyring
    # What the clerk and access-code services record: who, what, the outcome — no secret.
    journal.record("ivanova", AuditAction.SIGN_IN_FAILED, AuditResult.REFUSED,
                   reason="wrong password")
    journal.record("ivanova", AuditAction.SIGN_IN)
    journal.record("ivanova", AuditAction.CODE_ISSUE, subscriber="+79161234567",
                   detail="sms")
    journal.record("ivanova", AuditAction.CODE_VERIFY, AuditResult.REFUSED,
                   subscriber="+79161234567", reason="wrong code: 2 attempts left")
    journal.record("ivanova", AuditAction.SIGN_OUT)
    day = daily.today().isoformat()
    exports = [tmp_path / f"log.{fmt}" for fmt in ("xlsx", "csv", "pdf")]
    for target in exports:
        assert run(wiring, "log", "export", "--date", day, "-o", str(target)) == 0
    assert run(wiring, "audit", "verify") == 0

    found = [f"{table}: {row}" for table in any_store.get_tables()
             for row in any_store.execute_sql(f"SELECT * FROM {table}").fetchall()
             if any(secret in str(row) for secret in SECRETS)]
    assert found == []
    if is_sqlite(any_store):
        for path in tmp_path.glob("salon.db*"):
            raw = path.read_bytes()
            assert not [s for s in SECRETS if s.encode() in raw], path.name
    for target in exports:
        assert not [s for s in SECRETS if s in readable_text(target)], target.name
    assert journal.latest(1)[0].action == "audit_verify"


def readable_text(path: Path) -> str:
    if path.suffix == ".pdf":
        return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True,
                              check=True).stdout
    if path.suffix == ".xlsx":
        with zipfile.ZipFile(path) as book:
            return "".join(book.read(name).decode("utf-8", "replace") for name in book.namelist())
    return path.read_text(encoding="utf-8-sig")
