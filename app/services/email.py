"""Use case: a document to the subscriber by e-mail (R8), through the salon's SMTP relay.

    service.check_address(text) -> the address, normalized (or InputError)
    service.recipient(clerk, subscriber, to, given=…) -> (subscriber, Recipient)   (a pre-check)
    service.send(clerk, path, to, letter=…, subscriber=…, given=…) -> SentMail

The address is checked by its syntax (email-validator, no DNS: the counter may be offline from
the wider Internet) before anything is made. The document goes as an attachment with its MIME
type; the letter is in Russian (the subscriber reads it, whatever the clerk's screen language).
The send is journaled as EMAIL with the address masked (i***@example.ru) and its kind (the
operator's, or given by the holder at the counter) — never the whole address, never the
content. A clerk's send goes only to the subscriber (app/services/recipients.py, R10): a
document named without a number is the identified visit's subscriber's.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import format_datetime, formataddr, make_msgid
from pathlib import Path
from typing import TYPE_CHECKING, Protocol
from zoneinfo import ZoneInfo

from app.clock import Clock
from app.config import EmailSettings, SalonSettings
from app.errors import AddressRefused, ConfigError, InputError, SalonError
from app.formatting import mask_addresses, mask_email
from app.i18n import _
from app.phone import format_msisdn
from app.services.clerks import require_clerk
from app.services.identity import IdentityGate
from app.services.journaling import Journal, journaled
from app.services.recipients import AddressKind, ContactReads, Recipient, Recipients
from app.services.smtp_relay import MailRelay
from models.audit_codes import AuditAction
from models.detalization import Period, mask_msisdn
from models.domain import Session
from models.identity import Need

if TYPE_CHECKING:  # a peewee module: loaded by who keeps the register (app/main.py)
    from models.documents import RegisteredDocument

log = logging.getLogger(__name__)

MAX_ATTACHMENT = 20 * 1024 * 1024  # relays commonly refuse 25 MB letters, base64 adds a third
MIME_TYPES = {
    "pdf": ("application", "pdf"),
    "html": ("text", "html"),
    "htm": ("text", "html"),
    "txt": ("text", "plain"),
    "csv": ("text", "csv"),
    "xlsx": ("application", "vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
}
FORMAT_NAMES = {"pdf": "PDF", "html": "веб-страница (HTML)", "htm": "веб-страница (HTML)",
                "txt": "текст", "csv": "таблица CSV", "xlsx": "таблица Excel (XLSX)"}


@dataclass(frozen=True)
class Letter:
    subject: str
    body: str


@dataclass(frozen=True)
class SentMail:
    to_masked: str
    message_id: str
    attachment: str  # the file's name
    size: int
    kind: AddressKind | None = None  # None: the console's own monthly run


class EmailService:
    def __init__(self, relay: MailRelay | None, settings: EmailSettings, salon: SalonSettings,
                 *, journal: Journal | None = None, clock: Clock,
                 identity: IdentityGate, contacts: ContactReads | None = None,
                 owner_of: Callable[[Path], str] | None = None) -> None:
        """`contacts`: the operator's addresses of a subscriber (the only ones a document may
        go to, besides one the identified holder gives at the counter). `owner_of(path)`: the
        masked number of the subscriber a document this salon made is for ("" when it is not
        one of them; registered_owner below)."""
        self._identity = identity  # R10: a subscriber's document goes out after the check
        self._recipients = Recipients(contacts, identity)
        self._owner_of = owner_of
        self._relay = relay
        self._settings = settings
        self._salon = salon
        self._journal = journal
        self._clock = clock

    @property
    def configured(self) -> bool:
        return self._relay is not None and self._settings.configured

    @property
    def sender(self) -> str:
        return self._settings.from_address

    def check_address(self, text: str) -> str:
        """The address as it will be used, or InputError naming what was typed."""
        return email_address(text)

    def held_addresses(self, clerk: Session, msisdn: str) -> tuple[str, ...]:
        """The addresses the operator holds for `msisdn` (after R10's `address`)."""
        return self._recipients.held(clerk, msisdn)

    def held_address(self, clerk: Session, subscriber: str) -> str:
        """The operator's (preferred) address of `subscriber` ("": the identified visit's) —
        where a document goes when the clerk names none; InputError when it holds none."""
        msisdn = self.subscriber_for(clerk, subscriber)
        held = self.held_addresses(clerk, msisdn)
        if not held:
            raise InputError(_("The operator holds no e-mail address for {phone}: give the "
                               "one the holder tells you at the counter.").format(
                phone=format_msisdn(msisdn)))
        return held[0]

    def recipient(self, clerk: Session, subscriber: str, to: str, *,
                  given: bool = False) -> tuple[str, Recipient]:
        """Whether `to` may receive `subscriber`'s document (before anything is made): the
        subscriber ("" — the identified visit's) and the recipient, or InputError,
        IdentityRequired, AddressRefused. `given`: the holder gave it at the counter now."""
        require_clerk(clerk)
        address = self.check_address(to)
        if not subscriber and not self._identity.needed(Need.DELIVERY):
            return "", Recipient(address, AddressKind.UNCHECKED)
        subscriber = self.subscriber_for(clerk, subscriber)
        return subscriber, self._recipients.allowed(clerk, subscriber, address, given=given)

    def subscriber_for(self, clerk: Session, subscriber: str) -> str:
        """`subscriber`, or ("") the one whose identity was checked in this visit at this
        counter (IdentityRequired when there is none)."""
        return subscriber or self._recipients.subscriber_of_visit(clerk)

    def send(self, clerk: Session, path: Path, to: str, *, letter: Letter,
             subscriber: str = "", given: bool = False,
             message_id: str | None = None) -> SentMail:
        """Send `path` as an attachment to `to`. Raises InputError (a malformed address, a
        missing or too large file: nothing was sent), ConfigError (e-mail is not set up, no
        password), SalonError (the relay did not take it: the sentence says why), and for a
        clerk's send IdentityRequired / AddressRefused (R10: not after the check, not the
        subscriber's address; nothing was sent). `subscriber` "": the identified visit's."""
        require_clerk(clerk)
        address = self.check_address(to)
        masked = mask_email(address)
        kind: AddressKind | None = None
        with journaled(self._journal, clerk.login, AuditAction.EMAIL, subscriber=subscriber,
                       detail=f"{path.name} → {masked}",
                       reason_for=_journal_reason) as outcome:
            if clerk.login:  # not the console's own monthly run (login ""), which sends
                # what a clerk subscribed to after R10, to an address allowed then
                outcome.subscriber, recipient = self.recipient(clerk, subscriber, address,
                                                               given=given)
                kind = recipient.kind
                outcome.detail = f"{path.name} → {recipient.journal_text}"
                self._only_its_own(path, outcome.subscriber)
            if self._relay is None or not self._settings.configured:
                raise ConfigError(_("E-mail is not set up at this salon: [email] host and from "
                                    "in salon.ini are empty."))
            content = self._content(path)
            message = self._message(path, content, address, letter, message_id)
            self._relay.send(message)
            log.info("mailed %s to %s (%s)", path.name, masked, message["Message-ID"])
        return SentMail(masked, str(message["Message-ID"]), path.name, len(content), kind)

    def _only_its_own(self, path: Path, subscriber: str) -> None:
        """R10: a document this salon made for one subscriber (a detalization, a slip, a
        leaflet — found by its id, the file's name as the console writes it) goes to no other
        subscriber's address."""
        owner = self._owner_of(path) if self._owner_of is not None and subscriber else ""
        if owner and owner != mask_msisdn(subscriber):
            raise AddressRefused(_(
                "R10: {name} was made for another subscriber ({owner}); a document goes only "
                "to its own subscriber. Nothing was sent.").format(name=path.name, owner=owner))

    def _content(self, path: Path) -> bytes:
        if not path.is_file():
            raise InputError(_("There is no file {path} to send.").format(path=path))
        size = path.stat().st_size
        if size > MAX_ATTACHMENT:
            raise InputError(_("{name} is {size} MB, too large for e-mail (at most {limit} MB): "
                               "print it or put it into the personal archive.").format(
                name=path.name, size=size // 2**20, limit=MAX_ATTACHMENT // 2**20))
        try:
            return path.read_bytes()
        except OSError as error:
            raise SalonError(_("{path} cannot be read: {error}").format(
                path=path, error=error.strerror or error)) from error

    def _message(self, path: Path, content: bytes, to: str, letter: Letter,
                 message_id: str | None) -> EmailMessage:
        settings, salon = self._settings, self._salon
        message = EmailMessage()
        message["From"] = formataddr((salon.name, settings.from_address))
        message["To"] = to
        message["Subject"] = letter.subject
        message["Date"] = format_datetime(self._clock.now().astimezone(ZoneInfo(salon.timezone)))
        domain = settings.from_address.rpartition("@")[2] or None
        message["Message-ID"] = message_id or make_msgid("salon", domain=domain)
        message.set_content(letter.body)
        maintype, subtype = MIME_TYPES.get(path.suffix.lower().lstrip("."),
                                           ("application", "octet-stream"))
        message.add_attachment(content, maintype=maintype, subtype=subtype,
                               filename=path.name)
        return message


def _journal_reason(error: BaseException) -> str:
    """Why a send did not happen, for the journal: a relay's answer may quote the address."""
    return mask_addresses(str(error)) if isinstance(error, SalonError) else type(error).__name__


class DocumentLookup(Protocol):
    """The register of documents this salon made (models/documents.py DocumentRegister)."""

    def get(self, document_id: str) -> RegisteredDocument | None: ...


def registered_owner(register: DocumentLookup) -> Callable[[Path], str]:
    """`owner_of` for EmailService: the masked number a registered document was made for,
    found by the file's name (the console names each document by its id)."""
    def owner(path: Path) -> str:
        found = register.get(path.stem) if 0 < len(path.stem) <= 64 else None
        return found.msisdn_masked if found is not None else ""

    return owner


# -- the letters (Russian: the subscriber reads them) ----------------------------------------

def _signature(salon: SalonSettings) -> str:
    return (f"\n\n{salon.name}\n{salon.operator_name}\n\n"
            "Это письмо отправлено автоматически; отвечать на него не нужно.")


def detalization_letter(period: Period, document_id: str, fmt: str,
                        salon: SalonSettings) -> Letter:
    span = f"{period.first:%d.%m.%Y} — {period.last:%d.%m.%Y}"
    kind = FORMAT_NAMES.get(fmt, fmt.upper())
    return Letter(
        subject=f"Детализация за {span}",
        body=(f"Здравствуйте!\n\nВо вложении — детализация счёта за период {span} "
              f"({kind}), документ {document_id}. Подлинность документа можно проверить в "
              "любом салоне по его номеру." + _signature(salon)))


def periodic_letter(period: Period, document_id: str, fmt: str,
                    salon: SalonSettings) -> Letter:
    base = detalization_letter(period, document_id, fmt, salon)
    return Letter(
        subject=base.subject + " (ежемесячная рассылка)",
        body=base.body.replace(
            "Это письмо отправлено автоматически",
            "Вы подписаны на ежемесячную детализацию по e-mail; отписаться можно в любом "
            "салоне. Это письмо отправлено автоматически"))


def document_letter(name: str, salon: SalonSettings) -> Letter:
    return Letter(
        subject=f"Документ из салона: {name}",
        body=(f"Здравствуйте!\n\nВо вложении — документ {name}, о котором вы просили в "
              "салоне." + _signature(salon)))


def email_address(text: str) -> str:
    """An e-mail address as it will be used (normalized by email_validator), or InputError
    naming what was typed. Checked offline: whether the domain takes mail is the relay's
    answer."""
    from email_validator import EmailNotValidError, validate_email

    cleaned = text.strip()
    try:
        checked = validate_email(cleaned, check_deliverability=False,
                                 allow_display_name=False)
    except EmailNotValidError:
        shown = cleaned if cleaned.isprintable() else repr(cleaned)
        raise InputError(_("«{address}» is not an e-mail address; write it as "
                           "name@example.ru.").format(address=shown[:80])) from None
    return str(checked.normalized)
