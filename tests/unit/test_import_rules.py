"""DESIGN §3, enforced by reading every module's imports."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# (package, imports it must never make)
RULES: list[tuple[str, set[str]]] = [
    ("models", {"app", "printing", "sandbox", "tkinter"}),
    ("printing", {"app", "sandbox", "tkinter"}),
    ("app/services", {"tkinter", "sandbox", "app.flows"}),
    # A flow is a use case's steps, run by the window and the command alike: services only.
    ("app/flows", {"tkinter", "sandbox", "peewee", "playhouse", "httpx", "cups", "reportlab",
                   "app.ui", "app.commands", "app.operator_api", "models.db", "models.tables"}),
    ("app/operator_api", {"tkinter", "sandbox"}),
    ("app/ui", {"peewee", "playhouse", "httpx", "cups", "reportlab", "sandbox", "models.db",
                "models.tables", "models.card_cache", "app.operator_api"}),
    ("app/ui/presenters", {"tkinter"}),
    ("sandbox", {"app", "models", "printing", "resources", "tkinter"}),
]


def imports_of(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def violates(name: str, forbidden: set[str]) -> bool:
    return any(name == f or name.startswith(f + ".") for f in forbidden)


def test_each_layer_imports_only_what_design_allows() -> None:
    problems = []
    for package, forbidden in RULES:
        for path in sorted((ROOT / package).rglob("*.py")):
            for name in sorted(imports_of(path)):
                if violates(name, forbidden):
                    problems.append(f"{path.relative_to(ROOT)} imports {name}")
    assert problems == []


def test_only_main_picks_real_adapters() -> None:
    """The sandbox server and the keyring-backed secrets are chosen in app/main.py alone."""
    chooser = ROOT / "app" / "main.py"
    offenders = [
        str(path.relative_to(ROOT))
        for path in sorted((ROOT / "app").rglob("*.py"))
        if path != chooser and any(violates(n, {"sandbox"}) for n in imports_of(path))
    ]
    assert offenders == []


def test_the_rule_checker_catches_a_violation(tmp_path: Path) -> None:
    bad = tmp_path / "view.py"
    bad.write_text("import peewee\nfrom httpx import Client\n", encoding="utf-8")
    assert {n for n in imports_of(bad) if violates(n, {"peewee", "httpx"})} == {"peewee", "httpx"}
