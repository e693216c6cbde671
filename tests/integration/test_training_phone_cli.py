"""Training from the command line: the subscriber's phone keeps its SMS with the training world.

On the embedded default every `salon` command starts its own sandbox on the data folder's
world, so a code ordered by one command must be on the phone for the next: here three separate
processes issue a code, read it off the phone, and check it. And a sandbox started apart keeps
the phone's SMS when it starts again. The phones' file is the only place the code is in clear.
"""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

from sandbox.code_key import key_path
from sandbox.server import start_in_background
from sandbox.sms import phones_path
from tests.integration.test_lookup_end_to_end import SALON
from tests.integration.test_sandbox_access import code_from_sms, order_code, verify
from tests.integration.test_sandbox_kit import MARIA, TOKEN, Api

PHONE = "+7 916 123-45-67"


def salon(env: dict[str, str], *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run([SALON, *args], env=env, input=stdin, capture_output=True, text=True,
                          timeout=120)


def test_a_code_issued_by_one_command_is_on_the_phone_for_the_next(
    salon_env: dict[str, str], tmp_path: Path
) -> None:
    clerk = {**salon_env, "SALON_CLERK": "clerk", "SALON_PASSWORD": "clerk-demo"}
    issued = salon(clerk, "code", "issue", PHONE, "--json")
    assert issued.returncode == 0, issued.stderr
    assert json.loads(issued.stdout)["state"]["state"] == "active"

    shown = salon(salon_env, "sandbox", "sms", PHONE, "--json")  # a second process
    assert shown.returncode == 0, shown.stderr
    latest = json.loads(shown.stdout)[0]
    assert (latest["from"], latest["to"]) == ("6262", "+79161234567")
    (code,) = re.findall(r"(?<!\d)\d{6}(?!\d)", latest["text"])
    assert code not in issued.stdout + issued.stderr  # R2: the clerk never sees it

    checked = salon(clerk, "code", "verify", PHONE, "--json", stdin=code + "\n")  # a third
    assert checked.returncode == 0, checked.stderr
    assert json.loads(checked.stdout)["status"] == "ok"

    data = tmp_path / "data"
    phones = phones_path(data / "sandbox.db")
    assert phones.exists() and phones.stat().st_mode & 0o777 == 0o600
    assert latest["text"].encode() in b"".join(p.read_bytes() for p in
                                              data.glob("sandbox-phones.db*"))
    world = b"".join(p.read_bytes() for p in data.glob("sandbox.db*")
                     if not p.name.endswith(".code-key"))
    console = b"".join(p.read_bytes() for p in data.glob("salon.db*"))
    for stored in (world, console):
        assert latest["text"].encode() not in stored  # the code in clear: on the phone only
    world_key = key_path(data / "sandbox.db").read_text()
    assert world_key.encode() not in world and bytes.fromhex(world_key) not in world


def test_the_phone_keeps_its_sms_when_the_sandbox_starts_again(tmp_path: Path) -> None:
    with start_in_background(tmp_path / "world.db", 2026, TOKEN) as first:
        api = Api(first)
        try:
            assert order_code(api, MARIA).status_code == 201
            code = code_from_sms(api, MARIA)
        finally:
            api.close()
    with start_in_background(tmp_path / "world.db", 2026, TOKEN) as again:
        api = Api(again)
        try:
            assert code_from_sms(api, MARIA) == code
            assert verify(api, MARIA, code) == {"result": "ok"}
        finally:
            api.close()
