"""One kit, run as its README says, against a running sandbox.

The kit is copied whole to `.conformance/kits/<folder>` (files keep their content; write
permission is added, since a copy of a read-only tree could not take `config.json`, npm's
`node_modules` or the reports), `config.json` is written, then `npm install` and `npm start` run
in its `ctk/` folder with no terminal: the launcher (`index.js`) merges the config into the
collection and runs Newman, which writes `jsonResults.json` beside `config.json`. npm's cache is
`.conformance/npm-cache`, so a rerun installs from disk.
"""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit

from conformance.kits import Kit, Payloads
from conformance.results import KitResult, read_report
from conformance.target import Target

INSTALL_TIMEOUT_S = 900
RUN_TIMEOUT_S = 900
REPORT = "jsonResults.json"


def api_url(target: Target, kit: Kit) -> str:
    """The kit's `url`: the API's base, ending in '/' (with the token as Basic credentials
    when the kit's launcher would not send its headers)."""
    url = f"{target.url}/tmf-api/{kit.api}/v4/"
    if not kit.credentials_in_url:
        return url
    parts = urlsplit(url)
    netloc = f"ctk:{quote(target.token, safe='')}@{parts.netloc}"
    return urlunsplit((parts.scheme, netloc, parts.path, "", ""))


def run_kit(kit: Kit, source: Path, target: Target, work: Path) -> KitResult:
    scratch = work / "kits" / kit.folder
    logs = work / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    copy_kit(source, scratch)
    write_config(scratch, kit, target)
    ctk = scratch / "ctk"
    env = npm_environment(work)
    # `npm start` exits 1 when assertions failed (the report says which), 2 on a broken run.
    steps = (("install", ["npm", "install", "--no-audit", "--no-fund", "--prefer-offline"],
              INSTALL_TIMEOUT_S, (0,)), ("start", ["npm", "start"], RUN_TIMEOUT_S, (0, 1)))
    for name, command, timeout, fine in steps:
        log = logs / f"{kit.code}-{name}.log"
        note = _run(command, ctk, env, timeout, log, fine)
        if note:
            return KitResult(kit.code, kit.folder, False, note=f"npm {name}: {note} ({log})")
    report = scratch / REPORT
    if not report.exists():
        return KitResult(kit.code, kit.folder, False,
                         note=f"no {REPORT}: the kit stopped before Newman ran "
                              f"({logs / f'{kit.code}-start.log'})")
    return read_report(kit.code, kit.folder, report)


def copy_kit(source: Path, scratch: Path) -> None:
    if scratch.exists():
        shutil.rmtree(scratch)
    shutil.copytree(source, scratch, ignore=shutil.ignore_patterns("node_modules"))
    for folder, dirs, files in os.walk(scratch):
        for name in (*dirs, *files):
            path = Path(folder) / name
            path.chmod(path.stat().st_mode | stat.S_IWUSR)
    scratch.chmod(scratch.stat().st_mode | stat.S_IWUSR)


def write_config(scratch: Path, kit: Kit, target: Target) -> None:
    """The only file of the kit that is written: where the API is, how to authenticate, and
    the POST bodies (the kit's own unless the kit list says otherwise)."""
    config_path = scratch / "config.json"
    shipped: dict[str, object] = json.loads(config_path.read_text(encoding="utf-8"))
    payloads = shipped.get("payloads") or {}
    assert isinstance(payloads, dict)
    chosen: Payloads = kit.payloads(payloads) if kit.payloads is not None else payloads
    config = {
        "url": api_url(target, kit),
        "headers": {"Accept": "application/json", "Content-Type": "application/json",
                    "Authorization": f"Bearer {target.token}"},
        "payloads": chosen,
    }
    config_path.write_text(json.dumps(config, indent=4, ensure_ascii=False) + "\n",
                           encoding="utf-8")


def npm_environment(work: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update({
        "npm_config_cache": str(work / "npm-cache"),
        "npm_config_update_notifier": "false",
        "npm_config_loglevel": "warn",
        "CI": "true",
        "NO_COLOR": "1",
    })
    return env


def _run(command: list[str], cwd: Path, env: dict[str, str], timeout: float, log: Path,
         fine: tuple[int, ...]) -> str:
    """Runs to the end with no terminal (stdin closed); '' when it ended well, else why not."""
    with log.open("wb") as out:
        try:
            done = subprocess.run(command, cwd=cwd, env=env, stdin=subprocess.DEVNULL,
                                  stdout=out, stderr=subprocess.STDOUT, timeout=timeout,
                                  check=False)
        except subprocess.TimeoutExpired:
            return f"still running after {timeout:.0f} s, stopped"
        except OSError as exc:
            return f"could not start: {exc}"
    return "" if done.returncode in fine else f"exit status {done.returncode}"
