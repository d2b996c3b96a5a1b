"""What the client needs from a limiter, so that users can bring their own store."""

from __future__ import annotations

from typing import Protocol, runtime_checkable

__all__ = ["Lease", "Limiter"]


@runtime_checkable
class Lease(Protocol):
    """One taken slot. Release it exactly once, when the attempt is over."""

    async def release(self, *, counted: bool = True, exhausted: bool = False) -> None:
        """Give the slot back.

        Args:
            counted: ``False`` when the server certainly did not count the request (it
                answered 429): the slot is free at once. Otherwise the slot stays taken
                for ``hold`` seconds from now, because the server's window may have
                started as late as the moment the response left it.
            exhausted: the server said no budget is left (``X-RateLimit-Remaining: 0``).
                When this limiter holds fewer than ``limit`` slots, someone else shares
                the token, and the key is paused for ``hold`` seconds.
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
    * while a key is paused no slot of it is handed out;
    * waiters of one key are served first come, first served, and a waiter that is
      cancelled takes nothing with it.

    `LocalLimiter` keeps slots in process memory; `RedisLimiter` shares them between
    processes.
    """

    async def acquire(self, key: str, *, limit: int, hold: float) -> Lease:
        """Wait for a slot of ``key`` and take it."""
        ...

    async def pause(self, key: str, seconds: float) -> None:
        """Hand out no slot of ``key`` for ``seconds`` (the server asked us to wait)."""
        ...

    async def aclose(self) -> None:
        """Free what the limiter holds (connections); slots of others are not touched."""
        ...
