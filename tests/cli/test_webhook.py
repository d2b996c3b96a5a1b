"""`easify webhook verify` through the real script."""

from __future__ import annotations

import json
import time

import pytest

from easify_async._php_json import php_json_encode
from easify_async.webhooks import sign
from tests.cli._run import clean_env, easify
from tests.webhooks.test_verify import readme_vectors

# What the README's vectors are stamped with (X-Easify-Timestamp).
VECTOR_STAMP = "1734081000"

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
    # A number, as `sms send --json` and `sms report --json` give the same SMS's id.
    assert first["sms_id" if kind == "sms" else "event"] == (
        31500 if kind == "sms" else "delivered"
    )
    text = easify(
        "webhook", "verify", "--secret", "s", "--signature", signature, "--timestamp", stamp,
        stdin=body,
    )  # fmt: skip
    assert text.code == 0
    assert f"valid {kind} event" in text.out


@pytest.mark.parametrize(
    ("signature", "stamp", "error"),
    [
        pytest.param("bm9wZQ==", "now", "InvalidSignatureError", id="bad-signature"),
        pytest.param(None, "1", "TimestampOutOfRangeError", id="stale"),
    ],
)
def test_a_refused_delivery_says_why_and_exits_3(
    signature: str | None, stamp: str, error: str
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
    args += ["--timestamp", str(int(time.time())) if stamp == "now" else stamp]
    done = easify(*args, stdin=body)
    assert done.code == 3
    assert (
        json.loads(done.out.splitlines()[-1] if done.out else done.err.splitlines()[-1])["error"][
            "type"
        ]
        == error
    )


def test_without_a_timestamp_nothing_is_called_valid() -> None:
    """No --timestamp: a usage error (exit 2), not "valid" for a delivery of any age."""
    args = ["webhook", "verify", "--secret", "s", "--signature", sign(SMS, secret="s")]
    done = easify(*args, env=narrow(), stdin=php_json_encode(SMS))
    assert (done.code, done.out) == (2, "")
    assert "Missing option '--timestamp'" in done.err


def narrow() -> dict[str, str]:
    """The environment of an 80-column terminal."""
    return {**clean_env(), "COLUMNS": "80"}


@pytest.mark.parametrize(
    ("options", "named"),
    [
        pytest.param(["--secret", ""], "--secret", id="empty-secret"),
        pytest.param(["--secret", "s", "--tolerance", "nan"], "--tolerance", id="nan-tolerance"),
        pytest.param(["--secret", "s", "--tolerance", "0"], "--tolerance", id="zero-tolerance"),
    ],
)
def test_an_unusable_secret_or_tolerance_is_a_one_line_usage_error(
    options: list[str], named: str
) -> None:
    """Exit 2 with one line on stderr naming the option, never a traceback."""
    body = php_json_encode(SMS)
    args = ["webhook", "verify", *options, "--signature", sign(SMS, secret="s")]
    done = easify(*args, "--timestamp", str(int(time.time())), env=narrow(), stdin=body)
    assert (done.code, done.out) == (2, "")
    [line] = done.err.splitlines()
    assert line.startswith(f"error: {named}: ")
    assert "Traceback" not in done.err


def test_the_readme_vectors_verify_at_their_own_timestamp() -> None:
    """--tolerance lets the README's vectors be checked as stamped: one line per event."""
    for body, secret, header in readme_vectors():
        base = ["webhook", "verify", "--secret", secret, "--signature", header]
        stamped = [*base, "--timestamp", VECTOR_STAMP]
        done = easify(*stamped, "--tolerance", "999999999", env=narrow(), stdin=body.encode())
        kind = "email" if body.startswith("[") else "sms"
        assert (done.code, done.err) == (0, "")
        [line] = done.out.splitlines()  # wider than 80 columns, yet not broken
        assert line.startswith(f"valid {kind} event: {{")
        signed = json.loads(body)
        printed = json.loads(line.split(": ", 1)[1])
        if kind == "sms":
            assert str(printed["sms_id"]) == signed["sms_id"]
        else:
            assert printed["sg_event_id"] == signed[0]["sg_event_id"]
        stale = easify(*stamped, env=narrow(), stdin=body.encode())
        assert stale.code == 3
        [line] = stale.err.splitlines()
        assert "X-Easify-Timestamp is" in line
        assert line.endswith("(TimestampOutOfRangeError)")
