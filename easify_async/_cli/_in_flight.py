"""Counting the requests on the wire, to say which rows a Ctrl-C cut off mid-request."""

from __future__ import annotations

import httpx
from attrs import Factory, define

__all__ = ["InFlight"]


@define
class InFlight(httpx.AsyncBaseTransport):
    """The network transport, counting requests sent and not answered.

    It is the innermost transport (``AsyncEasify(transport=...)``), below the rate
    limiter: a request waiting for a slot is not counted, a request cut off by a
    cancellation stays counted. So after Ctrl-C, ``unanswered`` is the number of rows that
    may have been sent without their reply arriving.
    """

    network: httpx.AsyncBaseTransport = Factory(lambda: httpx.AsyncHTTPTransport(retries=0))
    unanswered: int = 0

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        """Send through the network, counting the request until its reply or error."""
        self.unanswered += 1
        try:
            response = await self.network.handle_async_request(request)
        except Exception:  # an error is a reply of sorts: the engine reports the row
            self.unanswered -= 1
            raise
        # Not in a `finally`: a cancellation (a BaseException) leaves the request counted.
        self.unanswered -= 1
        return response

    async def aclose(self) -> None:
        """Close the network transport."""
        await self.network.aclose()
