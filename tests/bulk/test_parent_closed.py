"""A with_options child's journaled bulk run when its parent closes: what went out is
answered, what never left is NOT_SENT and a resume sends it, nothing is MAYBE_SENT."""

from __future__ import annotations

import contextlib
import sqlite3
from collections import Counter
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest

from easify_async import AsyncEasify, RateLimits
from easify_async.bulk import Outcome, SmsMessage
from easify_async.sandbox import DEMO_FROM_NUMBER, DEMO_TOKEN, Sandbox
from tests._served import served

pytestmark = pytest.mark.anyio

PERIOD = 0.5  # the sandbox's minute: the 30 rows take two windows
LIMITS = RateLimits().scaled(PERIOD / 60)
ROWS = [
    SmsMessage(
        from_number=DEMO_FROM_NUMBER, to_number=f"+1315135{n:04d}", message="Hi", key=f"k{n}"
    )
    for n in range(30)
]


@asynccontextmanager
async def parent(sandbox: Sandbox, where: str) -> AsyncIterator[AsyncEasify]:
    """The main user's client, in process or over uvicorn; closed by the test itself."""
    if where == "uvicorn":
        async with served(sandbox) as base_url:
            yield AsyncEasify(DEMO_TOKEN, base_url=base_url, rate_limits=LIMITS)
    else:
        async with sandbox:
            yield AsyncEasify(DEMO_TOKEN, transport=sandbox.transport(), rate_limits=LIMITS)


def journal_states(path: Path) -> Counter[str]:
    with contextlib.closing(sqlite3.connect(path)) as db:
        return Counter(state for (state,) in db.execute("SELECT state FROM items"))


@pytest.mark.parametrize("where", ["in-process", "uvicorn"])
async def test_closing_the_parent_mid_run_leaves_nothing_maybe_sent_and_a_resume_sends_the_rest(
    where: str, tmp_path: Path
) -> None:
    """The parent closes after the child's fifth result: the requests out then are answered
    (the close waits for them), the rest never leave and are NOT_SENT, in the journal too;
    a resume on a new client sends exactly those (before: 14 of 30 were MAYBE_SENT)."""
    sandbox = Sandbox(period=PERIOD)
    sub = sandbox.extra.add_sub_user(DEMO_TOKEN, email="ann@x.example")
    journal = tmp_path / "run.db"
    async with parent(sandbox, where) as easify:
        child = easify.with_options(api_token=sub.token)
        outcomes: Counter[Outcome] = Counter()
        async for result in child.sms.send_many(ROWS, journal=journal):
            outcomes[result.outcome] += 1
            if outcomes.total() == 5:
                await easify.aclose()
        assert set(outcomes) == {Outcome.SENT, Outcome.NOT_SENT}
        assert outcomes[Outcome.SENT] == len(sandbox.sent_sms)
        assert journal_states(journal) == {
            "sent": outcomes[Outcome.SENT],
            "not_sent": outcomes[Outcome.NOT_SENT],
        }

        if where == "uvicorn":
            resumed = AsyncEasify(sub.token, base_url=easify.base_url, rate_limits=LIMITS)
        else:
            resumed = AsyncEasify(sub.token, transport=sandbox.transport(), rate_limits=LIMITS)
        async with resumed:
            again = Counter([r.outcome async for r in resumed.sms.send_many(ROWS, journal=journal)])
    assert again == {
        Outcome.ALREADY_SENT: outcomes[Outcome.SENT],
        Outcome.SENT: outcomes[Outcome.NOT_SENT],
    }
    # Each row sent once, over both runs.
    assert sorted(s.to_number for s in sandbox.sent_sms) == sorted(r.to_number[2:] for r in ROWS)
