"""DESIGN §9 start: a `salon` command on the embedded default answers within 0.5 s, and within
3× a bare `python -c 'import httpx'` measured in the same run (issue 15).

Each figure is the median wall time of whole processes, as the clerk meets them: the
console's own entry point on a fresh data folder, the training clerk signed in from
SALON_PASSWORD (argon2id: about 0.1 s of each signed-in command is that check, on purpose).
The first command starts the data folder's training sandbox (sandbox/resident.py) and the warm
console (app/warm_console.py), runs by itself, and is reported apart; the others are handed to
the warm console and reach the running sandbox. The run has a runtime folder of its own, so
it neither uses nor leaves a warm console of anybody else's."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.report import ratio_line

RUNS = 9
PHONE = "+79161234567"
DOCUMENT = "4509 785656"  # the demo subscriber's made-up passport (`salon sandbox list`)
COMMANDS = [["--help"], ["tariffs"], ["lookup", PHONE], ["code", "status", PHONE]]


def run() -> list[str]:
    salon = str(Path(sys.executable).with_name("salon"))
    with tempfile.TemporaryDirectory() as folder, \
            tempfile.TemporaryDirectory(prefix="salon-run-") as runtime:
        ini = Path(folder) / "salon.ini"
        ini.write_text(f"[paths]\ndata_dir = {folder}/data\n", encoding="utf-8")
        env = {**os.environ, "SALON_CONFIG": str(ini), "SALON_CLERK": "clerk",
               "SALON_PASSWORD": "clerk-demo", "SALON_LANGUAGE": "ru",
               "XDG_RUNTIME_DIR": runtime, "SALON_WARM": "on"}
        try:
            first = _seconds([salon, "tariffs"], env)
            _wait_for_warm_console(env)
            _check([salon, "identify", PHONE, "--document", "passport-rf"], env,
                   stdin=DOCUMENT + "\n")  # R10: `code status` shows nothing before it
            for command in COMMANDS:  # each works before it is timed
                _check([salon, *command], env)
            # Interleaved, so that a burst of load weighs on every figure alike.
            times: dict[str, list[float]] = {"import httpx": []}
            times.update({" ".join(c): [] for c in COMMANDS})
            for _ in range(RUNS):
                times["import httpx"].append(
                    _seconds([sys.executable, "-c", "import httpx"], env))
                for command in COMMANDS:
                    times[" ".join(command)].append(_seconds([salon, *command], env))
        finally:
            for stop in (["sandbox", "stop"], ["warm", "stop"]):
                subprocess.run([salon, *stop], env=env, capture_output=True, timeout=60)
    median = {name: statistics.median(values) * 1000 for name, values in times.items()}
    httpx_ms = median.pop("import httpx")
    lines = [ratio_line("python -c 'import httpx' (baseline)", httpx_ms, httpx_ms),
             ratio_line("first command (starts the sandbox, warm console)", first * 1000, 2500.0)]
    for name, ms in median.items():
        lines.append(ratio_line(f"salon {name.replace(PHONE, 'PHONE')}", ms, 500.0))
        lines.append(ratio_line(f"salon {name.replace(PHONE, 'PHONE')} vs 3× import httpx",
                                ms, 3 * httpx_ms))
    return lines


def _wait_for_warm_console(env: dict[str, str]) -> None:
    from app.launcher import socket_path

    path = socket_path(env)
    deadline = time.monotonic() + 60
    while path is None or not path.exists():
        if time.monotonic() > deadline:
            raise RuntimeError("the warm console did not start within 60 s")
        time.sleep(0.05)


def _seconds(command: list[str], env: dict[str, str]) -> float:
    began = time.perf_counter()
    subprocess.run(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                   timeout=120)
    return time.perf_counter() - began


def _check(command: list[str], env: dict[str, str], stdin: str = "") -> None:
    done = subprocess.run(command, env=env, input=stdin, capture_output=True, text=True,
                          timeout=120)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(command[1:])} failed: {done.stderr.strip()}")


if __name__ == "__main__":
    print("\n".join(run()))
