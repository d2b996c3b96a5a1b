"""``easify.sms``: send an SMS/MMS, read its status, wait for its final status; the
report, chat history and templates."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import AsyncGenerator, AsyncIterable, Callable, Iterable
from typing import TYPE_CHECKING

import anyio
import attrs

from .._bulk._models import SmsMessage
from .._encoding import Encoded, encode
from .._http import HttpCore
from .._options import ReadOptions, RequestOptions, Unpack, WaitOptions
from .._requests import SmsSendRequest, SmsStatusRequest
from .._routes import SMS_CHAT_HISTORY, SMS_REPORT, SMS_SEND, SMS_STATUS, SMS_TEMPLATES
from .._validation import (
    FileInput,
    check_seconds,
    check_wait,
    sender_number,
    split_phone_number,
)
from ..errors import ArgumentError, MissingContentError, WaitTimeoutError
from ..models import SmsSent, SmsStatus, SmsStatusInfo
from ._arguments import Order, api_date, date_chunks, order_value, report_status
from ._common import file_or_url, has_text, optional_text, send_many

if TYPE_CHECKING:
    from .._bulk import BulkProgress, SmsResult
    from .._models.sms import SmsRecord, SmsTemplate
    from .._pagination import AsyncPaginator
    from ..ledgers import Ledger

__all__ = ["Sms", "encode_sms_send"]


@attrs.frozen
class Sms:
    """SMS and MMS calls; reach it as ``easify.sms``."""

    _http: HttpCore = attrs.field(repr=False)
    _bulk_concurrency: int = attrs.field(kw_only=True)

    async def send(
        self,
        from_number: str,
        to_number: str,
        *,
        message: str | None = None,
        country_code: str | None = None,
        media: FileInput | None = None,
        lead_id: str | int | None = None,
        force_send: bool = False,
        idempotency_key: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> SmsSent:
        """Send an SMS, or an MMS when ``media`` is given.

        Args:
            from_number: one of the token's Easify numbers, national or E.164.
            to_number: the recipient, national (then ``country_code`` is required) or
                international, which implies the country code: E.164 (``+13151350000``)
                or with the ``00`` prefix (``0044 7700 900123``).
            message: the text; required unless ``media`` is given.
            country_code: ``+1``, ``+44`` or ``+972``.
            media: a URL, a path, bytes or a binary file object (sent as multipart); an
                empty file is refused.
            lead_id: your CRM's lead id, linking the SMS to the lead.
            force_send: send now even outside the account's business hours (otherwise
                such a send is scheduled and its status reads ``Scheduled``).
            idempotency_key: names this request in the client's ledger
                (``AsyncEasify(ledger=...)``): a later call with the key returns this
                call's result, or raises its refusal, without a request; with other
                arguments it is an `ArgumentError`. See the idempotency guide.

        Raises:
            ArgumentError: before anything is sent, for a bad argument (e.g.
                `InvalidPhoneNumberError`, `UnsupportedCountryError`, `InvalidFileError`,
                `MissingContentError`).
            APIError: the server refused, e.g. `InvalidSenderError` for a ``from_number``
                the token does not own, `InsufficientCreditsError` (see
                `easify_async.errors`); ``maybe_sent`` says whether it may have gone.
            APIConnectionError: no usable reply; ``maybe_sent`` tells whether it may have gone.
            JournalError: with ``idempotency_key``: its outcome is unknown until settled
                (`UnknownOutcomeError`), another live caller holds it (`KeyInProgressError`),
                or the ledger cannot be used (`LedgerUnavailableError`); nothing was sent.

        Examples:
            >>> sent = await easify.sms.send(  # doctest: +SKIP
            ...     "3152930000", "+13151350000", message="Hi"
            ... )
        """
        item = SmsMessage(
            from_number,
            to_number,
            message=message,
            country_code=country_code,
            media=media,
            lead_id=lead_id,
            force_send=force_send,
        )
        return await self._http.call_once(
            SMS_SEND, encode_sms_send(item), idempotency_key, options=options
        )

    def send_many(
        self,
        items: Iterable[SmsMessage] | AsyncIterable[SmsMessage],
        *,
        journal: str | os.PathLike[str] | Ledger | None = None,
        concurrency: int | None = None,
        on_progress: Callable[[BulkProgress], object] | None = None,
        resend_ambiguous: bool = False,
        max_failures: int | None = None,
        **options: Unpack[RequestOptions],
    ) -> AsyncGenerator[SmsResult, None]:
        """Send many SMS at the full rate limit; yield one `SmsResult` per item as it completes.

        Items stream through in constant memory: only as many are read ahead as can be
        in flight. A bad item becomes a ``FAILED`` result; the rest still go out.

        Args:
            items: `SmsMessage` specs, from any iterable or async iterable.
            journal: an SQLite file recording each item before and after its request.
                Run again with the same journal, sent and failed items are skipped,
                items that certainly did not go out are sent, and items a crash left
                mid-request are reported ``MAYBE_SENT`` instead of being resent.
                Or a ledger (``easify_async.ledgers``): each item is sent with its
                ``key`` as its idempotency key (every item needs one), so a run can be
                resumed on another machine and several workers can share one input:
                an item another run sent is ``ALREADY_SENT`` (with its id), one another
                worker holds now is waited for (the ledger's ``wait``), one whose
                outcome is unknown is ``MAYBE_SENT`` until settled in the ledger.
            concurrency: items in progress at once; the send limit by default, at
                most `MAX_CONCURRENCY` (1000).
            on_progress: called with a `BulkProgress` after each result.
            resend_ambiguous: resend the journal's ``MAYBE_SENT`` items.
            max_failures: stop after this many failures in a row (``FAILED``,
                ``NOT_SENT`` or ``MAYBE_SENT`` results; a sent item resets the count).

        Stop rules: the run also stops at the first refusal no other item can pass (the
        token, the plan, the subscription, the credits, the sender; see
        ``easify_async.bulk``). Requests already out then finish and are journaled with
        what they got; items not sent yet are left unsent, without a result.

        Raises:
            BulkStoppedError: after the last result, when a stop rule ended the run.
            JournalError: the journal cannot be used or written.

        Examples:
            >>> async for result in easify.sms.send_many(rows, journal="run.db"):  # doctest: +SKIP
            ...     print(result.key, result.outcome, result.sms_id or result.error)
        """
        from .._bulk import SmsResult

        return send_many(
            self._http,
            items,
            route=SMS_SEND,
            encode=encode_sms_send,
            id_of=lambda sent: sent.sms_id,
            make_result=lambda *, remote_id, **fields: SmsResult(sms_id=remote_id, **fields),
            concurrency=self._bulk_concurrency if concurrency is None else concurrency,
            journal=journal,
            on_progress=on_progress,
            resend_ambiguous=resend_ambiguous,
            max_failures=max_failures,
            kind="sms",
            options=options,
        )

    async def status(self, sms_id: str | int, **options: Unpack[ReadOptions]) -> SmsStatusInfo:
        """The delivery status of a sent SMS.

        Raises:
            ArgumentError: before any request, for an empty ``sms_id``.
            InvalidSmsIdError: the server does not know ``sms_id``.
            APIError: another refusal (see `easify_async.errors`).
            APIConnectionError: no usable reply, after the retries allowed.

        Examples:
            >>> info = await easify.sms.status(sent.sms_id)  # doctest: +SKIP
            >>> info.status is SmsStatus.DELIVERED  # doctest: +SKIP
        """
        text = _sms_id(sms_id)
        request = SmsStatusRequest(sms_id=text)
        return await self._http.call(SMS_STATUS, encode(request, query=True), options=options)

    async def wait_for_final_status(
        self,
        sms_id: str | int,
        *,
        timeout: float,  # noqa: ASYNC109 - the contract's name; applied with anyio.move_on_after
        poll_interval: float = 5.0,
        **options: Unpack[WaitOptions],
    ) -> SmsStatusInfo:
        """Poll the status until it is delivered, undelivered or failed.

        Polls go through the status rate limit like any other call.

        Raises:
            ArgumentError: before any request, for an empty ``sms_id``, a ``timeout`` that
                is NaN or below 0, or a ``poll_interval`` that is not a finite number of
                seconds above 0.
            WaitTimeoutError: no final status within ``timeout`` seconds (a
                ``TimeoutError``); it names the id and the last status read.
            APIError: a status call was refused (see `status`).
            APIConnectionError: a status call got no usable reply.

        Examples:
            >>> final = await easify.sms.wait_for_final_status(  # doctest: +SKIP
            ...     sent.sms_id, timeout=600
            ... )
        """
        text = _sms_id(sms_id)
        check_wait("timeout", timeout)
        check_seconds("poll_interval", poll_interval)
        last: SmsStatusInfo | None = None
        with anyio.move_on_after(timeout):
            while True:
                last = await self.status(text, **options)
                if last.status.is_final:
                    return last
                await anyio.sleep(poll_interval)
        raise WaitTimeoutError(
            "SMS", text, last_status=None if last is None else last.status, timeout=timeout
        )

    def report(
        self,
        *,
        from_date: dt.date | str,
        to_date: dt.date | str,
        status: SmsStatus | str | None = None,
        sender: str | None = None,
        receiver: str | None = None,
        country_code: str | None = None,
        order: Order = "desc",
        limit: int | None = None,
        **options: Unpack[ReadOptions],
    ) -> AsyncPaginator[SmsRecord]:
        """Every SMS sent between two dates (both included), page by page.

        The API answers at most 30 days a query; a longer range is walked as
        consecutive queries of up to 30 days, in the order asked for (newest range
        first for ``desc``), so the records still come in ``order``.

        Args:
            from_date: the first day, a `datetime.date` or ``"YYYY-MM-DD"``.
            to_date: the last day; not before ``from_date``.
            status: only this `SmsStatus`.
            sender: only from this Easify number (national or E.164).
            receiver: only to this number, E.164 or national with ``country_code``.
            country_code: ``receiver``'s country code when it is national.
            order: ``"desc"`` (newest first, the API's default) or ``"asc"``.
            limit: the page size (100 by default).

        Raises:
            ArgumentError: at the call, before any request.

        Examples:
            >>> async for record in easify.sms.report(  # doctest: +SKIP
            ...     from_date="2026-11-01", to_date="2026-11-30", status="Failed"
            ... ):
            ...     print(record.receiver, record.reason)
        """
        from .._requests import SmsReportQuery

        start, end = api_date("from_date", from_date), api_date("to_date", to_date)
        if start > end:
            raise ArgumentError("from_date", f"{start} is after to_date {end}")
        code: str | None = None
        national: str | None = None
        if receiver is not None:
            code, national = split_phone_number("receiver", receiver, country_code)
        elif country_code is not None:
            raise ArgumentError("country_code", "given without receiver")
        base = SmsReportQuery(
            from_date=start.isoformat(),
            to_date=end.isoformat(),
            status=report_status(status),
            sender=None if sender is None else sender_number(sender, "sender"),
            receiver=national,
            country_code=code,
            order=order_value(order),
        )
        queries = [
            attrs.evolve(base, from_date=first.isoformat(), to_date=last.isoformat())
            for first, last in date_chunks(start, end, newest_first=base.order == "desc")
        ]
        return self._http.paginate(SMS_REPORT, queries, limit=limit, options=options)

    def chat_history(
        self,
        sender: str,
        receiver: str,
        *,
        country_code: str | None = None,
        limit: int | None = None,
        **options: Unpack[ReadOptions],
    ) -> AsyncPaginator[SmsRecord]:
        """The conversation between one of your numbers and another party.

        ``await`` it for the first page, or ``async for`` over every message.

        Args:
            sender: your Easify number, national or E.164.
            receiver: the other party, E.164 or national with ``country_code``.
            country_code: ``receiver``'s country code when it is national.
            limit: the page size (100 by default).

        Examples:
            >>> chat = await easify.sms.chat_history("3152930000", "+13151350000")  # doctest: +SKIP
            >>> [m.message for m in chat.items]  # doctest: +SKIP
        """
        from .._requests import ChatHistoryQuery

        code, national = split_phone_number("receiver", receiver, country_code)
        query = ChatHistoryQuery(
            sender=sender_number(sender, "sender"), receiver=national, country_code=code
        )
        return self._http.paginate(SMS_CHAT_HISTORY, query, limit=limit, options=options)

    def templates(
        self, *, limit: int | None = None, **options: Unpack[ReadOptions]
    ) -> AsyncPaginator[SmsTemplate]:
        """The SMS templates approved in the web app (for ``campaigns.send``).

        Examples:
            >>> async for template in easify.sms.templates():  # doctest: +SKIP
            ...     print(template.id, template.name)
        """
        from .._requests import NoQuery

        return self._http.paginate(SMS_TEMPLATES, NoQuery(), limit=limit, options=options)


def _sms_id(sms_id: str | int) -> str:
    text = optional_text("sms_id", sms_id)
    if text is None or not text.strip():
        raise ArgumentError("sms_id", "must not be empty")
    return text.strip()


def encode_sms_send(item: SmsMessage) -> Encoded[SmsSendRequest]:
    """Validate an SMS (`Sms.send`'s arguments) and encode it; raises `ArgumentError`."""
    message, media = item.message, item.media
    if not has_text(message) and media is None:
        raise MissingContentError("message", "give a message, media, or both")
    code, national_to = split_phone_number("to_number", item.to_number, item.country_code)
    national_from = sender_number(item.from_number)
    media_url, upload = file_or_url("media", media) if media is not None else (None, None)
    request = SmsSendRequest(
        from_number=national_from,
        to_number=national_to,
        country_code=code,
        message=message if has_text(message) else None,
        media=media_url,
        lead_id=optional_text("lead_id", item.lead_id),
        force_send=bool(item.force_send),
    )
    uploads = [("media", upload)] if upload is not None else []
    return encode(request, uploads=uploads)
