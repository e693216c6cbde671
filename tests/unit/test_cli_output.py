"""What the console writes for people to read — the terminal and salon.log — carries no escape
sequence and no forged line, whatever text a name, an operator or a clerk put into it."""

from __future__ import annotations

import ast
import io
import json
import logging
import re
import unicodedata
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import settings as examples
from hypothesis import strategies as st

from app import cli
from app.commands.output import ReaderSafe, json_text, say, terminal_text
from app.config import Settings
from app.main import setup_logging

ROOT = Path(__file__).resolve().parents[2]
HOSTILE = ("Анна\x1b[2J\x1b]0;owned\x07\x9b31m\u202eвонамиС\n"
           "2026-11-23 09:00:00,000 ERROR salon: forged\r\x00")
RECORD_START = re.compile(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2},\d{3} [A-Z]+ ")
UNSAFE = {"Cc", "Cf", "Zl", "Zp", "Cs", "Co", "Cn"}


def unsafe_in(text: str, allowed: str = "") -> list[str]:
    return [c for c in text if c not in allowed and unicodedata.category(c) in UNSAFE]


def test_a_line_with_escapes_prints_them_visibly_and_keeps_cyrillic() -> None:
    out = io.StringIO()
    say(out, HOSTILE)
    printed = out.getvalue()
    assert printed.count("\n") == 1 and printed.endswith("\n")
    assert unsafe_in(printed, allowed="\n") == []
    assert "\x1b" not in printed and "\\x1b[2J" in printed and "\\u202e" in printed
    assert printed.startswith("Анна") and "вонамиС" in printed


def test_escaping_for_the_terminal_leaves_a_path_s_backslash_and_is_idempotent() -> None:
    assert terminal_text("/tmp/a\\b.pdf") == "/tmp/a\\b.pdf"
    once = terminal_text(HOSTILE)
    assert terminal_text(once) == once


@examples(max_examples=300, derandomize=True, deadline=None)
@given(st.recursive(st.text() | st.integers() | st.none(),
                    lambda inner: st.lists(inner, max_size=3)
                    | st.dictionaries(st.text(max_size=5), inner, max_size=3), max_leaves=8))
def test_json_output_is_the_same_data_with_nothing_raw_that_drives_a_terminal(data: object) -> None:
    text = json_text(data)
    assert json.loads(text) == data
    assert unsafe_in(text, allowed="\n") == []


def test_a_reader_that_went_away_silences_the_output_without_an_error() -> None:
    class GonePipe(io.StringIO):
        def write(self, text: str) -> int:
            raise BrokenPipeError(32, "Broken pipe")

    stream = ReaderSafe(GonePipe())
    say(stream, "first line")  # no BrokenPipeError reaches the command
    stream.flush()
    assert stream.reader_gone and not stream.isatty()


def test_every_command_prints_through_the_output_helper() -> None:
    """No command writes to its output stream but through app/commands/output.py, so nothing
    it prints can bypass the escaping (a progress line on stderr is the console's own text)."""
    offenders = []
    for path in sorted((ROOT / "app" / "commands").glob("*.py")):
        if path.name == "output.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and _bypasses_say(node):
                offenders.append(f"{path.name}:{node.lineno}")
    assert offenders == []


def _bypasses_say(call: ast.Call) -> bool:
    """print(…) other than to stderr, or out.write(…)."""
    func = call.func
    if isinstance(func, ast.Name) and func.id == "print":
        target = next((k.value for k in call.keywords if k.arg == "file"), None)
        return not (isinstance(target, ast.Attribute) and target.attr == "stderr")
    return (isinstance(func, ast.Attribute) and func.attr == "write"
            and isinstance(func.value, ast.Name) and func.value.id == "out")


def test_argparse_repeats_what_was_typed_with_nothing_that_drives_a_terminal(
        capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stop:
        cli.build_parser().parse_args(["lookup", "+7916", "\x1b]0;owned\x07\x1b[31m"])
    assert stop.value.code == 2
    err = capsys.readouterr().err
    assert "unrecognized arguments" in err and unsafe_in(err, allowed="\n") == []


# -- salon.log -------------------------------------------------------------------------------

@pytest.fixture
def log_file(settings: Settings) -> Iterator[Path]:
    root = logging.getLogger()
    before = list(root.handlers)
    setup_logging(settings)
    setup_logging(settings)  # again, as a second command in one process: still one handler
    ours = [h for h in root.handlers if h not in before]
    assert len(ours) == 1
    yield settings.data_dir / "logs" / "salon.log"
    for handler in ours:
        root.removeHandler(handler)
        handler.close()


def test_operator_text_in_a_record_cannot_forge_a_line_or_reach_the_terminal(
        log_file: Path) -> None:
    log = logging.getLogger("salon.test")
    log.warning("subscriber name %s", HOSTILE)
    log.error(HOSTILE)  # the text as the message itself, %-signs and all
    log.info("operator said: %r / %s", {"error": HOSTILE}, HOSTILE.encode())
    for handler in logging.getLogger().handlers:
        handler.flush()
    lines = log_file.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 3  # one line per record
    assert all(RECORD_START.match(line) for line in lines)
    assert not [line for line in lines if "ERROR salon: forged" in line.split(": ", 1)[0]]
    assert unsafe_in("".join(lines)) == []
    assert "Анна\\x1b[2J" in lines[0] and "вонамиС\\n2026-11-23" in lines[0]


def test_a_traceback_keeps_its_lines_but_each_is_marked_as_the_record_s(log_file: Path) -> None:
    try:
        raise ValueError(HOSTILE)
    except ValueError:
        logging.getLogger("salon.test").exception("lookup failed for %s", HOSTILE)
    for handler in logging.getLogger().handlers:
        handler.flush()
    lines = log_file.read_text(encoding="utf-8").splitlines()
    assert RECORD_START.match(lines[0])
    assert len(lines) > 2 and all(line.startswith("  | ") for line in lines[1:])
    assert "Traceback" in lines[1]
    assert any("ValueError: Анна\\x1b[2J" in line for line in lines)
    assert unsafe_in("".join(lines)) == []
