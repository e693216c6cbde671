"""GUI test fixtures: a private Xvfb screen, a Tk root that fails the test on any callback
error, an event pump, and screenshots a person can look at (artifacts/screenshots/)."""

from __future__ import annotations

import gc
import os
import shutil
import subprocess
import time
import tkinter as tk
import traceback
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from app import i18n
from tests.gui.fake_detalization import FakeDetalization

REPO = Path(__file__).resolve().parents[2]
SCREENSHOTS = REPO / "artifacts" / "screenshots"
SCREEN = "1280x800x24"


def _free_display() -> int:
    for number in range(90, 200):
        if not Path(f"/tmp/.X{number}-lock").exists() and not Path(
            f"/tmp/.X11-unix/X{number}"
        ).exists():
            return number
    raise RuntimeError("no free X display number between :90 and :199")


@pytest.fixture(scope="session")
def xvfb() -> Iterator[str]:
    """Start `Xvfb :N -screen 0 1280x800x24` for the session and point DISPLAY at it."""
    if shutil.which("Xvfb") is None:
        pytest.fail(
            "Xvfb is not installed; the GUI tests need it (Debian: apt-get install xvfb, "
            "or `make test-deps`).",
            pytrace=False,
        )
    previous = os.environ.get("DISPLAY")
    for _attempt in range(5):
        number = _free_display()
        process = subprocess.Popen(
            ["Xvfb", f":{number}", "-screen", "0", SCREEN, "-nolisten", "tcp", "-noreset"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        socket = Path(f"/tmp/.X11-unix/X{number}")
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and process.poll() is None and not socket.exists():
            time.sleep(0.05)
        if process.poll() is None and socket.exists():
            break
        process.kill()  # lost a race for that display number: try the next one
        process.wait()
    else:
        pytest.fail("Xvfb did not start (tried five display numbers).", pytrace=False)
    display = f":{number}"
    os.environ["DISPLAY"] = display
    try:
        yield display
    finally:
        process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
        if previous is None:
            os.environ.pop("DISPLAY", None)
        else:
            os.environ["DISPLAY"] = previous


class TkErrors:
    """Exceptions raised inside Tk callbacks (which Tk would otherwise only print)."""

    def __init__(self) -> None:
        self.reports: list[str] = []

    def __call__(self, kind: type[BaseException], value: BaseException, tb: object) -> None:
        self.reports.append("".join(traceback.format_exception(kind, value, tb)))

    def check(self) -> None:
        if self.reports:
            reports, self.reports = self.reports, []
            pytest.fail("A Tk callback raised:\n" + "\n".join(reports), pytrace=False)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item: pytest.Item, nextitem: pytest.Item | None) -> Iterator[None]:
    """Collect once more after pytest has let go of the test's fixture values (a window a
    fixture yielded lives until then): otherwise its Tk objects may be freed by a garbage
    collection that happens to run on a worker thread of a later test, and Tcl aborts."""
    yield
    gc.collect()


@pytest.fixture
def tk_errors() -> TkErrors:
    return TkErrors()


@pytest.fixture
def root(xvfb: str, tk_errors: TkErrors) -> Iterator[tk.Tk]:
    i18n.set_language("ru")
    root = tk.Tk(className="SalonConsoleTest")
    root.report_callback_exception = tk_errors  # type: ignore[assignment]
    root.geometry("1280x800+0+0")
    yield root
    try:
        root.update()
    finally:
        root.destroy()
        i18n.set_language("ru")
        # Collect the window's widgets here, on the Tk thread, not in a later worker thread.
        gc.collect()
    tk_errors.check()  # a callback error fails the test even if its asserts passed


@pytest.fixture
def pump(root: tk.Tk, tk_errors: TkErrors) -> Callable[..., None]:
    """pump(condition, timeout=5, what=...) processes Tk events until condition() is true."""

    def pump_until(
        condition: Callable[[], object], timeout: float = 5.0, what: str = "the condition"
    ) -> None:
        deadline = time.monotonic() + timeout
        while True:
            root.update()
            tk_errors.check()
            if condition():
                return
            if time.monotonic() > deadline:
                pytest.fail(f"timed out after {timeout} s waiting for {what}", pytrace=False)
            time.sleep(0.01)

    return pump_until


@pytest.fixture
def screenshot(root: tk.Tk) -> Callable[..., Path]:
    """screenshot(name, size=None) saves the screen (or its top-left size, e.g. '1024x700')."""

    def take(name: str, size: str | None = None) -> Path:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        for _ in range(5):  # let pending redraws reach the X server
            root.update()
            time.sleep(0.02)
        path = SCREENSHOTS / f"{name}.png"
        command = ["import", "-window", "root"]
        if size is not None:
            command += ["-crop", f"{size}+0+0", "+repage"]
        subprocess.run([*command, str(path)], check=True, timeout=30)
        assert path.stat().st_size > 0
        return path

    return take


@pytest.fixture
def fake(tmp_path: Path) -> FakeDetalization:
    """A detalization service stand-in that writes its documents under tmp_path."""
    return FakeDetalization(tmp_path / "documents")
