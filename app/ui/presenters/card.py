"""A SubscriberCard → the strings the card view shows, in the current language.

Money, dates and ages come from app.formatting (Babel); phone numbers from app.phone. Times
that belong to the subscriber (their wall clock, the promised-payment due date, package expiry)
are shown in the number's home-region zone; the age of saved data in the salon's own zone.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from app import formatting
from app.i18n import _, language
from app.phone import format_msisdn
from models.domain import (
    Balances,
    Money,
    PackageKind,
    PackageRemainder,
    Region,
    Subscriber,
    SubscriberCard,
    SubscriberStatus,
    TariffClass,
)


@dataclass(frozen=True)
class FieldView:
    label: str
    value: str
    attention: bool = False  # the clerk should notice this value (drawn in the alert style)
    note: str = ""  # a quieter second line under the value


@dataclass(frozen=True)
class PackageView:
    label: str
    amount: str  # "250 из 500 мин"
    until: str  # "до 30.11.2026", or "" when it does not expire
    fraction: float  # remaining / total in 0..1, drawn as a bar
    attention: bool = False  # used up

    @property
    def value(self) -> str:
        """The whole line: "250 из 500 мин, до 30.11.2026"."""
        return f"{self.amount}, {self.until}" if self.until else self.amount


@dataclass(frozen=True)
class CardViewModel:
    msisdn: str  # E.164
    name: str
    phone: str
    status: str
    blocked: bool
    subscriber: tuple[FieldView, ...]
    tariff: tuple[FieldView, ...]
    services: tuple[str, ...]
    balances: tuple[FieldView, ...]
    packages: tuple[PackageView, ...]
    assistant: tuple[FieldView, ...]
    offline: bool
    source_line: str
    status_line: str
    # R10: the card's parts that wait for the visit's identity check ("services",
    # "balances", "code", "address"): the view says so where they would be, never "none".
    withheld: tuple[str, ...] = ()

    @property
    def attention(self) -> tuple[str, ...]:
        """Labels of the values that deserve attention (blocked, negative balance, debt)."""
        fields = (*self.subscriber, *self.tariff, *self.balances, *self.assistant)
        return tuple(field.label for field in fields if field.attention)


def tariff_class_name(tariff_class: TariffClass) -> str:
    names = {
        TariffClass.MASS: _("mass"),
        TariffClass.CORPORATE: _("corporate"),
        TariffClass.VIP: _("VIP"),
    }
    return names[tariff_class]


def status_name(status: SubscriberStatus) -> str:
    return _("Active") if status is SubscriberStatus.ACTIVE else _("Blocked")


def region_name(region: Region) -> str:
    return region.name if language() == "ru" else region.name_en


def present_card(card: SubscriberCard, now: datetime, salon_timezone: str,
                 service_fees: Mapping[str, Money] | None = None) -> CardViewModel:
    """`now` is UTC; `salon_timezone` is where the clerk sits (for "saved at 12:10");
    `service_fees`: the catalog's monthly fee of each service by code, when known (the monthly
    cost adds those of the connected services to the tariff's)."""
    subscriber = card.subscriber
    blocked = subscriber.status is SubscriberStatus.BLOCKED
    offline = card.source == "cache"
    saved_at = formatting.local_datetime(card.fetched_at, salon_timezone)
    if offline:
        age = formatting.ago(max(now - card.fetched_at, timedelta(0)))
        source_line = _("No connection — saved data from {when} ({age})").format(
            when=saved_at, age=age
        )
        status_line = _("Showing saved data from {when}.").format(when=saved_at)
    else:
        source_line = _("Data from the operator's system")
        status_line = _("Data received from the operator: {when}.").format(when=saved_at)
    return CardViewModel(
        msisdn=subscriber.msisdn,
        name=subscriber.name,
        phone=format_msisdn(subscriber.msisdn),
        status=status_name(subscriber.status),
        blocked=blocked,
        subscriber=(_subscriber_fields(subscriber, now) + _verified_fields(card)
                    + _mailing_fields(card)),
        tariff=(_tariff_fields(subscriber, service_fees)
                if not card.waits_for_identity("services")
                else (*_tariff_fields(subscriber, None)[:2], _waiting(_("Connected services")))),
        services=tuple(service.name for service in subscriber.services),
        balances=(_balance_fields(card.balances, subscriber.region.timezone, now)
                  if card.balances is not None else (_waiting(_("Balances")),)),
        packages=tuple(
            _package(package, subscriber.region.timezone)
            for package in (card.balances.packages if card.balances is not None else ())
        ),
        assistant=(_assistant_fields(subscriber) if not card.waits_for_identity("code")
                   else (_waiting(_("Assistant")),)),
        offline=offline,
        source_line=source_line,
        status_line=status_line,
        withheld=card.withheld,
    )


def _waiting(label: str) -> FieldView:
    """A part of the card left out until the identity check (R10): it says what it waits for."""
    return FieldView(label, waiting_text(), note=_("Check the holder's or representative's "
                                                   "identity document first."))


def waiting_text() -> str:
    """What a part of the card withheld until the identity check says (R10)."""
    return _("waits for the identity check (R10)")


def _verified_fields(card: SubscriberCard) -> tuple[FieldView, ...]:
    """303-FZ: a subscriber whose data the operator has not confirmed is shown as such."""
    if card.verified is False:
        return (FieldView(_("Identity data"), _("not confirmed by the operator (303-FZ)"),
                          attention=True,
                          note=_("Only the identity check is offered.")),)
    return ()


def _mailing_fields(card: SubscriberCard) -> tuple[FieldView, ...]:
    """The mailing address: the e-mail addresses the operator holds, masked (the counter's
    screen faces the queue), after R10; no row when it was not read (a saved card)."""
    label = _("E-mail")
    if card.waits_for_identity("address"):
        return (_waiting(label),)
    if card.mailing is None:
        return ()
    if not card.mailing:
        return (FieldView(label, _("none on file"),
                          note=_("a document can go to an address the holder gives")),)
    return (FieldView(label, ", ".join(card.mailing), note=_("held by the operator")),)


def _subscriber_fields(subscriber: Subscriber, now: datetime) -> tuple[FieldView, ...]:
    blocked = subscriber.status is SubscriberStatus.BLOCKED
    return (
        FieldView(_("Phone number"), format_msisdn(subscriber.msisdn)),
        FieldView(_("Status"), status_name(subscriber.status), attention=blocked),
        FieldView(_("Home region"), region_name(subscriber.region)),
        FieldView(_("Local time"), formatting.local_time(now, subscriber.region.timezone)),
    )


def _tariff_fields(subscriber: Subscriber,
                   service_fees: Mapping[str, Money] | None) -> tuple[FieldView, ...]:
    tariff = subscriber.tariff
    return (
        FieldView(_("Tariff"), tariff.name),
        FieldView(_("Tariff class"), tariff_class_name(tariff.tariff_class)),
        monthly_cost_field(subscriber, service_fees),
    )


def monthly_cost_field(subscriber: Subscriber,
                       service_fees: Mapping[str, Money] | None) -> FieldView:
    """"Monthly cost" is one thing everywhere — on the card, in the operation's preview and
    result, on the slip: the tariff's monthly fee plus those of the connected services (what
    the operator's preview calls it). Without the catalog's service fees only the tariff's
    part is known, and the row says so."""
    tariff = subscriber.tariff.monthly_fee
    label = _("Monthly cost")
    if not subscriber.services:
        return FieldView(label, _("{fee} a month").format(fee=formatting.money(tariff)),
                         note=_("the tariff only: no paid services"))
    fees = [service_fees.get(s.code) for s in subscriber.services] if service_fees else [None]
    if any(fee is None for fee in fees):
        return FieldView(label, _("{fee} a month for the tariff").format(
            fee=formatting.money(tariff)), note=_("plus the services' fees (not known yet)"))
    services = sum((fee.amount for fee in fees if fee is not None), Decimal(0))
    total = Money(tariff.amount + services, tariff.currency)
    return FieldView(label, _("{fee} a month").format(fee=formatting.money(total)),
                     note=_("tariff {tariff} + services {services}").format(
                         tariff=formatting.money(tariff),
                         services=formatting.money(Money(services, tariff.currency))))


def _balance_fields(balances: Balances, home_timezone: str,
                    now: datetime) -> tuple[FieldView, ...]:
    debt = balances.promised_payment_debt
    due = balances.promised_payment_due
    if debt.amount > 0 and due is not None and due <= now:
        # Overdue: said in the value itself, not only by the colour every debt has.
        debt_field = FieldView(
            _("Promised payment"),
            _("{amount}, overdue").format(amount=formatting.money(debt)), True,
            _("was due by {when}").format(
                when=formatting.local_datetime(due, home_timezone, with_zone=True)))
    elif debt.amount > 0:
        note = (
            _("repay by {when}").format(
                when=formatting.local_datetime(due, home_timezone, with_zone=True)
            )
            if due is not None
            else ""
        )
        debt_field = FieldView(_("Promised payment"), formatting.money(debt), True, note)
    else:
        debt_field = FieldView(_("Promised payment"), _("no debt"))
    return (
        FieldView(_("Main balance"), formatting.money(balances.main), _negative(balances.main)),
        FieldView(_("Bonus balance"), formatting.money(balances.bonus)),
        debt_field,
    )


def _negative(value: Money) -> bool:
    return value.amount < 0


def _package(package: PackageRemainder, home_timezone: str) -> PackageView:
    labels = {
        PackageKind.MINUTES: _("Minutes"),
        PackageKind.SMS: _("SMS"),
        PackageKind.DATA: _("Internet"),
    }
    units = {"min": _("min"), "sms": _("SMS"), "MB": _("MB"), "GB": _("GB")}
    amount = _("{remaining} of {total} {unit}").format(
        remaining=formatting.quantity(package.remaining),
        total=formatting.quantity(package.total),
        unit=units.get(package.unit, package.unit),
    )
    until = (
        _("until {date}").format(date=formatting.local_date(package.expires_at, home_timezone))
        if package.expires_at is not None
        else ""
    )
    fraction = float(package.remaining / package.total) if package.total > 0 else 0.0
    return PackageView(
        labels[package.kind],
        amount,
        until,
        min(1.0, max(0.0, fraction)),
        attention=package.remaining <= Decimal(0),
    )


def _assistant_fields(subscriber: Subscriber) -> tuple[FieldView, ...]:
    # R1: no Assistant and no access code on corporate and VIP tariffs.
    if subscriber.tariff.tariff_class in (TariffClass.CORPORATE, TariffClass.VIP):
        state = _("not available on corporate and VIP tariffs (R1)")
        return (FieldView(_("Assistant"), state),)
    if subscriber.assistant_connected:
        return (FieldView(_("Assistant"), _("connected")),)
    return (
        FieldView(
            _("Assistant"),
            _("not connected"),
            note=_("Connecting it is free, with no monthly fee."),
        ),
    )


def card_text_lines(view: CardViewModel) -> list[str]:
    """The same card as plain text, for `salon lookup` without --json."""
    lines = [f"{view.name}    {view.phone}", view.source_line]

    def section(title: str, fields: tuple[FieldView, ...]) -> None:
        lines.extend(["", title])
        width = max((len(field.label) for field in fields), default=0)
        for field in fields:
            mark = " !" if field.attention else ""
            lines.append(f"  {field.label:<{width}}  {field.value}{mark}")
            if field.note:
                lines.append(f"  {'':<{width}}  {field.note}")

    section(_("Subscriber"), view.subscriber)
    section(_("Tariff and services"), view.tariff)
    if view.services:
        lines.append("  " + _("Connected services: {count}").format(count=len(view.services)))
        lines.extend(f"    – {name}" for name in view.services)
    section(_("Balances"), view.balances)
    if view.packages:
        section(_("Packages"), tuple(FieldView(p.label, p.value, p.attention)
                                     for p in view.packages))
    section(_("Electronic Assistant"), view.assistant)
    return lines
