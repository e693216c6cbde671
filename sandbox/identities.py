"""The demo world's identity documents, representatives, 303-FZ verification and e-mail
addresses (issue 14): made up, drawn deterministically from the world's seed and each number.

Everything here is training data that looks like the real thing and belongs to nobody: an RF
passport's number is "SSYY NNNNNN" (the series' first two digits the region's OKATO code, the
next two the year of the form), a foreign passport's "FA 1234567", a residence permit's
"82 1234567"; e-mail addresses are at the reserved `.example` top-level domain (RFC 2606), so
nothing is ever delivered anywhere.

A pure function of the seed and the number: it draws from its own random generator per number,
so adding it changed nothing else the world draws, and it needs no table — `identity_of` is
asked whenever an individual, a customer or the demo list is made. A document is a fact about
the person, not about the day the world was drawn: its dates count back from a fixed day
(`ISSUED_BEFORE`), so the same seed gives the same documents whenever its world is made.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from sandbox.names import full_name
from sandbox.world import SHOWCASE_NUMBERS

PASSPORT_RF = "passportRF"  # паспорт гражданина Российской Федерации
FOREIGN_PASSPORT = "foreignPassport"  # паспорт иностранного гражданина
RESIDENCE_PERMIT = "residencePermit"  # вид на жительство в Российской Федерации
DOCUMENT_TYPES = (PASSPORT_RF, FOREIGN_PASSPORT, RESIDENCE_PERMIT)
EMAIL_DOMAINS = ("mail.example", "inbox.example", "post.example")  # RFC 2606: never real
_LOGINS = ("sunny", "alpha", "nord", "volga", "taiga", "polar", "orbit", "breeze", "amber",
           "cedar", "lynx", "falcon")

# Region → (OKATO code: an RF passport series' first two digits, the issuing authority).
_AUTHORITIES = {
    "RU-MOW": ("45", "ГУ МВД России по г. Москве"),
    "RU-SPE": ("40", "ГУ МВД России по г. Санкт-Петербургу и Ленинградской области"),
    "RU-BA": ("80", "МВД по Республике Башкортостан"),
    "RU-KO": ("87", "МВД по Республике Коми"),
    "RU-KDA": ("03", "ГУ МВД России по Краснодарскому краю"),
    "RU-NVS": ("50", "ГУ МВД России по Новосибирской области"),
    "RU-PRI": ("05", "УМВД России по Приморскому краю"),
    "RU-TA": ("92", "МВД по Республике Татарстан"),
}
_FOREIGN_AUTHORITY = "МВД Республики Узбекистан"

# The numbers the README gives to practise on: the fixed parts of their records (the rest is
# drawn like everyone's). They all stay verified, so every change can be practised on them.
_SHOWCASE_EMAIL = frozenset({"+79161234567", "+79261112233"})
_SHOWCASE_REPRESENTED = frozenset({"+79119876543", "+79031234500"})
UNVERIFIED_SHARE, REPRESENTED_SHARE, EMAIL_SHARE = 0.08, 0.12, 0.35
# Every document was issued before this day (the world's own day is never earlier: the first
# worlds were drawn in November 2026); a foreign passport within nine years of it, so it is
# valid for years after.
ISSUED_BEFORE = date(2026, 6, 1)


@dataclass(frozen=True)
class Document:
    type: str  # one of DOCUMENT_TYPES
    number: str  # as printed: "4510 123456"
    issuing_authority: str
    issued_on: date
    valid_until: date | None  # None: valid without an end date (an RF passport until 45)


@dataclass(frozen=True)
class Representative:
    """Someone the subscriber authorised (a power of attorney on the operator's file)."""

    name: str
    document: Document


@dataclass(frozen=True)
class Identity:
    document: Document
    representative: Representative | None
    unverified: bool  # 303-FZ: the operator has not confirmed the subscriber's data
    email: str | None  # the address the operator holds (TMF629 contactMedium)


def identity_of(seed: int, msisdn: str, region_code: str) -> Identity:
    """The record of the subscriber of `msisdn` (home region `region_code`) in the world of
    `seed`."""
    rng = random.Random(f"identity:{seed}:{msisdn}")
    showcase = msisdn in SHOWCASE_NUMBERS
    kind = rng.choices(DOCUMENT_TYPES, (88, 6, 6))[0]
    document = _document(rng, kind, region_code)
    represented = rng.random() < REPRESENTED_SHARE
    unverified = rng.random() < UNVERIFIED_SHARE
    has_email = rng.random() < EMAIL_SHARE
    representative_name = full_name(rng, turkic=False)
    representative_document = _document(rng, PASSPORT_RF, region_code)
    email = f"{rng.choice(_LOGINS)}.{msisdn[-4:]}@{rng.choice(EMAIL_DOMAINS)}"
    if showcase:
        represented = msisdn in _SHOWCASE_REPRESENTED
        has_email = msisdn in _SHOWCASE_EMAIL
        unverified = False
        if kind != PASSPORT_RF:
            document = _document(random.Random(f"passport:{seed}:{msisdn}"), PASSPORT_RF,
                                 region_code)
    return Identity(
        document=document,
        representative=(Representative(representative_name, representative_document)
                        if represented else None),
        unverified=unverified, email=email if has_email else None)


def _document(rng: random.Random, kind: str, region_code: str) -> Document:
    # A foreign passport is valid ten years: one issued within the last nine still is.
    issued = ISSUED_BEFORE - timedelta(days=rng.randint(200, 3200 if kind == FOREIGN_PASSPORT
                                                   else 7000))
    okato, authority = _AUTHORITIES.get(region_code, _AUTHORITIES["RU-MOW"])
    if kind == PASSPORT_RF:
        number = f"{okato}{issued.year % 100:02d} {rng.randrange(10**6):06d}"
        return Document(kind, number, authority, issued, None)
    if kind == FOREIGN_PASSPORT:
        number = f"FA {rng.randrange(10**7):07d}"
        return Document(kind, number, _FOREIGN_AUTHORITY, issued,
                        _years_after(issued, 10))
    return Document(kind, f"82 {rng.randrange(10**7):07d}", authority, issued, None)


def _years_after(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)
