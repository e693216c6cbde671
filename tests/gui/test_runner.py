"""BackgroundRunner: work on a worker, answers on the Tk thread."""

from __future__ import annotations

import threading

from app.ui.runner import BackgroundRunner


def test_result_and_error_arrive_on_the_tk_thread(root, pump) -> None:
    runner = BackgroundRunner(root)
    seen: list[tuple[str, object, str]] = []
    worker_threads: list[str] = []

    def work() -> int:
        worker_threads.append(threading.current_thread().name)
        return 42

    def fail() -> int:
        raise ValueError("boom")

    runner.submit(work, lambda value: seen.append(("done", value, _thread())), _never)
    runner.submit(fail, _never, lambda error: seen.append(("error", error, _thread())))
    pump(lambda: len(seen) == 2, what="both answers")
    runner.shutdown()
    assert worker_threads[0].startswith("salon-worker")
    assert ("done", 42, "MainThread") in seen
    kinds = {kind: (value, thread) for kind, value, thread in seen}
    assert isinstance(kinds["error"][0], ValueError) and kinds["error"][1] == "MainThread"
    assert not runner.busy


def test_slow_work_does_not_block_the_tk_thread(root, pump) -> None:
    runner = BackgroundRunner(root)
    gate = threading.Event()
    done: list[str] = []
    runner.submit(lambda: gate.wait(5), lambda _ok: done.append("slow"), _never)
    runner.submit(lambda: "fast", done.append, _never)
    pump(lambda: done == ["fast"], what="the fast job while the slow one waits")
    assert runner.busy
    gate.set()
    pump(lambda: done == ["fast", "slow"], what="the slow job")
    runner.shutdown()


def test_a_failing_callback_is_reported_and_draining_continues(root, pump, tk_errors) -> None:
    runner = BackgroundRunner(root)
    done: list[int] = []

    def explode(_value: int) -> None:
        raise RuntimeError("callback bug")

    runner.submit(lambda: 1, explode, _never)
    runner.submit(lambda: 2, done.append, _never)
    for _ in range(200):
        root.update()
        if done:
            break
        threading.Event().wait(0.01)
    runner.shutdown()
    assert done == [2]
    assert len(tk_errors.reports) == 1 and "callback bug" in tk_errors.reports[0]
    tk_errors.reports.clear()  # expected here; any other callback error still fails


def test_after_shutdown_nothing_is_delivered(root) -> None:
    runner = BackgroundRunner(root)
    gate = threading.Event()
    delivered: list[object] = []
    runner.submit(lambda: gate.wait(5), delivered.append, delivered.append)
    runner.shutdown()
    gate.set()
    for _ in range(10):
        root.update()
        threading.Event().wait(0.01)
    assert delivered == []
    try:
        runner.submit(lambda: 1, delivered.append, delivered.append)
    except RuntimeError as error:
        assert "shut down" in str(error)
    else:
        raise AssertionError("submit after shutdown must refuse")


def _thread() -> str:
    return threading.current_thread().name


def _never(*_args: object) -> None:
    raise AssertionError("this callback must not run")


def test_an_answer_wakes_the_tk_thread_without_polling(root, pump) -> None:
    # Enter → card within 50 ms (DESIGN §9): the answer is drained the moment it comes, not
    # at the next tick of a timer (on POSIX, where Tk watches the runner's pipe).
    runner = BackgroundRunner(root)
    gate = threading.Event()
    done: list[str] = []
    runner.submit(lambda: gate.wait(5) and "card", done.append, _never)
    root.update()
    assert root.tk.call("after", "info") == ""  # no timer waits for the answer
    gate.set()
    pump(lambda: done == ["card"], what="the answer")
    runner.shutdown()
