"""The guard's own packing of a command is redis-py's, for what the guard sends."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from redis.asyncio.connection import Connection

from easify_async.webhooks._redis_batch import _pack

pytestmark = pytest.mark.redis  # run on every redis-py the lock has (CI: -m redis on 3.10)


@given(st.lists(st.text() | st.integers(min_value=-(2**63), max_value=2**63 - 1)))
def test_a_command_is_packed_as_redis_py_packs_it(arguments: list[str | int]) -> None:
    """EVALSHA's arguments, texts (any Unicode, as UTF-8) and whole numbers, byte for byte."""
    parts: list[str | int] = ["EVALSHA", *arguments]
    assert _pack(parts) == b"".join(Connection().pack_command(*parts))
