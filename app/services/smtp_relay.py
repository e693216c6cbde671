"""The salon's SMTP relay (DESIGN §2), over smtplib: STARTTLS before anything else is said,
then the sign-in with the password from the keyring, then the letter.

With `[email] starttls = yes` a relay that does not offer STARTTLS is refused — the password
and the subscriber's document never travel in the clear. The certificate is checked against
the system's trust store (SSL_CERT_FILE points elsewhere, as OpenSSL allows). Every failure
becomes a sentence; the password never appears in one, nor in the log.
"""

from __future__ import annotations

import base64
import logging
import smtplib
import ssl
from collections.abc import Callable
from email.message import EmailMessage
from typing import Protocol

from app.config import EmailSettings
from app.errors import ConfigError, SalonError
from app.formatting import mask_addresses
from app.i18n import _

log = logging.getLogger(__name__)


class MailRelay(Protocol):
    def send(self, message: EmailMessage) -> None:
        """Hand the letter over; SalonError with the sentence when the relay did not take it."""
        ...


class SmtpRelay:
    def __init__(self, settings: EmailSettings, password: Callable[[], str | None], *,
                 tls: ssl.SSLContext | None = None) -> None:
        self._settings = settings
        self._password = password
        self._tls = tls

    def send(self, message: EmailMessage) -> None:
        settings = self._settings
        where = f"{settings.host}:{settings.port}"
        try:
            with smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout) as smtp:
                smtp.ehlo()
                if settings.starttls:
                    if not smtp.has_extn("starttls"):
                        raise SalonError(_(
                            "The mail relay {relay} does not offer STARTTLS, so nothing was "
                            "sent: the letter and the password would travel unencrypted."
                        ).format(relay=where))
                    smtp.starttls(context=self._tls or ssl.create_default_context())
                    smtp.ehlo()
                if settings.username:
                    password = self._password()
                    if not password:
                        raise ConfigError(_(
                            "No password is set for the mail relay's account {user}: set it "
                            "with `salon credentials set --smtp`."
                        ).format(user=settings.username))
                    _sign_in(smtp, settings.username, password)
                refused = smtp.send_message(message)
                if refused:  # some recipients were refused, the others took it
                    raise smtplib.SMTPRecipientsRefused(refused)
        except SalonError:
            raise
        except smtplib.SMTPAuthenticationError as error:
            log.warning("SMTP sign-in refused by %s: %s", where, error.smtp_code)
            raise SalonError(_(
                "The mail relay refused the sign-in of {user}: check the password "
                "(`salon credentials set --smtp`)."
            ).format(user=settings.username)) from None
        except smtplib.SMTPRecipientsRefused as error:
            # The relay's answers may quote the address: masked (never whole in the log).
            log.warning("SMTP recipients refused: %s",
                        mask_addresses(str(list(error.recipients.values()))))
            raise SalonError(_("The mail relay refused the recipient's address; nothing was "
                               "sent.")) from None
        except smtplib.SMTPSenderRefused:
            raise SalonError(_("The mail relay refused the salon's sender address {sender} "
                               "([email] from).").format(sender=settings.from_address)) from None
        except smtplib.SMTPNotSupportedError as error:
            raise SalonError(_("The mail relay {relay} does not support what the console asked "
                               "({error}).").format(relay=where, error=error)) from None
        except ssl.SSLError as error:
            log.warning("TLS with %s failed: %r", where, error)
            reason = getattr(error, "verify_message", None) or error.reason or str(error)
            raise SalonError(_("The secure connection to the mail relay {relay} failed "
                               "({reason}); nothing was sent.").format(
                relay=where, reason=reason)) from None
        except TimeoutError:
            raise SalonError(_("The mail relay {relay} did not answer within {seconds:g} "
                               "seconds.").format(relay=where, seconds=settings.timeout)
                             ) from None
        except smtplib.SMTPResponseException as error:
            text = error.smtp_error.decode("utf-8", "replace") if isinstance(
                error.smtp_error, bytes) else str(error.smtp_error)
            raise SalonError(_("The mail relay refused the letter: {code} {text}").format(
                code=error.smtp_code, text=mask_addresses(text))) from None
        except (smtplib.SMTPException, OSError) as error:
            log.warning("SMTP relay %s: %r", where, error)
            raise SalonError(_("The salon's mail relay {relay} cannot be reached ({error})."
                               ).format(relay=where, error=getattr(error, "strerror", None)
                                        or error)) from None


def _sign_in(smtp: smtplib.SMTP, user: str, password: str) -> None:
    """smtp.login, except that smtplib encodes credentials as ASCII only; AUTH PLAIN is UTF-8
    (RFC 4616), so a password with other letters is sent that way, by hand."""
    if (user + password).isascii():
        smtp.login(user, password)
        return
    if "plain" not in smtp.esmtp_features.get("auth", "").lower().split():
        raise SalonError(_("The mail relay does not accept this password's letters (it offers "
                           "no AUTH PLAIN); use a password of Latin letters and digits."))
    token = base64.b64encode(b"\0" + user.encode() + b"\0" + password.encode()).decode()
    code, answer = smtp.docmd("AUTH", "PLAIN " + token)
    if code != 235:
        raise smtplib.SMTPAuthenticationError(code, answer)
