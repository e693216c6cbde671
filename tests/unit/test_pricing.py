"""The tariff comparison re-prices usage exactly as the operator (the sandbox) does: for the
tariff the records were priced with, the estimate equals what was charged."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from models.detalization import Period
from models.domain import CatalogTariff, Money, PackageSizes, TariffClass, UnitPrices
from models.pricing import comparable, daily_allotment, estimate, month_shares, usage_kopecks
from sandbox import usage as sandbox_usage
from sandbox.catalog import TARIFFS
from sandbox.world import HEAVY_MSISDN, generate_world
from tests.support.pinned import WORLD_AT

ZONE = ZoneInfo("Europe/Moscow")


def catalog(t) -> CatalogTariff:
    def rub(kop: int) -> Money:
        return Money(Decimal(kop).scaleb(-2))

    return CatalogTariff(t.code, t.name, TariffClass(t.tariff_class), rub(t.one_off_kop),
                         rub(t.monthly_kop), t.available,
                         UnitPrices(rub(t.minute_kop), rub(t.sms_kop), rub(t.mb_kop)),
                         PackageSizes(t.package_minutes, t.package_sms, t.package_mb))


@pytest.mark.parametrize("tariff", TARIFFS, ids=lambda t: t.code)
def test_estimate_equals_the_operators_charges_on_the_same_tariff(tariff) -> None:
    state = next(s for s in generate_world(2026, WORLD_AT).subscribers if s.msisdn == HEAVY_MSISDN)
    day = date(2026, 10, 7).toordinal()
    start = int(datetime(2026, 10, 7, tzinfo=ZONE).timestamp())
    rng = sandbox_usage.day_rng(2026, state.msisdn, day)
    rng.random()
    acts = sorted(sandbox_usage._activity(rng, state.activity, 1.0), key=lambda a: a[0])
    records, charged, *_ = sandbox_usage._price(acts, start, tariff, day)
    rows = [(*r, f"id-{i}") for i, r in enumerate(records)]
    assert len(rows) > 3000
    assert usage_kopecks(rows, [catalog(tariff)], ZONE) == [charged]


def test_allotments_match_and_sum_to_the_month() -> None:
    for total in (0, 7, 500, 15 * 1024 * 1024):
        days = [date(2026, 2, d) for d in range(1, 29)]
        assert [daily_allotment(total, d) for d in days] == [
            sandbox_usage.daily_allotment(total, d.toordinal()) for d in days]
        assert sum(daily_allotment(total, d) for d in days) == total


def test_comparable_tariffs_and_monthly_fees() -> None:
    tariffs = [catalog(t) for t in TARIFFS]
    mass = comparable(tariffs, TariffClass.MASS, "CLASSIC")
    assert {t.code for t in mass} == {"BASIC", "SMART", "SMART_PLUS", "ONLINE", "CLASSIC"}
    period = Period(date(2026, 9, 15), date(2026, 11, 20))
    end = datetime(2026, 11, 21, tzinfo=ZONE)
    # 16 of September's 30 days, all of October, 20 of November's 30
    assert month_shares(period, end, ZONE) == Decimal(16) / 30 + 1 + Decimal(20) / 30
    fee = (1700000000, "fee", None, "Антивирус", None, None, 9900, None, "x")
    tariff_fee = (1700000001, "fee", None, "Тариф «Смарт»", None, None, 45000, None, "y")
    result = estimate([fee, tariff_fee], mass, "SMART", period, end, ZONE)
    by_code = {e.code: e for e in result}
    assert by_code["SMART"].total == Decimal("990.00") + Decimal("99.00")
    assert by_code["SMART"].current and not by_code["BASIC"].current
    assert [e.total for e in result] == sorted(e.total for e in result)
