"""A client whose requests are recorded and never served: for "nothing was sent" checks."""

from __future__ import annotations

import httpx

from easify_async import AsyncEasify


def recording_client(sent: list[httpx.Request]) -> AsyncEasify:
    """An ``AsyncEasify`` whose transport appends each request to ``sent`` and answers 500."""

    def handle(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(500)

    return AsyncEasify("t", base_url="http://x/api/v2", transport=httpx.MockTransport(handle))
