"""A transport that reads each reply whole, within a size cap and an overall deadline."""

from __future__ import annotations

from time import perf_counter

import anyio
import httpx
from attrs import define

from ._attempts import recorder_of

__all__ = [
    "MAX_REPLY_BYTES",
    "STATUS_EXTENSION",
    "BoundedReplyTransport",
    "ReplyRefused",
    "attempt_deadline",
]

#: Request extension holding the status of the attempt's reply once its head arrived, so
#: that a layer above knows it was a 429 even when the body then failed to come.
STATUS_EXTENSION = "easify.status"

#: The largest reply body taken, decoded. A documented reply is under 1 KiB and a list page
#: of a thousand items under 1 MiB: 4 MiB leaves room for any of them, and refuses only
#: what no API reply is (an error page gone wrong, a runaway proxy, a compression bomb).
MAX_REPLY_BYTES = 4 * 1024 * 1024
# What a refused reply keeps of its body, for the error to quote.
_EXCERPT_BYTES = 16 * 1024


class ReplyRefused(Exception):
    """A reply not taken: larger than `MAX_REPLY_BYTES`, or its encoding does not decode.

    Attributes:
        response: the reply's status and headers, with at most an excerpt of its body.
        reason: what is wrong with it.
    """

    def __init__(self, response: httpx.Response, reason: str) -> None:
        self.response = response
        self.reason = reason
        super().__init__(reason)


def attempt_deadline(request: httpx.Request) -> float | None:
    """Seconds one attempt may take: its pool, connect, write and read timeouts, added.

    httpx bounds each wait on the socket, not the exchange: a body trickled a byte at a
    time never trips a read timeout. ``None`` (no deadline) when a phase is unbounded.
    """
    phases = request.extensions.get("timeout", {})
    total = 0.0
    for phase in ("pool", "connect", "write", "read"):
        seconds = phases.get(phase)
        if seconds is None:
            return None
        total += seconds
    return total


@define(eq=False)  # a live object: equal only to itself
class BoundedReplyTransport(httpx.AsyncBaseTransport):
    """Sends, then reads the body whole, decoded, so that nothing above reads the network.

    The reply handed up is in memory, with no ``Content-Encoding`` left to decode, and the
    connection is back in the pool (or closed) whatever happened while reading. An attempt
    past `attempt_deadline` raises ``httpx.TimeoutException``; a body over the cap or
    that does not decode raises `ReplyRefused` as soon as that is known.
    """

    _inner: httpx.AsyncBaseTransport

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        deadline = attempt_deadline(request)
        recorder = recorder_of(request)
        # The record's times are the process's monotonic clock: a tenth of the cost of
        # asking the event loop (the hot path), and real seconds even under a test clock.
        start = perf_counter()
        try:
            if deadline is None:
                return await self._exchange(request)
            # A bare cancel scope rather than anyio.fail_after: the same deadline without
            # two generator-based context managers on every attempt (the hot path).
            with anyio.CancelScope(deadline=anyio.current_time() + deadline):
                return await self._exchange(request)
        except TimeoutError as exc:  # a layer below timed out in Python's own terms
            raise _timed_out(request, deadline) from exc
        finally:
            if recorder is not None:
                recorder.elapsed = perf_counter() - start
                recorder.status = request.extensions.get(STATUS_EXTENSION)
        raise _timed_out(request, deadline)  # only the deadline cancels the scope

    async def _exchange(self, request: httpx.Request) -> httpx.Response:
        extensions = request.extensions
        extensions.pop(STATUS_EXTENSION, None)  # a retry reuses the request
        response = await self._inner.handle_async_request(request)
        extensions[STATUS_EXTENSION] = response.status_code
        try:
            declared = response.headers.get("Content-Length", "")
            if declared.isascii() and declared.isdigit() and int(declared) > MAX_REPLY_BYTES:
                raise ReplyRefused(_head(response, request, b""), _too_large(declared))
            if response.is_stream_consumed:  # built in memory (a MockTransport's reply)
                return _in_memory(response, request)
            raw, too_large = await _read_raw(response)
        finally:
            if not response.is_closed:  # an in-memory reply is closed already
                # Shielded: a cancelled or failed read must still give the connection back.
                with anyio.CancelScope(shield=True):
                    await response.aclose()
        if too_large:
            excerpt = raw if "Content-Encoding" not in response.headers else b""
            raise ReplyRefused(_head(response, request, excerpt), _too_large())
        return _decoded(response, request, raw)

    async def aclose(self) -> None:
        await self._inner.aclose()


async def _read_raw(response: httpx.Response) -> tuple[bytes, bool]:
    """The raw body and ``False``; or, once it passes the cap, its start and ``True``."""
    chunks: list[bytes] = []
    size = 0
    # Past the cap the read is cancelled rather than abandoned: the cancellation runs
    # through every stream layer below, so none is left unfinished for the GC to warn of.
    with anyio.CancelScope() as reading:
        async for chunk in response.aiter_raw():
            if not reading.cancel_called:
                chunks.append(chunk)
                size += len(chunk)
                if size > MAX_REPLY_BYTES:
                    reading.cancel()
    if size > MAX_REPLY_BYTES:
        return b"".join(chunks)[:_EXCERPT_BYTES], True
    return b"".join(chunks), False


def _in_memory(response: httpx.Response, request: httpx.Request) -> httpx.Response:
    """A reply whose body is in memory already: itself, unless it is over the cap or
    still names a ``Content-Encoding`` (then a copy without it)."""
    content = response.content
    if len(content) > MAX_REPLY_BYTES:
        raise ReplyRefused(_head(response, request, b""), _too_large())
    if "Content-Encoding" in response.headers:
        return _head(response, request, content)  # the content is decoded already
    response.request = request
    return response


def _decoded(response: httpx.Response, request: httpx.Request, raw: bytes) -> httpx.Response:
    """The reply with its body decoded (gzip, deflate...), within the cap decoded too."""
    if "Content-Encoding" not in response.headers:
        return _head(response, request, raw)  # nothing to decode: the common case
    # Decoded from memory, synchronously: nothing is left half read when it fails.
    encoded = httpx.Response(
        response.status_code, headers=response.headers, stream=httpx.ByteStream(raw)
    )
    chunks: list[bytes] = []
    size = 0
    try:
        for chunk in encoded.iter_bytes():
            size += len(chunk)
            if size > MAX_REPLY_BYTES:
                excerpt = b"".join(chunks)[:_EXCERPT_BYTES]
                raise ReplyRefused(_head(response, request, excerpt), _too_large())
            chunks.append(chunk)
    except httpx.DecodingError as exc:
        encoding = response.headers.get("Content-Encoding", "")
        raise ReplyRefused(
            _head(response, request, b""),
            f"its body does not decode as Content-Encoding {encoding!r}",
        ) from exc
    return _head(response, request, b"".join(chunks))


def _timed_out(request: httpx.Request, deadline: float | None) -> httpx.TimeoutException:
    within = "" if deadline is None else f" within {deadline:g} s (the timeout's phases, added)"
    return httpx.TimeoutException(f"no whole reply{within}", request=request)


def _too_large(declared: str | None = None) -> str:
    size = f"declares {declared} bytes" if declared else "is longer"
    return f"its body {size}, over the {MAX_REPLY_BYTES // 1024 // 1024} MiB cap"


def _head(response: httpx.Response, request: httpx.Request, content: bytes) -> httpx.Response:
    headers = response.headers
    if "Content-Encoding" in headers:
        headers = headers.copy()
        del headers["Content-Encoding"]  # the content is decoded already
    return httpx.Response(
        response.status_code,
        headers=headers,  # copied by httpx.Response
        content=content,
        request=request,
        extensions=response.extensions,
    )
