"""Start-up stays light: the window must be usable within 1.5 s (DESIGN §9), so importing
the GUI pulls in none of the heavy or adapter libraries; app/ui imports no adapters at all."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

HEAVY = ("httpx", "peewee", "fastapi", "uvicorn", "reportlab", "cups", "pydantic", "keyring")
UI = Path(__file__).resolve().parents[2] / "app" / "ui"


def test_importing_the_gui_loads_no_heavy_library() -> None:
    code = (
        "import sys, app.ui.app\n"
        f"print(' '.join(m for m in {HEAVY!r} if m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    assert result.stdout.strip() == "", f"imported at start-up: {result.stdout.strip()}"


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def test_ui_never_imports_adapters_and_presenters_never_import_tkinter() -> None:
    files = sorted(UI.rglob("*.py"))
    assert len(files) > 10
    for path in files:
        imported = _imports(path)
        assert not imported & {"peewee", "httpx", "cups", "reportlab"}, path
        if "presenters" in path.parts:
            assert "tkinter" not in imported, path
