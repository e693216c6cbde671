"""`salon` in-process (app.main.main) over generated command lines: whatever is typed where a
number, a phone, a date, a duration, an id or a file name goes, the command ends with an exit
code and at most a sentence — never an exception (a traceback on the terminal).

A console set up for a live operator API without a token and no clerk named: every command
stops at its first check of what was typed, or right after it (sign in first; no token), so
no example waits on a network. Derandomized: the same command lines on every run.
"""

from __future__ import annotations

import contextlib
import io
import logging
import os
from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
from hypothesis import given
from hypothesis import settings as examples
from hypothesis import strategies as st

from app.main import main
from tests.conftest import write_ini
from tests.support.keyring_memory import MemoryKeyring
from tests.support.typed_text import typed_text

EXIT_CODES = {0, 1, 2, 3, 4, 5, 6}


@pytest.fixture(scope="module")
def console(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    folder = tmp_path_factory.mktemp("console")
    ini = write_ini(folder, operator={"url": "http://127.0.0.1:9"})
    previous = keyring.get_keyring()
    keyring.set_keyring(MemoryKeyring())  # empty: no operator token
    root_handlers = list(logging.getLogger().handlers)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SALON_CONFIG", str(ini))
        for variable in ("SALON_CLERK", "SALON_PASSWORD", "SALON_LANGUAGE"):
            patch.delenv(variable, raising=False)
        yield folder
    keyring.set_keyring(previous)
    for handler in set(logging.getLogger().handlers) - set(root_handlers):
        logging.getLogger().removeHandler(handler)
        handler.close()


def command_lines(folder: str) -> st.SearchStrategy[list[str]]:
    text = typed_text()
    day = typed_text(extra="-.")
    name = typed_text(extra="./-_csv").map(lambda n: os.path.join(folder, n))
    return st.one_of(
        st.tuples(st.just("sandbox"), st.just("clock"), st.just("--advance"),
                  typed_text(extra="smhd")),
        st.tuples(st.just("outbox"), st.sampled_from(["cancel", "queue"]), text),
        st.tuples(st.just("outbox"), st.just("-n"), text),
        st.tuples(st.just("print-jobs"), st.sampled_from(["retry", "cancel"]), text),
        st.tuples(st.just("pickup"), st.sampled_from(["print", "hand-over", "destroy"]), text),
        st.tuples(st.just("print-jobs"), st.just("-n"), text),
        st.tuples(st.just("audit"), st.just("tail"), st.just("-n"), text),
        st.tuples(st.just("lookup"), text),
        st.tuples(st.just("tariff"), text, text, st.just("--yes")),
        st.tuples(st.just("archive"), st.just("fetch"), text, st.just("-o"), name),
        st.tuples(st.just("log"), st.just("export"), st.just("--date"), day, st.just("-o"), name),
        st.tuples(st.just("detalization"), text, st.just("--from"), day, st.just("--to"), day,
                  st.just("-o"), name),
    ).map(list)


@examples(max_examples=300, derandomize=True, deadline=None)
@given(st.data())
def test_any_typed_value_ends_in_an_exit_code_and_never_a_traceback(
        console: Path, data: st.DataObject) -> None:
    argv = data.draw(command_lines(str(console / "out")))
    if any("\0" in arg for arg in argv):  # no process can be given one
        return
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        try:
            code = main(argv)
        except SystemExit as stop:  # argparse refused it while reading the command line
            code = stop.code if isinstance(stop.code, int) else 2
    assert code in EXIT_CODES
    assert "Traceback" not in err.getvalue()
    if code:
        assert err.getvalue().strip()  # a sentence says why
