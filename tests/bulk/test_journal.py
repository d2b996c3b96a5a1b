"""The journal: typed errors before anything is sent, and one run per journal."""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import subprocess
import sys
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import anyio
import httpx
import pytest

from easify_async import AsyncEasify, EasifyError
from easify_async._bulk import Item
from easify_async.bulk import (
    EmailMessage,
    EmailV3Message,
    InvalidJournalError,
    JournalError,
    JournalLockedError,
    NewContact,
    Outcome,
    SmsMessage,
)
from easify_async.sandbox import DEMO_FROM_NUMBER, DEMO_TOKEN, Sandbox, serve
from tests.fakes import reply

pytestmark = pytest.mark.anyio

ROOT = Path(__file__).parents[2]


def rows(count: int = 3) -> list[SmsMessage]:
    return [
        SmsMessage(
            from_number="3152930000", to_number=f"+131513500{n:02d}", message="hi", key=f"k{n}"
        )
        for n in range(count)
    ]


@pytest.fixture
async def counting() -> AsyncIterator[tuple[AsyncEasify, list[httpx.Request]]]:
    received: list[httpx.Request] = []

    def handle(request: httpx.Request) -> httpx.Response:
        received.append(request)
        return reply()

    transport = httpx.MockTransport(handle)
    async with AsyncEasify("t", transport=transport, rate_limits=None) as easify:
        yield easify, received


def missing_folder(tmp: Path) -> Path:
    return tmp / "no-such-folder" / "run.db"


def a_directory(tmp: Path) -> Path:
    return tmp


def a_csv(tmp: Path) -> Path:
    path = tmp / "rows.csv"
    path.write_text("from_number,to_number,message\n3152930000,+13151350000,hi\n" * 50)
    return path


def garbage(tmp: Path) -> Path:
    path = tmp / "garbage.db"
    path.write_bytes(bytes(range(256)) * 40)
    return path


def another_sqlite_db(tmp: Path) -> Path:
    path = tmp / "other.db"
    with contextlib.closing(sqlite3.connect(path)) as db:
        db.execute("CREATE TABLE items (name TEXT)")
        db.execute("INSERT INTO items VALUES ('mine')")
        db.commit()
    return path


@pytest.mark.parametrize(
    "make_path", [missing_folder, a_directory, a_csv, garbage, another_sqlite_db]
)
async def test_a_path_that_cannot_hold_a_journal_is_a_typed_error_before_any_send(
    counting: tuple[AsyncEasify, list[httpx.Request]],
    tmp_path: Path,
    make_path: Callable[[Path], Path],
) -> None:
    """InvalidJournalError (an EasifyError) at once: nothing sent, nothing written."""
    easify, received = counting
    path = make_path(tmp_path)
    before = path.read_bytes() if path.is_file() else None
    files = sorted(os.listdir(tmp_path))
    with pytest.raises(InvalidJournalError) as caught:
        _ = [r async for r in easify.sms.send_many(rows(), journal=path)]
    assert isinstance(caught.value, JournalError)
    assert isinstance(caught.value, EasifyError)
    assert caught.value.key is None
    assert str(path) in str(caught.value)
    assert received == []
    assert sorted(os.listdir(tmp_path)) == files  # no journal, -wal or -journal file left
    if before is not None:
        assert path.read_bytes() == before


async def test_an_empty_file_becomes_a_journal(
    counting: tuple[AsyncEasify, list[httpx.Request]], tmp_path: Path
) -> None:
    """A zero-byte file (e.g. from mktemp) is a new journal, and a rerun skips what it sent."""
    easify, received = counting
    path = tmp_path / "run.db"
    path.touch()
    first = [r.outcome async for r in easify.sms.send_many(rows(), journal=path)]
    second = [r.outcome async for r in easify.sms.send_many(rows(), journal=path)]
    assert first == [Outcome.SENT] * 3
    assert second == [Outcome.ALREADY_SENT] * 3
    assert len(received) == 3


@pytest.mark.parametrize("anyio_backend", ["asyncio"])
async def test_a_journal_held_by_a_live_run_in_another_process_is_refused_at_once(
    counting: tuple[AsyncEasify, list[httpx.Request]], tmp_path: Path
) -> None:
    """JournalLockedError while another process runs on it; SIGKILLed, it leaves no lock."""
    journal = tmp_path / "bulk.db"
    items = [
        SmsMessage(
            from_number=DEMO_FROM_NUMBER,
            to_number=f"+1315135{n:04d}",
            message=f"item {n}",
            key=f"k{n}",
            force_send=True,
        )
        for n in range(30)
    ]
    # A 60 s minute in the sandbox and the holder: it sends 15, then waits for a window.
    async with serve(Sandbox(period=60.0)) as base_url:
        command = [
            sys.executable,
            "-m",
            "tests.bulk.kill_runner",
            base_url,
            DEMO_TOKEN,
            DEMO_FROM_NUMBER,
            str(journal),
            str(len(items)),
            "60",
        ]
        async with await anyio.open_process(
            command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL
        ) as holder:
            assert holder.stdout is not None
            with anyio.fail_after(60):
                await holder.stdout.receive()  # its first result: it holds the journal
            easify, received = counting
            with anyio.fail_after(10), pytest.raises(JournalLockedError) as caught:
                _ = [r async for r in easify.sms.send_many(items, journal=journal)]
            assert str(journal) in str(caught.value)
            assert received == []
            holder.kill()
            with anyio.fail_after(30):
                await holder.wait()
    # SIGKILL leaves no stale lock: the next run opens the journal and resumes it.
    outcomes = [r.outcome async for r in easify.sms.send_many(items, journal=journal)]
    assert Outcome.ALREADY_SENT in outcomes
    assert set(outcomes) <= {Outcome.ALREADY_SENT, Outcome.MAYBE_SENT, Outcome.SENT}


async def test_a_journal_from_before_files_were_marked_is_still_a_journal(
    counting: tuple[AsyncEasify, list[httpx.Request]], tmp_path: Path
) -> None:
    """A journal written by the first release (unmarked, same table) resumes as before."""
    from easify_async._bulk._models import fingerprint

    easify, received = counting
    path = tmp_path / "old.db"
    with contextlib.closing(sqlite3.connect(path)) as db:
        db.execute(
            "CREATE TABLE IF NOT EXISTS items (\n    key TEXT PRIMARY KEY,\n"
            "    fingerprint TEXT NOT NULL,\n    state TEXT NOT NULL,\n    remote_id TEXT,\n"
            "    error TEXT,\n    run_id TEXT NOT NULL\n)"
        )
        db.execute(
            "INSERT INTO items VALUES (?, ?, 'sent', '7', NULL, 'old')",
            ("k0", fingerprint(rows(1)[0])),
        )
        db.commit()
    results = {r.key: r async for r in easify.sms.send_many(rows(2), journal=path)}
    assert results["k0"].outcome is Outcome.ALREADY_SENT
    assert results["k0"].sms_id == "7"
    assert results["k1"].outcome is Outcome.SENT
    assert len(received) == 1


async def test_a_journal_written_before_the_items_became_the_parameter_lists_resumes(
    counting: tuple[AsyncEasify, list[httpx.Request]], tmp_path: Path
) -> None:
    """k0's digest as 0.1.0 wrote it (before send() built its item) still matches k0."""
    from easify_async._bulk._journal import Journal

    easify, received = counting
    path = tmp_path / "old.db"
    journal = Journal(path)
    digest = "0ec547116dfa244c980551a4ffe871b1b5397ab29d207ce5e4bb83ccac69f010"
    await journal.write("k0", fingerprint=digest, state="sent", remote_id="7", run_id="old")
    journal.close()
    results = {r.key: r async for r in easify.sms.send_many(rows(2), journal=path)}
    assert (results["k0"].outcome, results["k0"].sms_id) == (Outcome.ALREADY_SENT, "7")
    assert results["k1"].outcome is Outcome.SENT
    assert len(received) == 1


# Each kind's item with every field set, its digest and its journal content as 0.1.0 wrote
# them: a journal written before must resume (digest) and reconcile (content) the same.
_WRITTEN_BEFORE = [
    pytest.param(
        "sms",
        SmsMessage(
            "3152930000", "+13151350000", message="Hi", country_code=None,
            media="https://x.example/a.png", lead_id="L-7", force_send=True, key="k",
        ),
        "b3238855a362a768197d22443676763b7868e3ba3a1b46041ccbf990423e54a3",
        '{"kind": "sms", "from_number": "3152930000", "to_number": "+13151350000", "message":'
        ' "Hi", "country_code": null, "media": "https://x.example/a.png", "lead_id": "L-7",'
        ' "force_send": true}',
        id="sms",
    ),
    pytest.param(
        "sms",
        SmsMessage(
            "3152930000", "3151350000", country_code="+1", media=b"GIF89a", key="k2"
        ),
        "a5b89c273b13b22c92f93aa2418f649d70030b4e54668204c1ec4bac863850cb",
        '{"kind": "sms", "from_number": "3152930000", "to_number": "3151350000", "message":'
        ' null, "country_code": "+1", "lead_id": null, "force_send": false}',
        id="mms-bytes",
    ),
    pytest.param(
        "email",
        EmailMessage(
            "qa@x.example", "a@x.example", "S", message="<p>Hi</p>",
            attachment=("https://x.example/f.pdf",), enable_unsubscribe=True,
            schedule_time="2030-01-01 10:00:00", schedule_timezone="UTC",
            additional_data={"a": 1}, from_name="QA", key="e",
        ),
        "8b857b94abc23ff8ce90fa0d8a9d82b4ad4e788e9d35422ae3d62394745af86d",
        '{"kind": "email", "sender": "qa@x.example", "receiver": "a@x.example", "subject":'
        ' "S", "message": "<p>Hi</p>", "attachment": ["https://x.example/f.pdf"],'
        ' "enable_unsubscribe": true, "schedule_time": "2030-01-01 10:00:00",'
        ' "schedule_timezone": "UTC", "from_name": "QA"}',
        id="email",
    ),
    pytest.param(
        "email_v3",
        EmailV3Message(
            "qa@x.example", ("a@x.example", "b@x.example"), "S", cc=("c@x.example",), bcc=(),
            message="m", attachment=b"data", additional_data={"z": [1, 2]}, from_name=None,
            key="v",
        ),
        "c4ac06f53be46d42c3573813fbe40c9a15fdf470924e3d20d88657fec984a55a",
        '{"kind": "email_v3", "sender": "qa@x.example", "receiver": ["a@x.example",'
        ' "b@x.example"], "subject": "S", "cc": ["c@x.example"], "bcc": [], "message": "m",'
        ' "from_name": null}',
        id="email-v3",
    ),
    pytest.param(
        "contact",
        NewContact(
            group_id=7, first_name="Ann", last_name="Lee", phone_number="+13151350000",
            email_address="ann@x.example", country_code=None, company="Acme",
            additional_1="1", additional_2=None, additional_3="3", key="c",
        ),
        "f4facdbdcb2bc7e6947124bb8011bb731a51b1f7cba6e6d615db010ce07d3d37",
        '{"kind": "contact", "group_id": 7, "first_name": "Ann", "last_name": "Lee",'
        ' "phone_number": "+13151350000", "email_address": "ann@x.example", "country_code":'
        ' null, "company": "Acme", "additional_1": "1", "additional_2": null, "additional_3":'
        ' "3"}',
        id="contact",
    ),
]  # fmt: skip


@pytest.mark.parametrize(("kind", "item", "digest", "content"), _WRITTEN_BEFORE)
def test_an_items_digest_and_journal_content_are_as_before(
    kind: str, item: Item, digest: str, content: str
) -> None:
    """The fingerprint and the journal's copy of an item are byte for byte 0.1.0's."""
    from easify_async._bulk._models import fingerprint, journal_content

    assert fingerprint(item) == digest
    assert json.dumps(journal_content(kind, item)) == content
