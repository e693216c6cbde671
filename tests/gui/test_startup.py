"""Start-up stays light: the window must be usable within 1.5 s (DESIGN §9), so importing
the GUI pulls in none of the heavy or adapter libraries (measured in benchmarks/gui.py)."""

from __future__ import annotations

import subprocess
import sys

HEAVY = ("httpx", "peewee", "fastapi", "uvicorn", "reportlab", "cups", "pydantic", "keyring")


def test_importing_the_gui_loads_no_heavy_library() -> None:
    # What `salon` does before the window: the command line's parser (every command group)
    # and the GUI's modules.
    code = (
        "import sys, app.ui.app\n"
        "from app import cli\n"
        "cli.build_parser()\n"
        f"print(' '.join(m for m in {HEAVY!r} if m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    assert result.stdout.strip() == "", f"imported at start-up: {result.stdout.strip()}"
