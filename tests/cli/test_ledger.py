"""`easify ledger reconcile`: settle an idempotency ledger's ambiguous keys."""

from __future__ import annotations

import uuid
from pathlib import Path

import anyio
import pytest

from easify_async import APIConnectionError, Easify
from easify_async._bulk._models import SmsMessage
from easify_async._endpoints.sms import encode_sms_send
from easify_async._idempotency import fingerprint, lookup_item
from easify_async._routes import SMS_SEND
from easify_async.ledgers import RedisLedger, SqliteLedger
from easify_async.sandbox import DEMO_FROM_NUMBER
from tests.cli._run import easify
from tests.cli._server import SENDER, Ledger
from tests.ledgers.conftest import durable_redis
from tests.limiters.conftest import RedisServer

__all__ = ["durable_redis"]  # the fixture, for the Redis test


def lost_replies(path: Path, env: dict[str, str], ledger: Ledger) -> None:
    """An SMS (key "s") and an email (key "e") sent with their replies lost: ambiguous."""
    ledger.sandbox.faults.queue("drop", 2)
    token, base_url = env["EASIFY_API_TOKEN"], env["EASIFY_BASE_URL"]
    opened = SqliteLedger(path)
    with Easify(token, base_url=base_url, ledger=opened, rate_limits=None) as client:
        with pytest.raises(APIConnectionError):
            client.sms.send(DEMO_FROM_NUMBER, "+13151350000", message="Hi", idempotency_key="s")
        with pytest.raises(APIConnectionError):
            client.email.send(
                SENDER, "ann@example.com", "Hi", message="<p>Hi</p>", idempotency_key="e"
            )
    anyio.run(opened.aclose)


def test_reconcile_settles_the_sms_and_leaves_the_email_with_its_reason(
    tmp_path: Path, api_env: dict[str, str], ledger: Ledger
) -> None:
    """The SMS found in the report: settled sent with its id; the email left; exit 7.
    Then only the email is left: exit 7 again, the table says why."""
    path = tmp_path / "ledger.db"
    lost_replies(path, api_env, ledger)
    sent = len(ledger.sms)
    done = easify(
        "ledger", "reconcile", "--sqlite", str(path), "--server-timezone", "UTC", "--json",
        env=api_env,
    )  # fmt: skip
    assert done.code == 7, done.err
    assert len(ledger.sms) == sent  # reads only
    settled = {line["key"]: line for line in done.lines[:-1]}
    [sms] = ledger.sandbox.sent_sms
    assert (settled["s"]["state"], settled["s"]["remote_id"]) == ("sent", sms.sms_id)
    assert settled["e"]["state"] == "maybe_sent"
    assert done.lines[-1] == {"summary": {"keys": 2, "still_maybe_sent": 1}}
    again = easify("ledger", "reconcile", "--sqlite", str(path), env=api_env)
    assert again.code == 7, again.err
    assert "0 keys settled, 1 still maybe sent." in again.out
    assert "email" in again.out
    assert again.err == ""


def test_reconcile_with_nothing_to_settle_exits_0(tmp_path: Path, api_env: dict[str, str]) -> None:
    """An empty ledger: nothing to settle, exit 0."""
    path = tmp_path / "ledger.db"
    anyio.run(SqliteLedger(path).aclose)  # an empty ledger file
    done = easify("ledger", "reconcile", "--sqlite", str(path), env=api_env)
    assert (done.code, done.err) == (0, "")
    assert done.out == "No key may have been sent: nothing to settle.\n"


def test_reconcile_needs_one_ledger(tmp_path: Path, api_env: dict[str, str]) -> None:
    """Neither --sqlite nor --redis, or both: a usage error (2) in one line."""
    neither = easify("ledger", "reconcile", env=api_env)
    assert (neither.code, neither.out) == (2, "")
    assert "--sqlite PATH or --redis URL" in neither.err
    path = tmp_path / "l.db"
    anyio.run(SqliteLedger(path).aclose)
    both = easify("ledger", "reconcile", "--sqlite", str(path), "--redis", "redis://x", env=api_env)
    assert both.code == 2
    assert "--sqlite PATH or --redis URL" in both.err


@pytest.mark.redis
def test_reconcile_on_redis_settles_a_key_whose_request_never_went_out(
    api_env: dict[str, str], durable_redis: RedisServer
) -> None:
    """--redis URL --prefix P: a dead claimer's key, absent from the report, is settled
    not sent (forgotten); exit 0."""
    prefix = f"cli:{uuid.uuid4().hex}:"
    encoded = encode_sms_send(SmsMessage(DEMO_FROM_NUMBER, "+13151350000", message="Hi"))

    async def claim_and_die() -> None:
        ledger = RedisLedger(durable_redis.url, prefix=prefix, lease=0.05)
        try:
            lookup = lookup_item(SMS_SEND, encoded)
            digest = fingerprint(SMS_SEND, encoded)
            assert await ledger.claim("k", digest, claimer="dead", item=lookup) is None
            with anyio.fail_after(10):
                while not (await ledger.ambiguous()):
                    await anyio.sleep(0.01)
        finally:
            await ledger.aclose()

    anyio.run(claim_and_die, backend="asyncio")
    args = ["ledger", "reconcile", "--redis", durable_redis.url, "--prefix", prefix]
    done = easify(*args, "--server-timezone", "UTC", "--json", env=api_env)
    assert done.code == 0, done.err
    [line, summary] = done.lines
    assert (line["key"], line["state"]) == ("k", "not_sent")
    assert summary == {"summary": {"keys": 1, "still_maybe_sent": 0}}
    assert easify(*args, env=api_env).out == "No key may have been sent: nothing to settle.\n"


def test_show_lists_the_ambiguous_keys_and_settle_settles_them_by_hand(
    tmp_path: Path, api_env: dict[str, str], ledger: Ledger
) -> None:
    """show exits 7 while keys are ambiguous, with why; settled by hand (the SMS with its
    id, the email sent), a call with the SMS's key returns that id, and show exits 0."""
    path = tmp_path / "ledger.db"
    lost_replies(path, api_env, ledger)
    where = ("--sqlite", str(path))
    shown = easify("ledger", "show", *where, env=api_env)
    assert shown.code == 7, shown.err
    assert "2 ambiguous keys" in shown.out
    assert "APIConnectionError" in shown.out
    assert "easify ledger settle" in shown.err
    listed = easify("ledger", "show", *where, "--json", env=api_env)
    assert {(line["key"], line["kind"]) for line in listed.lines[:-1]} == {
        ("s", "sms"),
        ("e", "email"),
    }
    assert listed.lines[-1] == {"summary": {"ambiguous": 2}}
    [sms] = ledger.sandbox.sent_sms
    settled = easify("ledger", "settle", "s", "--sent", "--id", sms.sms_id, *where, env=api_env)
    assert (settled.code, settled.err) == (0, "")
    assert settled.out == "Key s: settled sent.\n"
    email = easify("ledger", "settle", "e", "--sent", *where, "--json", env=api_env)
    assert email.lines == [{"key": "e", "state": "completed"}]
    done = easify("ledger", "show", *where, env=api_env)
    assert (done.code, done.out, done.err) == (0, "No key is ambiguous.\n", "")
    token, base_url = api_env["EASIFY_API_TOKEN"], api_env["EASIFY_BASE_URL"]
    opened = SqliteLedger(path)
    with Easify(token, base_url=base_url, ledger=opened, rate_limits=None) as client:
        again = client.sms.send(DEMO_FROM_NUMBER, "+13151350000", message="Hi", idempotency_key="s")
    anyio.run(opened.aclose)
    assert again.sms_id == sms.sms_id
    assert len(ledger.sandbox.sent_sms) == 1


def test_settle_not_sent_forgets_the_key_and_says_what_is_wrong_in_one_line(
    tmp_path: Path, api_env: dict[str, str], ledger: Ledger
) -> None:
    """--not-sent forgets a key (the next call sends); no --sent/--not-sent, --id with
    --not-sent: usage errors; --id for an email's key, an unknown key: one line, exit 2."""
    path = tmp_path / "ledger.db"
    lost_replies(path, api_env, ledger)
    where = ("--sqlite", str(path))
    neither = easify("ledger", "settle", "s", *where, env=api_env)
    assert (neither.code, neither.out) == (2, "")
    assert "--sent or --not-sent" in neither.err
    both = easify("ledger", "settle", "s", "--not-sent", "--id", "1", *where, env=api_env)
    assert (both.code, both.out) == (2, "")
    assert "--id" in both.err
    for key, args, said in [
        ("e", ("--sent", "--id", "1"), "this key's request is not an SMS (email)"),
        ("nope", ("--sent",), "no entry for this key"),
    ]:
        wrong = easify("ledger", "settle", key, *args, *where, env=api_env)
        assert (wrong.code, wrong.out) == (2, ""), wrong.err
        assert said in wrong.err
        assert len(wrong.err.strip().splitlines()) == 1
    forgot = easify("ledger", "settle", "s", "--not-sent", *where, env=api_env)
    assert forgot.code == 0, forgot.err
    assert forgot.out == "Key s: settled not sent: the next call with it sends.\n"
    shown = easify("ledger", "show", *where, "--json", env=api_env)
    assert [line["key"] for line in shown.lines[:-1]] == ["e"]
