"""`salon sandbox` as a user starts it: a separate server process on a loopback port, and the
console pointed at it by URL with the token from the keyring."""

from __future__ import annotations

import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.integration.test_lookup_end_to_end import SALON


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def sandbox_process(salon_env: dict[str, str], tmp_path: Path) -> Iterator[str]:
    port = free_port()
    env = {**salon_env, "SALON_SANDBOX_TOKEN": "counter-training"}
    process = subprocess.Popen(
        [SALON, "sandbox", "--port", str(port), "--db", str(tmp_path / "world.db")],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(f"{url}/health", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert process.poll() is None, process.communicate()[1]
            assert time.monotonic() < deadline, "the sandbox did not start within 30 s"
            time.sleep(0.1)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=15)


def test_the_sandbox_serves_the_contract_with_its_token(sandbox_process: str) -> None:
    url = sandbox_process
    assert httpx.get(f"{url}/openapi.json").json()["paths"]
    assert httpx.get(f"{url}/v1/subscribers/+79161234567").status_code == 401
    auth = {"Authorization": "Bearer counter-training"}
    card = httpx.get(f"{url}/v1/subscribers/+79161234567", headers=auth)
    assert card.status_code == 200 and card.json()["msisdn"] == "+79161234567"
    demo = httpx.get(f"{url}/sandbox/subscribers", headers=auth).json()["items"]
    assert len(demo) >= 200
