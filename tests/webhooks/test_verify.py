"""Signature and timestamp checks: PHP-signed vectors verify, every tampering fails typed."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import math
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from easify_async import ArgumentError
from easify_async.webhooks import (
    InvalidSignatureError,
    MalformedPayloadError,
    TimestampOutOfRangeError,
    WebhookVerificationError,
    sign,
    verify_email_events,
    verify_sms_event,
)
from tests._leaks import assert_no_token

README = Path(__file__).parents[2] / "docs" / "guides" / "webhooks.md"
SECRET = "whsec_sandbox"
NOW = 1_734_081_000.0
SMS = {
    "sms_id": "63f7a88b2e4b6c001f33abcd",
    "sender": "+13152930000",
    "receiver": "+13151350000",
    "sms_type": "mms",
    "message": 'Olá / שלום 😀 "quoted"',
    "media_url": "https://cdn.example.com/a/b.gif",
    "status": "Delivered",
    "remarks": "",
    "created_at": "2025-01-16 10:45:00",
}


def php_signed(payload: object, secret: str = SECRET) -> tuple[bytes, dict[str, str]]:
    """A body and headers as Easify's PHP makes them, computed with the docs' recipe."""
    body = (
        json.dumps(payload, separators=(",", ":"), ensure_ascii=True).replace("/", "\\/").encode()
    )
    digest = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return body, {
        "X-Easify-Signature": base64.b64encode(digest.encode()).decode(),
        "X-Easify-Timestamp": str(int(NOW)),
    }


VECTORS = [
    pytest.param(SMS, id="slashes-non-ascii-emoji"),
    pytest.param({**SMS, "message": "", "remarks": "", "media_url": ""}, id="empty-strings"),
    pytest.param({**SMS, "additional": {"nested": {"list": [1, "/x/"], "ü": None}}}, id="nested"),
]


@pytest.mark.parametrize("payload", VECTORS)
def test_php_signed_bodies_verify(payload: dict[str, object]) -> None:
    """Bodies signed the PHP way verify, and sign() computes the same header."""
    body, headers = php_signed(payload)
    assert sign(payload, secret=SECRET) == headers["X-Easify-Signature"]
    event = verify_sms_event(body, headers, secret=SECRET, now=NOW)
    assert event.message == payload["message"]


def test_a_re_encoded_body_verifies_over_php_json_encode() -> None:
    """A pretty-printed body still verifies when PHP's encoding of its payload matches."""
    pretty = json.dumps(SMS, indent=2, ensure_ascii=False).encode()
    headers = {"x-easify-signature": sign(SMS, secret=SECRET), "X-EASIFY-TIMESTAMP": str(int(NOW))}
    assert verify_sms_event(pretty, headers, secret=SECRET, now=NOW).sms_id == SMS["sms_id"]


def test_raw_digest_base64_and_secret_rotation_are_accepted() -> None:
    """The raw-digest variant and any of several secrets verify."""
    body, headers = php_signed(SMS, secret="new")
    raw = base64.b64encode(hmac.new(b"new", body, hashlib.sha256).digest()).decode()
    assert verify_sms_event(
        body, {**headers, "X-Easify-Signature": raw}, secret=["old", "new"], now=NOW
    )
    assert verify_sms_event(body, headers, secret=[b"old", b"new"], now=NOW)


def readme_vectors() -> list[tuple[str, str, str]]:
    """The webhook guide's test-vector table: (signed bytes, secret, header)."""
    text = README.read_text()
    table = text[text.index("<!-- vectors:webhooks -->") : text.index("<!-- /vectors:webhooks -->")]
    rows = re.findall(r"^\| `(.+)` \| `(.+)` \| `(.+)` \|$", table, re.MULTILINE)
    assert len(rows) == 3
    return rows


def test_the_published_vectors_hold() -> None:
    """Each guide vector: the docs' recipe and sign() give its header, and it verifies."""
    for body, secret, header in readme_vectors():
        digest = hmac.new(secret.encode(), body.encode(), hashlib.sha256).hexdigest()
        assert base64.b64encode(digest.encode()).decode() == header
        payload = json.loads(body)
        assert sign(payload, secret=secret) == header
        verify = verify_email_events if isinstance(payload, list) else verify_sms_event
        headers = {"X-Easify-Signature": header, "X-Easify-Timestamp": str(int(NOW))}
        assert verify(body, headers, secret=secret, now=NOW)  # type: ignore[operator]


@pytest.mark.parametrize(
    ("change", "error"),
    [
        pytest.param({"X-Easify-Signature": None}, InvalidSignatureError, id="no-signature"),
        pytest.param({"X-Easify-Timestamp": None}, TimestampOutOfRangeError, id="no-timestamp"),
        pytest.param(
            {"X-Easify-Timestamp": "yesterday"}, TimestampOutOfRangeError, id="not-a-number"
        ),
        pytest.param(
            {"X-Easify-Timestamp": str(int(NOW) - 901)}, TimestampOutOfRangeError, id="stale"
        ),
        pytest.param(
            {"X-Easify-Timestamp": str(int(NOW) + 901)}, TimestampOutOfRangeError, id="future"
        ),
    ],
)
def test_missing_or_out_of_range_headers_fail(
    change: dict[str, str | None], error: type[Exception]
) -> None:
    """Missing headers and timestamps beyond ±tolerance are refused with their own error."""
    body, headers = php_signed(SMS)
    changed = {k: v for k, v in {**headers, **change}.items() if v is not None}
    with pytest.raises(error):
        verify_sms_event(body, changed, secret=SECRET, now=NOW)


def test_timestamp_within_tolerance_both_ways_passes() -> None:
    """900 s either side is inside the SMS tolerance; the email default is 300 s."""
    body, headers = php_signed(SMS)
    for skew in (-900, 900):
        assert verify_sms_event(body, headers, secret=SECRET, now=NOW + skew)
    batch_body, batch_headers = php_signed([{"event": "open", "timestamp": 1}])
    with pytest.raises(TimestampOutOfRangeError):
        verify_email_events(batch_body, batch_headers, secret=SECRET, now=NOW + 301)


def test_wrong_secret_fails() -> None:
    """Another secret's signature is refused."""
    body, headers = php_signed(SMS, secret="other")
    with pytest.raises(InvalidSignatureError):
        verify_sms_event(body, headers, secret=SECRET, now=NOW)


def test_oversized_body_is_refused_before_anything_else() -> None:
    """A body over the cap is malformed before its timestamp or signature is looked at."""
    with pytest.raises(MalformedPayloadError, match="over 1048576 bytes"):
        verify_sms_event(b"[" * 2_000_000, {}, secret=SECRET, now=NOW)
    body, headers = php_signed(SMS)
    with pytest.raises(MalformedPayloadError):
        verify_sms_event(body, headers, secret=SECRET, now=NOW, max_bytes=len(body) - 1)
    assert verify_sms_event(body, headers, secret=SECRET, now=NOW, max_bytes=len(body))


STAMP = str(int(NOW))


def in_digits(zero: int) -> str:
    """STAMP written in the digits of another script, from its code point for zero."""
    return "".join(chr(zero + int(d)) for d in STAMP)


@pytest.mark.parametrize(
    "value",
    [
        pytest.param("nan", id="nan"),
        pytest.param("inf", id="inf"),
        pytest.param("-inf", id="minus-inf"),
        pytest.param("", id="empty"),
        pytest.param("0x10", id="hex"),
        pytest.param(f"{STAMP[:4]}_{STAMP[4:]}", id="underscores"),
        pytest.param(in_digits(0x0660), id="arabic-indic"),
        pytest.param(in_digits(0xFF10), id="fullwidth"),
        pytest.param(f"{NOW / 1e9}e9", id="exponent"),
        pytest.param(f"{STAMP}.0", id="decimal-point"),
        pytest.param(f" {STAMP}", id="leading-space"),
        pytest.param(f"+{STAMP}", id="plus-sign"),
        pytest.param("9" * 16, id="too-many-digits"),
    ],
)
def test_a_timestamp_that_is_not_ascii_digits_fails(value: str) -> None:
    """Only ASCII digits are a UNIX time: int() and float() forms that differ are refused."""
    body, headers = php_signed(SMS)
    with pytest.raises(TimestampOutOfRangeError, match="not a UNIX time") as caught:
        verify_sms_event(body, {**headers, "X-Easify-Timestamp": value}, secret=SECRET, now=NOW)
    assert caught.value.skew is None


def test_the_timestamp_error_says_how_far_off() -> None:
    """The error carries the header, the skew and the tolerance, and says old or future."""
    body, headers = php_signed(SMS)
    with pytest.raises(TimestampOutOfRangeError, match="1000 s in the future") as caught:
        verify_sms_event(body, headers, secret=SECRET, now=NOW - 1000)
    assert (caught.value.timestamp, caught.value.skew, caught.value.tolerance) == (
        str(int(NOW)),
        -1000,
        900,
    )


@pytest.mark.parametrize(
    "body",
    [
        pytest.param(b"[" * 100_000, id="deeply-nested"),
        pytest.param(b'{"sms_id":"1","status":"Delivered","n":NaN}', id="nan"),
        pytest.param(b'{"n":1e999}', id="infinity"),
        pytest.param(b"\xff\xfe{", id="not-utf8"),
    ],
)
def test_unsigned_bodies_php_cannot_encode_are_bad_signatures(body: bytes) -> None:
    """A body that fails to decode or re-encode is InvalidSignatureError, never a crash."""
    headers = {"X-Easify-Signature": sign(b"other", secret=SECRET), "X-Easify-Timestamp": "1"}
    with pytest.raises(InvalidSignatureError):
        verify_sms_event(body, headers, secret=SECRET, now=1)


def test_a_signed_body_that_is_not_json_is_malformed() -> None:
    """Correctly signed garbage, or nesting too deep to decode, is MalformedPayloadError."""
    for body in (b"not json", b"[" * 100_000):
        headers = {"X-Easify-Signature": sign(body, secret=SECRET), "X-Easify-Timestamp": "1"}
        with pytest.raises(MalformedPayloadError):
            verify_email_events(body, headers, secret=SECRET, now=1)


@pytest.mark.parametrize("secret", ["", b"", [], ["ok", ""]])
def test_an_empty_secret_is_refused(secret: object) -> None:
    """An empty key would accept anyone's signature: ArgumentError (a ValueError) instead."""
    body, headers = php_signed(SMS)
    with pytest.raises(ArgumentError, match="secret"):
        verify_sms_event(body, headers, secret=secret, now=NOW)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "tolerance",
    [
        pytest.param(math.nan, id="nan"),
        pytest.param(math.inf, id="inf"),
        pytest.param(0, id="zero"),
        pytest.param(-1.0, id="negative"),
        pytest.param(True, id="bool"),
        pytest.param("900", id="text"),
    ],
)
def test_a_tolerance_that_is_not_finite_and_positive_is_refused(tolerance: object) -> None:
    """NaN would turn the time check off (every comparison false): ArgumentError."""
    body, headers = php_signed(SMS)
    with pytest.raises(ArgumentError, match="tolerance: must be a finite number"):
        verify_sms_event(body, headers, secret=SECRET, now=NOW, tolerance=tolerance)  # type: ignore[arg-type]


def header_mappings(headers: dict[str, str]) -> list[object]:
    """The same headers as Starlette, aiohttp, httpx and a plain dict give them."""
    import httpx
    from multidict import CIMultiDict, CIMultiDictProxy
    from starlette.datastructures import Headers

    lowered = {k.lower(): v for k, v in headers.items()}
    return [
        Headers(headers=lowered),
        CIMultiDictProxy(CIMultiDict(lowered)),
        httpx.Headers(lowered),
        {k.upper(): v for k, v in headers.items()},
    ]


def test_framework_header_mappings_are_read_in_any_case() -> None:
    """Starlette, aiohttp and httpx headers, and a dict in any case, all verify."""
    body, headers = php_signed(SMS)
    for mapping in header_mappings(headers):
        event = verify_sms_event(body, mapping, secret=SECRET, now=NOW)  # type: ignore[arg-type]
        assert event.sms_id == SMS["sms_id"], type(mapping)


@pytest.mark.parametrize(
    ("payload", "verify"),
    [
        pytest.param([SMS], verify_sms_event, id="sms-as-list"),
        pytest.param(SMS, verify_email_events, id="email-as-object"),
        pytest.param({**SMS, "status": 5}, verify_sms_event, id="status-not-text"),
        pytest.param({"status": "Delivered"}, verify_sms_event, id="no-sms-id"),
        pytest.param(
            [{"event": "open", "timestamp": "soon"}], verify_email_events, id="bad-timestamp"
        ),
    ],
)
def test_signed_but_malformed_payloads_fail(payload: object, verify: object) -> None:
    """A correctly signed body of the wrong shape is MalformedPayloadError."""
    body, headers = php_signed(payload)
    with pytest.raises(MalformedPayloadError):
        verify(body, headers, secret=SECRET, now=NOW)  # type: ignore[operator]


@settings(max_examples=100, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(position=st.integers(min_value=0), bit=st.integers(min_value=0, max_value=7))
def test_any_one_bit_flip_of_the_body_fails(position: int, bit: int) -> None:
    """A flipped bit fails verification, or (an escape's hex case) decodes to the signed event."""
    body, headers = php_signed(SMS)
    mutated = bytearray(body)
    mutated[position % len(body)] ^= 1 << bit
    try:
        event = verify_sms_event(bytes(mutated), headers, secret=SECRET, now=NOW)
    except (InvalidSignatureError, MalformedPayloadError):
        return
    # Accepted only through the re-encoding check: the payload is exactly what was signed.
    assert json.loads(mutated) == SMS
    assert event == verify_sms_event(body, headers, secret=SECRET, now=NOW)


@settings(max_examples=100, deadline=None)
@given(position=st.integers(min_value=0), replacement=st.characters(codec="ascii"))
def test_any_one_character_change_of_the_signature_fails(position: int, replacement: str) -> None:
    """Changing one character of the header refuses the delivery."""
    body, headers = php_signed(SMS)
    signature = headers["X-Easify-Signature"]
    index = position % len(signature)
    if signature[index] == replacement:
        return
    forged = signature[:index] + replacement + signature[index + 1 :]
    with pytest.raises(InvalidSignatureError):
        verify_sms_event(body, {**headers, "X-Easify-Signature": forged}, secret=SECRET, now=NOW)


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=8,
)


@settings(max_examples=60, deadline=None)
@given(payload=st.dictionaries(st.text(max_size=5), JSON, max_size=4) | st.lists(JSON, max_size=4))
def test_sign_matches_the_docs_recipe_for_any_json(payload: object) -> None:
    """sign() of any JSON object or array equals base64(hex HMAC) of its PHP encoding."""
    _, headers = php_signed(payload)
    assert sign(payload, secret=SECRET) == headers["X-Easify-Signature"]  # type: ignore[arg-type]


ROTATING = "whsec_rotating_next"


@pytest.mark.parametrize(
    ("verify", "payload"),
    [(verify_sms_event, SMS), (verify_email_events, [{"event": "open", "timestamp": int(NOW)}])],
    ids=["sms", "email"],
)
@pytest.mark.parametrize(
    "tamper",
    [
        pytest.param(lambda body, headers: (body.replace(b"o", b"0"), headers), id="signature"),
        pytest.param(
            lambda body, headers: (body, {**headers, "X-Easify-Timestamp": "1"}), id="time"
        ),
        pytest.param(lambda body, headers: (b"[" * 2000, headers), id="body"),
    ],
)
def test_a_failed_verification_shows_no_secret_in_a_traceback_with_locals(
    verify: Any, payload: object, tamper: Any
) -> None:
    """Sentry prints every frame's locals: no frame of a failed check holds the secret."""
    body, headers = tamper(*php_signed(payload))
    with pytest.raises(WebhookVerificationError) as caught:
        verify(body, headers, secret=[SECRET, ROTATING], now=NOW)
    for secret in (SECRET, ROTATING):
        assert_no_token(caught.value, secret)


@pytest.mark.parametrize("secret", [[SECRET, ""], [SECRET, 5], (SECRET, b"")])
def test_a_refused_secret_list_shows_none_of_its_secrets(secret: Any) -> None:
    """One bad member of a rotation list: the error's frames hold none of the others."""
    body, headers = php_signed(SMS)
    with pytest.raises(ArgumentError) as caught:
        verify_sms_event(body, headers, secret=secret, now=NOW)
    assert_no_token(caught.value, SECRET)
