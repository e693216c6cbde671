r"""Phone numbers as clerks type them → E.164, and E.164 → how a Russian reads it.

Accepts what people write (+7…, 8…, 7…, ten digits, spaces, dashes, dots, brackets); refuses
letters (phonenumbers would turn vanity letters into digits), foreign and non-mobile numbers.
Digits are ASCII only and the separators the usual ones: phonenumbers (and the regular
expressions `\d`, `\s`) would also take Arabic-Indic or full-width digits, a line or paragraph
separator (U+2028, U+2029) and every other Unicode blank, none of which a clerk types.
"""

from __future__ import annotations

import re

import phonenumbers
from phonenumbers import PhoneNumberFormat, PhoneNumberType

from app.errors import BadPhoneNumber
from app.i18n import _

# ASCII digits; blanks: space, tab, no-break spaces (a number copied from a web page or a
# document has them); brackets, dots, the hyphen and the dashes a word processor puts in.
_BLANKS = " \t\u00a0\u202f"
_ALLOWED = re.compile(r"\+?[0-9 \t\u00a0\u202f().\-\u2010-\u2013]+")
MAX_LENGTH = 40  # "+7 (916) 123-45-67" is 18; anything this long is not a number
_MOBILE = {PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE_OR_MOBILE}


def parse_msisdn(text: str) -> str:
    """Return the number in E.164 (+7XXXXXXXXXX) or raise BadPhoneNumber with a clerk's sentence."""
    cleaned = text.strip(_BLANKS + "\r\n")  # not str.strip(): it also drops U+2028, U+3000…
    if not cleaned:
        raise BadPhoneNumber(_("Enter the subscriber's phone number."))
    if len(cleaned) > MAX_LENGTH or not _ALLOWED.fullmatch(cleaned) or cleaned.count("+") > 1:
        raise BadPhoneNumber(
            _("“{text}” is not a phone number: use digits, for example +7 916 123-45-67.")
            .format(text=_shorten(cleaned))
        )
    digits = re.sub(r"[^0-9]", "", cleaned)
    if len(digits) == 11 and digits[0] in "78" and not cleaned.startswith("+"):
        digits = "7" + digits[1:]  # 8 916 … and 7 916 … are both the Russian trunk form
    elif len(digits) == 10 and not cleaned.startswith("+"):
        digits = "7" + digits
    try:
        number = phonenumbers.parse("+" + digits, None)
    except phonenumbers.NumberParseException:
        number = None
    if (
        number is None
        or not phonenumbers.is_valid_number(number)
        or phonenumbers.region_code_for_number(number) != "RU"
    ):
        raise BadPhoneNumber(
            _("“{text}” is not a valid Russian phone number: check the digits.")
            .format(text=_shorten(cleaned))
        )
    e164 = phonenumbers.format_number(number, PhoneNumberFormat.E164)
    if phonenumbers.number_type(number) not in _MOBILE:
        raise BadPhoneNumber(
            _("{number} is a landline number; enter the subscriber's mobile number.")
            .format(number=format_msisdn(e164))
        )
    return e164


def format_msisdn(msisdn: str) -> str:
    """+79161234567 → '+7 916 123-45-67' (how it is printed on a SIM card pack)."""
    try:
        number = phonenumbers.parse(msisdn, None)
    except phonenumbers.NumberParseException:
        return msisdn
    return phonenumbers.format_number(number, PhoneNumberFormat.INTERNATIONAL)


def _shorten(text: str, limit: int = 40) -> str:
    from printing.text import visible  # what was typed, with nothing that drives a terminal

    return visible(text if len(text) <= limit else text[: limit - 1] + "…", backslashes=False)
