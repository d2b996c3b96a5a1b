"""RedisReplayGuard knows what its store remembers, in one round trip per phase: a store
that lost its keys refuses the replays it can no longer tell, one that kept them does."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

import anyio
import httpx
import pytest
from redis.asyncio import Connection, Redis

from easify_async.webhooks import EmailEvent, RedisReplayGuard, SmsEvent
from tests.limiters.conftest import RedisServer

from .conftest import remembering
from .test_receivers import SECRET, Serve, aiohttp_app, fastapi_app, signed
from .test_redis_guard import aclose_on

pytestmark = [pytest.mark.anyio, pytest.mark.redis]

SERVERS = pytest.mark.parametrize("serve", [fastapi_app, aiohttp_app], ids=["fastapi", "aiohttp"])
TOO_OLD = "older than the replay guard's memory"


def sms_now(sms_id: str) -> dict[str, str]:
    """An SMS status event created now (``created_at`` in UTC, as a string without zone)."""
    created = time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime())
    return {"sms_id": sms_id, "status": "Delivered", "created_at": created}


def batch_at(timestamp: int, *ids: str) -> list[dict[str, Any]]:
    """An email batch of one ``open`` event per id, each of ``timestamp``."""
    return [{"event": "open", "timestamp": timestamp, "sg_event_id": i} for i in ids]


class Receiver:
    """Callbacks recording what they handled, and the loop the guard's connections live on."""

    def __init__(self) -> None:
        self.handled: list[str] = []
        self.loops: list[asyncio.AbstractEventLoop] = []

    async def on_sms(self, event: SmsEvent) -> None:
        self.handled.append(event.sms_id)
        self.loops.append(asyncio.get_running_loop())

    async def on_email(self, events: list[EmailEvent]) -> None:
        self.handled.extend(str(e.sg_event_id) for e in events)
        self.loops.append(asyncio.get_running_loop())

    async def close(self, client: Redis) -> None:
        """Close ``client`` on the loop that used it (uvicorn serves on its own)."""
        await aclose_on(self.loops[0] if self.loops else asyncio.get_running_loop(), client)


def lose_restart(server: RedisServer) -> None:
    """A restart of a redis-server without persistence: it comes back empty."""
    server.stop()
    server.start()


def lose_flushall(server: RedisServer) -> None:
    """FLUSHALL: every key of every database gone."""
    from redis import Redis as SyncRedis

    with SyncRedis.from_url(server.url) as client:
        client.flushall()


@pytest.mark.parametrize("anyio_backend", ["asyncio"])
@pytest.mark.parametrize("lose", [lose_restart, lose_flushall], ids=["restart", "flushall"])
@SERVERS
async def test_a_store_that_lost_its_keys_refuses_the_replays_of_what_it_handled(
    serve: Serve, lose: Callable[[RedisServer], None], spare_redis: RedisServer
) -> None:
    """Handled, then Redis loses everything: the replays (fresh timestamps) answer 401 and
    nothing is handled twice; the guard no longer takes its empty store for a full one."""
    prefix = f"lost-{uuid.uuid4().hex}:"
    remembering(spare_redis.url, prefix)  # a store in use for long
    receiver, client = Receiver(), Redis.from_url(spare_redis.url)
    guard = RedisReplayGuard(client, prefix=prefix)
    sms, batch = sms_now("41"), batch_at(int(time.time()), "e41", "e42")
    async with (
        serve(receiver.on_sms, receiver.on_email, secret=SECRET, replay_guard=guard) as origin,
        httpx.AsyncClient(base_url=origin) as http,
    ):
        firsts = [
            await http.post("/sms", **signed(sms)),
            await http.post("/email", **signed(batch)),
        ]
        lose(spare_redis)
        replays = [
            await http.post("/sms", **signed(sms)),
            await http.post("/email", **signed(batch)),
        ]
        await receiver.close(client)
    assert [r.status_code for r in firsts + replays] == [200, 200, 401, 401]
    assert all(TOO_OLD in r.json()["detail"] for r in replays)
    assert receiver.handled == ["41", "e41", "e42"]
    async with Redis.from_url(spare_redis.url) as admin:  # the refused claims were released
        assert await admin.keys(f"{prefix}sms:*") + await admin.keys(f"{prefix}email:*") == []


@pytest.mark.parametrize("anyio_backend", ["asyncio"])
@SERVERS
async def test_a_store_restarted_with_its_append_only_file_still_tells_replays_from_news(
    serve: Serve, restartable_redis: RedisServer
) -> None:
    """With persistence the marker and keys survive: a replay is a duplicate, a fresh
    delivery is handled."""
    prefix = f"kept-{uuid.uuid4().hex}:"
    remembering(restartable_redis.url, prefix)
    receiver, client = Receiver(), Redis.from_url(restartable_redis.url)
    guard = RedisReplayGuard(client, prefix=prefix)
    sms, batch = sms_now("51"), batch_at(int(time.time()), "e51")
    async with (
        serve(receiver.on_sms, receiver.on_email, secret=SECRET, replay_guard=guard) as origin,
        httpx.AsyncClient(base_url=origin) as http,
    ):
        await http.post("/sms", **signed(sms))
        await http.post("/email", **signed(batch))
        lose_restart(restartable_redis)
        replays = [
            await http.post("/sms", **signed(sms)),
            await http.post("/email", **signed(batch)),
        ]
        fresh = await http.post("/sms", **signed(sms_now("52")))
        await receiver.close(client)
    assert [r.json()["detail"] for r in replays] == ["duplicate delivery ignored"] * 2
    assert (fresh.status_code, receiver.handled) == (200, ["51", "e51", "52"])
    async with Redis.from_url(restartable_redis.url) as admin:
        assert await admin.get(f"{prefix}since") == b"0"  # kept, not written anew


@pytest.mark.parametrize("anyio_backend", ["asyncio"])
@SERVERS
async def test_a_new_store_remembers_from_its_marker_to_the_second(
    serve: Serve, spare_redis: RedisServer
) -> None:
    """No marker: written at first use (Redis's clock, the next second), events from before
    it + margin + tolerance refused. Then exactly at that limit passes, a second before not."""
    prefix = f"new-{uuid.uuid4().hex}:"
    receiver, client = Receiver(), Redis.from_url(spare_redis.url)
    guard = RedisReplayGuard(client, prefix=prefix)
    admin = Redis.from_url(spare_redis.url)
    async with (
        serve(receiver.on_sms, receiver.on_email, secret=SECRET, replay_guard=guard) as origin,
        httpx.AsyncClient(base_url=origin) as http,
    ):
        before = time.time()
        first = await http.post("/email", **signed(batch_at(int(before), "e61")))
        marker = int(await admin.get(f"{prefix}since"))
        after = time.time()
        # A store in use since an hour ago (a week's retention, so the marker decides):
        # remembers_since is the marker + 60 s (clocks), the email tolerance is 300 s.
        since = int(time.time()) - 3600
        await admin.set(f"{prefix}since", since)
        limit = since + 60 + 300
        at_limit = await http.post("/email", **signed(batch_at(limit, "e62")))
        before_limit = await http.post("/email", **signed(batch_at(limit - 1, "e63")))
        await receiver.close(client)
    await admin.aclose()
    assert before < marker <= after + 1
    assert (first.status_code, at_limit.status_code, before_limit.status_code) == (401, 200, 401)
    assert TOO_OLD in first.json()["detail"]
    assert receiver.handled == ["e62"]


@pytest.mark.parametrize("anyio_backend", ["asyncio"])
async def test_every_guard_sharing_a_store_reads_the_marker_the_first_one_wrote(
    spare_redis: RedisServer,
) -> None:
    """Another process's guard does not write its own marker over the first one's."""
    prefix = f"shared-{uuid.uuid4().hex}:"
    first = RedisReplayGuard(spare_redis.url, prefix=prefix)
    claims, since = await first.claim_many(["a", "b"])
    assert claims == ["new", "new"]
    async with Redis.from_url(spare_redis.url) as admin:
        await admin.set(f"{prefix}since", int(since) - 60 - 1000)  # time passes
        other = RedisReplayGuard(spare_redis.url, prefix=prefix)
        assert await other.remembers_since() == since - 1000
        assert await other.claim_many(["c", "a", "d"]) == (["new", "processing"], since - 1000)
        assert await admin.exists(f"{prefix}d") == 0  # stopped at the key being handled
    await first.aclose()
    await other.aclose()


class Counting(Connection):
    """A redis-py connection counting what it sends: one write, then its answers, per
    round trip (a pipeline's commands go in one write)."""

    writes = 0

    async def send_packed_command(self, command: Any, check_health: bool = True) -> None:
        Counting.writes += 1
        await super().send_packed_command(command, check_health)


async def round_trips(
    deliver: Awaitable[httpx.Response], admin: Redis, confirmed: list[str]
) -> tuple[int, int]:
    """(the delivery's answer, how many round trips to Redis it took), once the keys
    ``confirmed`` are (FastAPI confirms after the answer is sent)."""
    Counting.writes = 0
    answer = await deliver
    with anyio.fail_after(10):
        while confirmed and set(await admin.mget(confirmed)) != {b"done"}:
            await anyio.sleep(0.005)
    return answer.status_code, Counting.writes


@pytest.mark.parametrize("anyio_backend", ["asyncio"])
@SERVERS
async def test_a_delivery_takes_one_round_trip_to_claim_and_one_to_confirm(
    serve: Serve, spare_redis: RedisServer
) -> None:
    """An 11-event batch: 2 round trips to Redis (was 22); an SMS: 2; a replayed batch: 1."""
    prefix = f"trips-{uuid.uuid4().hex}:"
    remembering(spare_redis.url, prefix)
    receiver = Receiver()
    client = Redis.from_url(spare_redis.url, connection_class=Counting)
    guard = RedisReplayGuard(client, prefix=prefix)
    now = int(time.time())
    batch = batch_at(now, *(f"e7{n:02d}" for n in range(11)))
    async with (
        serve(receiver.on_sms, receiver.on_email, secret=SECRET, replay_guard=guard) as origin,
        httpx.AsyncClient(base_url=origin) as http,
        Redis.from_url(spare_redis.url) as admin,
    ):
        keys = [f"{prefix}email:{event['sg_event_id']}" for event in batch]
        sms = f"{prefix}sms:71:Delivered"
        warm_up = [f"{prefix}sms:70:Delivered"]  # connects, loads the scripts
        await round_trips(http.post("/sms", **signed(sms_now("70"))), admin, warm_up)
        counted = [
            await round_trips(http.post("/email", **signed(batch)), admin, keys),
            await round_trips(http.post("/sms", **signed(sms_now("71"))), admin, [sms]),
            await round_trips(http.post("/email", **signed(batch)), admin, []),
        ]
        await receiver.close(client)
    assert counted == [(200, 2), (200, 2), (200, 1)]
    assert len(receiver.handled) == 1 + 11 + 1


@pytest.mark.parametrize("anyio_backend", ["asyncio"])
async def test_a_delivery_s_keys_share_one_slot_on_a_cluster(redis_cluster: RedisServer) -> None:
    """On a cluster the prefix becomes the keys' hash tag: a batch's claims stay one script
    (keys in several slots would be refused as CROSSSLOT)."""
    from redis.asyncio import RedisCluster

    client = RedisCluster.from_url(redis_cluster.url)
    prefix = f"slots-{uuid.uuid4().hex}:"
    guard = RedisReplayGuard(client, prefix=prefix)
    keys = [f"email:e{n}" for n in range(11)]
    claims, _ = await guard.claim_many(keys)
    assert claims == ["new"] * 11
    await guard.confirm_many(keys)
    assert (await guard.claim_many(keys))[0] == ["done"] * 11
    assert await client.exists(f"{{{prefix}}}email:e0") == 1
    tagged = RedisReplayGuard(client, prefix="{mine}:x:")  # a tag of its own is kept
    assert await tagged.claim_many(keys) == (["new"] * 11, await tagged.remembers_since())
    await client.aclose()


@pytest.mark.parametrize("anyio_backend", ["asyncio"])
@pytest.mark.parametrize("marker", ["yesterday", "nan", "inf"])
async def test_a_marker_that_is_no_unix_time_fails_closed(
    marker: str, spare_redis: RedisServer
) -> None:
    """A marker someone else wrote, unreadable as a time: unavailable (503), not guessed."""
    from easify_async.webhooks import ReplayGuardUnavailableError

    prefix = f"garbled-{uuid.uuid4().hex}:"
    async with Redis.from_url(spare_redis.url) as admin:
        await admin.set(f"{prefix}since", marker)
    guard = RedisReplayGuard(spare_redis.url, prefix=prefix)
    with pytest.raises(ReplayGuardUnavailableError, match="since is not a UNIX time"):
        await guard.claim_many(["a"])
    with pytest.raises(ReplayGuardUnavailableError, match="since is not a UNIX time"):
        await guard.remembers_since()
    await guard.aclose()
