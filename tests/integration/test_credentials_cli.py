"""`salon credentials set`, then a lookup that uses the token against a live operator API (the
sandbox over loopback): the token is in the keyring and nowhere else the console writes — not
salon.ini, not the logs, not the database. Unsafe keyrings are refused before it is typed."""

from __future__ import annotations

import json
import secrets
import subprocess
from pathlib import Path

import pytest

from app.services.credentials import KEYRING_SERVICE, OPERATOR_TOKEN
from tests.conftest import write_ini

REPO = Path(__file__).resolve().parents[2]
SALON = str(REPO / ".venv" / "bin" / "salon")


def salon(env: dict[str, str], *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run([SALON, *args], env=env, input=stdin, capture_output=True, text=True,
                          timeout=120)


def keyring_env(salon_env: dict[str, str], folder: Path, backend: str) -> dict[str, str]:
    env = {k: v for k, v in salon_env.items() if not k.startswith("SALON_PASS")}
    env.update(PYTHONPATH=str(REPO), PYTHON_KEYRING_BACKEND=backend,
               SALON_TEST_KEYRING=str(folder / "keyring.json"))
    return env


def test_the_token_lives_only_in_the_keyring(tmp_path: Path, salon_env: dict[str, str]) -> None:
    from sandbox.server import start_in_background

    token = "tok-" + secrets.token_urlsafe(24)
    running = start_in_background(tmp_path / "world.db", 2026, token)
    try:
        ini = write_ini(tmp_path, operator={"url": running.url})
        env = keyring_env({**salon_env, "SALON_CONFIG": str(ini)}, tmp_path,
                          "tests.support.keyring_file.FileKeyringForTests")
        # The accounts are the local store's: no operator, no token needed.
        first = salon(env, "clerk", "add", "boss", "--name", "Игорь Белов", "--first",
                      stdin="boss-pass-1\n")
        assert first.returncode == 0, first.stderr
        no_token = salon({**env, "SALON_CLERK": "boss", "SALON_PASSWORD": "boss-pass-1"},
                         "lookup", "+79161234567")
        assert no_token.returncode == 2 and "salon credentials set" in no_token.stderr

        stored = salon(env, "credentials", "set", stdin=token + "\n")
        assert stored.returncode == 0, stored.stderr
        assert token not in stored.stdout + stored.stderr
        keyring = json.loads((tmp_path / "keyring.json").read_text())
        assert {f"{KEYRING_SERVICE}/{OPERATOR_TOKEN}": token}.items() <= keyring.items()
        used = salon({**env, "SALON_CLERK": "boss"}, "lookup", "+79161234567", "--json",
                     stdin="boss-pass-1\n")
        assert used.returncode == 0, used.stderr  # the sandbox accepted the token
        assert json.loads(used.stdout)["source"] == "api"
        assert token not in used.stdout + used.stderr
    finally:
        running.stop()

    written = [ini, *sorted((tmp_path / "data").rglob("*"))]
    names = {path.name for path in written}
    assert {"salon.ini", "salon.db", "salon.log"} <= names, names
    for path in written:
        if path.is_file():
            assert token.encode() not in path.read_bytes(), path
            assert b"boss-pass-1" not in path.read_bytes(), path


@pytest.mark.parametrize("backend", ["keyring.backends.fail.Keyring",
                                     "keyring.backends.null.Keyring"])
def test_an_unsafe_keyring_is_refused_before_the_token_is_read(
    tmp_path: Path, salon_env: dict[str, str], backend: str
) -> None:
    env = keyring_env(salon_env, tmp_path, backend)
    done = salon(env, "credentials", "set", stdin="tok-never-stored\n")
    assert done.returncode == 2
    assert "keyring" in done.stderr and "PYTHON_KEYRING_BACKEND" in done.stderr
    assert "tok-never-stored" not in done.stdout + done.stderr
    assert "Traceback" not in done.stderr
