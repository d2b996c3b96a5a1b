"""Fixtures of the webhook tests: the limiter tests' real redis-server, shared."""

from __future__ import annotations

from tests.limiters.conftest import redis_server

__all__ = ["redis_server"]
