"""Fixtures of the webhook tests: the limiter tests' real redis-server and cluster, shared."""

from __future__ import annotations

from tests.limiters.conftest import redis_cluster, redis_server

__all__ = ["redis_cluster", "redis_server"]
