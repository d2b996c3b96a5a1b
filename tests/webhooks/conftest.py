"""Fixtures of the webhook tests: the limiter tests' real redis-server and cluster, shared;
a redis-server of a test's own, with or without an append-only file."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.limiters.conftest import (
    RedisServer,
    _free_port,
    _redis_binary,
    redis_cluster,
    redis_server,
    spare_redis,
)

__all__ = ["redis_cluster", "redis_server", "remembering", "restartable_redis", "spare_redis"]


@pytest.fixture
def restartable_redis(tmp_path: Path) -> Iterator[RedisServer]:
    """A redis-server of the test's own with an append-only file: its keys outlive a restart."""
    server = RedisServer(
        _redis_binary(),
        _free_port(),
        tmp_path,
        options=("--appendonly", "yes", "--appendfsync", "always"),
    )
    server.start()
    yield server
    server.stop()


def remembering(url: str, prefix: str, since: int = 0) -> None:
    """Mark the store of the guard with ``prefix`` as remembering since ``since`` (UNIX
    time): as one in use for long, whose fresh events are not older than its memory."""
    from redis import Redis

    with Redis.from_url(url) as client:
        client.set(f"{prefix}since", since)
