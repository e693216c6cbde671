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
from contextlib import ExitStack, contextmanager
from pathlib import Path

import pytest

from app import i18n
from tests.gui.fake_detalization import FakeDetalization

REPO = Path(__file__).resolve().parents[2]
SCREENSHOTS = REPO / "artifacts" / "screenshots"
SCREEN = "1280x800x24"
# The counters' screens the window must fit (issue 12): a laptop's, an old square monitor's,
# a full-HD one's.
COUNTER_SCREENS = ("1366x768", "1280x1024", "1920x1080")


def _free_display() -> int:
    for number in range(90, 200):
        if not Path(f"/tmp/.X{number}-lock").exists() and not Path(
            f"/tmp/.X11-unix/X{number}"
        ).exists():
            return number
    raise RuntimeError("no free X display number between :90 and :199")


@contextmanager
def xvfb_screen(size: str) -> Iterator[str]:
    """A private `Xvfb :N -screen 0 <size>` (e.g. "1366x768x24") for as long as the block
    runs; yields its display name (":N"). DISPLAY is left alone."""
    if shutil.which("Xvfb") is None:
        pytest.fail(
            "Xvfb is not installed; the GUI tests need it (Debian: apt-get install xvfb, "
            "or `make test-deps`).",
            pytrace=False,
        )
    for _attempt in range(5):
        number = _free_display()
        process = subprocess.Popen(
            ["Xvfb", f":{number}", "-screen", "0", size, "-nolisten", "tcp", "-noreset"],
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
    try:
        yield f":{number}"
    finally:
        process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()


@pytest.fixture(scope="session")
def xvfb() -> Iterator[str]:
    """Start `Xvfb :N -screen 0 1280x800x24` for the session and point DISPLAY at it."""
    previous = os.environ.get("DISPLAY")
    with xvfb_screen(SCREEN) as display:
        os.environ["DISPLAY"] = display
        try:
            yield display
        finally:
            if previous is None:
                os.environ.pop("DISPLAY", None)
            else:
                os.environ["DISPLAY"] = previous


class Screens:
    """Xvfb screens of other sizes than the session's (a counter's 1366x768, 1280x1024,
    1920x1080), each started on first use and kept for the session."""

    def __init__(self, stack: ExitStack) -> None:
        self._stack = stack
        self._displays: dict[str, str] = {}

    def display(self, size: str) -> str:
        """The display name of a screen `size` ("1366x768") wide and high."""
        if size not in self._displays:
            self._displays[size] = self._stack.enter_context(xvfb_screen(f"{size}x24"))
        return self._displays[size]


@pytest.fixture(scope="session")
def screens() -> Iterator[Screens]:
    with ExitStack() as stack:
        yield Screens(stack)


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


@contextmanager
def tk_root(tk_errors: TkErrors, display: str | None = None) -> Iterator[tk.Tk]:
    """A Tk root in Russian on `display` (None: $DISPLAY) that reports callback errors to
    `tk_errors`; destroyed, and the errors checked, when the block ends."""
    i18n.set_language("ru")
    root = tk.Tk(screenName=display, className="SalonConsoleTest")
    root.report_callback_exception = tk_errors  # type: ignore[assignment]
    try:
        yield root
    finally:
        try:
            root.update()
        finally:
            root.destroy()
            i18n.set_language("ru")
            # Collect the window's widgets here, on the Tk thread, not in a later worker
            # thread.
            gc.collect()
    tk_errors.check()  # a callback error fails the test even if its asserts passed


@pytest.fixture
def root(xvfb: str, tk_errors: TkErrors) -> Iterator[tk.Tk]:
    with tk_root(tk_errors) as root:
        root.geometry("1280x800+0+0")
        yield root


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
        command = ["import", "-display", root.winfo_screen(), "-window", "root"]
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
