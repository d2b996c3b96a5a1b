"""Any key and fingerprint round-trip through both stores (Hypothesis)."""

from __future__ import annotations

import uuid
from pathlib import Path

import anyio
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from easify_async.ledgers import Ledger, RedisLedger, SqliteLedger
from tests.limiters.conftest import RedisServer

pytestmark = pytest.mark.redis

TEXTS = st.text(st.characters(blacklist_categories=["Cs"]), min_size=1, max_size=40)


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(keys=st.lists(TEXTS, min_size=1, max_size=5, unique=True), digest=TEXTS)
def test_any_key_names_its_own_entry_with_its_fingerprint(
    tmp_path: Path, durable_redis: RedisServer, keys: list[str], digest: str
) -> None:
    """Any text as a key (braces, colons, any Unicode) names its own entry, on both stores,
    with the fingerprint it was claimed for; a claim of one key leaves the others free."""

    async def run() -> None:
        prefix = f"prop:{uuid.uuid4().hex}:"
        ledgers: list[Ledger] = [
            SqliteLedger(tmp_path / f"{uuid.uuid4().hex}.db"),
            RedisLedger(durable_redis.url, prefix=prefix),
        ]
        for ledger in ledgers:
            try:
                for key in keys:
                    assert await ledger.claim(key, digest + key, claimer="h") is None
                for key in keys:
                    entry = await ledger.entry(key)
                    assert entry is not None
                    assert (entry.key, entry.fingerprint, entry.claimer) == (key, digest + key, "h")
                    assert await ledger.release(key, claimer="h")
                    assert await ledger.entry(key) is None
            finally:
                await ledger.aclose()

    anyio.run(run)


SCALARS = st.one_of(st.text(max_size=8), st.integers(), st.none())
BODIES = st.dictionaries(st.text(max_size=8), SCALARS, max_size=4)
FILES = st.lists(st.tuples(st.text(max_size=4), st.binary(max_size=8)), max_size=2)


@settings(max_examples=200, deadline=None)
@given(a=BODIES, b=BODIES, files_a=FILES, files_b=FILES)
def test_a_fingerprint_is_the_request_and_route_nothing_else(
    a: dict[str, object], b: dict[str, object], files_a: list[tuple[str, bytes]],
    files_b: list[tuple[str, bytes]],
) -> None:  # fmt: skip
    """Two requests have one fingerprint exactly when their route, fields and files (name
    and bytes) are the same; another route with the same request has another."""
    from easify_async._encoding import Encoded
    from easify_async._idempotency import fingerprint
    from easify_async._routes import EMAIL_SEND, SMS_SEND

    def encoded(body: dict[str, object], files: list[tuple[str, bytes]]) -> Encoded[object]:
        return Encoded(json=body, files=[("media", f) for f in files] or None)

    same = (a, files_a) == (b, files_b)
    first = fingerprint(SMS_SEND, encoded(a, files_a))
    assert (first == fingerprint(SMS_SEND, encoded(b, files_b))) == same
    assert first != fingerprint(EMAIL_SEND, encoded(a, files_a))
