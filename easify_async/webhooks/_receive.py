"""What a webhook endpoint does with a delivery, whatever the framework around it."""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from types import TracebackType
from typing import Protocol, cast

import anyio
from attrs import frozen

from ._errors import (
    EventTooOldError,
    MalformedPayloadError,
    ReplayGuardUnavailableError,
    WebhookVerificationError,
)
from ._events import EmailEvent, SmsEvent
from ._replay import Claim, MemoryReplayGuard, ReplayGuard, event_key
from ._verify import Body, SigningKeys, check_not_before, email_events, sms_event

__all__ = ["Receipt", "Settle", "receive_email", "receive_sms"]

logger = logging.getLogger("easify_async.webhooks")

# How long confirming or releasing claims may take once handling is over; past it the
# claims are left to their lease, the outcome either way if the store is down.
_SETTLE_TIMEOUT = 10.0
_BUSY = "delivery already being handled (claimed, not yet confirmed): deliver again later"


@frozen
class Receipt:
    """How to answer a delivery, and its new events (none for a refusal or a replay).

    Attributes:
        status: 200 (new events, or a replay), 400 (malformed), 401 (bad signature or
            time, or an event older than the guard remembers), 503 (the guard's store is
            down, or another request is handling one of the events: Easify should
            deliver again later).
        keys: the replay-guard keys claimed for ``events``, to confirm or forget.
    """

    status: int
    detail: str
    events: tuple[SmsEvent | EmailEvent, ...] = ()
    keys: tuple[str, ...] = ()


def _refused(error: WebhookVerificationError | ReplayGuardUnavailableError) -> Receipt:
    if isinstance(error, ReplayGuardUnavailableError):
        logger.error("webhook delivery answered 503: %s", error)
        return Receipt(503, str(error))
    return Receipt(400 if isinstance(error, MalformedPayloadError) else 401, str(error))


class _ManyAtOnce(Protocol):
    # What a guard may add to `ReplayGuard` to take a delivery's keys together, one round
    # trip each for a shared store (`RedisReplayGuard` does); see `claim_many`.
    async def claim_many(self, keys: Sequence[str]) -> tuple[list[Claim], float]: ...
    async def confirm_many(self, keys: Sequence[str]) -> None: ...
    async def forget_many(self, keys: Sequence[str]) -> None: ...


async def _claim_all(guard: ReplayGuard, keys: list[str]) -> tuple[list[Claim], float]:
    # The claims in order, stopping after the first "processing", and `remembers_since`
    # read after them (with `claim_many`, together: the store's memory as it claimed).
    if hasattr(guard, "claim_many"):  # a runtime Protocol check would cost microseconds
        return await cast(_ManyAtOnce, guard).claim_many(keys)
    claims: list[Claim] = []
    try:
        for key in keys:
            claims.append(await guard.claim(key))
            if claims[-1] == "processing":
                break
        return claims, await guard.remembers_since()
    except BaseException:
        await _settle(_claimed(keys, claims), guard, handled=False)  # for nothing handled
        raise


def _claimed(keys: list[str], claims: list[Claim]) -> list[str]:
    # Shorter claims than keys: the claiming stopped at a key another handling holds.
    return [key for key, claim in zip(keys, claims, strict=False) if claim == "new"]


async def _claim(
    events: list[SmsEvent] | list[EmailEvent], guard: ReplayGuard, tolerance: float
) -> Receipt:
    keyed = [(event_key(event), event) for event in events]
    keys = list(dict.fromkeys(key for key, _ in keyed))  # twice in one batch: handled once
    claims, since = await _claim_all(guard, keys)
    claimed = _claimed(keys, claims)
    try:
        # Checked after claiming, against the memory the claims were made in (one round
        # trip for a shared store): the keys of a refused delivery are released.
        not_before = _not_before(since, tolerance)
        for event in events:
            check_not_before(event, not_before)
    except EventTooOldError:
        await _settle(claimed, guard, handled=False)
        raise
    if "processing" in claims:
        # Answering 200 would end Easify's retries while that other handling may still
        # fail (this may be the retry of a first attempt that timed out): the whole
        # delivery comes again later, when the other handling is over, one way or the other.
        await _settle(claimed, guard, handled=False)
        logger.info("webhook delivery answered 503: %s", _BUSY)
        return Receipt(503, _BUSY)
    fresh = set(claimed)
    new: list[SmsEvent | EmailEvent] = []
    for key, event in keyed:
        if key in fresh:
            fresh.discard(key)  # the first of an event twice in the batch
            new.append(event)
    detail = "ok" if claimed else "duplicate delivery ignored"
    return Receipt(200, detail, tuple(new), tuple(claimed))


# An event's first delivery reached us no earlier than its signed time, give or take the
# clock difference the timestamp check allows: so an event from `remembers_since` plus
# the tolerance on was, if delivered before, delivered while the guard remembers. Equal
# passes: `remembers_since` is itself a time from which every key confirmed is kept
# (Redis's marker is strictly after the store's start, then 60 s more for the clocks).
def _not_before(since: float, tolerance: float) -> float:
    return since + tolerance


async def receive_sms(
    body: Body,
    headers: Mapping[str, str],
    *,
    keys: SigningKeys,
    tolerance: float,
    guard: ReplayGuard,
    max_bytes: int,
) -> Receipt:
    """Verify an SMS delivery; keep its event unless the guard has seen it."""
    try:
        event = sms_event(body, headers, keys=keys, tolerance=tolerance, max_bytes=max_bytes)
        return await _claim([event], guard, tolerance)
    except (WebhookVerificationError, ReplayGuardUnavailableError) as error:
        return _refused(error)


async def receive_email(
    body: Body,
    headers: Mapping[str, str],
    *,
    keys: SigningKeys,
    tolerance: float,
    guard: ReplayGuard,
    max_bytes: int,
) -> Receipt:
    """Verify an email batch; keep the events the guard has not seen."""
    try:
        events = email_events(body, headers, keys=keys, tolerance=tolerance, max_bytes=max_bytes)
        return await _claim(events, guard, tolerance)
    except (WebhookVerificationError, ReplayGuardUnavailableError) as error:
        return _refused(error)


async def _settle(keys: Sequence[str], guard: ReplayGuard, *, handled: bool) -> None:
    if not keys:
        return
    many = getattr(guard, "confirm_many" if handled else "forget_many", None)
    one = guard.confirm if handled else guard.forget
    if type(guard) is MemoryReplayGuard:
        # It never suspends, so it can neither be cancelled midway nor hang: no scope
        # (about a tenth of what a receiver adds to a delivery).
        for key in keys:
            await one(key)
        return
    if many is not None and getattr(guard, "_SETTLES_WHEN_CANCELLED", False):
        # A guard that makes its calls whether or not its caller still waits, each
        # bounded (`RedisReplayGuard`): what the scope below gives, without its cost (a
        # tenth of the guard's). A cancelled request stops waiting; the confirm or
        # release is made all the same.
        try:
            await many(keys)
        except ReplayGuardUnavailableError as exc:
            for key in keys:
                _settle_failed(key, handled, str(exc))
        return
    # All keys at once with the batch methods, else one by one: a key that fails does
    # not keep the others from being settled.
    batches = [list(keys)] if many is not None else [[key] for key in keys]
    settled = 0
    # Shielded: a handling cancelled after it succeeded was still handled, and one
    # cancelled before was not. Bounded: a hung store must not hold the request forever.
    with anyio.CancelScope(shield=True, deadline=anyio.current_time() + _SETTLE_TIMEOUT):
        for batch in batches:
            try:
                await (many(batch) if many is not None else one(batch[0]))
            except ReplayGuardUnavailableError as exc:
                for key in batch:
                    _settle_failed(key, handled, str(exc))
            settled += len(batch)
    for key in keys[settled:]:  # cut off by the deadline
        _settle_failed(key, handled, f"no answer within {_SETTLE_TIMEOUT:g} s")


def _settle_failed(key: str, handled: bool, reason: str) -> None:
    if handled:
        logger.error(
            "could not confirm %s after it was handled; a redelivery after its lease "
            "runs out would be handled again: %s",
            key,
            reason,
        )
    else:
        logger.error(
            "could not forget %s after its handling failed; Easify's retry of it is "
            "answered 503 until the lease runs out, then handled: %s",
            key,
            reason,
        )


class Settle:
    """Confirm the receipt's keys once their events are handled, or forget them if the
    handling fails (or is cancelled), so that Easify's retry gets through.

    A class, not a generator-based context manager: it is entered on every delivery,
    and contextlib's generator machinery cost a tenth of what an adapter adds.
    """

    __slots__ = ("_guard", "_keys")

    def __init__(self, receipt: Receipt, guard: ReplayGuard) -> None:
        self._keys = receipt.keys
        self._guard = guard

    async def __aenter__(self) -> None:
        return None

    async def __aexit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await _settle(self._keys, self._guard, handled=kind is None)
