"""`easify webhook verify` through the real script."""

from __future__ import annotations

import json
import time

import pytest

from easify_async._php_json import php_json_encode
from easify_async.webhooks import sign
from tests.cli._run import easify

SMS = {
    "sms_id": "31500",
    "status": "Delivered",
    "message": "Hi / é",
    "created_at": "2025-01-16 10:45:00",
}
BATCH = [{"event": "delivered", "timestamp": 1734081000, "response": "250 OK", "sg_event_id": "e1"}]


@pytest.mark.parametrize(("payload", "kind"), [(SMS, "sms"), (BATCH, "email")])
def test_a_valid_delivery_prints_its_events(payload: object, kind: str) -> None:
    """A correctly signed body exits 0 and prints its events, as JSON lines with --json."""
    body = php_json_encode(payload)
    signature = sign(payload, secret="s")  # type: ignore[arg-type]
    stamp = str(int(time.time()))
    done = easify(
        "webhook",
        "verify",
        "--secret",
        "s",
        "--signature",
        signature,
        "--timestamp",
        stamp,
        "--json",
        stdin=body,
    )
    assert done.code == 0, done.err
    first = done.lines[0]
    assert first["sms_id" if kind == "sms" else "event"] == (
        "31500" if kind == "sms" else "delivered"
    )
    text = easify("webhook", "verify", "--secret", "s", "--signature", signature, stdin=body)
    assert text.code == 0
    assert f"valid {kind} event" in text.out


@pytest.mark.parametrize(
    ("signature", "stamp", "error"),
    [
        pytest.param("bm9wZQ==", None, "InvalidSignatureError", id="bad-signature"),
        pytest.param(None, "1", "TimestampOutOfRangeError", id="stale"),
    ],
)
def test_a_refused_delivery_says_why_and_exits_3(
    signature: str | None, stamp: str | None, error: str
) -> None:
    """A bad signature or timestamp exits 3 with the error's type."""
    body = php_json_encode(SMS)
    args = [
        "webhook",
        "verify",
        "--secret",
        "s",
        "--signature",
        signature or sign(SMS, secret="s"),
        "--json",
    ]
    if stamp:
        args += ["--timestamp", stamp]
    done = easify(*args, stdin=body)
    assert done.code == 3
    assert (
        json.loads(done.out.splitlines()[-1] if done.out else done.err.splitlines()[-1])["error"][
            "type"
        ]
        == error
    )
