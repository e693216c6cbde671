from pathlib import Path

import pytest

from app.config import load_settings
from app.errors import ConfigError
from tests.conftest import write_ini


def test_the_documented_salon_ini_loads_with_the_embedded_defaults() -> None:
    settings = load_settings(Path(__file__).parents[2] / "salon.ini")
    assert settings.operator.embedded
    assert settings.salon.region == "RU-MOW"
    assert settings.database_url.startswith("sqlite:///")
    assert settings.database_url.endswith("/salon.db")
    assert "{data_dir}" not in settings.database_url


def test_salon_config_points_at_another_file(tmp_path: Path) -> None:
    path = write_ini(tmp_path, salon={"region": "RU-BA", "timezone": "Asia/Yekaterinburg"})
    settings = load_settings(environ={"SALON_CONFIG": str(path)})
    assert settings.salon.region == "RU-BA"
    assert settings.source == str(path)
    assert settings.data_dir == tmp_path / "data"


def test_salon_config_that_does_not_exist_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="SALON_CONFIG"):
        load_settings(environ={"SALON_CONFIG": str(tmp_path / "missing.ini")})


def test_settings_are_frozen(settings) -> None:
    with pytest.raises(AttributeError):
        settings.salon.region = "RU-SPE"


@pytest.mark.parametrize(
    ("section", "key", "value"),
    [
        ("salon", "region", "Moscow"),
        ("salon", "timezone", "Mars/Olympus"),
        ("salon", "language", "de"),
        ("salon", "id", ""),
        ("operator", "url", "http://operator.example.ru"),
        ("operator", "url", "ftp://x"),
        ("operator", "read_timeout", "-1"),
        ("operator", "read_retries", "many"),
        ("database", "url", "mysql://x/y"),
        ("database", "url", "postgresql://salon:hunter2@db/salon"),
        ("ui", "idle_lock_minutes", "-5"),
    ],
)
def test_a_bad_value_names_the_file_section_and_key(
    tmp_path: Path, section: str, key: str, value: str
) -> None:
    path = write_ini(tmp_path, **{section: {key: value}})
    with pytest.raises(ConfigError) as caught:
        load_settings(path)
    message = str(caught.value)
    assert str(path) in message
    assert f"[{section}] {key}" in message


def test_unknown_keys_and_sections_are_refused(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"\[salon\] colour: unknown setting"):
        load_settings(write_ini(tmp_path, salon={"colour": "red"}))
    with pytest.raises(ConfigError, match=r"unknown section \[extras\]"):
        load_settings(write_ini(tmp_path, extras={"a": "b"}))


def test_secrets_are_refused_in_the_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="keyring"):
        load_settings(write_ini(tmp_path, operator={"token": "abc"}))


def test_https_and_loopback_http_operator_urls(tmp_path: Path) -> None:
    live = load_settings(write_ini(tmp_path, operator={"url": "https://api.operator.ru/"}))
    assert live.operator.url == "https://api.operator.ru"
    assert not live.operator.embedded
    local = load_settings(write_ini(tmp_path, operator={"url": "http://127.0.0.1:8765"}))
    assert local.operator.url == "http://127.0.0.1:8765"


def test_a_file_that_is_not_utf8_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "salon.ini"
    path.write_bytes("[salon]\nname = Салон\n".encode("cp1251"))
    with pytest.raises(ConfigError, match="cannot be read"):
        load_settings(path)


def test_printing_and_email_settings(tmp_path: Path) -> None:
    shipped = load_settings(Path(__file__).parents[2] / "salon.ini")
    assert shipped.printing.printer == "" and shipped.printing.server == ""
    assert not shipped.email.configured and shipped.email.starttls
    settings = load_settings(write_ini(
        tmp_path, printing={"printer": "Counter1", "server": "/run/cups/cups.sock"},
        email={"host": "relay.salon.example.ru", "port": "587", "username": "salon-12",
               "from": "salon12@operator.example.ru", "starttls": "yes", "timeout": "15"}))
    assert settings.printing.printer == "Counter1"
    assert settings.printing.server == "/run/cups/cups.sock"
    mail = settings.email
    assert (mail.host, mail.port, mail.username, mail.from_address, mail.starttls,
            mail.timeout) == ("relay.salon.example.ru", 587, "salon-12",
                              "salon12@operator.example.ru", True, 15.0)
    assert mail.configured


@pytest.mark.parametrize(("section", "key", "value"), [
    ("printing", "printer", "Counter 1"),
    ("printing", "server", "http://print:631"),
    ("email", "host", "relay.example.ru:587"),
    ("email", "port", "99999"),
    ("email", "from", "salon"),
    ("email", "starttls", "maybe"),
    ("email", "username", "a b"),
])
def test_bad_printing_and_email_values(tmp_path: Path, section: str, key: str,
                                       value: str) -> None:
    with pytest.raises(ConfigError, match=rf"\[{section}\] {key}"):
        load_settings(write_ini(tmp_path, **{section: {key: value}}))


def test_the_smtp_password_never_goes_in_the_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="keyring"):
        load_settings(write_ini(tmp_path, email={"password": "hunter2"}))
    with pytest.raises(ConfigError, match=r"\[email\] from: must be set"):
        load_settings(write_ini(tmp_path, email={"host": "relay.example.ru"}))


def test_salon_language_overrides_the_file_once_for_everything(tmp_path: Path) -> None:
    from app.config import language_from_environment

    settings = load_settings(write_ini(tmp_path, salon={"language": "ru"}))
    assert language_from_environment(settings, {}).salon.language == "ru"
    english = language_from_environment(settings, {"SALON_LANGUAGE": "en"})
    assert english.salon.language == "en" and english.salon.id == settings.salon.id
    with pytest.raises(ConfigError, match="SALON_LANGUAGE='de': expected one of: ru, en"):
        language_from_environment(settings, {"SALON_LANGUAGE": "de"})


def test_a_bad_salon_language_stops_the_start_with_a_sentence(tmp_path: Path, monkeypatch,
                                                              capsys) -> None:
    from app.main import main

    monkeypatch.setenv("SALON_CONFIG", str(write_ini(tmp_path)))
    monkeypatch.setenv("SALON_LANGUAGE", "klingon")
    assert main(["tariffs"]) == 2
    assert "SALON_LANGUAGE=klingon is not a language of the console" in capsys.readouterr().err
