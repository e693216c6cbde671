"""DESIGN §9 lookup: a cached card in under 20 ms inside the process; a live lookup through
the real sandbox on loopback for comparison (the GUI's 100 ms target is in benchmarks/gui.py):
of a number looked up before (the operator's line id for it already known) and of a number
seen for the first time in the session (the line is found first)."""

from __future__ import annotations

import tempfile
from pathlib import Path

from app.config import load_settings
from app.i18n import set_language
from app.main import build_services, console_clock, real_parts
from benchmarks.report import median_ms, ratio_line


def run() -> list[str]:
    set_language("ru")
    with tempfile.TemporaryDirectory() as folder:
        ini = Path(folder) / "salon.ini"
        ini.write_text(f"[paths]\ndata_dir = {folder}\n", encoding="utf-8")
        settings = load_settings(ini)
        services = build_services(settings, console_clock(settings), real_parts(settings))
        try:
            # A lookup is always a signed-in clerk's (and journaled): the training account.
            clerk = services.clerks.sign_in("clerk", "clerk-demo")
            lookup = services.lookup
            lookup.lookup("+79161234567", clerk)  # warm: the world, the cache row
            cached = median_ms(lambda: lookup.saved_card("+7 916 123-45-67", clerk))
            live = median_ms(lambda: lookup.lookup("+7 916 123-45-67", clerk), repeat=30)
            assert services.demo_subscribers is not None  # the embedded training sandbox
            fresh = iter([d.msisdn for d in services.demo_subscribers()
                          if d.msisdn != "+79161234567"])
            first = median_ms(lambda: lookup.lookup(next(fresh), clerk), repeat=30)
        finally:
            services.close()
    return [
        ratio_line("cached card (in process)", cached, 20.0),
        ratio_line("live card via sandbox on loopback", live, 100.0),
        ratio_line("live card, number first seen", first, 100.0),
    ]


if __name__ == "__main__":
    print("\n".join(run()))
