"""One blocking client shared by threads keeps every limit; an interrupted call holds
nothing; a forked child and a running event loop get a working call or a clear error,
never a hang."""

from __future__ import annotations

import asyncio
import multiprocessing
import signal
import threading
import time
import warnings
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
import trio

from easify_async import Easify, RateLimit, RateLimits
from easify_async.bulk import SmsMessage
from easify_async.sandbox import DEMO_FROM_NUMBER, DEMO_TOKEN, Sandbox
from tests._served import serving

PERIOD = 0.25  # the sandbox's minute: 200 sends at 15 a window take ~14 windows


def test_twenty_threads_share_one_client_with_no_429_and_no_duplicate() -> None:
    sandbox = Sandbox(period=PERIOD)
    with (
        serving(sandbox) as base_url,
        Easify(
            DEMO_TOKEN, base_url=base_url, rate_limits=RateLimits().scaled(PERIOD / 60)
        ) as easify,
    ):

        def send(n: int) -> str:
            return easify.sms.send(DEMO_FROM_NUMBER, f"+1315135{n:04d}", message=f"m{n}").sms_id

        with ThreadPoolExecutor(20) as pool:
            ids = list(pool.map(send, range(200)))
    assert sandbox.rejected_requests == 0
    assert len(set(ids)) == 200
    assert Counter(s.message for s in sandbox.sent_sms) == {f"m{n}": 1 for n in range(200)}


def _interrupt_main_after(seconds: float, signum: int = signal.SIGINT) -> None:
    def interrupt() -> None:
        time.sleep(seconds)
        signal.pthread_kill(threading.main_thread().ident or 0, signum)

    threading.Thread(target=interrupt, daemon=True).start()


@pytest.fixture(autouse=True)
def _ctrl_c_raises() -> Iterator[None]:
    """SIGINT raises KeyboardInterrupt, as in a script run from a terminal: a process
    started in the background by a shell (a CI runner's job may be) inherits SIGINT
    ignored, and Python then leaves it ignored."""
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    yield
    signal.signal(signal.SIGINT, previous)


class _TimeLimit(Exception):
    """What a task runner's time limit raises in the working thread (Celery's soft one)."""


def _time_limit(signum: int, frame: object) -> None:
    raise _TimeLimit


@pytest.mark.parametrize(
    ("signum", "raised"),
    [(signal.SIGINT, KeyboardInterrupt), (signal.SIGALRM, _TimeLimit)],
    ids=["ctrl-c", "time-limit"],
)
def test_an_interrupted_call_is_cancelled_and_holds_no_slot(
    signum: int, raised: type[BaseException]
) -> None:
    """One send a window: the second call waits for the slot and is interrupted. It never
    goes out, and the third call gets the slot the second was waiting for (were the
    interrupted task still queued, first come first served, it would go before it)."""
    assert threading.current_thread() is threading.main_thread()
    sandbox = Sandbox(period=2.0)
    limits = RateLimits(sms_send=RateLimit(1, 2.0), margin=0.0)
    previous = signal.signal(signal.SIGALRM, _time_limit)
    try:
        with Easify(DEMO_TOKEN, transport=sandbox.transport(), rate_limits=limits) as easify:
            easify.sms.send(DEMO_FROM_NUMBER, "+13151350000", message="first")
            _interrupt_main_after(0.1, signum)
            with pytest.raises(raised):
                easify.sms.send(DEMO_FROM_NUMBER, "+13151350001", message="interrupted")
            easify.sms.send(DEMO_FROM_NUMBER, "+13151350002", message="third")
            assert [s.message for s in sandbox.sent_sms] == ["first", "third"]
            time.sleep(2.5)  # past the window in which the interrupted send could go
    finally:
        signal.signal(signal.SIGALRM, previous)
    assert [s.message for s in sandbox.sent_sms] == ["first", "third"]


def test_a_bulk_run_interrupted_by_ctrl_c_stops_and_sends_nothing_more() -> None:
    sandbox = Sandbox(period=2.0)
    limits = RateLimits(sms_send=RateLimit(2, 2.0), margin=0.0)
    rows = [
        SmsMessage(from_number=DEMO_FROM_NUMBER, to_number=f"+1315135{n:04d}", message="Hi")
        for n in range(10)
    ]
    with Easify(DEMO_TOKEN, transport=sandbox.transport(), rate_limits=limits) as easify:
        results = []
        _interrupt_main_after(0.3)  # the first window's two are sent; the rest wait
        with pytest.raises(KeyboardInterrupt):
            results.extend(easify.sms.send_many(rows))
        sent = len(sandbox.sent_sms)
        time.sleep(2.5)
        assert len(sandbox.sent_sms) == sent == 2
        # The client still works after the interrupt.
        easify.sms.send(DEMO_FROM_NUMBER, "+13151359999", message="after")


def _child_uses_the_parents_client(easify: Easify, queue: Any) -> None:
    try:
        queue.put(("ok", easify.sms.send(DEMO_FROM_NUMBER, "+13151350001", message="child").sms_id))
        sub = easify.with_options(timeout=5.0)  # a with_options client made in the child
        queue.put(("ok", sub.v3.email.status("1")))
    except Exception as exc:
        queue.put((type(exc).__name__, str(exc)))
    easify.close()


def _fork(target: Any, *args: Any) -> int | None:
    context = multiprocessing.get_context("fork")
    with warnings.catch_warnings():
        # Python 3.12+ warns that forking a process with threads may deadlock: the
        # point of these tests is that the client does not.
        warnings.simplefilter("ignore", DeprecationWarning)
        child = context.Process(target=target, args=args)
        child.start()
    child.join(60)  # a hang guard, not a timing
    return child.exitcode


def test_a_client_made_before_fork_works_in_the_child_on_its_own_loop() -> None:
    """gunicorn --preload, Celery prefork: the module-level client of the parent sends
    from the child (made again there: its own loop thread, connections and limiter)."""
    sandbox = Sandbox()
    queue: Any = multiprocessing.get_context("fork").Queue()
    with serving(sandbox) as base_url, Easify(DEMO_TOKEN, base_url=base_url) as easify:
        as_sub = easify.with_options(max_retries=1)
        assert easify.sms.send(DEMO_FROM_NUMBER, "+13151350000", message="parent")
        easify.v3.email  # noqa: B018 - groups built in the parent are rebound in the child
        assert _fork(_child_uses_the_parents_client, as_sub, queue) == 0
        first = queue.get(timeout=5)
        assert first[0] == "ok", first
        kind, value = queue.get(timeout=5)
        assert kind in {"ok", "InvalidEmailIdError", "BadRequestError"}, value
        # The parent's client is untouched.
        assert easify.sms.send(DEMO_FROM_NUMBER, "+13151350002", message="parent again")
    assert [s.message for s in sandbox.sent_sms] == ["parent", "child", "parent again"]


def _child_of_a_client_with_a_transport(easify: Easify, queue: Any) -> None:
    try:
        easify.sms.status("1")
    except RuntimeError as exc:
        queue.put(("RuntimeError", str(exc)))
    else:  # pragma: no cover - the failure the test reports
        queue.put(("ok", ""))
    easify.close()  # forgets the parent's client, without waiting for its thread
    with Easify(DEMO_TOKEN, transport=Sandbox().transport()) as own:
        queue.put(("own", own.sms.send(DEMO_FROM_NUMBER, "+13151350000", message="Hi").sms_id))


def test_a_client_with_its_own_transport_fails_clearly_in_a_forked_child() -> None:
    """A transport (or limiter, or http_client) made in the parent cannot be carried into
    the child: the call says so and what to do, at once."""
    sandbox = Sandbox()
    queue: Any = multiprocessing.get_context("fork").Queue()
    with Easify(DEMO_TOKEN, transport=sandbox.transport()) as easify:
        easify.sms.status  # noqa: B018 - the group built in the parent, as a preloaded app has it
        assert _fork(_child_of_a_client_with_a_transport, easify, queue) == 0
        kind, message = queue.get(timeout=5)
        assert kind == "RuntimeError"
        assert "before a fork" in message
        assert "Create the client in the child" in message
        assert queue.get(timeout=5)[0] == "own"
        assert easify.phone_numbers.list()


def test_the_client_works_inside_a_running_asyncio_loop() -> None:
    """A notebook cell runs in a running loop: the call blocks that loop and answers."""
    sandbox = Sandbox()
    with Easify(DEMO_TOKEN, transport=sandbox.transport()) as easify:

        async def cell() -> str:
            return easify.sms.send(DEMO_FROM_NUMBER, "+13151350000", message="Hi").sms_id

        assert asyncio.run(cell()) == sandbox.sent_sms[0].sms_id

        async def trio_cell() -> int:
            return len(easify.phone_numbers.list())

        assert trio.run(trio_cell) == 1


def test_a_blocking_call_from_the_clients_own_loop_fails_at_once() -> None:
    """An on_progress callback runs on the client's loop thread: a blocking call there
    would wait for itself, so it fails at once, naming AsyncEasify."""
    sandbox = Sandbox()
    with Easify(DEMO_TOKEN, transport=sandbox.transport()) as easify:
        errors: list[BaseException] = []

        def progress(_: object) -> None:
            try:
                easify.sms.status("1")
            except RuntimeError as exc:
                errors.append(exc)

        row = SmsMessage(from_number=DEMO_FROM_NUMBER, to_number="+13151350000", message="Hi")
        done = threading.Event()

        def run() -> None:
            list(easify.sms.send_many([row], on_progress=progress))
            done.set()

        threading.Thread(target=run, daemon=True).start()
        assert done.wait(60)  # a hang guard: a deadlock would never set it
    assert len(errors) == 1
    assert "AsyncEasify" in str(errors[0])


def test_closing_the_client_during_other_threads_calls_ends_them_with_an_error() -> None:
    """A call waiting for a slot when another thread closes the client ends with a
    RuntimeError (the async client refuses what has not left), never a hang."""
    sandbox = Sandbox(period=60.0)
    limits = RateLimits(sms_send=RateLimit(1, 60.0))
    easify = Easify(DEMO_TOKEN, transport=sandbox.transport(), rate_limits=limits)
    easify.sms.send(DEMO_FROM_NUMBER, "+13151350000", message="first")
    errors: list[BaseException] = []

    def waiting() -> None:
        try:
            easify.sms.send(DEMO_FROM_NUMBER, "+13151350001", message="waits a minute")
        except BaseException as exc:
            errors.append(exc)

    thread = threading.Thread(target=waiting, daemon=True)
    thread.start()
    thread.join(0.3)
    easify.close()
    thread.join(30)  # a hang guard
    assert not thread.is_alive()
    assert len(errors) == 1
    assert isinstance(errors[0], RuntimeError), errors
    assert [s.message for s in sandbox.sent_sms] == ["first"]
