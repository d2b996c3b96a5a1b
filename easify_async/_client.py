"""``AsyncEasify``: the composition root of the SDK."""

from __future__ import annotations

import functools
import hashlib
import os
import sys
import warnings
from collections.abc import Mapping
from types import TracebackType
from typing import TYPE_CHECKING, Any

import attrs
import httpx
from attrs import field, frozen

from ._headers import Headers, check_headers, merged
from ._options import check_max_retries, check_timeout
from ._rate_limits import RateLimits
from ._secrets import KnownSecrets, Secret
from ._validation import check_base_url, check_seconds, check_token
from ._version import __version__
from .errors import ArgumentError

if TYPE_CHECKING:
    from ._endpoints import Email, Sms
    from ._endpoints.campaigns import Campaigns
    from ._endpoints.contact_groups import ContactGroups
    from ._endpoints.contacts import Contacts
    from ._endpoints.phone_numbers import PhoneNumbers
    from ._endpoints.sub_users import SubUsers
    from ._endpoints.v3 import V3
    from ._endpoints.voice_calls import VoiceCalls
    from ._raw import RawResponses
    from ._routes import AnyRoute
    from ._transports import SharedNetwork
    from .ledgers import Ledger
    from .limiters import Limiter

__all__ = ["DEFAULT_BASE_URL", "DEFAULT_TIMEOUT", "AsyncEasify"]

DEFAULT_BASE_URL = "https://backend.easify.app/api/v2"
#: Bulk runs keep as many items in progress as the send limit lets through at once;
#: this many when client-side limiting is off.
_UNLIMITED = 64
#: Connect fast, allow the server its time to answer, never wait forever for the pool.
DEFAULT_TIMEOUT = httpx.Timeout(30.0, connect=5.0, pool=10.0)


class AsyncEasify:
    """The Easify API client.

    Its calls are grouped by the API's sections; each group is built on first use:

    - ``sms``: ``send``, ``send_many``, ``status``, ``wait_for_final_status``,
      ``report``, ``chat_history``, ``templates``.
    - ``email``: ``send``, ``send_many``, ``senders``.
    - ``phone_numbers``: ``list``, ``update_webhook``.
    - ``campaigns``: ``send``, ``status``, ``items``, ``wait_for_completion``.
    - ``v3``: ``email.send`` (several recipients, CC, BCC), ``email.send_many``,
      ``email.status``.
    - ``voice_calls``: ``history``.
    - ``sub_users``: ``list``.
    - ``contact_groups``: ``list``, ``create``, ``update``, ``delete``.
    - ``contacts``: ``list``, ``create``, ``update``, ``delete``.

    `with_options` gives a client with other settings (a sub-user's token, another
    timeout) on the same connections and limiter; `raw_responses` records the raw
    replies (status, headers, body) of the calls made inside it.

    Lists (``sms.report``, ``sms.templates``, ``campaigns.items``, ...) return an
    `AsyncPaginator`: ``async for`` over every item, or ``await`` for the first `Page`.

    Args:
        api_token: the API token; defaults to ``$EASIFY_API_TOKEN``. Held so that no
            ``repr`` or traceback shows it; one holding a character no header can carry
            (a pasted no-break space) is an `ArgumentError` that does not quote it.
        base_url: the API root, ending in ``/api/v2`` (``http://127.0.0.1:8025/api/v2`` for a
            local server); defaults to the sandbox's ``http://sandbox.easify.invalid/api/v2``
            on ``sandbox.transport()``, then to ``$EASIFY_BASE_URL``, then
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
        ledger: where the ``idempotency_key=`` of creating calls (``sms.send``,
            ``email.send``, ``v3.email.send``, ``campaigns.send``, ``contacts.create``,
            ``contact_groups.create``) are kept: an ``easify_async.ledgers.SqliteLedger``
            (one machine) or ``RedisLedger`` (a fleet); not closed by the client. Without
            one, a call given a key raises `ArgumentError`.

    Examples:
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
        ledger: Ledger | None = None,
    ) -> None:
        # Held as a Secret from the first line on: a traceback showing locals of a frame
        # an error passes through (this one included) must not print it.
        try:
            if api_token:
                token = check_token(api_token)
            else:
                source = "$EASIFY_API_TOKEN"
                token = check_token(os.environ.get("EASIFY_API_TOKEN"), source=source)
        finally:
            del api_token
        if http_client is not None and transport is not None:
            raise ArgumentError("transport", "give http_client or transport, not both")
        env_url = os.environ.get("EASIFY_BASE_URL")
        # A transport serving an API of its own names its root (the sandbox's: its repr
        # and httpx's log must not say production); it beats the environment's, which
        # the requests would not go to.
        served_url = getattr(transport, "easify_base_url", None)
        if base_url or not (env_url or served_url):
            checked_url = check_base_url(base_url or DEFAULT_BASE_URL)
        elif isinstance(served_url, str):
            checked_url = check_base_url(served_url)
        else:
            checked_url = check_base_url(env_url, source="$EASIFY_BASE_URL")
        settings = _Settings(
            token=token,
            base_url=checked_url,
            timeout=timeout,
            max_retries=max_retries,
            retry_deadline=retry_deadline,
            resend_ambiguous=resend_ambiguous,
        )
        # The request path (transports, limiter, anyio, the converter) loads with the first
        # client, not with the package: webhook-only users never pay for it.
        from ._transports import SharedNetwork, network_transport
        from .limiters import LocalLimiter

        network = SharedNetwork(network_transport(transport, http_client))
        # Resolved here, not in the stack, so that with_options() clients share it.
        shared_limiter = limiter if limiter is not None or rate_limits is None else LocalLimiter()
        self._assemble(
            settings, rate_limits, shared_limiter, network, network, KnownSecrets(), ledger
        )
        # The caller's line, named by the ResourceWarning of a client left open (`__del__`):
        # one frame lookup (~0.1 us), where a traceback would cost as much as the rest.
        caller = sys._getframe(1)
        self._made_at = (
            caller.f_code.co_filename,
            caller.f_lineno,
            str(caller.f_globals.get("__name__", "")),
        )

    def _assemble(
        self,
        settings: _Settings,
        rate_limits: RateLimits | None,
        limiter: Limiter | None,
        network: httpx.AsyncBaseTransport,
        pool: SharedNetwork,
        secrets: KnownSecrets,
        ledger: Ledger | None,
    ) -> None:
        """Build the stack and the groups over ``network`` (``pool`` itself, or borrowed).

        ``secrets`` are shared with the client this one was made from: an error of either
        scrubs the tokens of both (and the sub-users' tokens either listed).

        Raises:
            ArgumentError: ``ledger`` is not a `Ledger`.
        """
        if ledger is not None:
            from .ledgers import Ledger

            if not isinstance(ledger, Ledger):
                raise ArgumentError(
                    "ledger", f"expected a ledger (SqliteLedger, RedisLedger), got {ledger!r}"
                )
        self._ledger = ledger
        token = settings.token.reveal()
        secrets.add(token)
        self._secrets = secrets
        self._settings = settings
        self._rate_limits = rate_limits
        self._limiter = limiter
        self._pool = pool
        self.base_url: str = settings.base_url
        from ._http import HttpCore
        from ._transports import RetryPolicy, build_transport

        stack = build_transport(
            network=network,
            gate=pool.gate,
            rate_limits=rate_limits,
            limiter=limiter,
            # Limiter keys carry a hash of the token, never the token.
            token_key=hashlib.sha256(token.encode()).hexdigest()[:16],
            retry=RetryPolicy(
                settings.max_retries, settings.retry_deadline, settings.resend_ambiguous
            ),
        )
        headers = httpx.Headers(
            {"Accept": "application/json", "User-Agent": f"easify-async/{__version__}"}
        )
        for name, value in settings.headers:  # with_options(headers=): may replace those
            headers[name] = value
        # Set last, so that no extra header can stand in for it (they are checked too).
        headers["Authorization"] = f"Bearer {token}"
        client = httpx.AsyncClient(
            base_url=self.base_url + "/",
            headers=headers,
            timeout=settings.timeout,
            transport=stack.transport,
        )
        v3_url = _v3_url(self.base_url)
        del token  # the frames of errors below show no raw token
        self._http = HttpCore(
            client,
            admit=stack.admit,
            secrets=secrets,
            bases={} if v3_url is None else {"v3": v3_url},
            ledger=ledger,
        )

    @functools.cached_property
    def sms(self) -> Sms:
        """SMS and MMS: ``send``, ``send_many``, ``status``, ``wait_for_final_status``,
        ``report``, ``chat_history``, ``templates``."""
        from ._endpoints import Sms
        from ._routes import SMS_SEND

        return Sms(self._http, bulk_concurrency=self._bulk_concurrency(SMS_SEND))

    @functools.cached_property
    def email(self) -> Email:
        """Email: ``send``, ``send_many``, ``senders``."""
        from ._endpoints import Email
        from ._routes import EMAIL_SEND

        return Email(self._http, bulk_concurrency=self._bulk_concurrency(EMAIL_SEND))

    def _bulk_concurrency(self, route: AnyRoute) -> int:
        """A bulk call's default concurrency: one item in progress per slot of its window,
        and never more than a bulk run takes (`MAX_CONCURRENCY`)."""
        from ._endpoints._common import MAX_CONCURRENCY

        limits = self._rate_limits
        slots = limits.limit_for(route.bucket, route.limit).limit if limits else _UNLIMITED
        return min(slots, MAX_CONCURRENCY)

    def with_options(
        self,
        *,
        api_token: str | None = None,
        base_url: str | None = None,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
        retry_deadline: float | None = None,
        resend_ambiguous: bool | None = None,
        headers: Mapping[str, str] | None = None,
        ledger: Ledger | None = None,
    ) -> AsyncEasify:
        """A client with some settings changed, sharing this one's connections and limiter.

        An argument left out (``None``) keeps this client's setting. The new client
        sends through this client's connection pool and takes its slots from the same
        limiter: with the same token it shares the token's budget; with another token
        (a sub-user's) it has that token's own budget. Closing it (``async with``,
        ``aclose``) leaves this client and the pool open; only the client that made the
        pool closes it, after which the clients made from it raise ``RuntimeError``.

        Args:
            api_token: another token, e.g. a sub-user's ``easify_api_token``.
            base_url: another API root (checked as in the constructor).
            timeout: seconds, or an ``httpx.Timeout``.
            max_retries: retries of one call.
            retry_deadline: seconds after which a call stops retrying.
            resend_ambiguous: also retry a send whose outcome is unknown.
            headers: extra headers sent with every call of the new client, added to this
                client's extra headers (a name given again, in any case, replaces it).
                They change what is sent, not whose budget it is: the rate limits stay
                the token's.
            ledger: another ledger for the new client's idempotency keys.

        Raises:
            ArgumentError: an empty token or one no header can carry, a bad base URL,
                a setting the constructor refuses, or ``headers`` that set
                ``Authorization`` (in any case: the token is ``api_token``), a name that
                is not a header name, or a value a header cannot carry (a newline,
                anything outside printable ASCII but spaces and tabs), or a ``ledger``
                that is not a `Ledger`.

        Examples:
            >>> async for sub in easify.sub_users.list():  # doctest: +SKIP
            ...     async with easify.with_options(api_token=sub.easify_api_token) as as_sub:
            ...         await as_sub.sms.send("3152930000", "+13151350000", message="Hi")
        """
        changes: dict[str, Any] = {
            name: value
            for name, value in (
                ("timeout", timeout),
                ("retry_deadline", retry_deadline),
                ("resend_ambiguous", resend_ambiguous),
            )
            if value is not None
        }
        try:
            if api_token is not None:
                changes["token"] = check_token(api_token)
        finally:
            del api_token  # held as a Secret only, as in the constructor
        if base_url is not None:
            changes["base_url"] = check_base_url(base_url)
        if max_retries is not None:
            changes["max_retries"] = max_retries
        try:
            if headers is not None:
                changes["headers"] = merged(self._settings.headers, check_headers(headers))
        finally:
            del headers  # their values may be keys: out of the locals an error shows
        child = object.__new__(AsyncEasify)
        child._assemble(
            attrs.evolve(self._settings, **changes),
            self._rate_limits,
            self._limiter,
            self._pool.borrowed(),
            self._pool,
            self._secrets,
            self._ledger if ledger is None else ledger,
        )
        return child

    def raw_responses(self) -> RawResponses:
        """A block recording the raw reply of each call made inside it (in this task).

        Each call still returns its parsed result; ``raw.last`` (or ``raw.all``) gives
        the reply's status, headers and body, without a second request. The calls of any
        client count, ``with_options`` ones too, and the pages of a walk. The request
        (and its token) is not kept.

        Examples:
            >>> async with easify.raw_responses() as raw:  # doctest: +SKIP
            ...     sent = await easify.sms.send("3152930000", "+13151350000", message="Hi")
            >>> raw.last.status, raw.last.headers["X-RateLimit-Remaining"]  # doctest: +SKIP
            (200, '59')
        """
        from ._raw import RawResponses

        return RawResponses()

    @functools.cached_property
    def v3(self) -> V3:
        """The API's v3 calls on the same token, limiter and connections: ``v3.email``
        (``send`` to several recipients with CC and BCC, ``send_many``, ``status``).

        Its base URL is ``base_url`` with ``/v3`` in place of the final ``/v2``.

        Raises:
            ArgumentError: ``base_url`` does not end in ``/v2``, so the v3 URL is unknown.
        """
        from ._endpoints.v3 import V3

        if _v3_url(self.base_url) is None:
            raise ArgumentError(
                "base_url", f"{self.base_url!r} does not end in /v2: the v3 URL cannot be derived"
            )
        from ._routes import EMAIL_V3_SEND

        return V3(self._http, bulk_concurrency=self._bulk_concurrency(EMAIL_V3_SEND))

    @functools.cached_property
    def voice_calls(self) -> VoiceCalls:
        """Voice calls: ``history``."""
        from ._endpoints.voice_calls import VoiceCalls

        return VoiceCalls(self._http)

    @functools.cached_property
    def sub_users(self) -> SubUsers:
        """The main account's sub-users and their tokens: ``list``."""
        from ._endpoints.sub_users import SubUsers

        return SubUsers(self._http)

    @functools.cached_property
    def contact_groups(self) -> ContactGroups:
        """Contact groups: ``list``, ``create``, ``update``, ``delete``."""
        from ._endpoints.contact_groups import ContactGroups

        return ContactGroups(self._http)

    @functools.cached_property
    def contacts(self) -> Contacts:
        """Contacts: ``list``, ``create``, ``create_many``, ``update``, ``delete``."""
        from ._endpoints.contacts import Contacts
        from ._routes import CONTACTS_CREATE

        return Contacts(self._http, bulk_concurrency=self._bulk_concurrency(CONTACTS_CREATE))

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
        # A traceback showing locals shows a client whose constructor raised: half built.
        return f"<AsyncEasify base_url={getattr(self, 'base_url', None)!r}>"

    async def aclose(self) -> None:
        """Close the client; it cannot be used afterwards.

        The client built by the constructor closes the connection pool too; one made by
        `with_options` leaves it to that client. Closing the pool waits for the requests
        already sent through it (each within its timeout); the `with_options` clients'
        requests that have not gone out are refused with ``RuntimeError``, before they
        leave.
        """
        await self._http.aclose()

    async def __aenter__(self) -> AsyncEasify:
        return self

    def __del__(self, _warn: Any = warnings.warn_explicit) -> None:
        # `_warn` is bound at definition: at interpreter exit the module may be gone.
        # A client that sent a request and was never closed holds the pool's connections
        # (httpx's clients warn the same way). A `with_options` client has no `_made_at`:
        # it lives on its parent's pool, which only the parent closes.
        made_at: tuple[str, int, str] | None = getattr(self, "_made_at", None)
        http = getattr(self, "_http", None)
        # httpx's own notion of open: it sent a request and was not closed since (public
        # only as `is_closed`, which a client never used fails too).
        state = getattr(getattr(http, "_client", None), "_state", None)
        if made_at is None or getattr(state, "name", None) != "OPENED":
            return
        filename, lineno, module = made_at
        _warn(
            f"unclosed {self!r} made at {filename}:{lineno}: close it with "
            "`async with AsyncEasify() as easify:` or `await easify.aclose()`",
            ResourceWarning,
            filename,  # the warning points at the line that made the client
            lineno,
            module=module,
            source=self,  # with tracemalloc on, Python adds where it was allocated
        )

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()


@frozen(kw_only=True)
class _Settings:
    """What `AsyncEasify.with_options` may change; checked here, for both ways in."""

    token: Secret
    base_url: str
    timeout: float | httpx.Timeout = field()
    max_retries: int = field()
    retry_deadline: float = field(validator=lambda _, a, v: check_seconds(a.name, v))
    resend_ambiguous: bool = field()
    #: Extra headers of every call (`with_options` only), checked by `check_headers`; out
    #: of the repr (a traceback's locals), as a value may be a proxy's key.
    headers: Headers = field(default=(), repr=False)

    @timeout.validator
    def _timeout(self, attribute: attrs.Attribute[Any], value: float | httpx.Timeout) -> None:
        check_timeout("timeout", value)

    @max_retries.validator
    def _max_retries(self, attribute: attrs.Attribute[Any], value: object) -> None:
        check_max_retries(value)

    @resend_ambiguous.validator
    def _resend_ambiguous(self, attribute: attrs.Attribute[Any], value: object) -> None:
        if not isinstance(value, bool):
            raise ArgumentError("resend_ambiguous", f"must be True or False, not {value!r}")


def _v3_url(base_url: str) -> str | None:
    """The v3 root beside a v2 one (``.../api/v2`` -> ``.../api/v3``), if it is one."""
    return base_url[: -len("v2")] + "v3" if base_url.endswith("/v2") else None
