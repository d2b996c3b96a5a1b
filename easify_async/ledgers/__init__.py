"""Ledgers: where idempotency keys live, so that a call with a key acts at most once.

Pass one as ``AsyncEasify(ledger=...)`` and give a creating call an
``idempotency_key=``: the first call with the key claims it, sends, and records the
outcome; a later call with it returns the recorded result (or raises the recorded
refusal) without sending. `SqliteLedger` keeps keys in a file shared by the processes of
one machine; ``RedisLedger`` (extra ``redis``) in Redis, shared by a fleet. Anything that
implements the `Ledger` protocol can be passed. `reconcile` settles the keys whose
outcome is unknown from what the API recorded. See ``docs/guides/idempotency.md``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .._lazy import lazy_names
from ._entry import LedgerEntry, RecordedError, State
from ._protocol import Ledger
from ._reconcile import reconcile
from ._sqlite import SqliteLedger

if TYPE_CHECKING:
    from ._redis import RedisLedger

__all__ = [
    "Ledger",
    "LedgerEntry",
    "RecordedError",
    "RedisLedger",
    "SqliteLedger",
    "State",
    "reconcile",
]

# redis is an optional extra: RedisLedger (and redis with it) loads when asked for.
if not TYPE_CHECKING:
    __getattr__, __dir__ = lazy_names(globals(), {"RedisLedger": "._redis"})
