"""What the fleet tests share (tests/ledgers/test_fleet.py, a hand-made Redis queue, and
tests/ledgers/test_celery_fleet.py, Celery): the jobs, the workers' clients, the end.

A job ``n`` sends one SMS (``"job n"``) with the idempotency key ``"job-n"``; every worker's
client shares one Redis ledger and one Redis limiter (the sandbox's minute scaled to
``PERIOD``). At the end, the ledger's ambiguous keys are settled by `ledgers.reconcile`
(from the SMS report, as a user would) and their jobs run again: each SMS is then sent
exactly once.
"""

from __future__ import annotations

import collections
from typing import Any

from easify_async import AsyncEasify, RateLimits
from easify_async.ledgers import RedisLedger, reconcile
from easify_async.limiters import RedisLimiter
from easify_async.sandbox import DEMO_FROM_NUMBER, DEMO_TOKEN, Sandbox

JOBS = 300
KILLS = 30
WORKERS = 3
PERIOD = 0.5  # the sandbox's minute: 15 SMS per half second


def job_sms(job: int | str) -> dict[str, Any]:
    """The arguments of job ``job``'s ``sms.send`` (async or blocking)."""
    return {
        "from_number": DEMO_FROM_NUMBER,
        "to_number": f"+1315135{int(job):04d}",
        "message": f"job {job}",
        "force_send": True,
        "idempotency_key": f"job-{job}",
    }


def worker_options(redis_url: str, prefix: str, period: float) -> dict[str, Any]:
    """A worker's client options: the shared ledger and limiter, the scaled limits.

    The lease is short (1 s) so that a killed claimer's key reads ambiguous soon, and a
    redelivered job waits (up to 10 s) for a live claimer's outcome rather than failing.
    """
    return {
        "ledger": RedisLedger(redis_url, prefix=f"{prefix}:ledger:", lease=1.0, wait=10.0),
        "limiter": RedisLimiter(redis_url, prefix=f"{prefix}:limits:"),
        "rate_limits": RateLimits().scaled(period / 60),
    }


def sends(sandbox: Sandbox) -> collections.Counter[str]:
    """How many times the sandbox received each message."""
    return collections.Counter(s.message for s in sandbox.sent_sms)


async def settle_and_run_again(
    sandbox: Sandbox, base_url: str, redis_url: str, prefix: str, ambiguous: list[int]
) -> None:
    """Settle the ledger's ambiguous keys with `reconcile` (every job reported ambiguous
    among them, none left unsettled), run those jobs again (each returns the recorded
    send, or sends the one that never went out), and check that every job's SMS was then
    sent exactly once."""
    ledger = RedisLedger(redis_url, prefix=f"{prefix}:ledger:")
    async with AsyncEasify(DEMO_TOKEN, base_url=base_url, ledger=ledger, rate_limits=None) as e:
        settlements = await reconcile(ledger, e, server_timezone="UTC")
        settled = {s.key: s for s in settlements}
        assert {f"job-{job}" for job in ambiguous} <= set(settled)
        assert [s for s in settlements if s.state == "maybe_sent"] == []
        ids = {s.message: s.sms_id for s in sandbox.sent_sms}
        for job in ambiguous:  # what the server recorded is what the reconcile found
            expected = ids.get(f"job {job}")
            assert settled[f"job-{job}"].state == ("not_sent" if expected is None else "sent")
            assert settled[f"job-{job}"].remote_id == expected
        for job in ambiguous:
            sent = await e.sms.send(**job_sms(job))
            assert sent.sms_id == {s.message: s.sms_id for s in sandbox.sent_sms}[f"job {job}"]
    await ledger.aclose()
    assert sorted(sends(sandbox).values()) == [1] * JOBS
