"""salon.ini's [operator] beyond `url`: per-API base URLs and the auth (token or OAuth2 client
credentials), each mistake a sentence naming the file, the key and what to do — at start."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from app.config import load_settings
from app.errors import ConfigError
from tests.conftest import write_ini

ROOT = "https://bss.operator.ru/api"
REPO = Path(__file__).resolve().parents[2]


def operator(tmp_path: Path, **keys: str):  # type: ignore[no-untyped-def]
    return load_settings(write_ini(tmp_path, operator={"url": ROOT, **keys})).operator


def test_per_api_base_urls_are_read_whatever_the_case_of_the_name(tmp_path: Path) -> None:
    found = operator(tmp_path, **{
        "api.productInventory": "https://inventory.operator.ru/tmf-api/productInventory/v4/",
        "api.USAGEMANAGEMENT": "/tmf/usage/v4",
        "api.x-salon": "https://ext.operator.ru/salon/v1"})
    assert found.apis == {
        "productInventory": "https://inventory.operator.ru/tmf-api/productInventory/v4",
        "usageManagement": "/tmf/usage/v4",
        "x-salon": "https://ext.operator.ru/salon/v1"}
    assert operator(tmp_path).apis == {}


@pytest.mark.parametrize(("key", "value", "said"), [
    ("api.productInventroy", "https://x.operator.ru/v4", "there is no operator API "
     "'productinventroy'; the console uses productInventory, party"),
    ("api.party", "ftp://x.operator.ru/party/v4", "expected an https:// URL"),
    ("api.party", "http://x.operator.ru/party/v4", "http:// only on loopback"),
    ("api.party", "https://user:pw@x.operator.ru/party/v4", "no credentials in the URL"),
    ("api.party", "https://x.operator.ru/party/v4?a=1", "without spaces, a query"),
    ("api.party", "https://x.operator.ru:port/v4", "expected an https:// URL"),
    ("api.party", "party/v4", "expected an https:// URL"),
    ("api.party", "", "must not be empty"),
])
def test_a_wrong_api_name_or_url_is_named_at_start(tmp_path: Path, key: str, value: str,
                                                   said: str) -> None:
    with pytest.raises(ConfigError) as refused:
        operator(tmp_path, **{key: value})
    assert f"[operator] {key.lower()}" in str(refused.value)
    assert said in str(refused.value)
    assert "salon.ini" in str(refused.value)


def test_per_api_urls_need_a_real_operator(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="embedded sandbox serves every API"):
        load_settings(write_ini(tmp_path, operator={"api.party": ROOT + "/party/v4"}))


def test_oauth2_client_credentials(tmp_path: Path) -> None:
    found = operator(tmp_path, auth="oauth2", token_url="https://sso.operator.ru/token/",
                     client_id="salon-console", scope="tmf.read tmf.order", client_auth="body")
    assert (found.auth, found.token_url, found.client_id, found.scope, found.client_auth) == (
        "oauth2", "https://sso.operator.ru/token", "salon-console", "tmf.read tmf.order",
        "body")
    plain = operator(tmp_path)
    assert (plain.auth, plain.client_auth) == ("token", "basic")


@pytest.mark.parametrize(("keys", "said"), [
    ({"auth": "oauth"}, "[operator] auth = 'oauth': expected one of: token, oauth2"),
    ({"auth": "oauth2", "client_id": "c"}, "[operator] token_url: must be set when auth = "
                                           "oauth2"),
    ({"auth": "oauth2", "token_url": "https://sso.operator.ru/t"},
     "[operator] client_id: must be set"),
    ({"auth": "oauth2", "token_url": "http://sso.operator.ru/t", "client_id": "c"},
     "[operator] token_url = 'http://sso.operator.ru/t': expected an https:// URL"),
    ({"auth": "oauth2", "token_url": "https://sso.operator.ru/t", "client_id": "a b"},
     "[operator] client_id = 'a b': expected the client id"),
    ({"auth": "oauth2", "token_url": "https://sso.operator.ru/t", "client_id": "c",
      "scope": 'a  "b"'}, "[operator] scope"),
    ({"auth": "oauth2", "token_url": "https://sso.operator.ru/t", "client_id": "c",
      "client_auth": "jwt"}, "[operator] client_auth = 'jwt': expected one of: basic, body"),
    ({"token_url": "https://sso.operator.ru/t"}, "[operator] token_url: is used only with "
                                                 "auth = oauth2"),
    ({"client_secret": "hunter2"}, "[operator] client_secret: secrets do not belong in "
                                   "salon.ini; store them in the keyring with `salon "
                                   "credentials set --client-secret`"),
])
def test_auth_settings_that_cannot_work_are_refused(tmp_path: Path, keys: dict[str, str],
                                                    said: str) -> None:
    with pytest.raises(ConfigError) as refused:
        operator(tmp_path, **keys)
    assert said in str(refused.value)
    assert "hunter2" not in str(refused.value)


def test_oauth2_needs_a_real_operator(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="embedded sandbox has a token of its own"):
        load_settings(write_ini(tmp_path, operator={
            "auth": "oauth2", "token_url": "https://sso.operator.ru/t", "client_id": "c"}))


def test_the_cli_exits_2_on_an_unknown_api_before_doing_anything(
        tmp_path: Path, salon_env: dict[str, str]) -> None:
    ini = write_ini(tmp_path, operator={"url": ROOT, "api.inventory": ROOT + "/inv/v4"})
    done = subprocess.run([str(REPO / ".venv" / "bin" / "salon"), "operator", "check"],
                          env={**salon_env, "SALON_CONFIG": str(ini)}, capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 2
    assert "[operator] api.inventory: there is no operator API 'inventory'" in done.stderr
    assert "Traceback" not in done.stderr
    assert not (tmp_path / "data").exists()  # nothing was started or written
