"""The single request path: send, translate failures, map errors, structure the model."""

from __future__ import annotations

import functools
import time
from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple, TypeVar

import httpx
from attrs import define, field

from ._logs import setup_logging
from ._options import CallOptions, call_options
from ._raw import CAPTURE, raw_response
from ._responses import misfit_error, refused_error, success_payload, unexpected_reply
from ._routes import ROUTE_EXTENSION, Route
from ._secrets import KnownSecrets, sealed
from ._transports import (
    ADMISSION_EXTENSION,
    BEFORE_SEND_EXTENSION,
    MAX_RETRIES_EXTENSION,
    NOT_SENT_EXTENSION,
    NotSentReason,
    ReplyRefused,
    attempt_log,
)
from .errors import APIConnectionError, APIError, APITimeoutError, ArgumentError, EasifyError

if TYPE_CHECKING:
    from ._encoding import Encoded
    from ._pagination import AsyncPaginator, PageMeta
    from ._transports import Admission, Admit
    from .ledgers import Ledger

__all__ = ["HttpCore"]

# EASIFY_LOG=debug|info: read once, as the first client is built (this module loads then).
setup_logging()

Q = TypeVar("Q")
T = TypeVar("T")


class _Late(NamedTuple):
    """What a call needs that `import easify_async` does not load."""

    structure: Callable[[Any, type[Any]], Any]
    structure_hook: Callable[[type[Any]], Callable[[Any, type[Any]], Any]]
    query_fields: Callable[[object], dict[str, Any]]
    paginator: type[AsyncPaginator[Any]]
    page_meta: type[PageMeta]
    encoded: type[Encoded[Any]]
    page_size: int


@functools.cache
def _late() -> _Late:
    # The converter (cattrs) and the paginator load on the first call, not with the
    # package: `import easify_async` stays close to `import httpx`; and once, as an import
    # statement in a function costs a microsecond on every call (benchmarks/bench_client.py).
    from ._encoding import Encoded, query_fields
    from ._pagination import ITERATION_PAGE_SIZE, AsyncPaginator, PageMeta
    from ._serde import converter, structure

    return _Late(
        structure,
        converter.get_structure_hook,
        query_fields,
        AsyncPaginator,
        PageMeta,
        Encoded,
        ITERATION_PAGE_SIZE,
    )


# The stream of every reply once read: empty, as a read reply's stream is never read again.
_READ = httpx.ByteStream(b"")


@define(eq=False)  # a live object: equal only to itself
class HttpCore:
    """Sends one API call through the client's transport stack and returns its model.

    A route of another API version than the client's base URL goes to ``bases[version]``;
    ``secrets`` are the tokens errors scrub from what they quote. ``admit`` takes a
    call's first rate-limit slot and gate place before its request is built (`Stack`).

    An error leaves here `sealed`: no frame below it shows a reply or a token.
    """

    _client: httpx.AsyncClient = field(repr=False)
    _admit: Admit = field(kw_only=True, repr=False)
    _secrets: KnownSecrets = field(kw_only=True, repr=False)
    _bases: Mapping[str, str] = field(kw_only=True, factory=dict)
    _ledger: Ledger | None = field(kw_only=True, default=None, repr=False)

    async def call(
        self,
        route: Route[Q, T],
        encoded: Encoded[Q],
        *,
        options: Mapping[str, object] = {},
        path_params: Mapping[str, object] = {},
        before_send: Callable[[], Awaitable[None]] | None = None,
        not_sent: Callable[[NotSentReason], Awaitable[None]] | None = None,
    ) -> T:
        """Send ``encoded`` to ``route``; structure the reply's ``data`` into its result.

        ``options`` are the call's own (`RequestOptions`, `ReadOptions` for a ``GET``),
        checked before anything is sent. ``path_params`` fill the route's path
        parameters (`Route.url`).

        ``before_send`` is awaited before each attempt goes out, after its slot wait;
        ``not_sent`` after an attempt the server certainly did not act on (a 429, a
        connection never made), before any retry's wait.

        Every failure below this point (httpx, the transports, the reply's bytes) leaves
        here as an `EasifyError`, with the original as its ``__cause__`` (but for a
        reply that does not fit the route's result: the parse error would quote the reply).

        Raises:
            TypeError: an option this call does not take.
            ArgumentError: an option's value, before anything is sent.
            APIError: a subclass for each documented failure, or for a malformed,
                undecodable or oversized reply.
            APIConnectionError: no usable reply; ``maybe_sent`` says if it may have acted.
        """
        try:
            checked = call_options(options, reads=route.method == "GET") if options else None
        except (EasifyError, TypeError) as exc:  # a bad option: its check's frames cleared
            del options  # an extra header's value (a proxy's key?) out of the locals shown
            sealed(exc)
            raise
        del options
        try:
            response = await self._send(
                route, encoded, path_params, before_send, not_sent, options=checked
            )
            return _result(response, self._secrets, route.result)
        except EasifyError as exc:
            sealed(exc)
            raise

    def call_once(
        self,
        route: Route[Q, T],
        encoded: Encoded[Q],
        idempotency_key: str | None,
        *,
        options: Mapping[str, object] = {},
    ) -> Awaitable[T]:
        """`call`, at most once for ``idempotency_key`` (when given) in the client's ledger.

        The creating calls go through here: with a key, its recorded outcome is returned
        (or raised) instead of sending again (`easify_async._idempotency.once`). The
        call's ``options`` (timeout, retries, extra headers) are not part of the key's
        fingerprint: the same request with a longer timeout is the same request.

        Not a coroutine itself: its frame has returned before the call runs, so that
        no frame of the request path holds ``options`` (an extra header may be a secret)
        for a traceback printed with locals to show.

        Raises:
            ArgumentError: a key without a ledger, not a str of 1 to 255 characters, or
                used before for other arguments (before any request).
            UnknownOutcomeError: the key's outcome is unknown until settled.
            KeyInProgressError: a live caller still holds the key after the ledger's wait.
            LedgerUnavailableError: the ledger cannot be used; nothing was sent.
        """
        if idempotency_key is None:
            return self.call(route, encoded, options=options)

        def send(before_send: Callable[[], Awaitable[None]]) -> Awaitable[T]:
            return self.call(route, encoded, options=options, before_send=before_send)

        return self._once(route, encoded, idempotency_key, send)

    async def _once(
        self,
        route: Route[Q, T],
        encoded: Encoded[Q],
        key: str,
        send: Callable[[Callable[[], Awaitable[None]]], Awaitable[T]],
    ) -> T:
        from ._idempotency import checked_ledger, once

        return await once(checked_ledger(key, self._ledger), key, route, encoded, send)

    def paginate(
        self,
        route: Route[Q, T],
        query: Q | Sequence[Q],
        *,
        limit: int | None = None,
        whole_list: bool = False,
        token_of: Callable[[T], str] | None = None,
        path_params: Mapping[str, object] = {},
        options: Mapping[str, object] = {},
    ) -> AsyncPaginator[T]:
        """A lazy walk over a list endpoint: ``query`` (a request model, or several walked
        in order) page by page, each item structured into the route's result.

        ``limit`` is the page size asked for, `ITERATION_PAGE_SIZE` when omitted; with
        ``whole_list`` and no ``limit`` none is sent, which ``GET phone-numbers``
        answers with the whole list at once. ``token_of`` gives the token an item
        carries: errors scrub it from then on. ``path_params`` fill the route's path
        parameters (`Route.url`). ``options`` are the call's own (`ReadOptions`), for
        each page.

        Raises:
            TypeError: an option this call does not take.
            ArgumentError: ``limit`` is not a positive int, a path parameter is empty,
                or an option's value is wrong (before any request).
        """
        late = _late()
        try:
            checked = call_options(options, reads=True) if options else None
        except (EasifyError, TypeError) as exc:
            del options  # as in `call`
            sealed(exc)
            raise
        del options
        if limit is not None and (
            not isinstance(limit, int) or isinstance(limit, bool) or limit < 1
        ):
            raise ArgumentError("limit", f"must be a positive integer, got {limit!r}")
        size = limit if limit is not None or whole_list else late.page_size
        path = route.url(**path_params)
        models = query if isinstance(query, (list, tuple)) else [query]
        queries = [late.query_fields(model) for model in models]
        item = route.result
        if checked is not None:  # a clash is refused here, at the call, not at a page
            for fields in queries:
                _with_query({**fields, "page": 1, "limit": 1}, checked)

        async def fetch(fields: Mapping[str, Any], number: int) -> tuple[list[T], PageMeta]:
            params = dict(fields)
            if size is not None:
                params["limit"] = size
                params["page"] = number
            elif number > 1:
                params["page"] = number
            try:
                response = await self._send(
                    route, late.encoded(params=params), path=path, options=checked
                )
                items, meta = _page(response, self._secrets, number, item)
            except EasifyError as exc:
                sealed(exc)
                raise
            if token_of is not None:
                for entry in items:
                    self._secrets.add(token_of(entry))
            return items, meta

        return late.paginator(fetch, queries)

    async def _send(
        self,
        route: Route[Any, Any],
        encoded: Encoded[Any],
        path_params: Mapping[str, object] = {},
        before_send: Callable[[], Awaitable[None]] | None = None,
        not_sent: Callable[[NotSentReason], Awaitable[None]] | None = None,
        *,
        path: str | None = None,
        options: CallOptions | None = None,
    ) -> httpx.Response:
        # The first attempt's slot and place, before the request exists: a call waiting
        # for them holds no request, headers or httpx frames; and this frame, which it
        # waits in, is kept to a few locals (thousands may wait: benchmarks/bench_tokens.py).
        # What needs only the arguments is refused here, before any slot.
        if path is None:
            # Most routes have no parameters: their path goes out as written.
            path = route.url(**path_params) if path_params or route.params else route.path
        params = encoded.params if options is None else _with_query(encoded.params, options)
        started = time.perf_counter()
        admit = self._admit
        admission = await admit.place(await admit.slot(route), time.perf_counter() - started)
        return await self._out(
            route, encoded, path, params, (before_send, not_sent, options), admission, started
        )

    async def _out(
        self,
        route: Route[Any, Any],
        encoded: Encoded[Any],
        path: str,
        params: dict[str, Any] | None,
        hooks: tuple[
            Callable[[], Awaitable[None]] | None,
            Callable[[NotSentReason], Awaitable[None]] | None,
            CallOptions | None,
        ],
        admission: Admission,
        started: float,
    ) -> httpx.Response:
        """`_send`'s request, built and sent once its first slot and place are taken."""
        before_send, not_sent, options = hooks
        # One lookup when nothing captures (`easify.raw_responses()`); httpx's `elapsed`
        # is not set on a reply the transport stack has read already.
        collector = CAPTURE.get()
        try:
            extensions: dict[str, object] = {
                ROUTE_EXTENSION: route,
                BEFORE_SEND_EXTENSION: before_send,
                NOT_SENT_EXTENSION: not_sent,
                ADMISSION_EXTENSION: admission,
            }
            headers: dict[str, str] | None = None
            timeout = (  # this call's, else the client's
                httpx.USE_CLIENT_DEFAULT
                if options is None or options.timeout is None
                else options.timeout
            )
            if options is not None:  # else the client's settings alone
                headers = dict(options.headers) if options.headers else None
                if options.max_retries is not None:
                    extensions[MAX_RETRIES_EXTENSION] = options.max_retries
            base = self._bases.get(route.version)
            request = self._client.build_request(
                route.method,
                path if base is None else f"{base}/{path}",
                params=params,
                json=encoded.json,
                data=encoded.data,
                files=encoded.files,
                headers=headers,
                timeout=timeout,
                extensions=extensions,
            )
            try:
                response = await self._client.send(request)
            except httpx.RequestError as exc:  # the transport's, and httpx's own (redirects)
                error = (
                    APITimeoutError
                    if isinstance(exc, httpx.TimeoutException)
                    else APIConnectionError
                )
                log = attempt_log(request)
                raise error(
                    maybe_sent=not log.never_sent,
                    detail=_detail(exc),
                    send=not route.idempotent,
                    refused=log.refused_before_cut_off,
                ) from exc
            except ReplyRefused as exc:
                raise refused_error(exc, self._secrets) from exc
        finally:
            if admission.held:  # what no layer took (the request never got that far)
                await admission.give_back()
        # httpx links a reply and its stream both ways, so every reply would be garbage
        # for the cyclic collector, whose runs cost a quarter of a call's CPU; the body is
        # read and the stream closed, so the link is cut (benchmarks/bench_client.py).
        response.stream = _READ
        if collector is not None:
            collector.record(raw_response(route, response, time.perf_counter() - started))
        return response

    async def aclose(self) -> None:
        """Close the underlying client and its transport stack."""
        await self._client.aclose()


def _with_query(params: dict[str, Any] | None, options: CallOptions) -> dict[str, Any] | None:
    """The call's query with ``extra_query`` added; a field the call sets is refused."""
    if not options.query:
        return params
    merged = dict(params or {})
    for name, value in options.query:
        if name in merged:
            raise ArgumentError("extra_query", f"may not set {name!r}: the call sets it")
        merged[name] = value
    return merged


def _detail(exc: httpx.HTTPError) -> str:
    return f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__


def _result(response: httpx.Response, known: KnownSecrets, result: type[T]) -> T:
    """The reply's model, or the `APIError` for a reply that is not its success."""
    body = success_payload(response, known)
    try:
        # A delete's reply carries "data": [] (PHP's empty array).
        fields = body["data"] or {}
        if getattr(result, "_envelope_message", False):
            # A model that asks for it (a send's reply) gets the envelope's `message`;
            # any other keeps the `message` of its own data (a template's text).
            message = body.get("message")
            fields = {**fields, "message": message.strip() if isinstance(message, str) else ""}
        return _late().structure(fields, result)  # type: ignore[no-any-return]
    except Exception as exc:
        failure = _failure(exc)
    # Raised outside the handler, so not chained: the parse error quotes the reply.
    raise misfit_error(response, known, result, failure)


def _failure(exc: Exception) -> str:
    """A parse error's type and message, for a message that will be scrubbed."""
    return f"{type(exc).__name__}: {exc}"


def _page(
    response: httpx.Response, known: KnownSecrets, number: int, item: type[T]
) -> tuple[list[T], PageMeta]:
    """A list reply's items and meta; an `APIError` for one that cannot be walked."""
    late = _late()
    body = success_payload(response, known)
    data = body["data"]
    raw_meta = body.get("meta")

    def malformed(what: str) -> APIError:
        return unexpected_reply(response, known, f"{_route_text(response)}: {what}")

    if not isinstance(data, list):
        raise malformed("a list reply whose data is not a list")
    if raw_meta is None:
        # GET phone-numbers without `limit` answers the whole list, `"links": []`, no meta.
        if number != 1:
            raise malformed(f"asked for page {number}, got an unpaginated list")
        meta = late.page_meta(1, 1, len(data), len(data))
    else:
        failure: str | None = None
        try:
            meta = late.structure(raw_meta, late.page_meta)
        except Exception as exc:
            failure = _failure(exc)
        if failure is not None:  # raised outside the handler: the parse error quotes the reply
            raise malformed(f"pagination meta that cannot be read ({failure})")
        if meta.current_page != number:
            # A server that does not advance would otherwise be walked forever.
            raise malformed(
                f"asked for page {number}, the server answered page {meta.current_page}"
            )
    hook = late.structure_hook(item)
    try:
        return [hook(entry, item) for entry in data], meta
    except Exception as exc:
        failure = _failure(exc)
    # Raised outside the handler, so not chained: the parse error quotes the reply.
    raise malformed(f"an item does not fit {item.__name__}: {failure}")


def _route_text(response: httpx.Response) -> str:
    return f"{response.request.method} {response.request.url.path}"
