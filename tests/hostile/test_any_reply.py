"""Whatever the server answers (status, headers, bytes, resets, stalls), a call raises only
a typed `EasifyError` that says `maybe_sent` right and quotes no token, not even in a
traceback that shows every frame's locals."""

from __future__ import annotations

import gzip
import json
from email.utils import formatdate

import anyio
import httpx
import pytest
from anyio.abc import SocketStream
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from easify_async import (
    APIConnectionError,
    APIError,
    AsyncEasify,
    EasifyError,
    RateLimitError,
    RateLimits,
)
from tests._leaks import assert_no_token
from tests.hostile._server import Exchange, head, raw_server, reset

pytestmark = [
    pytest.mark.anyio,
    # httpcore abandons the request body's iterator when the peer resets while it writes;
    # trio reports that at GC. Not the SDK's stream: every layer it reads is finished.
    pytest.mark.filterwarnings(
        "ignore:Async generator 'httpx._content.ByteStream.__aiter__':ResourceWarning"
    ),
]

TOKEN = "1087|f906c6df-759e-42cd-8dc7-4980b3080000"
SECRET_HALF = TOKEN.partition("|")[2]
LONGEST_MESSAGE = 3000

ascii_text = st.text(st.characters(min_codepoint=32, max_codepoint=126), max_size=40)
retry_after = st.one_of(
    st.sampled_from(["nan", "inf", "-inf", "-5", "1e400", "0", "1", "59", "99999999", ""]),
    st.sampled_from([formatdate(0, usegmt=True), formatdate(4e9, usegmt=True)]),
    st.floats().map(str),
    st.integers().map(str),
    ascii_text,
)
CHARSETS = ["utf-8", "latin-1", "rot13", "base64", "utf-16", "idna", "undefined", "nope"]
content_types = st.sampled_from(["application/json", "text/html"]).flatmap(
    lambda kind: st.sampled_from([kind, *(f"{kind}; charset={c}" for c in CHARSETS)])
)
headers = st.dictionaries(
    st.sampled_from(
        ["Content-Type", "Content-Encoding", "Retry-After", "X-RateLimit-Remaining", "Location"]
    ),
    ascii_text,
    max_size=4,
).flatmap(
    lambda h: st.builds(
        lambda wait, encoding, content_type: {
            **h,
            **({"Retry-After": wait} if wait is not None else {}),
            **({"Content-Encoding": encoding} if encoding is not None else {}),
            **({"Content-Type": content_type} if content_type is not None else {}),
        },
        st.none() | retry_after,
        st.none() | st.sampled_from(["gzip", "deflate", "br", "identity", "zstd", "x-odd"]),
        st.none() | content_types,
    )
)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=10,
)
envelope = st.fixed_dictionaries(
    {},
    optional={
        "status": json_values,
        "message": st.one_of(
            json_values,
            st.sampled_from(
                [TOKEN, f"Bearer {TOKEN} is not valid", f"Try again in {10**30} seconds"]
            ),
        ),
        "data": st.one_of(
            json_values,
            st.fixed_dictionaries({"sms_id": json_values, "status": json_values}),
        ),
        "errors": st.one_of(
            json_values,
            st.dictionaries(st.text(max_size=8), st.lists(json_values | st.just(TOKEN))),
        ),
    },
)
bodies = st.one_of(
    st.binary(max_size=300),
    envelope.map(lambda e: json.dumps(e).encode()),
    envelope.map(lambda e: gzip.compress(json.dumps(e).encode())),
    st.integers(1, 200_000).map(lambda depth: b"[" * depth),
    st.sampled_from(
        [
            f"<html>Authorization: Bearer {TOKEN}</html>".encode(),
            f"<p>{SECRET_HALF}</p>".encode(),
            b"Too many requests. Try again in 99999999 seconds",
            b"Try again in " + b"9" * 400 + b" seconds",
        ]
    ),
)
statuses = st.one_of(
    st.sampled_from([200, 400, 401, 404, 422, 429, 500, 502]), st.integers(100, 599)
)


async def one_call(easify: AsyncEasify, send: bool) -> None:
    with anyio.fail_after(20):  # a hang fails the example instead of stalling the suite
        if send:
            await easify.sms.send("3152930000", "+13151350000", message="hi")
        else:
            await easify.sms.status("315")


def check(exc: BaseException, status: int | None, head: int | None = None) -> None:
    """The properties every failure of a call keeps, whatever the reply was.

    ``status`` is the reply's status when every error must carry it; ``head`` the status
    a reply's head had before the connection failed, if one was sent.
    """
    assert isinstance(exc, EasifyError), repr(exc)
    assert isinstance(exc, (APIError, APIConnectionError))
    assert isinstance(exc.maybe_sent, bool)
    text = str(exc)
    assert len(text) < LONGEST_MESSAGE
    quoted = [text]
    if isinstance(exc, APIError):
        assert exc.maybe_sent is not (400 <= exc.status_code < 500)
        if status is not None:
            assert exc.status_code == status
        assert len(exc.body) <= 16 * 1024
        quoted += [exc.body, json.dumps(exc.errors)]
    else:  # only a 429's head, before the connection failed, proves it was not acted on
        assert exc.maybe_sent or (status if head is None else head) == 429
    if isinstance(exc, RateLimitError):
        assert exc.retry_after >= 0.0  # NaN fails this too
    assert not any(SECRET_HALF in q for q in quoted)
    assert_no_token(exc, TOKEN)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    status=statuses,
    reply_headers=headers,
    body=bodies,
    send=st.booleans(),
    limited=st.booleans(),
)
async def test_any_reply_on_a_mock_transport_is_a_typed_error_or_a_result(
    status: int, reply_headers: dict[str, str], body: bytes, send: bool, limited: bool
) -> None:
    """Any status, headers and body bytes give a result or a typed, scrubbed EasifyError."""

    def handler(request: httpx.Request) -> httpx.Response:
        # A stream, not content: nothing is decoded before the SDK reads it.
        return httpx.Response(status, headers=reply_headers, stream=httpx.ByteStream(body))

    async with AsyncEasify(
        TOKEN,
        transport=httpx.MockTransport(handler),
        max_retries=0,
        rate_limits=RateLimits() if limited else None,
    ) as easify:
        try:
            await one_call(easify, send)
        except Exception as exc:
            check(exc, status)


FAULTS = ["none", "reset-before-reply", "reset-mid-body", "stall", "short-body"]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    status=statuses.filter(lambda s: s >= 200),  # h11 hands 1xx to no one
    reply_headers=headers,
    body=bodies,
    fault=st.sampled_from(FAULTS),
    send=st.booleans(),
)
async def test_any_reply_over_a_socket_is_a_typed_error_or_a_result(
    status: int, reply_headers: dict[str, str], body: bytes, fault: str, send: bool
) -> None:
    """Raw bytes over a real socket, reset or stalled anywhere, give only typed errors."""

    async def handle(exchange: Exchange, stream: SocketStream) -> bool:
        if fault == "reset-before-reply":
            await reset(stream)
            return False
        declared = len(body) + (10 if fault == "short-body" else 0)
        await stream.send(head(status, reply_headers, length=declared))
        if fault == "stall":
            await anyio.sleep(30)
        if fault == "reset-mid-body":
            await stream.send(body[: len(body) // 2])
            await reset(stream)
            return False
        await stream.send(body)
        if fault == "short-body":
            await stream.aclose()
        return False

    async with (
        raw_server(handle) as base_url,
        # A stall is cut at 0.2 s; connecting to this machine's own server may take
        # longer on a loaded machine (a ConnectTimeout there failed the run once).
        AsyncEasify(
            TOKEN,
            base_url=base_url,
            timeout=httpx.Timeout(0.2, connect=10.0),
            max_retries=0,
            rate_limits=None,
        ) as easify,
    ):
        try:
            await one_call(easify, send)
        except Exception as exc:
            check(exc, None, head=None if fault == "reset-before-reply" else status)
        else:
            assert fault == "none"
