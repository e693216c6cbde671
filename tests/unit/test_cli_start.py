"""A command imports what it uses (issue 15): `salon --help` no service, no operator client,
no sandbox; a command line that names a command registers its group alone; and every
command is where COMMANDS says."""

from __future__ import annotations

import argparse
import importlib
import json
import subprocess
import sys

import pytest

from app.cli import COMMAND_GROUPS, COMMANDS, Parser, build_parser
from app.launcher import command_named

NOT_FOR_HELP = ("app.services", "app.flows", "app.operator_api", "sandbox", "peewee", "httpx",
                "pydantic", "fastapi", "reportlab", "tkinter")


def _imported_by(code: str) -> list[str]:
    probe = (f"import sys\n{code}\nimport json\n"
             "print(json.dumps(sorted(sys.modules)))")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                          timeout=60, check=True)
    return list(json.loads(done.stdout.splitlines()[-1]))


def test_help_imports_no_service_and_no_heavy_library() -> None:
    modules = _imported_by(
        "from app.main import main\ntry:\n    main(['--help'])\nexcept SystemExit:\n    pass")
    heavy = [m for m in modules if m.split(".")[0] in NOT_FOR_HELP
             or m.startswith(NOT_FOR_HELP)]
    # The settings name the operator's APIs (salon.ini's api.<name>): a table, no client.
    assert heavy == ["app.operator_api", "app.operator_api.apis"]


def test_a_named_command_registers_its_group_alone() -> None:
    modules = _imported_by("from app.cli import build_parser\nbuild_parser(['tariffs'])")
    groups = [m for m in modules if m.startswith("app.commands.")
              and m.removeprefix("app.commands.") in COMMAND_GROUPS]
    assert groups == ["app.commands.catalog"]


def test_every_command_is_registered_by_the_group_commands_names() -> None:
    for group in COMMAND_GROUPS:
        parser = Parser(prog="salon")
        commands = parser.add_subparsers(dest="command")
        importlib.import_module(f"app.commands.{group}").register(commands)
        assert sorted(commands.choices) == sorted(c for c, g in COMMANDS.items() if g == group)


@pytest.mark.parametrize(("argv", "named"), [
    (["lookup", "+79161234567"], "lookup"),
    (["--clerk", "anna", "tariffs"], "tariffs"),
    (["--clerk=anna", "code", "status", "X"], "code"),
    (["--help"], None),
    (["-h", "tariffs"], None),
    ([], None),
    (["--clerk"], None),
])
def test_the_command_word_is_found_past_the_global_options(argv: list[str],
                                                           named: str | None) -> None:
    assert command_named(argv) == named


def test_an_unknown_command_still_gets_the_whole_list() -> None:
    parser = build_parser(["no-such-command"])
    subparsers = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    assert sorted(subparsers.choices) == sorted(COMMANDS)
