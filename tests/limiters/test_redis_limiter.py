"""RedisLimiter against a real redis-server: the LocalLimiter's semantics, shared."""

from __future__ import annotations

import collections
import random
import uuid

import anyio
import httpx
import pytest
from redis.asyncio import Redis, RedisCluster

from easify_async import AsyncEasify, LimiterUnavailableError, RateLimit, RateLimits
from easify_async.limiters import Lease, Limiter, RedisLimiter
from easify_async.sandbox import DEMO_FROM_NUMBER, DEMO_TOKEN, Sandbox
from tests.fakes import SMS_SENT, Recorder
from tests.limiters.conftest import RedisServer

pytestmark = [pytest.mark.anyio, pytest.mark.redis]


@pytest.fixture
def key() -> str:
    return uuid.uuid4().hex  # a fresh key per test: no state leaks between tests


async def warm(limiter: RedisLimiter, key: str, *, limit: int, hold: float) -> None:
    """Give ``key`` fresh word from a server that says nothing of its budget."""
    lease = await limiter.acquire(key, limit=limit, hold=hold)
    await lease.release(counted=False, replied=True)


async def taken_at_once(limiter: RedisLimiter, key: str, *, limit: int, hold: float) -> int:
    """How many slots of ``key`` can be taken without waiting long (they stay taken)."""
    count = 0
    while True:
        with anyio.move_on_after(0.2) as scope:
            await limiter.acquire(key, limit=limit, hold=hold)
        if scope.cancelled_caught:
            return count
        count += 1


async def test_it_is_a_limiter(redis_server: RedisServer) -> None:
    """RedisLimiter implements the Limiter protocol."""
    limiter = RedisLimiter(redis_server.url)
    assert isinstance(limiter, Limiter)
    await limiter.aclose()


async def test_never_more_than_limit_slots_across_instances(
    redis_server: RedisServer, key: str
) -> None:
    """Two limiters (two processes) share 3 slots: the fourth acquire waits."""
    first, second = RedisLimiter(redis_server.url), RedisLimiter(redis_server.url)
    await warm(first, key, limit=3, hold=60)
    held = [await first.acquire(key, limit=3, hold=60), await second.acquire(key, limit=3, hold=60),
            await first.acquire(key, limit=3, hold=60)]  # fmt: skip
    with anyio.move_on_after(0.3) as scope:
        await second.acquire(key, limit=3, hold=60)
    assert scope.cancelled_caught
    assert all(isinstance(lease, Lease) for lease in held)
    await first.aclose()
    await second.aclose()


async def test_an_uncounted_release_frees_at_once_and_a_counted_one_after_hold(
    redis_server: RedisServer, key: str
) -> None:
    """429'd slots come back immediately; counted ones only `hold` after the release."""
    limiter = RedisLimiter(redis_server.url)
    lease = await limiter.acquire(key, limit=1, hold=60)
    await lease.release(counted=False)
    lease = await limiter.acquire(key, limit=1, hold=60)  # at once
    await lease.release()
    with anyio.move_on_after(0.3) as scope:
        await limiter.acquire(key, limit=1, hold=60)
    assert scope.cancelled_caught
    short = f"{key}:short"
    lease = await limiter.acquire(short, limit=1, hold=0.2)
    await lease.release()
    with anyio.fail_after(5):
        await limiter.acquire(short, limit=1, hold=0.2)  # back after its 0.2 s hold
    await limiter.aclose()


async def test_a_pause_holds_back_every_process(redis_server: RedisServer, key: str) -> None:
    """A pause set by one limiter stops the other too, until it ends."""
    first, second = RedisLimiter(redis_server.url), RedisLimiter(redis_server.url)
    await first.pause(key, 60)
    with anyio.move_on_after(0.3) as scope:
        await second.acquire(key, limit=15, hold=60)
    assert scope.cancelled_caught
    await first.pause(f"{key}:brief", 0.2)
    with anyio.fail_after(5):
        await second.acquire(f"{key}:brief", limit=15, hold=60)
    await first.aclose()
    await second.aclose()


async def test_a_cold_key_lets_one_request_go_first_in_every_process(
    redis_server: RedisServer, key: str
) -> None:
    """No word from the server: another process waits for the probe's reply, then its credit."""
    first, second = RedisLimiter(redis_server.url), RedisLimiter(redis_server.url)
    probe = await first.acquire(key, limit=15, hold=60)
    got: list[Lease] = []
    async with anyio.create_task_group() as tg:

        async def wait_for_the_reply() -> None:
            with anyio.fail_after(5):  # woken by the probe's end, not a 60 s hold later
                got.append(await second.acquire(key, limit=15, hold=60))

        tg.start_soon(wait_for_the_reply)
        await anyio.sleep(0.3)
        assert got == []
        await probe.release(replied=True, remaining=3)
    # 3 left less the 0 in flight at the reply; the waiter took one of them.
    assert await taken_at_once(second, key, limit=15, hold=60) == 2
    assert await taken_at_once(first, key, limit=15, hold=60) == 0
    await first.aclose()
    await second.aclose()


async def test_a_later_reply_lowers_the_shared_credit_and_an_older_one_does_not_raise_it(
    redis_server: RedisServer, key: str
) -> None:
    """Remaining tracked in Redis: the least a reply said binds; in flight counts at the first."""
    limiter = RedisLimiter(redis_server.url)
    probe = await limiter.acquire(key, limit=15, hold=60)
    await probe.release(replied=True, remaining=10)
    out = [await limiter.acquire(key, limit=15, hold=60) for _ in range(3)]
    await out[0].release(replied=True, remaining=3)
    await out[1].release(replied=True, remaining=9)
    assert await taken_at_once(limiter, key, limit=15, hold=60) == 3
    short = f"{key}:in-flight"
    await warm(limiter, short, limit=15, hold=0.3)
    slow = [await limiter.acquire(short, limit=15, hold=0.3) for _ in range(2)]
    await anyio.sleep(0.4)  # the word went stale; those two are still in flight
    probe = await limiter.acquire(short, limit=15, hold=0.3)
    await probe.release(replied=True, remaining=5)
    assert await taken_at_once(limiter, short, limit=15, hold=0.3) == 3
    assert len(slow) == 2
    await limiter.aclose()


async def test_a_server_that_does_not_say_gets_the_full_burst(
    redis_server: RedisServer, key: str
) -> None:
    """A reply without X-RateLimit-Remaining: the other limit - 1 slots go at once."""
    limiter = RedisLimiter(redis_server.url)
    probe = await limiter.acquire(key, limit=5, hold=60)
    await probe.release(replied=True)
    assert await taken_at_once(limiter, key, limit=5, hold=60) == 4
    await limiter.aclose()


async def test_the_shared_cold_start_after_another_client_spent_twelve(
    redis_server: RedisServer,
) -> None:
    """Two processes through Redis fire 5 each into a 12-of-15 window: no 429."""
    sandbox = Sandbox(period=1.0)
    limits = RateLimits().scaled(1 / 60)
    prefix = f"cold-{uuid.uuid4().hex}:"

    async def fire(easify: AsyncEasify, first: int, count: int) -> None:
        async with anyio.create_task_group() as tg:
            for n in range(first, first + count):
                tg.start_soon(
                    lambda n=n: easify.sms.send(
                        DEMO_FROM_NUMBER, f"+1315135{n:04d}", message="hi", force_send=True
                    )
                )

    async with AsyncEasify(DEMO_TOKEN, transport=sandbox.transport(), rate_limits=limits) as other:
        await fire(other, 0, 12)
    limiters = [RedisLimiter(redis_server.url, prefix=prefix) for _ in range(2)]
    with anyio.fail_after(20):
        async with anyio.create_task_group() as tg:
            for index, limiter in enumerate(limiters):

                async def process(limiter: RedisLimiter = limiter, index: int = index) -> None:
                    async with AsyncEasify(
                        DEMO_TOKEN, transport=sandbox.transport(), rate_limits=limits,
                        limiter=limiter,
                    ) as easify:  # fmt: skip
                        await fire(easify, 100 + 5 * index, 5)

                tg.start_soon(process)
    for limiter in limiters:
        await limiter.aclose()
    assert sandbox.rejected_requests == 0
    assert len(sandbox.sent_sms) == 22


async def test_slots_of_a_dead_holder_expire(redis_server: RedisServer, key: str) -> None:
    """A process that never releases loses its slot after twice the hold, not forever."""
    dead = RedisLimiter(redis_server.url)
    await dead.acquire(key, limit=1, hold=0.2)  # never released: the holder "died"
    await dead.aclose()
    alive = RedisLimiter(redis_server.url)
    with anyio.fail_after(5):
        await alive.acquire(key, limit=1, hold=0.2)
    await alive.aclose()


async def test_waiters_in_a_process_are_served_in_order(
    redis_server: RedisServer, key: str
) -> None:
    """Queued acquires of one process get slots first come, first served."""
    limiter = RedisLimiter(redis_server.url)
    lease = await limiter.acquire(key, limit=1, hold=0.05)
    order: list[int] = []

    async def waiter(i: int) -> None:
        taken = await limiter.acquire(key, limit=1, hold=0.05)
        order.append(i)
        await taken.release()

    async with anyio.create_task_group() as tg:
        for i in range(4):
            tg.start_soon(waiter, i)
            await anyio.sleep(0.01)
        await lease.release()
    assert order == [0, 1, 2, 3]
    await limiter.aclose()


async def test_a_cancelled_waiter_takes_nothing(redis_server: RedisServer, key: str) -> None:
    """Cancelling a queued acquire leaves no slot taken."""
    limiter = RedisLimiter(redis_server.url)
    lease = await limiter.acquire(key, limit=1, hold=0.05)
    with anyio.move_on_after(0.02):
        await limiter.acquire(key, limit=1, hold=0.05)
    await lease.release(counted=False)
    with anyio.fail_after(1):
        await limiter.acquire(key, limit=1, hold=0.05)
    await limiter.aclose()


async def test_a_slot_freed_at_once_wakes_a_sleeping_waiter_elsewhere(
    redis_server: RedisServer, key: str
) -> None:
    """An uncounted release in one process wakes another's waiter now, not a hold later."""
    first, second = RedisLimiter(redis_server.url), RedisLimiter(redis_server.url)
    lease = await first.acquire(key, limit=1, hold=60)
    async with anyio.create_task_group() as tg:

        async def wait_for_the_slot() -> None:
            with anyio.fail_after(5):  # without the wake-up it would sleep a whole hold (60 s)
                await second.acquire(key, limit=1, hold=60)

        tg.start_soon(wait_for_the_slot)
        await anyio.sleep(0.2)  # the waiter is asleep on Redis's answer by now
        await lease.release(counted=False)
    await first.aclose()
    await second.aclose()


async def test_cancelling_at_any_moment_leaves_no_slot_behind(
    redis_server: RedisServer, key: str
) -> None:
    """Acquires cancelled at random points, even mid-script, never leave a slot taken."""
    limiter = RedisLimiter(redis_server.url, prefix="cancel:")
    rng = random.Random(6)
    for _ in range(300):
        lease = None
        with anyio.move_on_after(rng.uniform(0, 0.0015)):
            lease = await limiter.acquire(key, limit=1000, hold=60)
        if lease is not None:
            await lease.release(counted=False)
    client = Redis.from_url(redis_server.url)
    left = await client.zcard(f"cancel:{{{key}}}:slots")
    flying = await client.zcard(f"cancel:{{{key}}}:flight")
    probing = await client.exists(f"cancel:{{{key}}}:probe")
    await client.aclose()
    await limiter.aclose()
    assert (left, flying, probing) == (0, 0, 0)


async def test_a_sharer_with_a_shorter_hold_does_not_expire_held_slots(
    redis_server: RedisServer, key: str
) -> None:
    """A process with a shorter hold on the same key leaves the others' slots held."""
    patient, hasty = RedisLimiter(redis_server.url), RedisLimiter(redis_server.url)
    await (await patient.acquire(key, limit=2, hold=60)).release()  # held for 60 s
    await hasty.acquire(key, limit=2, hold=0.05)  # dies in flight: frees after 0.1 s
    await anyio.sleep(0.2)
    with anyio.move_on_after(0.3) as scope:
        await hasty.acquire(key, limit=1, hold=0.05)  # the 60-second slot is still held
    assert scope.cancelled_caught
    await patient.aclose()
    await hasty.aclose()


async def test_it_works_on_a_redis_cluster(redis_cluster: RedisServer, key: str) -> None:
    """On a Redis Cluster the scripts run (their keys share a slot) and wake-ups arrive."""
    client = RedisCluster.from_url(redis_cluster.url)
    first, second = RedisLimiter(client), RedisLimiter(client)
    lease = await first.acquire(key, limit=1, hold=60)
    async with anyio.create_task_group() as tg:

        async def wait_for_the_slot() -> None:
            with anyio.fail_after(5):  # a whole hold (60 s) without the pub/sub wake-up
                await first.acquire(key, limit=1, hold=60)

        tg.start_soon(wait_for_the_slot)
        await anyio.sleep(0.2)
        await lease.release(counted=False)
    await second.pause(key, 60)
    with anyio.move_on_after(0.3) as scope:
        await second.acquire(key, limit=1, hold=60)
    assert scope.cancelled_caught
    await client.aclose()


async def test_keys_hold_a_hash_never_the_token(redis_server: RedisServer) -> None:
    """Through the client, Redis sees the token's hash only."""
    token = f"1087|{uuid.uuid4()}"
    limiter = RedisLimiter(redis_server.url, prefix="leak-check:")
    async with AsyncEasify(token, transport=Recorder().transport(), limiter=limiter) as easify:
        await easify.sms.send("3152930000", "+13151350000", message="hi")
    client = Redis.from_url(redis_server.url)
    keys = [k.decode() async for k in client.scan_iter("leak-check:*")]
    await client.aclose()
    await limiter.aclose()
    assert keys
    assert all(token.split("|")[1] not in k and "1087" not in k for k in keys)


async def test_redis_going_away_is_a_clear_error_and_nothing_is_sent_twice(
    redis_server: RedisServer,
) -> None:
    """Redis down: LimiterUnavailableError, no request sent; after a restart work resumes."""
    recorder = Recorder()
    limiter = RedisLimiter(redis_server.url)
    limits = RateLimits(sms_send=RateLimit(15, 1.0), margin=0.01)
    async with AsyncEasify(
        "t", transport=recorder.transport(), limiter=limiter, rate_limits=limits
    ) as easify:
        await easify.sms.send("3152930000", "+13151350000", message="one")
        redis_server.stop()
        try:
            with pytest.raises(LimiterUnavailableError):
                await easify.sms.send("3152930000", "+13151350001", message="two")
        finally:
            redis_server.start()
        await easify.sms.send("3152930000", "+13151350002", message="three")
    await limiter.aclose()
    messages = [r.content for r in recorder.requests]
    assert len(messages) == 2
    assert b'"one"' in messages[0]
    assert b'"three"' in messages[1]


async def test_a_restart_mid_run_fails_sends_clearly_and_sends_nothing_twice(
    redis_server: RedisServer,
) -> None:
    """Redis restarting under 60 concurrent sends: each is sent once or refused unsent."""
    sent: collections.Counter[bytes] = collections.Counter()

    async def server(request: httpx.Request) -> httpx.Response:
        sent[await request.aread()] += 1
        await anyio.sleep(0.005)
        return httpx.Response(200, json=SMS_SENT)

    limiter = RedisLimiter(redis_server.url, prefix=f"restart-{uuid.uuid4().hex}:")
    limits = RateLimits(sms_send=RateLimit(15, 0.1), margin=0.01)
    succeeded: list[int] = []
    refused: list[int] = []
    async with AsyncEasify(
        "t", transport=httpx.MockTransport(server), limiter=limiter, rate_limits=limits
    ) as easify:

        async def one(n: int) -> None:
            try:
                await easify.sms.send("3152930000", f"+1315135{n:04d}", message=f"m{n}")
                succeeded.append(n)
            except LimiterUnavailableError:
                refused.append(n)

        try:
            async with anyio.create_task_group() as tg:
                for n in range(60):
                    tg.start_soon(one, n)
                while len(succeeded) < 20:
                    await anyio.sleep(0.005)
                await anyio.to_thread.run_sync(redis_server.stop)
                await anyio.sleep(0.05)
        finally:
            await anyio.to_thread.run_sync(redis_server.start)
        await easify.sms.send("3152930000", "+13151359999", message="after")  # recovered
    await limiter.aclose()
    print(f"\nrestart mid-run: {len(succeeded)} sent, {len(refused)} refused unsent")
    assert refused  # the outage was reported, not hidden
    assert set(sent.values()) == {1}
    assert len(sent) == len(succeeded) + 1


def test_trio_is_refused_clearly(redis_server: RedisServer) -> None:
    """Under trio, acquiring says plainly that RedisLimiter needs asyncio."""
    import trio

    limiter = RedisLimiter(redis_server.url)

    async def main() -> None:
        await limiter.acquire("k", limit=1, hold=1)

    with pytest.raises(RuntimeError, match="needs asyncio"):
        trio.run(main)
