"""RedisReplayGuard under load: the scripts of concurrent deliveries share round trips."""

from __future__ import annotations

import uuid

import anyio
import pytest
from redis.asyncio import Redis

from easify_async.webhooks import RedisReplayGuard, ReplayGuardUnavailableError
from tests.limiters.conftest import RedisServer

from .conftest import remembering
from .test_redis_memory import Counting

pytestmark = [pytest.mark.anyio, pytest.mark.redis]


async def together(guard: RedisReplayGuard, calls: list[list[str]]) -> list[object]:
    """``claim_many`` of each key list, all started in one turn of the loop; the answers."""
    answers: list[object] = [None] * len(calls)

    async def claim(index: int) -> None:
        answers[index] = (await guard.claim_many(calls[index]))[0]

    async with anyio.create_task_group() as tg:
        for index in range(len(calls)):
            tg.start_soon(claim, index)
    return answers


@pytest.mark.parametrize("anyio_backend", ["asyncio"])
async def test_sixteen_deliveries_at_once_claim_in_one_round_trip_and_confirm_in_one(
    spare_redis: RedisServer,
) -> None:
    """16 deliveries claiming at once: one write to Redis, each its own answer (a key two
    of them carry is the first's); their confirms at once: one more."""
    prefix = f"batch-{uuid.uuid4().hex}:"
    remembering(spare_redis.url, prefix)
    client = Redis.from_url(spare_redis.url, connection_class=Counting)
    guard = RedisReplayGuard(client, prefix=prefix)
    await guard.confirm_many(["warm"])
    await guard.claim_many(["warm"])  # connected, both scripts loaded
    calls = [[f"sms:{n}:Delivered"] for n in range(15)] + [["sms:0:Delivered", "sms:x:Sent"]]
    Counting.writes = 0
    answers = await together(guard, calls)
    claimed = Counting.writes
    Counting.writes = 0
    async with anyio.create_task_group() as tg:
        for keys in calls[:15]:
            tg.start_soon(guard.confirm_many, keys)
    assert (claimed, Counting.writes) == (1, 1)
    assert answers == [["new"]] * 15 + [["processing"]]
    assert (await guard.claim_many(["sms:3:Delivered"]))[0] == ["done"]
    await client.aclose()


@pytest.mark.parametrize("anyio_backend", ["asyncio"])
async def test_calls_batched_after_redis_forgot_its_scripts_still_run(
    spare_redis: RedisServer,
) -> None:
    """SCRIPT FLUSH (as a restart does): the batched call is refused, loaded, run."""
    prefix = f"noscript-{uuid.uuid4().hex}:"
    remembering(spare_redis.url, prefix)
    async with Redis.from_url(spare_redis.url) as client:
        guard = RedisReplayGuard(client, prefix=prefix)
        assert await together(guard, [["a"], ["b"]]) == [["new"], ["new"]]
        await client.script_flush()
        assert await together(guard, [["a"], ["c"], ["d"]]) == [["processing"], ["new"], ["new"]]


@pytest.mark.parametrize("anyio_backend", ["asyncio"])
async def test_a_batch_to_an_unreachable_redis_fails_every_caller_closed(
    spare_redis: RedisServer,
) -> None:
    """Redis gone: each delivery of the batch gets `ReplayGuardUnavailableError`."""
    from redis.asyncio.retry import Retry
    from redis.backoff import NoBackoff

    client = Redis.from_url(spare_redis.url, socket_connect_timeout=1, retry=Retry(NoBackoff(), 0))
    guard = RedisReplayGuard(client, prefix=f"gone-{uuid.uuid4().hex}:")
    spare_redis.stop()
    failures: list[BaseException] = []

    async def claim(key: str) -> None:
        try:
            await guard.claim_many([key])
        except ReplayGuardUnavailableError as exc:
            failures.append(exc)

    async with anyio.create_task_group() as tg:
        for key in "abc":
            tg.start_soon(claim, key)
    assert len(failures) == 3
    spare_redis.start()
    await client.aclose()


@pytest.mark.parametrize("anyio_backend", ["asyncio"])
async def test_deliveries_at_once_on_a_cluster_share_a_round_trip(
    redis_cluster: RedisServer,
) -> None:
    """The batch goes out as one script call to the keys' one slot (whatever redis-py's
    version: its cluster pipelines refuse EVALSHA before 8.2)."""
    from redis.asyncio import RedisCluster

    client = RedisCluster.from_url(redis_cluster.url)
    guard = RedisReplayGuard(client, prefix=f"cbatch-{uuid.uuid4().hex}:")
    calls = [[f"email:e{n}"] for n in range(5)] + [["email:e0"]]
    assert await together(guard, calls) == [["new"]] * 5 + [["processing"]]
    await client.aclose()


@pytest.mark.parametrize("anyio_backend", ["asyncio"])
@pytest.mark.parametrize("batch", [1, 3], ids=["alone", "batched"])
async def test_a_connection_redis_closed_is_retried_once_by_the_guard(
    spare_redis: RedisServer, batch: int
) -> None:
    """Redis restarted under the pooled connection: the next deliveries are answered, not
    refused with 503, even with redis-py's own retries off (redis-py 8.1 does not retry
    such a call)."""
    from redis.asyncio.retry import Retry
    from redis.backoff import NoBackoff

    prefix = f"killed-{uuid.uuid4().hex}:"
    remembering(spare_redis.url, prefix)
    client = Redis.from_url(spare_redis.url, retry=Retry(NoBackoff(), 0))
    guard = RedisReplayGuard(client, prefix=prefix)
    assert await together(guard, [["warm"]]) == [["new"]]
    spare_redis.stop()
    spare_redis.start()
    remembering(spare_redis.url, prefix)
    keys = [[f"sms:{n}:Sent"] for n in range(batch)]
    assert await together(guard, keys) == [["new"]] * batch
    await client.aclose()


async def evalsha_calls(admin: Redis) -> int:
    """The EVALSHA commands Redis has run (its INFO commandstats)."""
    stats = await admin.info("commandstats")
    return int(stats.get("cmdstat_evalsha", {}).get("calls", 0))


@pytest.mark.parametrize("anyio_backend", ["asyncio"])
async def test_deliveries_at_once_are_one_command_each_way(spare_redis: RedisServer) -> None:
    """Sixteen deliveries claiming at once are one call of the claim script, their
    confirms one more: redis-py's work is per command, not per delivery."""
    prefix = f"merged-{uuid.uuid4().hex}:"
    remembering(spare_redis.url, prefix)
    async with Redis.from_url(spare_redis.url) as client, Redis.from_url(spare_redis.url) as admin:
        guard = RedisReplayGuard(client, prefix=prefix)
        await guard.confirm_many(["warm"])
        await guard.claim_many(["warm"])  # both scripts loaded
        calls = [[f"sms:{n}:Delivered"] for n in range(16)]
        before = await evalsha_calls(admin)
        assert await together(guard, calls) == [["new"]] * 16
        claimed = await evalsha_calls(admin) - before
        async with anyio.create_task_group() as tg:
            for keys in calls:
                tg.start_soon(guard.confirm_many, keys)
        assert (claimed, await evalsha_calls(admin) - before - claimed) == (1, 1)
        assert await together(guard, calls[:2]) == [["done"]] * 2


@pytest.mark.parametrize("anyio_backend", ["asyncio"])
async def test_each_delivery_of_a_merged_claim_is_claimed_as_if_alone(
    spare_redis: RedisServer,
) -> None:
    """In one claim call: a delivery stops at a key held by a lease (the one before it
    took it) and claims none of its later keys; the deliveries after it go on."""
    prefix = f"groups-{uuid.uuid4().hex}:"
    remembering(spare_redis.url, prefix)
    async with Redis.from_url(spare_redis.url) as client:
        guard = RedisReplayGuard(client, prefix=prefix)
        await guard.confirm_many(["done"])
        answers = await together(guard, [["a"], ["done", "a", "b"], [], ["c", "done"]])
        assert answers == [["new"], ["done", "processing"], [], ["new", "done"]]
        assert await together(guard, [["b"]]) == [["new"]]  # never claimed above


@pytest.mark.parametrize("anyio_backend", ["asyncio"])
async def test_calls_made_while_a_round_trip_is_out_leave_together_after_it(
    spare_redis: RedisServer,
) -> None:
    """Redis holds the first claim (CLIENT PAUSE); the five deliveries that come
    meanwhile wait for it and then go as one command, not five."""
    prefix = f"queued-{uuid.uuid4().hex}:"
    remembering(spare_redis.url, prefix)
    async with Redis.from_url(spare_redis.url) as client, Redis.from_url(spare_redis.url) as admin:
        guard = RedisReplayGuard(client, prefix=prefix)
        await guard.claim_many(["warm"])  # connected, the script loaded
        before = await evalsha_calls(admin)
        answers: list[object] = []

        async def claim(key: str) -> None:
            answers.append((await guard.claim_many([key]))[0])

        await admin.client_pause(2000, all=False)  # writes, scripts included, wait
        async with anyio.create_task_group() as tg:
            tg.start_soon(claim, "first")
            await anyio.wait_all_tasks_blocked()  # the first claim is out, held
            for n in range(5):
                tg.start_soon(claim, f"then-{n}")
            await anyio.wait_all_tasks_blocked()
            await admin.client_unpause()
        assert answers == [["new"]] * 6
        assert await evalsha_calls(admin) - before == 2


@pytest.mark.parametrize("anyio_backend", ["asyncio"])
async def test_a_round_trip_past_its_deadline_fails_its_callers_closed_and_the_next_goes(
    spare_redis: RedisServer,
) -> None:
    """Redis holds the claims (CLIENT PAUSE) past the deadline: each caller fails closed
    then, not when Redis answers; once Redis answers again, so does the guard."""
    prefix = f"late-{uuid.uuid4().hex}:"
    remembering(spare_redis.url, prefix)
    async with Redis.from_url(spare_redis.url) as client, Redis.from_url(spare_redis.url) as admin:
        guard = RedisReplayGuard(client, prefix=prefix)
        await guard.claim_many(["warm"])  # connected, the script loaded
        guard._batcher._deadline = 0.2
        failures: list[str] = []

        async def claim(key: str) -> None:
            with pytest.raises(ReplayGuardUnavailableError) as caught:
                await guard.claim_many([key])
            failures.append(str(caught.value))

        await admin.client_pause(5000, all=False)  # writes, scripts included, wait
        with anyio.fail_after(2):  # not the 5 s of the pause
            async with anyio.create_task_group() as tg:
                for key in ("a", "b"):
                    tg.start_soon(claim, key)
        await admin.client_unpause()
        assert len(failures) == 2
        assert all("no answer within 0.2 s" in failure for failure in failures)
        assert (await guard.claim_many(["c"]))[0] == ["new"]


@pytest.mark.parametrize("anyio_backend", ["asyncio"])
async def test_a_confirm_whose_caller_is_cancelled_while_it_waits_is_made(
    spare_redis: RedisServer,
) -> None:
    """The request confirming is cancelled while Redis holds the round trip: the key is
    confirmed all the same (the receivers rely on it instead of a shielded scope)."""
    prefix = f"cancelled-{uuid.uuid4().hex}:"
    remembering(spare_redis.url, prefix)
    async with Redis.from_url(spare_redis.url) as client, Redis.from_url(spare_redis.url) as admin:
        guard = RedisReplayGuard(client, prefix=prefix)
        assert (await guard.claim_many(["k"]))[0] == ["new"]
        await admin.client_pause(2000, all=False)
        async with anyio.create_task_group() as tg:
            tg.start_soon(guard.confirm_many, ["k"])
            await anyio.wait_all_tasks_blocked()
            tg.cancel_scope.cancel()
        await admin.client_unpause()
        with anyio.fail_after(5):
            while await admin.get(f"{prefix}k") != b"done":
                await anyio.sleep(0.01)


@pytest.mark.parametrize("anyio_backend", ["asyncio"])
async def test_claims_confirms_and_releases_at_once_are_one_command(
    spare_redis: RedisServer,
) -> None:
    """Deliveries confirming, releasing and claiming in one turn: one EVALSHA carries them
    all, the confirms and releases before the claims (a claim finds the outcome)."""
    prefix = f"mixed-{uuid.uuid4().hex}:"
    remembering(spare_redis.url, prefix)
    async with Redis.from_url(spare_redis.url) as client, Redis.from_url(spare_redis.url) as admin:
        guard = RedisReplayGuard(client, prefix=prefix)
        assert await together(guard, [["handled"], ["failed"]]) == [["new"], ["new"]]
        before = await evalsha_calls(admin)
        answers: list[object] = [None, None, None]

        async def claim(index: int, key: str) -> None:
            answers[index] = (await guard.claim_many([key]))[0]

        async with anyio.create_task_group() as tg:
            tg.start_soon(guard.confirm_many, ["handled"])
            tg.start_soon(guard.forget_many, ["failed"])
            tg.start_soon(claim, 0, "handled")
            tg.start_soon(claim, 1, "failed")
            tg.start_soon(claim, 2, "other")
        assert await evalsha_calls(admin) - before == 1
        assert answers == [["done"], ["new"], ["new"]]


@pytest.mark.parametrize("anyio_backend", ["asyncio"])
async def test_a_guard_keeps_one_connection_of_the_pool_and_gives_it_back_on_aclose(
    spare_redis: RedisServer,
) -> None:
    """Its round trips go over one connection it keeps (none taken from the pool and given
    back each time): a pool of one is the guard's until `aclose`."""
    from redis.asyncio import BlockingConnectionPool
    from redis.exceptions import ConnectionError as RedisConnectionError

    prefix = f"kept-{uuid.uuid4().hex}:"
    remembering(spare_redis.url, prefix)
    pool = BlockingConnectionPool.from_url(spare_redis.url, max_connections=1, timeout=0.2)
    async with Redis(connection_pool=pool) as client:
        guard = RedisReplayGuard(client, prefix=prefix)
        assert await together(guard, [["a"], ["b"]]) == [["new"], ["new"]]
        await guard.confirm_many(["a"])
        with pytest.raises(RedisConnectionError):
            await client.get(f"{prefix}a")
        await guard.aclose()
        assert await client.get(f"{prefix}a") == b"done"
        assert (await guard.claim_many(["a"]))[0] == ["done"]  # it takes one again
        await guard.aclose()
    await pool.aclose()  # a pool passed in is the caller's to close


@pytest.mark.parametrize("anyio_backend", ["asyncio"])
async def test_a_confirm_made_as_its_claim_returns_joins_the_next_round_trip(
    spare_redis: RedisServer,
) -> None:
    """A claim held by Redis (CLIENT PAUSE) while another is queued: when its answer
    comes, its delivery (handled at once) confirms in the round trip that carries the
    queued claim, not in one more after it."""
    prefix = f"joined-{uuid.uuid4().hex}:"
    remembering(spare_redis.url, prefix)
    async with Redis.from_url(spare_redis.url) as client, Redis.from_url(spare_redis.url) as admin:
        guard = RedisReplayGuard(client, prefix=prefix)
        await guard.claim_many(["warm"])  # connected, the script loaded
        before = await evalsha_calls(admin)

        async def deliver(key: str) -> None:
            assert (await guard.claim_many([key]))[0] == ["new"]
            await guard.confirm_many([key])

        await admin.client_pause(2000, all=False)
        async with anyio.create_task_group() as tg:
            tg.start_soon(deliver, "first")
            await anyio.wait_all_tasks_blocked()  # the first claim is out, held
            tg.start_soon(deliver, "second")
            await anyio.wait_all_tasks_blocked()
            await admin.client_unpause()
        assert await evalsha_calls(admin) - before == 3  # not 4
        assert await together(guard, [["first"], ["second"]]) == [["done"], ["done"]]


@pytest.mark.parametrize("anyio_backend", ["asyncio"])
async def test_aclose_waits_for_a_confirm_whose_request_is_gone(spare_redis: RedisServer) -> None:
    """A receiver stopping: the confirm of a cancelled request, held by Redis (CLIENT
    PAUSE), is made before `aclose` returns, not lost with the connection."""
    prefix = f"closing-{uuid.uuid4().hex}:"
    remembering(spare_redis.url, prefix)
    async with Redis.from_url(spare_redis.url) as admin:
        guard = RedisReplayGuard(spare_redis.url, prefix=prefix)
        assert (await guard.claim_many(["k"]))[0] == ["new"]
        await admin.client_pause(300, all=False)
        async with anyio.create_task_group() as tg:
            tg.start_soon(guard.confirm_many, ["k"])
            await anyio.wait_all_tasks_blocked()
            tg.cancel_scope.cancel()
        with anyio.fail_after(5):
            await guard.aclose()
        assert await admin.get(f"{prefix}k") == b"done"
