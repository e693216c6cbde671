"""One language at a time (issue 12): SALON_LANGUAGE governs the window as it governs the
commands — `salon` started with SALON_LANGUAGE=en over a Russian salon.ini opens an English
window, and the other way round."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest

import app.main
import app.ui.app as gui
from app import i18n
from tests.conftest import write_ini
from tests.gui.fakes import FakeOperator, make_services
from tests.gui.helpers import screen_text


@pytest.fixture
def no_new_log_handlers() -> Iterator[None]:
    """main() sets up salon.log on the root logger and the language: both put back."""
    root = logging.getLogger()
    before, level = list(root.handlers), root.level
    yield
    for handler in root.handlers[:]:
        if handler not in before:
            root.removeHandler(handler)
            handler.close()
    root.setLevel(level)
    i18n.set_language("ru")


@pytest.mark.parametrize(("in_file", "in_environment", "expected"), [
    ("ru", "en", ("Salon — console", "Sign in")),
    ("en", "ru", ("Салон — консоль", "Войти")),
])
def test_salon_language_governs_the_window(tmp_path: Path, xvfb, tk_errors, monkeypatch,
                                           no_new_log_handlers, in_file: str,
                                           in_environment: str,
                                           expected: tuple[str, str]) -> None:
    monkeypatch.setenv("SALON_CONFIG", str(write_ini(tmp_path, salon={"language": in_file})))
    monkeypatch.setenv("SALON_LANGUAGE", in_environment)
    monkeypatch.setattr(app.main, "build_services",
                        lambda settings, clock, *_parts, **_kw: make_services(
                            settings, FakeOperator(), clock))
    seen: dict[str, str] = {}
    real_create = gui.create_window

    def create_window(settings, clock, root=None, **around):
        window = real_create(settings, clock, root, **around)
        window.root.report_callback_exception = tk_errors  # type: ignore[assignment]

        def look() -> None:
            if window.services is None and window.services_error is None:
                window.root.after(50, look)
                return
            seen["title"] = window.root.title()
            seen["screen"] = screen_text(window.root)
            window.root.tk.eval(window.root.protocol("WM_DELETE_WINDOW"))  # the close box

        window.root.after(100, look)
        return window

    monkeypatch.setattr(gui, "create_window", create_window)
    assert app.main.main([]) == 0
    tk_errors.check()
    title, sign_in = expected
    assert seen["title"] == title
    assert sign_in in seen["screen"]
