"""Start-up stays light: a key is taken within 1.0 s of launch (DESIGN §9), so importing
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


def test_the_sign_in_field_comes_before_the_rest_of_the_window() -> None:
    # Issue 15: a key is taken within 1.0 s of launch. What `salon` alone imports before its
    # sign-in field takes keys: the entry point and the Gate; not the command line's parser,
    # the rest of the window (imported on a worker behind the Gate), the services or babel.
    later = ("app.cli", "app.ui.window", "app.services.registry", "app.services.clerks",
             "models.domain", "babel", "peewee", "httpx")
    code = (
        "import sys, app.main, app.ui.app\n"
        f"print(' '.join(m for m in {later!r} if m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    assert result.stdout.strip() == "", f"imported before the sign-in field: {result.stdout}"
