"""One SMS sent with an idempotency key, in its own process, for the kill tests.

Usage: python -m tests.ledgers.send_runner BASE_URL STORE WHERE KEY LEASE

STORE is ``sqlite`` (WHERE: the ledger's file) or ``redis`` (WHERE: its URL). Prints the
result's data as one JSON line.
"""

from __future__ import annotations

import json
import sys

import anyio

from easify_async import AsyncEasify, to_dict
from easify_async.ledgers import Ledger, RedisLedger, SqliteLedger
from easify_async.sandbox import DEMO_FROM_NUMBER, DEMO_TOKEN


async def main(base_url: str, store: str, where: str, key: str, lease: float) -> None:
    ledger: Ledger = (
        SqliteLedger(where, lease=lease) if store == "sqlite" else RedisLedger(where, lease=lease)
    )
    async with AsyncEasify(DEMO_TOKEN, base_url=base_url, ledger=ledger) as easify:
        sent = await easify.sms.send(
            DEMO_FROM_NUMBER, "+13151350000", message="Hi", idempotency_key=key
        )
    await ledger.aclose()
    print(json.dumps(to_dict(sent)), flush=True)


if __name__ == "__main__":
    base_url, store, where, key, lease = sys.argv[1:]
    anyio.run(main, base_url, store, where, key, float(lease))
