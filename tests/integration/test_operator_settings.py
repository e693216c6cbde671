"""The console against an operator set up by salon.ini alone, with real parts over loopback:
the sandbox's OAuth2 token endpoint (client credentials) and its APIs, one API served from a
second sandbox, `salon operator check` in text and JSON, and the client secret and the access
tokens nowhere the console writes (a canary)."""

from __future__ import annotations

import json
import re
import secrets
import socket
import subprocess
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from app.clock import SystemClock
from app.config import load_settings
from app.errors import OperatorUnavailable
from app.operator_api.apis import APIS
from app.operator_api.auth import ClientCredentials, TokenRefused
from app.operator_api.client import OperatorClient
from app.services.operator_check import OperatorCheck
from sandbox.oauth import IssuedTokens
from sandbox.server import RunningSandbox, start_in_background
from tests.conftest import write_ini

REPO = Path(__file__).resolve().parents[2]
SALON = str(REPO / ".venv" / "bin" / "salon")
SECRET = "canary-" + secrets.token_hex(16)  # the sandbox's token: the OAuth2 client secret
LIFETIME = 120
MARIA, ORLOV, POPOVA = "+79161234567", "+79261112233", "+79121234567"


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningSandbox]:
    running = start_in_background(tmp_path_factory.mktemp("bss") / "world.db", 2026, SECRET,
                                  token_lifetime_s=LIFETIME)
    yield running
    running.stop()


@pytest.fixture(scope="module")
def second(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningSandbox]:
    """The same world on another port: a BSS that serves one API from another host."""
    running = start_in_background(tmp_path_factory.mktemp("bss2") / "world.db", 2026, SECRET)
    yield running
    running.stop()


def issued(running: RunningSandbox) -> IssuedTokens:
    """The sandbox's own count of the tokens it gave (its app's context)."""
    tokens: IssuedTokens = running._server.config.app.state.ctx.oauth
    return tokens


class Elapsed:
    def __init__(self) -> None:
        self.seconds = 0.0

    def __call__(self) -> float:
        return self.seconds


def oauth(running: RunningSandbox, secret: str = SECRET,
          elapsed: Elapsed | None = None, client_auth: str = "basic") -> ClientCredentials:
    return ClientCredentials(f"{running.url}/sandbox/oauth/token", "salon-console", secret,
                             client_auth=client_auth, monotonic=elapsed or Elapsed())


def test_a_token_is_fetched_renewed_before_expiry_and_fetched_again_after_a_401(
        sandbox: RunningSandbox) -> None:
    elapsed = Elapsed()
    auth = oauth(sandbox, elapsed=elapsed)
    client = OperatorClient(sandbox.url, auth, clock=SystemClock())
    before = issued(sandbox).issued
    try:
        assert client.line_id(MARIA) == "L-79161234567"
        assert client.line_id(ORLOV) == "L-79261112233"
        assert (auth.fetched, issued(sandbox).issued - before) == (1, 1)

        # Close to its end by the console's measure: a new token before the old one expires.
        elapsed.seconds += LIFETIME - LIFETIME / 5 + 1
        assert client.line_id(POPOVA) == "L-79121234567"
        assert (auth.fetched, issued(sandbox).issued - before) == (2, 2)

        # The operator's clock runs on past the token's life while the console's measure says
        # it is fresh: the API answers 401, the console gets a new token and asks again, once.
        httpx.post(f"{sandbox.url}/sandbox/clock", json={"advance_seconds": LIFETIME + 5},
                   headers={"Authorization": f"Bearer {SECRET}"}).raise_for_status()
        assert client.line_id("+79031234500") == "L-79031234500"
        assert (auth.fetched, issued(sandbox).issued - before) == (3, 3)
    finally:
        client.close()


def test_the_client_may_send_its_secret_in_the_form_body(sandbox: RunningSandbox) -> None:
    client = OperatorClient(sandbox.url, oauth(sandbox, client_auth="body"),
                            clock=SystemClock())
    try:
        assert client.line_id(MARIA) == "L-79161234567"
    finally:
        client.close()


def test_a_wrong_client_secret_is_a_sentence_on_what_to_set(sandbox: RunningSandbox) -> None:
    client = OperatorClient(sandbox.url, oauth(sandbox, secret="wrong-" + SECRET),
                            clock=SystemClock())
    try:
        with pytest.raises(TokenRefused) as refused:
            client.line_id(MARIA)
    finally:
        client.close()
    assert isinstance(refused.value, OperatorUnavailable)
    assert refused.value.reason == "invalid_client" and refused.value.status == 401
    assert "salon credentials set --client-secret" in str(refused.value)
    assert SECRET not in str(refused.value)


def test_one_api_from_another_host_and_a_wrong_base_named_by_the_check(
        sandbox: RunningSandbox, second: RunningSandbox, settings_for) -> None:  # type: ignore[no-untyped-def]
    inventory = f"{second.url}/tmf-api/productInventory/v4"
    # The first host would fail every inventory call: only the second one is asked.
    httpx.put(f"{sandbox.url}/sandbox/faults",
              json={"error_rate": 1.0, "paths": ["/tmf-api/productInventory"]},
              headers={"Authorization": f"Bearer {SECRET}"}).raise_for_status()
    apis = {"productInventory": inventory, "party": "/nowhere/party/v4",
            "document": f"{sandbox.url}/tmf-api/document/v5"}
    client = OperatorClient(sandbox.url, SECRET, clock=SystemClock(), apis=apis)
    try:
        assert client.line_id(MARIA) == "L-79161234567"
        report = OperatorCheck(client, settings_for(sandbox.url).operator, sandbox.url).run()
    finally:
        client.close()
        httpx.delete(f"{sandbox.url}/sandbox/faults",
                     headers={"Authorization": f"Bearer {SECRET}"}).raise_for_status()
    by_name = {line.finding.api.name: line for line in report.apis}
    assert [line.finding.api.name for line in report.apis] == [api.name for api in APIS]
    assert by_name["productInventory"].finding.base_url == inventory
    assert by_name["productInventory"].finding.answers
    party = by_name["party"]
    assert (party.finding.outcome, party.finding.status) == ("not_found", 404)
    assert party.finding.base_url == f"{sandbox.url}/nowhere/party/v4"
    assert party.problem == (f"HTTP 404: the API is not at {sandbox.url}/nowhere/party/v4: "
                             "set [operator] api.party = <its base URL> in salon.ini.")
    document = by_name["document"]
    assert (document.finding.outcome, document.finding.version) == ("wrong_version", "5")
    assert document.problem is not None and "set [operator] api.document to its v4 base URL" \
        in document.problem
    assert {name for name, line in by_name.items() if not line.finding.answers} == \
        {"party", "document"}
    assert report.exit_code == 2
    json.dumps(report.as_json())  # serialisable as it is


@pytest.fixture
def settings_for(tmp_path: Path):  # type: ignore[no-untyped-def]
    def build(url: str, **keys: str):  # type: ignore[no-untyped-def]
        return load_settings(write_ini(tmp_path, operator={"url": url, **keys}))

    return build


# --- the CLI ----------------------------------------------------------------------------------


def salon(env: dict[str, str], *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run([SALON, *args], env=env, input=stdin, capture_output=True, text=True,
                          timeout=180)


def cli_env(salon_env: dict[str, str], folder: Path, ini: Path) -> dict[str, str]:
    env = {k: v for k, v in salon_env.items() if not k.startswith("SALON_PASS")}
    env.update(PYTHONPATH=str(REPO), SALON_CONFIG=str(ini),
               PYTHON_KEYRING_BACKEND="tests.support.keyring_file.FileKeyringForTests",
               SALON_TEST_KEYRING=str(folder / "keyring.json"))
    return env


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_salon_operator_check_with_oauth2_in_text_and_json(
        tmp_path: Path, salon_env: dict[str, str], sandbox: RunningSandbox) -> None:
    oauth_keys = {"url": sandbox.url, "auth": "oauth2", "client_id": "salon-console",
                  "token_url": f"{sandbox.url}/sandbox/oauth/token", "scope": "tmf.read"}
    ini = write_ini(tmp_path, operator={**oauth_keys, "api.party": "/nowhere/party/v4"})
    env = cli_env(salon_env, tmp_path, ini)

    no_secret = salon(env, "operator", "check")
    assert no_secret.returncode == 2
    assert "salon credentials set --client-secret" in no_secret.stderr

    wrong = salon(env, "credentials", "set", "--client-secret", stdin="not-the-secret\n")
    assert wrong.returncode == 0, wrong.stderr
    refused = salon(env, "operator", "check", "--json")
    assert refused.returncode == 2, refused.stderr
    answer = json.loads(refused.stdout)
    assert answer["token_endpoint"]["outcome"] == "refused"
    assert "invalid_client" in answer["token_endpoint"]["problem"]
    assert {a["outcome"] for a in answer["apis"]} == {"no_token"}
    assert answer["error"]["exit_code"] == 2

    stored = salon(env, "credentials", "set", "--client-secret", stdin=SECRET + "\n")
    assert stored.returncode == 0, stored.stderr
    assert "client secret is stored" in stored.stdout
    text = salon(env, "operator", "check")
    assert text.returncode == 2, text.stderr
    lines = text.stdout.splitlines()
    assert lines[0] == f"Operator: {sandbox.url} (OAuth2 client credentials)"
    assert lines[1] == (f"  token endpoint {sandbox.url}/sandbox/oauth/token: a token for "
                        f"{LIFETIME} s")
    party = next(i for i, line in enumerate(lines) if " party " in line)
    assert "HTTP 404" in lines[party] and f"{sandbox.url}/nowhere/party/v4" in lines[party]
    assert lines[party + 1].strip() == "the person using the line"
    assert "set [operator] api.party = <its base URL> in salon.ini." in lines[party + 2]
    assert re.search(r"TMF637 +productInventory +v4 +answers +http://127\.0\.0\.1:\d+"
                     r"/tmf-api/productInventory/v4$", text.stdout, re.M)
    assert lines[-1] == "      access codes and the main balance at an instant"
    assert text.stderr.strip() == ("1 of 11 APIs the console needs do not answer; see above "
                                   "what is missing.")

    write_ini(tmp_path, operator=oauth_keys)  # the wrong base removed
    good = salon(env, "operator", "check", "--json")
    assert good.returncode == 0, good.stderr
    report = json.loads(good.stdout)
    assert report["ok"] is True and report["auth"] == "oauth2"
    assert report["token_endpoint"] == {
        "token_url": f"{sandbox.url}/sandbox/oauth/token", "answers": True, "outcome": "ok",
        "expires_in": LIFETIME, "problem": None}
    assert [a["name"] for a in report["apis"]] == [api.name for api in APIS]
    first = report["apis"][0]
    assert first == {
        "name": "productInventory", "standard": "TMF637",
        "need": "the subscriber's line, tariff and services",
        "base_url": f"{sandbox.url}/tmf-api/productInventory/v4", "resource": "product",
        "answers": True, "outcome": "ok", "http_status": 200, "version": "4",
        "expected_version": "4", "server_version": None, "problem": None}
    assert report["apis"][-1]["version"] == "1"  # the x-salon extension

    russian = salon({**env, "SALON_LANGUAGE": "ru"}, "operator", "check")
    assert russian.returncode == 0, russian.stderr
    assert "Все 11" in russian.stdout and "OAuth2" in russian.stdout

    # The canary: neither the client secret nor any token the sandbox gave is anywhere the
    # console wrote — salon.ini, the logs, the database — nor in what it printed.
    printed = "".join(p.stdout + p.stderr for p in (no_secret, refused, stored, text, good,
                                                    russian))
    assert SECRET not in printed
    written = [ini, *sorted((tmp_path / "data").rglob("*"))]
    assert any(path.name == "salon.log" for path in written)
    shaped = re.compile(rb"[A-Za-z0-9_-]{43}")
    for path in written:
        if not path.is_file():
            continue
        content = path.read_bytes()
        assert SECRET.encode() not in content, path
        for candidate in set(shaped.findall(content)):
            assert not issued(sandbox).accepts(candidate.decode()), path


def test_salon_operator_check_exits_5_when_the_operator_cannot_be_reached(
        tmp_path: Path, salon_env: dict[str, str]) -> None:
    url = f"http://127.0.0.1:{closed_port()}"
    ini = write_ini(tmp_path, operator={"url": url, "deadline": "5"})
    env = cli_env(salon_env, tmp_path, ini)
    assert salon(env, "credentials", "set", stdin="some-token\n").returncode == 0
    done = salon(env, "operator", "check", "--json")
    assert done.returncode == 5, done.stderr
    answer = json.loads(done.stdout)
    assert answer["error"]["code"] == "operator_unavailable"
    assert {a["outcome"] for a in answer["apis"]} == {"unreachable", "skipped"}
    inventory = answer["apis"][0]
    assert inventory["problem"].startswith("127.0.0.1 cannot be reached (")
    assert "check the host in [operator] url or [operator] api.productInventory" in \
        inventory["problem"]
    usage = next(a for a in answer["apis"] if a["name"] == "usageManagement")
    assert usage["problem"] == ("Not checked: it needs a line from productInventory, which "
                                "gave none.")


def test_salon_operator_check_says_a_refused_token(tmp_path: Path, salon_env: dict[str, str],
                                                   sandbox: RunningSandbox) -> None:
    ini = write_ini(tmp_path, operator={"url": sandbox.url})
    env = cli_env(salon_env, tmp_path, ini)
    assert salon(env, "credentials", "set", stdin="not-the-token\n").returncode == 0
    done = salon(env, "operator", "check")
    assert done.returncode == 2
    assert done.stdout.count("HTTP 401: the API refused the console's token: set the right "
                             "one with `salon credentials set`.") == 8  # 3 need a line


# --- a hostile token endpoint ------------------------------------------------------------------


@pytest.mark.parametrize("behaviour", ["drip", "endless", "bomb"])
def test_a_hostile_token_endpoint_ends_within_the_deadline_or_the_cap(
        sandbox: RunningSandbox, behaviour: str) -> None:
    """A token endpoint that drips its answer, never ends it, or gzips megabytes of zeros: the
    call still ends (the deadline; the token answer's cap) with a sentence, nothing sent."""
    import threading

    from tests.support.hostile_http import Connection, HostileServer, gzip_of_zeros, head

    def answer(conn: Connection, _request: bytes) -> None:
        if behaviour == "drip":
            conn.drip(head(content_type="application/json", content_length=10_000)
                      + b'{"access_token": "', every=0.2)
        elif behaviour == "endless":
            conn.stream_forever(head(content_type="application/json",
                                     transfer_encoding="chunked"), b" " * 65536)
        else:
            body = gzip_of_zeros(16 * 2**20)
            conn.send(head(content_type="application/json", content_encoding="gzip",
                           content_length=len(body)) + body)

    with HostileServer(answer) as idp:
        auth = ClientCredentials(f"{idp.url}/token", "salon-console", SECRET)
        client = OperatorClient(sandbox.url, auth, clock=SystemClock(), connect_timeout=1,
                                read_timeout=1, read_retries=1, deadline=2,
                                sleep=lambda _s: None)
        ended: list[BaseException] = []

        def call() -> None:
            try:
                client.line_id(MARIA)
            except BaseException as error:
                ended.append(error)

        thread = threading.Thread(target=call, daemon=True)
        thread.start()
        thread.join(30)
        client.close()
    assert not thread.is_alive(), "the call still waits on the token endpoint"
    assert len(ended) == 1 and isinstance(ended[0], OperatorUnavailable), ended
    assert ended[0].maybe_delivered is False
    if behaviour in ("endless", "bomb"):
        assert isinstance(ended[0], TokenRefused) and ended[0].reason == "answer_too_large"
    else:
        assert "token endpoint" in str(ended[0]) and "nothing was sent" in str(ended[0])


def test_the_checks_requests_and_the_answers_hold_to_the_published_documents(
        sandbox: RunningSandbox, settings_for) -> None:  # type: ignore[no-untyped-def]
    """What `salon operator check` sends is a documented operation of each published v4
    document, with documented list parameters (`fields`, `limit`). (Its answers are
    projections, `fields=id`, which TMF630 lets omit what the full entity requires: they are
    held to the documents where the areas read whole entities.)"""
    from tests.support.tmf_docs import TmfDocs

    docs = TmfDocs.from_folder()
    sent: list[httpx.Request] = []
    client = OperatorClient(sandbox.url, SECRET, clock=SystemClock())
    client._http.event_hooks = {"request": [*docs.hooks()["request"], sent.append]}
    try:
        report = OperatorCheck(client, settings_for(sandbox.url).operator, sandbox.url).run()
    finally:
        client.close()
    assert report.exit_code == 0, [line.problem for line in report.failing]
    assert docs.deviations == []
    documented = [r for r in sent if docs.document_of(r.url.path) is not None]
    assert len(documented) >= 9
    for request in documented:
        doc = docs.document_of(request.url.path)
        assert doc is not None
        operation = doc.operation(request.method, request.url.path)
        assert operation is not None
        declared = {p["name"] for p in operation.spec.get("parameters", [])
                    if p.get("in") == "query"}
        assert {"fields", "limit"} <= declared, (request.url, declared)
        assert {"fields", "limit"} <= set(request.url.params), request.url
