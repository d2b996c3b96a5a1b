"""RedisLimiter when Redis misbehaves: typed before a send, logged (never raised) after it."""

from __future__ import annotations

import logging
import math
import uuid

import httpx
import pytest
from redis.asyncio import Redis

from easify_async import ArgumentError, AsyncEasify, LimiterUnavailableError
from easify_async.limiters import MAX_PAUSE, RedisLimiter
from tests.fakes import SMS_SENT, Recorder, reply
from tests.limiters.conftest import RedisServer

pytestmark = [pytest.mark.anyio, pytest.mark.redis]

TOKEN = "1087|failures"


async def send(limiter: RedisLimiter, transport: httpx.AsyncBaseTransport) -> None:
    async with AsyncEasify(TOKEN, transport=transport, limiter=limiter) as easify:
        await easify.sms.send("3152930000", "+13151350000", message="hi")


async def test_a_read_only_replica_refuses_before_anything_is_sent(
    redis_replica: RedisServer,
) -> None:
    """Connected to a replica after a failover: LimiterUnavailableError, no request made."""
    recorder = Recorder()
    limiter = RedisLimiter(redis_replica.url)
    with pytest.raises(LimiterUnavailableError, match="ReadOnlyError"):
        await send(limiter, recorder.transport())
    await limiter.aclose()
    assert recorder.requests == []


async def test_a_script_error_refuses_before_anything_is_sent(redis_server: RedisServer) -> None:
    """A key of the wrong type makes the script fail: LimiterUnavailableError, nothing sent."""
    prefix = f"wrongtype-{uuid.uuid4().hex}:"
    client = Redis.from_url(redis_server.url)
    limiter = RedisLimiter(client, prefix=prefix)
    recorder = Recorder()
    async with AsyncEasify(TOKEN, transport=recorder.transport(), limiter=limiter) as easify:
        await easify.sms.send("3152930000", "+13151350000", message="first")
        keys = [k async for k in client.scan_iter(f"{prefix}*:slots")]
        await client.set(keys[0], "not a sorted set")  # another program wrote the key
        with pytest.raises(LimiterUnavailableError, match="ResponseError"):
            await easify.sms.send("3152930000", "+13151350001", message="second")
    await client.aclose()
    assert len(recorder.requests) == 1


async def test_a_redis_timeout_refuses_before_anything_is_sent(spare_redis: RedisServer) -> None:
    """Redis stalls past the client's socket timeout: LimiterUnavailableError, nothing sent."""
    client = Redis.from_url(spare_redis.url, socket_timeout=0.1)
    limiter = RedisLimiter(client)
    await client.ping()
    admin = Redis.from_url(spare_redis.url)
    await admin.execute_command("CLIENT", "PAUSE", "3000", "ALL")
    recorder = Recorder()
    with pytest.raises(LimiterUnavailableError, match="Timeout"):
        await send(limiter, recorder.transport())
    await admin.execute_command("CLIENT", "UNPAUSE")
    await admin.aclose()
    await client.aclose()
    assert recorder.requests == []


async def test_redis_demoted_while_the_send_was_out_leaves_the_send_a_success(
    redis_server: RedisServer, spare_redis: RedisServer, caplog: pytest.LogCaptureFixture
) -> None:
    """The release after an accepted SMS hits a read-only replica: logged, the SMS is sent."""
    admin = Redis.from_url(spare_redis.url)

    async def server(request: httpx.Request) -> httpx.Response:
        # The failover happens while the request is at the server.
        await admin.execute_command("REPLICAOF", "127.0.0.1", str(redis_server.port))
        return reply(200, SMS_SENT, **{"X-RateLimit-Remaining": "14"})

    limiter = RedisLimiter(spare_redis.url)
    with caplog.at_level(logging.WARNING, logger="easify_async"):
        async with AsyncEasify(
            TOKEN, transport=httpx.MockTransport(server), limiter=limiter
        ) as easify:
            sent = await easify.sms.send("3152930000", "+13151350000", message="hi")
    await admin.execute_command("REPLICAOF", "NO", "ONE")
    await admin.aclose()
    await limiter.aclose()
    assert sent.sms_id == "31529"
    assert "could not release" in caplog.text
    assert "ReadOnlyError" in caplog.text


async def test_a_pause_on_a_read_only_replica_is_logged_not_raised(
    redis_replica: RedisServer, caplog: pytest.LogCaptureFixture
) -> None:
    """pause follows a reply: a Redis failure there is a warning, not an exception."""
    limiter = RedisLimiter(redis_replica.url)
    with caplog.at_level(logging.WARNING, logger="easify_async"):
        await limiter.pause("k", 5.0)
    await limiter.aclose()
    assert "could not pause" in caplog.text


@pytest.mark.parametrize("asked", [1e9, math.inf, 3 * 365 * 86400.0])
async def test_a_pause_key_never_outlives_the_cap(redis_server: RedisServer, asked: float) -> None:
    """An absurd pause is stored as MAX_PAUSE at most: no 3-year key survives a restart."""
    prefix = f"cap-{uuid.uuid4().hex}:"
    limiter = RedisLimiter(redis_server.url, prefix=prefix)
    await limiter.pause("k", asked)
    client = Redis.from_url(redis_server.url)
    ttl = await client.pttl(f"{prefix}{{k}}:paused")
    await client.aclose()
    await limiter.aclose()
    assert 0 < ttl <= MAX_PAUSE * 1000


async def test_negative_pauses_are_none_and_nan_is_refused(redis_server: RedisServer) -> None:
    """pause(-5) holds nothing back; pause(NaN) is an ArgumentError before Redis is asked."""
    prefix = f"neg-{uuid.uuid4().hex}:"
    limiter = RedisLimiter(redis_server.url, prefix=prefix)
    await limiter.pause("k", -5.0)
    with pytest.raises(ArgumentError, match="NaN"):
        await limiter.pause("k", math.nan)
    lease = await limiter.acquire("k", limit=1, hold=1.0)  # not paused
    await lease.release(counted=False)
    await limiter.aclose()
