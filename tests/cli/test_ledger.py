"""`easify ledger reconcile`: settle an idempotency ledger's ambiguous keys."""

from __future__ import annotations

from pathlib import Path

import pytest

from easify_async import APIConnectionError, Easify
from easify_async.ledgers import SqliteLedger
from easify_async.sandbox import DEMO_FROM_NUMBER
from tests.cli._run import easify
from tests.cli._server import SENDER, Ledger


def lost_replies(path: Path, env: dict[str, str], ledger: Ledger) -> None:
    """An SMS (key "s") and an email (key "e") sent with their replies lost: ambiguous."""
    ledger.sandbox.faults.queue("drop", 2)
    token, base_url = env["EASIFY_API_TOKEN"], env["EASIFY_BASE_URL"]
    with Easify(token, base_url=base_url, ledger=SqliteLedger(path), rate_limits=None) as client:
        with pytest.raises(APIConnectionError):
            client.sms.send(DEMO_FROM_NUMBER, "+13151350000", message="Hi", idempotency_key="s")
        with pytest.raises(APIConnectionError):
            client.email.send(
                SENDER, "ann@example.com", "Hi", message="<p>Hi</p>", idempotency_key="e"
            )


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
    SqliteLedger(path)
    done = easify("ledger", "reconcile", "--sqlite", str(path), env=api_env)
    assert (done.code, done.err) == (0, "")
    assert done.out == "No key may have been sent: nothing to settle.\n"


def test_reconcile_needs_one_ledger(tmp_path: Path, api_env: dict[str, str]) -> None:
    """Neither --sqlite nor --redis, or both: a usage error (2) in one line."""
    neither = easify("ledger", "reconcile", env=api_env)
    assert (neither.code, neither.out) == (2, "")
    assert "--sqlite PATH or --redis URL" in neither.err
    path = tmp_path / "l.db"
    SqliteLedger(path)
    both = easify("ledger", "reconcile", "--sqlite", str(path), "--redis", "redis://x", env=api_env)
    assert both.code == 2
    assert "--sqlite PATH or --redis URL" in both.err
