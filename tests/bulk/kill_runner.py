"""A bulk run in its own process, for the kill tests: prints one JSON line per result.

Usage: python -m tests.bulk.kill_runner [--contacts] [--backend trio]
           BASE_URL TOKEN TARGET JOURNAL COUNT PERIOD [CONCURRENCY]

TARGET is the sender number of an SMS run, or the group id of a contact import
(``--contacts``). PERIOD scales the client's rate limits to a minute of that many
seconds; ``none`` turns client-side limiting off, so the server's 429s pace the run.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import AsyncGenerator, Iterator
from typing import Any

import anyio

from easify_async import AsyncEasify, RateLimits
from easify_async.bulk import BulkResult, NewContact, SmsMessage


def sms_run(
    easify: AsyncEasify, target: str, count: int, **options: Any
) -> AsyncGenerator[Any, None]:
    items = (
        SmsMessage(
            from_number=target,
            to_number=f"+1315135{n:04d}",
            message=f"item {n}",
            key=f"k{n}",
            force_send=True,
        )
        for n in range(count)
    )
    return easify.sms.send_many(items, **options)


def contacts_run(
    easify: AsyncEasify, target: str, count: int, **options: Any
) -> AsyncGenerator[Any, None]:
    items: Iterator[NewContact] = (
        NewContact(
            group_id=int(target),
            first_name=f"item {n}",
            phone_number=f"+1315135{n:04d}",
            key=f"k{n}",
        )
        for n in range(count)
    )
    return easify.contacts.create_many(items, **options)


async def main(arguments: argparse.Namespace) -> None:
    period = None if arguments.period == "none" else float(arguments.period)
    limits = None if period is None else RateLimits().scaled(period / 60.0)
    run = contacts_run if arguments.contacts else sms_run
    async with AsyncEasify(
        arguments.token, base_url=arguments.base_url, rate_limits=limits
    ) as easify:
        results = run(
            easify,
            arguments.target,
            arguments.count,
            journal=arguments.journal,
            concurrency=arguments.concurrency,
        )
        async for result in results:
            assert isinstance(result, BulkResult)
            print(json.dumps({"key": result.key, "outcome": result.outcome.value}), flush=True)


def parse(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="kill_runner")
    parser.add_argument("--contacts", action="store_true")
    parser.add_argument("--backend", default="asyncio", choices=["asyncio", "trio"])
    for name in ("base_url", "token", "target", "journal"):
        parser.add_argument(name)
    parser.add_argument("count", type=int)
    parser.add_argument("period")
    parser.add_argument("concurrency", type=int, nargs="?")
    return parser.parse_args(argv)


if __name__ == "__main__":
    parsed = parse()
    anyio.run(main, parsed, backend=parsed.backend)
