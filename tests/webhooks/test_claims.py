"""Two-phase claims at the receivers: a delivery still being handled answers 503."""

# No `from __future__ import annotations`: the receivers of test_receivers are FastAPI's.

import functools
import logging
import threading
import time

import anyio
import httpx
import pytest

from easify_async.webhooks import EmailEvent, MemoryReplayGuard, SmsEvent, _receive

from .test_receivers import APPS, BATCH, SECRET, SMS, Serve, signed

pytestmark = pytest.mark.anyio

BUSY = "delivery already being handled (claimed, not yet confirmed): deliver again later"


async def until(event: threading.Event) -> None:
    """Wait for ``event``, set from another thread (uvicorn serves in its own)."""
    while not event.is_set():
        await anyio.sleep(0.005)


class Gate:
    """A handler that records its events and waits, on its first call, to be let go."""

    def __init__(self) -> None:
        self.calls: list[list[str]] = []
        self.entered = threading.Event()
        self.release = threading.Event()

    async def __call__(self, events: SmsEvent | list[EmailEvent]) -> None:
        if isinstance(events, SmsEvent):
            self.calls.append([events.sms_id])
        else:
            self.calls.append([str(e.sg_event_id) for e in events])
        if len(self.calls) == 1:
            self.entered.set()
            await until(self.release)


@pytest.mark.parametrize(("serve", "anyio_backend"), APPS)
@pytest.mark.parametrize("path", ["/sms", "/email"])
async def test_a_duplicate_of_a_delivery_being_handled_answers_503_then_200(
    serve: Serve, path: str
) -> None:
    """While the first handling runs: 503 (Easify delivers again); after it: 200 duplicate."""
    gate = Gate()
    payload = SMS if path == "/sms" else BATCH
    firsts: list[httpx.Response] = []
    async with (
        serve(gate, gate, secret=SECRET, replay_guard=MemoryReplayGuard()) as origin,
        httpx.AsyncClient(base_url=origin) as client,
    ):

        async def first() -> None:
            firsts.append(await client.post(path, **signed(payload)))

        with anyio.fail_after(10):
            async with anyio.create_task_group() as tg:
                tg.start_soon(first)
                await until(gate.entered)
                during = await client.post(path, **signed(payload))
                gate.release.set()
            after = await client.post(path, **signed(payload))
    assert (during.status_code, during.json()["detail"]) == (503, BUSY)
    assert [r.status_code for r in firsts] == [200]
    assert (after.status_code, after.json()["detail"]) == (200, "duplicate delivery ignored")
    assert len(gate.calls) == 1


@pytest.mark.parametrize(("serve", "anyio_backend"), APPS)
async def test_a_batch_touching_an_event_being_handled_is_deferred_whole(serve: Serve) -> None:
    """e1 is being handled: a batch of e1 + e3 answers 503, and e3 is released for its retry."""
    gate = Gate()
    more = [BATCH[0], {"event": "delivered", "timestamp": int(time.time()), "sg_event_id": "e3"}]
    async with (
        serve(gate, gate, secret=SECRET, replay_guard=MemoryReplayGuard()) as origin,
        httpx.AsyncClient(base_url=origin) as client,
    ):
        with anyio.fail_after(10):
            async with anyio.create_task_group() as tg:
                tg.start_soon(functools.partial(client.post, "/email", **signed(BATCH[:1])))
                await until(gate.entered)
                during = await client.post("/email", **signed(more))
                gate.release.set()
            retry = await client.post("/email", **signed(more))
    assert during.status_code == 503
    assert retry.status_code == 200
    assert gate.calls == [["e1"], ["e3"]]


@pytest.mark.parametrize(("serve", "anyio_backend"), APPS)
async def test_an_event_twice_in_one_batch_is_handled_once(serve: Serve) -> None:
    """The same sg_event_id twice in a batch: one event handed over, 200, not busy with itself."""
    gate = Gate()
    gate.release.set()
    async with (
        serve(gate, gate, secret=SECRET, replay_guard=MemoryReplayGuard()) as origin,
        httpx.AsyncClient(base_url=origin) as client,
    ):
        answer = await client.post("/email", **signed([BATCH[0], BATCH[0], BATCH[1]]))
    assert answer.status_code == 200
    assert gate.calls == [["e1", "e2"]]


class HungRelease(MemoryReplayGuard):
    """A guard of the user's own whose store stops answering once handling failed."""

    async def forget(self, key: str) -> None:
        await anyio.sleep_forever()


@pytest.mark.parametrize(("serve", "anyio_backend"), APPS)
async def test_a_release_that_never_answers_is_cut_off_and_left_to_the_lease(
    serve: Serve, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """The handler fails and forget() hangs: the request still ends (500), logged at ERROR."""
    monkeypatch.setattr(_receive, "_SETTLE_TIMEOUT", 0.05)

    async def failing(events: object) -> None:
        raise RuntimeError("database down")

    async with (
        serve(failing, failing, secret=SECRET, replay_guard=HungRelease()) as origin,
        httpx.AsyncClient(base_url=origin) as client,
    ):
        with anyio.fail_after(10), caplog.at_level(logging.ERROR, "easify_async.webhooks"):
            answer = await client.post("/sms", **signed(SMS))
    assert answer.status_code == 500
    assert "could not forget sms:9:Delivered" in caplog.text
    assert "no answer within 0.05 s" in caplog.text
