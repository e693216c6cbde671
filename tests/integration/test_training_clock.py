"""In training the sandbox world's clock is the console's clock: "+24 h" (the phone panel's
button, `salon sandbox clock --advance`) moves the detalization's "today", archive expiry,
retention and periodic delivery with it — in this process and in the next command."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from app.clock import MovableClock
from app.config import load_settings
from app.errors import RuleRefused
from app.main import build_services, console_clock, real_parts
from app.services.registry import Services
from tests.conftest import write_ini
from tests.integration.test_delivery_cli import env_for, salon
from tests.support.calendar import today_in
from tests.support.fake_wiring import CLERK

MARIA = "+79161234567"
MOSCOW = "Europe/Moscow"
DAY = timedelta(days=1)


@pytest.fixture
def training(tmp_path: Path, memory_keyring: object) -> Iterator[Services]:
    # A relay that is never reached: subscribing only needs e-mail to be set up.
    settings = load_settings(write_ini(tmp_path, email={"host": "127.0.0.1", "port": "1",
                                                        "from": "salon@example.ru"}))
    clock = console_clock(settings)
    assert isinstance(clock, MovableClock)  # embedded: training
    services = build_services(settings, clock, real_parts(settings), start_pump=False)
    yield services
    services.close()


def close_to(a: datetime, b: datetime) -> bool:
    return abs(a - b) <= timedelta(seconds=3)


def test_plus_24_hours_moves_everything_the_console_dates(training: Services,
                                                         tmp_path: Path) -> None:
    services, clock = training, training.clock
    assert services.sandbox is not None and services.detalization is not None
    assert services.archive is not None and services.retention is not None
    assert services.periodic is not None and services.leaflets is not None
    assert close_to(clock.now(), services.sandbox.clock().now)  # one clock from the start
    today = services.detalization.today(MOSCOW)
    offset = clock.offset  # what the day's work below takes is no part of the move
    leaflet = services.leaflets.make(CLERK, MARIA).path  # in the documents folder (R9)
    report = tmp_path / "report.pdf"
    report.write_bytes(b"%PDF-1.7\n" + b"x" * 100)
    archived = services.archive.upload(CLERK, MARIA, report)
    subscription = services.periodic.subscribe(CLERK, MARIA, "ivanova@example.ru")
    assert services.periodic.due_months(subscription, clock.now()) == []

    moved = services.sandbox.advance(24 * 3600)  # the training phone's «+24 ч»
    assert clock.offset - offset == DAY and close_to(clock.now(), moved.now)
    assert services.detalization.today(MOSCOW) == today + DAY
    assert leaflet.exists()  # a day old: kept

    # Into the next month (Moscow) and past three days: the archive's copy has expired, the
    # console's own copies are purged, and this month's detalization is due by e-mail.
    local = clock.now().astimezone(ZoneInfo(MOSCOW))
    first_of_next = (local.replace(day=28) + timedelta(days=4)).replace(
        day=1, hour=1, minute=0, second=0, microsecond=0)
    step = max(first_of_next - local, timedelta(days=3, hours=1))
    services.sandbox.advance(int(step.total_seconds()) + 60)
    assert services.periodic.due_months(subscription, clock.now()) == [
        subscription.first_period]
    with pytest.raises(RuleRefused) as expired:
        services.archive.fetch(CLERK, archived.id, subscriber=MARIA)
    assert expired.value.rule == "R9"
    assert services.retention.purge().documents >= 1
    assert not leaflet.exists()


def test_the_next_command_runs_on_the_moved_clock(tmp_path: Path) -> None:
    """A day that has not come yet is refused, until the training world's clock is moved
    past it by another command; the next command's "today" is then the world's."""
    env = env_for(tmp_path)
    tomorrow: date = today_in(console_clock(load_settings(write_ini(tmp_path)))) + DAY
    ask = ("detalization", MARIA, "--from", tomorrow.isoformat(), "--to", tomorrow.isoformat(),
           "-o", str(tmp_path / "tomorrow.csv"), "--format", "csv")
    refused = salon(env, *ask)
    assert refused.returncode == 2 and "has not come yet" in refused.stderr
    assert salon(env, "sandbox", "clock", "--advance", "2d").returncode == 0
    done = salon(env, *ask)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "tomorrow.csv").exists()
