"""Lookup through every real part: the `salon` command, the sandbox over loopback HTTP, the
SQLite store; and the offline fallback when the sandbox really goes away. The lookups are made
by the training sandbox's demo clerk (README: Training accounts)."""

from __future__ import annotations

import json
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest

from app.config import load_settings
from app.main import build_services, console_clock, real_parts
from app.services.credentials import KEYRING_SERVICE, OPERATOR_TOKEN
from tests.conftest import write_ini

SALON = str(Path(__file__).resolve().parents[2] / ".venv" / "bin" / "salon")


def salon(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([SALON, *args], env=env, capture_output=True, text=True, timeout=120,
                          stdin=subprocess.DEVNULL)


@pytest.fixture
def salon_env(salon_env: dict[str, str]) -> dict[str, str]:
    """Signed in as the training clerk."""
    return {**salon_env, "SALON_CLERK": "clerk", "SALON_PASSWORD": "clerk-demo"}


def test_lookup_json_has_the_documented_shape(salon_env: dict[str, str]) -> None:
    done = salon(salon_env, "lookup", "8 (916) 123-45-67", "--json")
    assert done.returncode == 0, done.stderr
    card = json.loads(done.stdout)
    assert card["msisdn"] == "+79161234567"
    assert card["name"] and card["status"] == "active"
    assert card["home_region"]["code"] == "RU-MOW"
    assert card["tariff"]["class"] == "mass" and card["tariff"]["code"] and card["tariff"]["name"]
    assert all({"code", "name"} <= set(s) for s in card["services"])
    balances = card["balances"]
    for key in ("main", "bonus", "promised_payment_debt"):
        assert Decimal(balances[key]).as_tuple().exponent == -2, key  # a decimal string
    assert balances["packages"], "the showcase subscriber has packages"
    assert all({"kind", "remaining", "unit"} <= set(p) for p in balances["packages"])
    assert card["assistant"] == {"connected": True}
    assert card["source"] == "api"
    assert card["fetched_at"].endswith("Z")


def test_lookup_text_is_for_a_person(salon_env: dict[str, str]) -> None:
    done = salon(salon_env, "lookup", "+7 911 987-65-43")
    assert done.returncode == 0, done.stderr
    assert "+7 911 987-65-43" in done.stdout
    assert "Traceback" not in done.stdout + done.stderr


@pytest.mark.parametrize("text", ["abc", "+7 916 12", "8 495 123-45-67", ""])
def test_a_malformed_number_exits_2_with_a_sentence(salon_env: dict[str, str], text: str) -> None:
    done = salon(salon_env, "lookup", text)
    assert done.returncode == 2
    assert done.stderr.strip() and "Traceback" not in done.stderr
    assert done.stdout == ""


def test_demo_list_and_an_unknown_number(salon_env: dict[str, str]) -> None:
    done = salon(salon_env, "sandbox", "list", "--json")
    assert done.returncode == 0, done.stderr
    rows = json.loads(done.stdout)
    assert len(rows) >= 200
    assert len({r["home_region"] for r in rows}) >= 5
    assert {r["tariff_class"] for r in rows} == {"mass", "corporate", "vip"}
    assert {r["status"] for r in rows} == {"active", "blocked"}
    known = {r["msisdn"] for r in rows}
    unknown = next(f"+7999{n:07d}" for n in range(10**7) if f"+7999{n:07d}" not in known)
    missing = salon(salon_env, "lookup", unknown)
    assert missing.returncode == 2
    assert "no subscriber" in missing.stderr


def test_a_bad_salon_ini_exits_2_naming_the_key(tmp_path: Path, salon_env: dict[str, str]) -> None:
    env = {**salon_env, "SALON_CONFIG": str(write_ini(tmp_path, salon={"region": "Moscow"}))}
    done = salon(env, "lookup", "+79161234567")
    assert done.returncode == 2
    assert "[salon] region" in done.stderr


def test_offline_shows_the_saved_card_with_its_age(tmp_path: Path, memory_keyring) -> None:
    from sandbox.server import start_in_background

    running = start_in_background(tmp_path / "world.db", 2026, "test-token")
    memory_keyring.set_password(KEYRING_SERVICE, OPERATOR_TOKEN, "test-token")
    settings = load_settings(write_ini(tmp_path, operator={"url": running.url,
                                                           "read_retries": "1"}))
    services = build_services(settings, console_clock(settings), real_parts(settings))
    try:
        services.clerks.add_first_manager("boss", "Игорь Белов", "boss-pass-1")
        clerk = services.clerks.sign_in("boss", "boss-pass-1")
        live = services.lookup.lookup("+79161234567", clerk)
        assert live.source == "api"
        assert services.connection.snapshot().online is True
        running.stop()
        offline = services.lookup.lookup("+7 916 123-45-67", clerk)
        assert offline.source == "cache"
        assert offline.fetched_at == live.fetched_at
        assert offline.subscriber == live.subscriber
        assert services.connection.snapshot().online is False
    finally:
        services.close()
        running.stop()


def test_a_live_api_without_a_token_says_how_to_set_one(tmp_path: Path, memory_keyring) -> None:
    from app.errors import ConfigError

    settings = load_settings(write_ini(tmp_path, operator={"url": "https://api.operator.test"}))
    with pytest.raises(ConfigError, match="salon credentials set"):
        build_services(settings, console_clock(settings), real_parts(settings))
