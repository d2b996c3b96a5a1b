"""The Redis client of a shared part (limiter, replay guard, ledger): the user's, or one
made from a URL that the part then owns and closes."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ._extras import needs_extra

if TYPE_CHECKING:
    from redis.asyncio import Redis, RedisCluster

__all__ = ["client_of"]


def client_of(
    url_or_client: str | Redis | RedisCluster, *, part: str
) -> tuple[Redis | RedisCluster, bool]:
    """The client ``part`` (``"RedisLimiter"``...) sends through, and whether it is the
    part's to close (made here from a URL).

    Raises:
        MissingExtraError: redis is not installed (the ``redis`` extra), naming ``part``.
    """
    with needs_extra("redis", part):
        from redis.asyncio import Redis

    if isinstance(url_or_client, str):
        return Redis.from_url(url_or_client), True
    return url_or_client, False
