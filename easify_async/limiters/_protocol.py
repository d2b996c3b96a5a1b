"""What the client needs from a limiter, so that users can bring their own store."""

from __future__ import annotations

from typing import Protocol, runtime_checkable

__all__ = ["Lease", "Limiter"]


@runtime_checkable
class Lease(Protocol):
    """One taken slot. Release it exactly once, when the attempt is over."""

    async def release(
        self, *, counted: bool = True, replied: bool = False, remaining: int | None = None
    ) -> None:
        """Give the slot back. Never raises for a store failure (it logs): the request may
        have been sent, and failing it now would invite a resend.

        Args:
            counted: ``False`` when the server certainly did not count the request (it
                answered 429): the slot is free at once. Otherwise the slot stays taken
                for ``hold`` seconds from now, because the server's window may have
                started as late as the moment the response left it.
            replied: the server answered (not with a 429): its word on the key's budget is
                fresh until ``hold`` seconds after the first such reply, by which time the
                window it spoke of has closed.
            remaining: that reply's ``X-RateLimit-Remaining``, the requests the server
                still takes in its current window; ``None`` when it did not say.
        """
        ...


@runtime_checkable
class Limiter(Protocol):
    """A store of rate-limit slots keyed by token hash and endpoint.

    Semantics every implementation keeps, so that a Laravel fixed window (anchored at
    its first counted request) can never be exceeded whatever the latency:

    * at most ``limit`` slots of a key are taken at once;
    * a slot is taken before the request is sent and stays taken until ``hold`` seconds
      (the period plus a margin) after the attempt ended, see `Lease.release`;
    * the server's word is learnt: a key with no fresh word (no reply within a hold, or
      a pause since) hands out one slot and no other until that lease is released, so
      that its reply sizes the burst. While the word is fresh, no more slots are handed
      out than that reply's ``remaining`` less those then in flight, nor than any later
      reply's ``remaining`` (a server that does not say leaves ``limit`` alone);
    * while a key is paused no slot of it is handed out; a pause is at most `MAX_PAUSE`
      (300 s), a negative one is none, and NaN is refused with `ArgumentError`;
    * waiters of one key are served first come, first served, and a waiter that is
      cancelled takes nothing with it.

    `LocalLimiter` keeps slots in process memory; `RedisLimiter` shares them between
    processes.
    """

    async def acquire(self, key: str, *, limit: int, hold: float) -> Lease:
        """Wait for a slot of ``key`` and take it."""
        ...

    async def pause(self, key: str, seconds: float) -> None:
        """Hand out no slot of ``key`` for ``seconds`` (the server asked us to wait).

        The server's word on the key is void after a pause: the next slot is a probe.
        Never raises for a store failure (it logs): it follows a request already answered.
        """
        ...

    async def aclose(self) -> None:
        """Free what the limiter holds (connections); slots of others are not touched."""
        ...
