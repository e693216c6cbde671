"""E-mail through a real SMTP server on loopback (aiosmtpd): STARTTLS for real with a
certificate made for the test, the password from the keyring, the attachment opened and
compared; refusals (no STARTTLS, a wrong password, an untrusted certificate, a malformed
address) are sentences and send nothing; the journal has the address masked."""

from __future__ import annotations

import ssl
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from app.clock import FixedClock
from app.config import EmailSettings, Settings
from app.errors import ConfigError, InputError, SalonError
from app.services.email import EmailService, detalization_letter, document_letter, mask_email
from app.services.smtp_relay import SmtpRelay
from models.detalization import Period
from tests.support.fake_wiring import CLERK
from tests.support.identity import IDENTIFIED
from tests.support.print_fakes import ListJournal
from tests.support.smtp import LOGIN, PASSWORD, MailServer, attachment, running_smtp

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


@pytest.fixture
def relay_server(tmp_path: Path) -> Iterator[MailServer]:
    with running_smtp(tmp_path) as server:
        yield server


def trusting(server: MailServer) -> ssl.SSLContext:
    return ssl.create_default_context(cafile=str(server.cert))


def email_settings(server: MailServer, **changes: object) -> EmailSettings:
    base = EmailSettings(host=server.host, port=server.port, username=LOGIN,
                         from_address="salon@tverskaya.example.ru", starttls=True, timeout=5)
    return replace(base, **changes)  # type: ignore[arg-type]


def service_for(settings: Settings, server: MailServer, journal: ListJournal | None = None,
                password: str | None = PASSWORD, tls: ssl.SSLContext | None = None,
                **changes: object) -> EmailService:
    mail = email_settings(server, **changes)
    relay = SmtpRelay(mail, lambda: password, tls=tls or trusting(server))
    return EmailService(relay, mail, settings.salon, journal=journal, clock=FixedClock(NOW),
        identity=IDENTIFIED)


def test_a_detalization_goes_by_starttls_and_the_attachment_is_the_file(
        settings: Settings, relay_server: MailServer, tmp_path: Path) -> None:
    document = tmp_path / "DET-20261123-ABCD2345.pdf"
    document.write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 200)
    journal = ListJournal()
    service = service_for(settings, relay_server, journal)
    letter = detalization_letter(Period(date(2026, 10, 1), date(2026, 10, 31)),
                                 "DET-20261123-ABCD2345", "pdf", settings.salon)
    sent = service.send(CLERK, document, " Ivanova.M@Example.RU ", letter=letter,
                        subscriber="+79161234567")
    assert sent.to_masked == "I***@example.ru"
    [letter_in] = relay_server.letters()
    assert letter_in.tls and letter_in.login == LOGIN  # STARTTLS, then the sign-in
    assert letter_in.rcpt_tos == ["Ivanova.M@example.ru"]
    message = letter_in.message
    assert message["Subject"] == "Детализация за 01.10.2026 — 31.10.2026"
    assert "Во вложении — детализация счёта" in message.get_body().get_content()
    assert "salon@tverskaya.example.ru" in message["From"] and "Тверская" in message["From"]
    assert message["Message-ID"].strip() == sent.message_id
    name, content_type, content = attachment(message)
    assert (name, content_type) == (document.name, "application/pdf")
    assert content == document.read_bytes()
    [entry] = journal.of("email")
    assert entry[2] == "done" and entry[3] == "+79161234567"
    assert "I***@example.ru" in entry[4] and "Ivanova" not in str(entry)
    assert PASSWORD not in str(journal.entries)


@pytest.mark.parametrize(("suffix", "mime"), [
    ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ("csv", "text/csv"), ("html", "text/html"), ("txt", "text/plain")])
def test_each_format_has_its_mime_type(settings: Settings, relay_server: MailServer,
                                       tmp_path: Path, suffix: str, mime: str) -> None:
    document = tmp_path / f"Детализация октябрь.{suffix}"
    document.write_bytes("Дата;Сумма\r\n01.10.2026;4,17\r\n".encode())
    service_for(settings, relay_server).send(
        CLERK, document, "a@example.ru", letter=document_letter(document.name, settings.salon))
    name, content_type, content = attachment(relay_server.letters()[-1].message)
    assert (name, content_type, content) == (document.name, mime, document.read_bytes())


def test_a_malformed_address_is_refused_and_nothing_is_sent(
        settings: Settings, relay_server: MailServer, tmp_path: Path) -> None:
    document = tmp_path / "a.pdf"
    document.write_bytes(b"%PDF-1.7")
    journal = ListJournal()
    service = service_for(settings, relay_server, journal)
    for bad in ("ivanova@", "ivanova.example.ru", "a b@example.ru", "a@b@example.ru",
                "Иванова <a@example.ru>", "a@example.ru, b@example.ru", ""):
        with pytest.raises(InputError, match="is not an e-mail address"):
            service.send(CLERK, document, bad, letter=document_letter("a.pdf", settings.salon))
    assert relay_server.letters() == [] and journal.entries == []


def test_a_relay_without_starttls_is_refused_before_the_password(
        settings: Settings, tmp_path: Path) -> None:
    with running_smtp(tmp_path, starttls=False, require_auth=False) as plain:
        document = tmp_path / "a.pdf"
        document.write_bytes(b"%PDF-1.7")
        journal = ListJournal()
        with pytest.raises(SalonError, match="does not offer STARTTLS"):
            service_for(settings, plain, journal).send(
                CLERK, document, "a@example.ru", letter=document_letter("a", settings.salon))
        assert plain.letters() == [] and journal.of("email")[0][2] == "failed"
        # A relay on the salon's closed network, with starttls = no, takes it as it is.
        service_for(settings, plain, username="", starttls=False).send(
            CLERK, document, "a@example.ru", letter=document_letter("a", settings.salon))
        assert len(plain.letters()) == 1 and not plain.letters()[0].tls


def test_a_wrong_or_missing_password_and_an_untrusted_certificate(
        settings: Settings, relay_server: MailServer, tmp_path: Path) -> None:
    document = tmp_path / "a.pdf"
    document.write_bytes(b"%PDF-1.7")
    letter = document_letter("a", settings.salon)
    with pytest.raises(SalonError, match="refused the sign-in of salon-relay") as wrong:
        service_for(settings, relay_server, password="wrong-Pa55").send(
            CLERK, document, "a@example.ru", letter=letter)
    assert "wrong-Pa55" not in str(wrong.value) and relay_server.auth_failures >= 1
    with pytest.raises(ConfigError, match="credentials set --smtp"):
        service_for(settings, relay_server, password=None).send(
            CLERK, document, "a@example.ru", letter=letter)
    with pytest.raises(SalonError, match=r"secure connection .* failed"):
        service_for(settings, relay_server, tls=ssl.create_default_context()).send(
            CLERK, document, "a@example.ru", letter=letter)
    assert relay_server.letters() == []


def test_an_unreachable_relay_and_e_mail_not_set_up(settings: Settings, tmp_path: Path,
                                                     relay_server: MailServer) -> None:
    document = tmp_path / "a.pdf"
    document.write_bytes(b"%PDF-1.7")
    letter = document_letter("a", settings.salon)
    closed = replace(relay_server, port=1)
    with pytest.raises(SalonError, match="cannot be reached"):
        service_for(settings, closed).send(CLERK, document, "a@example.ru", letter=letter)
    off = EmailService(None, EmailSettings(), settings.salon, clock=FixedClock(NOW),
                       identity=IDENTIFIED)
    with pytest.raises(ConfigError, match="not set up"):
        off.send(CLERK, document, "a@example.ru", letter=letter)


def test_masking() -> None:
    assert mask_email("ivanova@example.ru") == "i***@example.ru"
    assert mask_email("x@y.ru") == "x***@y.ru"
