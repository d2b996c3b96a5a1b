"""``AsyncEasify``: the composition root of the SDK."""

from __future__ import annotations

import functools
import hashlib
import os
from types import TracebackType
from typing import TYPE_CHECKING

import httpx

from ._rate_limits import RateLimits
from ._validation import check_base_url
from ._version import __version__
from .errors import ArgumentError

if TYPE_CHECKING:
    from ._endpoints import Email, Sms
    from ._endpoints.campaigns import Campaigns
    from ._endpoints.phone_numbers import PhoneNumbers
    from .limiters import Limiter

__all__ = ["DEFAULT_BASE_URL", "DEFAULT_TIMEOUT", "AsyncEasify"]

DEFAULT_BASE_URL = "https://backend.easify.app/api/v2"
#: Connect fast, allow the server its time to answer, never wait forever for the pool.
DEFAULT_TIMEOUT = httpx.Timeout(30.0, connect=5.0, pool=10.0)
# Bulk runs keep as many items in progress as the send limit lets through at once.
_NO_LIMIT = 64


class AsyncEasify:
    """The Easify API client.

    Its calls are grouped by the API's sections; each group is built on first use:

    - ``sms``: ``send``, ``send_many``, ``status``, ``wait_for_final_status``,
      ``report``, ``chat_history``, ``templates``.
    - ``email``: ``send``, ``send_many``.
    - ``phone_numbers``: ``list``, ``update_webhook``.
    - ``campaigns``: ``send``, ``status``, ``items``, ``wait_for_completion``.

    Lists (``sms.report``, ``sms.templates``, ``campaigns.items``, ...) return an
    `AsyncPaginator`: ``async for`` over every item, or ``await`` for the first `Page`.

    Args:
        api_token: the API token; defaults to ``$EASIFY_API_TOKEN``.
        base_url: the API root, ending in ``/api/v2`` (``http://127.0.0.1:8025/api/v2`` for a
            local server); defaults to ``$EASIFY_BASE_URL``, then
            ``https://backend.easify.app/api/v2``. It must be an ``http``/``https`` URL with
            a host and no query or fragment (`ArgumentError` otherwise, also for a bad
            ``$EASIFY_BASE_URL``). Any path is accepted, since a proxy may rewrite it; a
            404 then says the base URL may be wrong.
        timeout: seconds, or an ``httpx.Timeout`` (connect 5 s, read 30 s by default).
        max_retries: retries of one call after a 429 or a failure safe to repeat.
        retry_deadline: seconds after which a call stops retrying.
        resend_ambiguous: also retry a send whose outcome is unknown (a timeout or a
            dropped connection after the request went out, a 5xx). Off by default:
            it can deliver a message twice.
        rate_limits: the per-token limits to keep to; ``None`` turns client-side
            limiting off (429s are still retried).
        limiter: where slots are kept; a `LocalLimiter` of this client by default. Pass a
            shared one (e.g. ``RedisLimiter``) to share the budget between clients.
        http_client: your own ``httpx.AsyncClient`` to send through (not closed by us).
        transport: an httpx transport to send through (e.g. ``sandbox.transport()``).

    Example:
        >>> async with AsyncEasify() as easify:  # doctest: +SKIP
        ...     sent = await easify.sms.send("3152930000", "+13151350000", message="Hi")
    """

    def __init__(
        self,
        api_token: str | None = None,
        *,
        base_url: str | None = None,
        timeout: float | httpx.Timeout = DEFAULT_TIMEOUT,
        max_retries: int = 3,
        retry_deadline: float = 300.0,
        resend_ambiguous: bool = False,
        rate_limits: RateLimits | None = RateLimits(),  # noqa: B008 - a frozen value
        limiter: Limiter | None = None,
        http_client: httpx.AsyncClient | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        token = api_token or os.environ.get("EASIFY_API_TOKEN")
        if not token:
            raise ArgumentError("api_token", "missing: pass api_token= or set EASIFY_API_TOKEN")
        if http_client is not None and transport is not None:
            raise ArgumentError("transport", "give http_client or transport, not both")
        if max_retries < 0:
            raise ArgumentError("max_retries", "must be 0 or more")
        env_url = os.environ.get("EASIFY_BASE_URL")
        if base_url or not env_url:
            self.base_url = check_base_url(base_url or DEFAULT_BASE_URL)
        else:
            self.base_url = check_base_url(env_url, source="$EASIFY_BASE_URL")
        # The request path (transports, limiter, anyio, the converter) loads with the first
        # client, not with the package: webhook-only users never pay for it.
        from ._http import HttpCore
        from ._transports import RetryPolicy, build_transport

        stack = build_transport(
            transport=transport,
            http_client=http_client,
            rate_limits=rate_limits,
            limiter=limiter,
            # Limiter keys carry a hash of the token, never the token.
            token_key=hashlib.sha256(token.encode()).hexdigest()[:16],
            retry=RetryPolicy(max_retries, retry_deadline, resend_ambiguous),
        )
        client = httpx.AsyncClient(
            base_url=self.base_url + "/",
            headers={
                "Authorization": f"Bearer {token}",
                "Accept": "application/json",
                "User-Agent": f"easify-async/{__version__}",
            },
            timeout=timeout,
            transport=stack,
        )
        self._http = HttpCore(client)
        self._rate_limits = rate_limits

    @functools.cached_property
    def sms(self) -> Sms:
        """SMS and MMS: ``send``, ``send_many``, ``status``, ``wait_for_final_status``,
        ``report``, ``chat_history``, ``templates``."""
        from ._endpoints import Sms

        limits = self._rate_limits
        return Sms(self._http, bulk_concurrency=limits.sms_send.limit if limits else _NO_LIMIT)

    @functools.cached_property
    def email(self) -> Email:
        """Email: ``send``, ``send_many``."""
        from ._endpoints import Email

        limits = self._rate_limits
        return Email(self._http, bulk_concurrency=limits.email_send.limit if limits else _NO_LIMIT)

    @functools.cached_property
    def phone_numbers(self) -> PhoneNumbers:
        """The account's numbers: ``list``, ``update_webhook``."""
        from ._endpoints.phone_numbers import PhoneNumbers

        return PhoneNumbers(self._http)

    @functools.cached_property
    def campaigns(self) -> Campaigns:
        """SMS campaigns: ``send``, ``status``, ``items``, ``wait_for_completion``."""
        from ._endpoints.campaigns import Campaigns

        return Campaigns(self._http)

    def __repr__(self) -> str:
        return f"<AsyncEasify base_url={self.base_url!r}>"

    async def aclose(self) -> None:
        """Close connections; the client cannot be used afterwards."""
        await self._http.aclose()

    async def __aenter__(self) -> AsyncEasify:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()
