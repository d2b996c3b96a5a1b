"""The blocking client `Easify` and its groups: GENERATED, do not edit.

Written by ``python -m easify_async._sync_gen`` from the async client's groups
(signatures and docstrings); the calls run the async ones (see ``_sync``).
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

from ._client import DEFAULT_TIMEOUT, AsyncEasify
from ._rate_limits import RateLimits
from ._sync import BlockingClient, hold

if TYPE_CHECKING:
    import datetime as dt
    import os
    from collections.abc import Callable, Generator, Iterable, Mapping, Sequence
    from typing import Any

    import httpx

    from ._bulk import BulkProgress, ContactResult, EmailResult, EmailV3Result, SmsResult
    from ._bulk._models import EmailMessage, EmailV3Message, NewContact, SmsMessage
    from ._endpoints import campaigns as _async_campaigns
    from ._endpoints import contact_groups as _async_contact_groups
    from ._endpoints import contacts as _async_contacts
    from ._endpoints import email as _async_email
    from ._endpoints import phone_numbers as _async_phone_numbers
    from ._endpoints import sms as _async_sms
    from ._endpoints import sub_users as _async_sub_users
    from ._endpoints import v3 as _async_v3
    from ._endpoints import voice_calls as _async_voice_calls
    from ._endpoints._arguments import Order
    from ._models.accounts import SubUser
    from ._models.calls import VoiceCall
    from ._models.campaigns import CampaignItem, CampaignSent, CampaignStatusInfo
    from ._models.contacts import Contact, ContactGroup
    from ._models.email import EmailRecipientStatus, EmailSender
    from ._models.numbers import PhoneNumber
    from ._models.sms import SmsRecord, SmsTemplate
    from ._options import ReadOptions, RequestOptions, Unpack, WaitOptions
    from ._sync import Paginator, Runner
    from ._validation import FileInput
    from .ledgers import Ledger
    from .limiters import Limiter
    from .models import EmailSent, SmsSent, SmsStatus, SmsStatusInfo

__all__ = [
    "Campaigns",
    "ContactGroups",
    "Contacts",
    "Easify",
    "Email",
    "EmailV3",
    "PhoneNumbers",
    "Sms",
    "SubUsers",
    "V3",
    "VoiceCalls",
]


class Easify(BlockingClient):
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
    `Paginator`: ``for`` over every item, or ``first_page()`` for the first `SyncPage`.

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
        >>> with Easify() as easify:  # doctest: +SKIP
        ...     sent = easify.sms.send("3152930000", "+13151350000", message="Hi")
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
        rate_limits: RateLimits | None = RateLimits(),  # noqa: B008 - the async default, a frozen value
        limiter: Limiter | None = None,
        http_client: httpx.AsyncClient | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        ledger: Ledger | None = None,
    ) -> None:
        try:
            self._start(
                AsyncEasify,
                api_token=hold(api_token),
                base_url=base_url,
                timeout=timeout,
                max_retries=max_retries,
                retry_deadline=retry_deadline,
                resend_ambiguous=resend_ambiguous,
                rate_limits=rate_limits,
                limiter=limiter,
                http_client=http_client,
                transport=transport,
                ledger=ledger,
            )
        finally:
            del api_token  # held as a Secret only, as in AsyncEasify

    @functools.cached_property
    def sms(self) -> Sms:
        """SMS and MMS: ``send``, ``send_many``, ``status``, ``wait_for_final_status``,
        ``report``, ``chat_history``, ``templates``.
        """
        return Sms(self._runner, self._group("sms"))

    @functools.cached_property
    def email(self) -> Email:
        """Email: ``send``, ``send_many``, ``senders``."""
        return Email(self._runner, self._group("email"))

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
    ) -> Easify:
        """A client with some settings changed, sharing this one's connections and limiter.

        An argument left out (``None``) keeps this client's setting. The new client
        sends through this client's connection pool and takes its slots from the same
        limiter: with the same token it shares the token's budget; with another token
        (a sub-user's) it has that token's own budget. Closing it (``with``,
        ``close``) leaves this client and the pool open; only the client that made the
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
            >>> for sub in easify.sub_users.list():  # doctest: +SKIP
            ...     with easify.with_options(api_token=sub.easify_api_token) as as_sub:
            ...         as_sub.sms.send("3152930000", "+13151350000", message="Hi")
        """
        try:
            return self._child(
                self._client.with_options,
                api_token=hold(api_token),
                base_url=base_url,
                timeout=timeout,
                max_retries=max_retries,
                retry_deadline=retry_deadline,
                resend_ambiguous=resend_ambiguous,
                headers=headers,
                ledger=ledger,
            )
        finally:
            del api_token

    @functools.cached_property
    def v3(self) -> V3:
        """The API's v3 calls on the same token, limiter and connections: ``v3.email``
        (``send`` to several recipients with CC and BCC, ``send_many``, ``status``).

        Its base URL is ``base_url`` with ``/v3`` in place of the final ``/v2``.

        Raises:
            ArgumentError: ``base_url`` does not end in ``/v2``, so the v3 URL is unknown.
        """
        return V3(self._runner, self._group("v3"))

    @functools.cached_property
    def voice_calls(self) -> VoiceCalls:
        """Voice calls: ``history``."""
        return VoiceCalls(self._runner, self._group("voice_calls"))

    @functools.cached_property
    def sub_users(self) -> SubUsers:
        """The main account's sub-users and their tokens: ``list``."""
        return SubUsers(self._runner, self._group("sub_users"))

    @functools.cached_property
    def contact_groups(self) -> ContactGroups:
        """Contact groups: ``list``, ``create``, ``update``, ``delete``."""
        return ContactGroups(self._runner, self._group("contact_groups"))

    @functools.cached_property
    def contacts(self) -> Contacts:
        """Contacts: ``list``, ``create``, ``create_many``, ``update``, ``delete``."""
        return Contacts(self._runner, self._group("contacts"))

    @functools.cached_property
    def phone_numbers(self) -> PhoneNumbers:
        """The account's numbers: ``list``, ``update_webhook``."""
        return PhoneNumbers(self._runner, self._group("phone_numbers"))

    @functools.cached_property
    def campaigns(self) -> Campaigns:
        """SMS campaigns: ``send``, ``status``, ``items``, ``wait_for_completion``."""
        return Campaigns(self._runner, self._group("campaigns"))


class Sms:
    """SMS and MMS calls; reach it as ``easify.sms``."""

    def __init__(self, runner: Runner, group: _async_sms.Sms) -> None:
        self._runner = runner
        self._group = group

    def send(
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
                (``Easify(ledger=...)``): a later call with the key returns this
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
            >>> sent = easify.sms.send(  # doctest: +SKIP
            ...     "3152930000", "+13151350000", message="Hi"
            ... )
        """
        return self._runner.call(
            self._group.send,
            from_number=from_number,
            to_number=to_number,
            message=message,
            country_code=country_code,
            media=media,
            lead_id=lead_id,
            force_send=force_send,
            idempotency_key=idempotency_key,
            **options,
        )

    def send_many(
        self,
        items: Iterable[SmsMessage],
        *,
        journal: str | os.PathLike[str] | Ledger | None = None,
        concurrency: int | None = None,
        on_progress: Callable[[BulkProgress], object] | None = None,
        resend_ambiguous: bool = False,
        max_failures: int | None = None,
        **options: Unpack[RequestOptions],
    ) -> Generator[SmsResult, None, None]:
        """Send many SMS at the full rate limit; yield one `SmsResult` per item as it completes.

        Items stream through in constant memory: only as many are read ahead as can be
        in flight. A bad item becomes a ``FAILED`` result; the rest still go out.

        Args:
            items: `SmsMessage` specs, from any iterable.
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
            >>> for result in easify.sms.send_many(rows, journal="run.db"):  # doctest: +SKIP
            ...     print(result.key, result.outcome, result.sms_id or result.error)
        """
        return self._runner.generate(
            self._group.send_many,
            items=items,
            journal=journal,
            concurrency=concurrency,
            on_progress=on_progress,
            resend_ambiguous=resend_ambiguous,
            max_failures=max_failures,
            **options,
        )

    def status(
        self,
        sms_id: str | int,
        **options: Unpack[ReadOptions],
    ) -> SmsStatusInfo:
        """The delivery status of a sent SMS.

        Raises:
            ArgumentError: before any request, for an empty ``sms_id``.
            InvalidSmsIdError: the server does not know ``sms_id``.
            APIError: another refusal (see `easify_async.errors`).
            APIConnectionError: no usable reply, after the retries allowed.

        Examples:
            >>> info = easify.sms.status(sent.sms_id)  # doctest: +SKIP
            >>> info.status is SmsStatus.DELIVERED  # doctest: +SKIP
        """
        return self._runner.call(self._group.status, sms_id=sms_id, **options)

    def wait_for_final_status(
        self,
        sms_id: str | int,
        *,
        timeout: float,
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
            >>> final = easify.sms.wait_for_final_status(  # doctest: +SKIP
            ...     sent.sms_id, timeout=600
            ... )
        """
        return self._runner.call(
            self._group.wait_for_final_status,
            sms_id=sms_id,
            timeout=timeout,
            poll_interval=poll_interval,
            **options,
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
    ) -> Paginator[SmsRecord]:
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
            >>> for record in easify.sms.report(  # doctest: +SKIP
            ...     from_date="2026-11-01", to_date="2026-11-30", status="Failed"
            ... ):
            ...     print(record.receiver, record.reason)
        """
        return self._runner.paginate(
            self._group.report,
            from_date=from_date,
            to_date=to_date,
            status=status,
            sender=sender,
            receiver=receiver,
            country_code=country_code,
            order=order,
            limit=limit,
            **options,
        )

    def chat_history(
        self,
        sender: str,
        receiver: str,
        *,
        country_code: str | None = None,
        limit: int | None = None,
        **options: Unpack[ReadOptions],
    ) -> Paginator[SmsRecord]:
        """The conversation between one of your numbers and another party.

        call ``first_page()`` for the first page, or ``for`` over every message.

        Args:
            sender: your Easify number, national or E.164.
            receiver: the other party, E.164 or national with ``country_code``.
            country_code: ``receiver``'s country code when it is national.
            limit: the page size (100 by default).

        Examples:
            >>> chat = easify.sms.chat_history("3152930000", "+13151350000")  # doctest: +SKIP
            >>> [m.message for m in chat.items]  # doctest: +SKIP
        """
        return self._runner.paginate(
            self._group.chat_history,
            sender=sender,
            receiver=receiver,
            country_code=country_code,
            limit=limit,
            **options,
        )

    def templates(
        self,
        *,
        limit: int | None = None,
        **options: Unpack[ReadOptions],
    ) -> Paginator[SmsTemplate]:
        """The SMS templates approved in the web app (for ``campaigns.send``).

        Examples:
            >>> for template in easify.sms.templates():  # doctest: +SKIP
            ...     print(template.id, template.name)
        """
        return self._runner.paginate(self._group.templates, limit=limit, **options)


class Email:
    """Email calls; reach it as ``easify.email``."""

    def __init__(self, runner: Runner, group: _async_email.Email) -> None:
        self._runner = runner
        self._group = group

    def send(
        self,
        sender: str,
        receiver: str,
        subject: str,
        *,
        message: str | None = None,
        attachment: FileInput | Sequence[FileInput] | None = None,
        enable_unsubscribe: bool = False,
        schedule_time: dt.datetime | str | None = None,
        schedule_timezone: str | None = None,
        additional_data: Mapping[str, Any] | None = None,
        from_name: str | None = None,
        idempotency_key: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> EmailSent:
        """Send one email (API v2, one receiver).

        Args:
            sender: one of the account's verified sender addresses.
            receiver: the recipient address.
            subject: the subject line.
            message: the body (HTML allowed); required unless ``attachment`` is given.
            attachment: a URL, path, bytes or binary file object, or a non-empty sequence
                of files; an empty file is refused.
            enable_unsubscribe: add an unsubscribe link to the email.
            schedule_time: when to send, refused if past: an aware datetime (its zone
                becomes ``schedule_timezone``), a naive one with ``schedule_timezone``, or
                the API's ``"YYYY-MM-DD HH:MM:SS"``. Without ``schedule_timezone`` that
                string is in the account's zone, which the SDK does not know: it is sent
                unchecked unless it is past in every zone. A naive datetime without
                ``schedule_timezone`` is refused: it names no zone.
            schedule_timezone: IANA zone of ``schedule_time``; the account's by default.
            additional_data: JSON-able data echoed back in the email webhooks.
            from_name: overrides the sender's default from name.
            idempotency_key: names this request in the client's ledger
                (``Easify(ledger=...)``): a later call with the key returns this
                call's result, or raises its refusal, without a request; with other
                arguments it is an `ArgumentError`. See the idempotency guide.

        Raises:
            ArgumentError: before anything is sent, for a bad argument (e.g.
                `InvalidEmailError`, `InvalidScheduleError`, `InvalidFileError`,
                `MissingContentError`).
            APIError: the server refused, e.g. `InvalidSenderError` for a sender the
                account has not verified, `InvalidEmailAddressError`, `ValidationError`
                (see `easify_async.errors`); ``maybe_sent`` says whether it may have gone.
            APIConnectionError: no usable reply; ``maybe_sent`` tells whether it may have gone.
            JournalError: with ``idempotency_key``: its outcome is unknown until settled
                (`UnknownOutcomeError`), another live caller holds it (`KeyInProgressError`),
                or the ledger cannot be used (`LedgerUnavailableError`); nothing was sent.

        Examples:
            >>> easify.email.send(  # doctest: +SKIP
            ...     "qa@example.com", "ann@example.com", "Hi", message="<p>Hi</p>"
            ... )
        """
        return self._runner.call(
            self._group.send,
            sender=sender,
            receiver=receiver,
            subject=subject,
            message=message,
            attachment=attachment,
            enable_unsubscribe=enable_unsubscribe,
            schedule_time=schedule_time,
            schedule_timezone=schedule_timezone,
            additional_data=additional_data,
            from_name=from_name,
            idempotency_key=idempotency_key,
            **options,
        )

    def send_many(
        self,
        items: Iterable[EmailMessage],
        *,
        journal: str | os.PathLike[str] | Ledger | None = None,
        concurrency: int | None = None,
        on_progress: Callable[[BulkProgress], object] | None = None,
        resend_ambiguous: bool = False,
        max_failures: int | None = None,
        **options: Unpack[RequestOptions],
    ) -> Generator[EmailResult, None, None]:
        """Send many emails at the full rate limit; one `EmailResult` per item.

        The same streaming, journal and resume rules as ``easify.sms.send_many``.
        """
        return self._runner.generate(
            self._group.send_many,
            items=items,
            journal=journal,
            concurrency=concurrency,
            on_progress=on_progress,
            resend_ambiguous=resend_ambiguous,
            max_failures=max_failures,
            **options,
        )

    def senders(
        self,
        *,
        limit: int | None = None,
        **options: Unpack[ReadOptions],
    ) -> Paginator[EmailSender]:
        """The account's active, verified senders, page by page.

        Args:
            limit: the page size (100 by default).

        Raises:
            ArgumentError: ``limit`` is not a positive integer (before any request).

        Examples:
            >>> for sender in easify.email.senders():  # doctest: +SKIP
            ...     print(sender.from_email, sender.from_name)
        """
        return self._runner.paginate(self._group.senders, limit=limit, **options)


class EmailV3:
    """v3 email calls; reach it as ``easify.v3.email``."""

    def __init__(self, runner: Runner, group: _async_v3.EmailV3) -> None:
        self._runner = runner
        self._group = group

    def send(
        self,
        sender: str,
        receiver: Sequence[str],
        subject: str,
        *,
        cc: Sequence[str] = (),
        bcc: Sequence[str] = (),
        message: str | None = None,
        attachment: FileInput | Sequence[FileInput] | None = None,
        additional_data: Mapping[str, Any] | None = None,
        from_name: str | None = None,
        idempotency_key: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> EmailSent:
        """Send one email to several recipients, with CC and BCC (API v3).

        v3 has no scheduling and no unsubscribe link: use ``easify.email.send`` for those.

        Args:
            sender: one of the account's verified sender addresses.
            receiver: 1 to 50 recipient addresses (a single string is refused, so that a
                one-address list is never mistaken for its characters).
            subject: the subject line.
            cc: up to 50 addresses.
            bcc: up to 50 addresses.
            message: the body (HTML allowed); required unless ``attachment`` is given.
            attachment: as for ``easify.email.send``.
            additional_data: JSON-able data echoed back in the email webhooks.
            from_name: overrides the sender's default from name.
            idempotency_key: names this request in the client's ledger
                (``Easify(ledger=...)``): a later call with the key returns this
                call's result, or raises its refusal, without a request; with other
                arguments it is an `ArgumentError`. See the idempotency guide.

        Raises:
            ArgumentError: before anything is sent, for a bad argument (an empty or too
                long list, an `InvalidEmailError` naming e.g. ``cc[2]``, ...).
            APIError: the server refused (see ``easify.email.send``); ``maybe_sent`` says
                whether it may have gone.
            APIConnectionError: no usable reply; ``maybe_sent`` tells whether it may have gone.
            JournalError: with ``idempotency_key``: its outcome is unknown until settled
                (`UnknownOutcomeError`), another live caller holds it (`KeyInProgressError`),
                or the ledger cannot be used (`LedgerUnavailableError`); nothing was sent.

        Examples:
            >>> sent = easify.v3.email.send(  # doctest: +SKIP
            ...     "qa@example.com", ["a@x.example", "b@x.example"], "Hi",
            ...     cc=["c@x.example"], message="<p>Hi</p>")
        """
        return self._runner.call(
            self._group.send,
            sender=sender,
            receiver=receiver,
            subject=subject,
            cc=cc,
            bcc=bcc,
            message=message,
            attachment=attachment,
            additional_data=additional_data,
            from_name=from_name,
            idempotency_key=idempotency_key,
            **options,
        )

    def send_many(
        self,
        items: Iterable[EmailV3Message],
        *,
        journal: str | os.PathLike[str] | Ledger | None = None,
        concurrency: int | None = None,
        on_progress: Callable[[BulkProgress], object] | None = None,
        resend_ambiguous: bool = False,
        max_failures: int | None = None,
        **options: Unpack[RequestOptions],
    ) -> Generator[EmailV3Result, None, None]:
        """Send many v3 emails at the full rate limit; one `EmailV3Result` per item.

        The same engine, streaming, journal and resume rules as ``easify.sms.send_many``.
        """
        return self._runner.generate(
            self._group.send_many,
            items=items,
            journal=journal,
            concurrency=concurrency,
            on_progress=on_progress,
            resend_ambiguous=resend_ambiguous,
            max_failures=max_failures,
            **options,
        )

    def status(
        self,
        email_id: str | int,
        *,
        receiver: str | None = None,
        **options: Unpack[ReadOptions],
    ) -> list[EmailRecipientStatus]:
        """Each recipient's status of a v3 email (one item per to, cc and bcc address).

        Args:
            email_id: from ``v3.email.send``.
            receiver: only this address.

        Raises:
            ArgumentError: an empty ``email_id`` or a malformed ``receiver``.
            BadRequestError: the server does not know ``email_id``.

        Examples:
            >>> for item in easify.v3.email.status(sent.email_id):  # doctest: +SKIP
            ...     print(item.receiver, item.recipient_type, item.status)
        """
        return self._runner.call(
            self._group.status, email_id=email_id, receiver=receiver, **options
        )


class V3:
    """The API's v3 calls; reach it as ``easify.v3``.

    Same token, limiter and connections as the client; its base URL is the client's with
    ``/v3`` in place of the final ``/v2``.
    """

    def __init__(self, runner: Runner, group: _async_v3.V3) -> None:
        self._runner = runner
        self._group = group
        self.email = EmailV3(runner, group.email)
        """v3 email calls; reach it as ``easify.v3.email``."""


class VoiceCalls:
    """Voice-call calls; reach it as ``easify.voice_calls``."""

    def __init__(self, runner: Runner, group: _async_voice_calls.VoiceCalls) -> None:
        self._runner = runner
        self._group = group

    def history(
        self,
        *,
        from_number: str | None = None,
        to: Sequence[str] | None = None,
        from_date: dt.date | str | None = None,
        to_date: dt.date | str | None = None,
        public_call: bool | None = None,
        include_subusers: bool | None = None,
        order: Order = "desc",
        limit: int | None = None,
        **options: Unpack[ReadOptions],
    ) -> Paginator[VoiceCall]:
        """The account's calls, page by page, filtered as asked.

        Args:
            from_number: only calls from this number (the API's ``from``, a Python
                keyword): E.164, or a national ``+1`` number.
            to: only calls to these numbers (1 to 100), each E.164 or national ``+1``.
            from_date: the first day, a `datetime.date` or ``"YYYY-MM-DD"``.
            to_date: the last day; not before ``from_date``.
            public_call: ``True`` for only the public call records. ``False`` goes as
                ``0``, which the docs give no meaning: read as "no filter" (Laravel's
                usual ``when``, and the sandbox), it lists every call, not the others.
            include_subusers: the main user only: also its sub-users' calls.
            order: ``"desc"`` (newest first, the API's default) or ``"asc"``.
            limit: the page size (100 by default).

        Raises:
            ArgumentError: at the call, before any request.

        Examples:
            >>> calls = easify.voice_calls.history(from_date="2026-11-01")  # doctest: +SKIP
            >>> for call in calls:  # doctest: +SKIP
            ...     print(call.id, call.from_number, call.to_number, call.status)
        """
        return self._runner.paginate(
            self._group.history,
            from_number=from_number,
            to=to,
            from_date=from_date,
            to_date=to_date,
            public_call=public_call,
            include_subusers=include_subusers,
            order=order,
            limit=limit,
            **options,
        )


class SubUsers:
    """Sub-user calls; reach it as ``easify.sub_users``."""

    def __init__(self, runner: Runner, group: _async_sub_users.SubUsers) -> None:
        self._runner = runner
        self._group = group

    def list(
        self,
        email: str | None = None,
        *,
        limit: int | None = None,
        **options: Unpack[ReadOptions],
    ) -> Paginator[SubUser]:
        """The sub-users of the main account with their tokens, page by page.

        Only the main (owner) user may ask; a sub-user's token is refused with a
        `BadRequestError`. Act as a sub-user with
        ``easify.with_options(api_token=sub.easify_api_token)``.

        Args:
            email: only the sub-user with this address.
            limit: the page size (100 by default).

        Raises:
            ArgumentError: a malformed ``email`` (before any request).

        Examples:
            >>> for sub in easify.sub_users.list():  # doctest: +SKIP
            ...     as_sub = easify.with_options(api_token=sub.easify_api_token)
        """
        return self._runner.paginate(self._group.list, email=email, limit=limit, **options)


class ContactGroups:
    """Contact-group calls; reach it as ``easify.contact_groups``."""

    def __init__(self, runner: Runner, group: _async_contact_groups.ContactGroups) -> None:
        self._runner = runner
        self._group = group

    def list(
        self,
        *,
        order: Order = "desc",
        limit: int | None = None,
        **options: Unpack[ReadOptions],
    ) -> Paginator[ContactGroup]:
        """The account's groups, the main user's shared group included, page by page.

        Args:
            order: ``"desc"`` (newest first, the API's default) or ``"asc"``.
            limit: the page size (100 by default).

        Raises:
            ArgumentError: a bad ``order`` (before any request).

        Examples:
            >>> for group in easify.contact_groups.list(order="asc"):  # doctest: +SKIP
            ...     print(group.id, group.name, group.contacts_count)
        """
        return self._runner.paginate(self._group.list, order=order, limit=limit, **options)

    def create(
        self,
        *,
        name: str,
        idempotency_key: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> ContactGroup:
        """Create a group called ``name``; returns it.

        Args:
            name: the group's name.
            idempotency_key: names this request in the client's ledger
                (``Easify(ledger=...)``): a later call with the key returns this
                call's result, or raises its refusal, without a request; with other
                arguments it is an `ArgumentError`. See the idempotency guide.

        Raises:
            ArgumentError: an empty ``name``.
            ValidationError: ``"The name has already been taken."``.
            JournalError: with ``idempotency_key``: its outcome is unknown until settled
                (`UnknownOutcomeError`), another live caller holds it (`KeyInProgressError`),
                or the ledger cannot be used (`LedgerUnavailableError`); nothing was sent.
        """
        return self._runner.call(
            self._group.create, name=name, idempotency_key=idempotency_key, **options
        )

    def update(
        self,
        group_id: int,
        *,
        name: str,
        **options: Unpack[RequestOptions],
    ) -> ContactGroup:
        """Rename a group; returns it.

        Raises:
            ArgumentError: not a positive id, or an empty ``name``.
            ValidationError: ``"The name has already been taken."``.
            InvalidGroupError: no group of the account has this id.
        """
        return self._runner.call(self._group.update, group_id=group_id, name=name, **options)

    def delete(
        self,
        group_id: int,
        **options: Unpack[RequestOptions],
    ) -> None:
        """Delete a group (the API's reply carries no data).

        Raises:
            ArgumentError: not a positive id.
            InvalidGroupError: no group of the account has this id. (A delete whose reply
                was lost is retried; a retry told the id is unknown means the lost attempt
                deleted it, and returns.)
            DefaultGroupError: the account's default group, which cannot be deleted.
        """
        self._runner.call(self._group.delete, group_id=group_id, **options)


class Contacts:
    """Contact calls; reach it as ``easify.contacts``."""

    def __init__(self, runner: Runner, group: _async_contacts.Contacts) -> None:
        self._runner = runner
        self._group = group

    def list(
        self,
        group_id: int | None = None,
        *,
        order: Order = "desc",
        limit: int | None = None,
        **options: Unpack[ReadOptions],
    ) -> Paginator[Contact]:
        """The account's contacts (those of shared groups included), page by page.

        Args:
            group_id: only this group's contacts.
            order: ``"desc"`` (newest first, the API's default) or ``"asc"``.
            limit: the page size (100 by default).

        Raises:
            ArgumentError: a bad ``group_id`` or ``order`` (before any request).
        """
        return self._runner.paginate(
            self._group.list, group_id=group_id, order=order, limit=limit, **options
        )

    def create(
        self,
        *,
        group_id: int,
        first_name: str,
        last_name: str | None = None,
        phone_number: str | None = None,
        email_address: str | None = None,
        country_code: str | None = None,
        company: str | None = None,
        additional_1: str | None = None,
        additional_2: str | None = None,
        additional_3: str | None = None,
        idempotency_key: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> Contact:
        """Add a contact to a group; returns it.

        Args:
            group_id: the group it joins.
            first_name: at most 20 characters.
            last_name: at most 20 characters.
            phone_number: E.164 (``"+13151350000"``), or national with ``country_code``;
                a phone number or an email address (or both) is required.
            email_address: its address.
            country_code: ``"+1"`` (US/CA, 10 digits) or ``"+972"`` (Israel, 9 digits).
            company: its company.
            additional_1: a custom field.
            additional_2: a custom field.
            additional_3: a custom field.
            idempotency_key: names this request in the client's ledger
                (``Easify(ledger=...)``): a later call with the key returns this
                call's result, or raises its refusal, without a request; with other
                arguments it is an `ArgumentError`. See the idempotency guide.

        Raises:
            ArgumentError: a rule above broken (before any request or rate-limit slot).
            InvalidGroupError: no group of the account has this id.
            JournalError: with ``idempotency_key``: its outcome is unknown until settled
                (`UnknownOutcomeError`), another live caller holds it (`KeyInProgressError`),
                or the ledger cannot be used (`LedgerUnavailableError`); nothing was sent.
        """
        return self._runner.call(
            self._group.create,
            group_id=group_id,
            first_name=first_name,
            last_name=last_name,
            phone_number=phone_number,
            email_address=email_address,
            country_code=country_code,
            company=company,
            additional_1=additional_1,
            additional_2=additional_2,
            additional_3=additional_3,
            idempotency_key=idempotency_key,
            **options,
        )

    def create_many(
        self,
        items: Iterable[NewContact],
        *,
        journal: str | os.PathLike[str] | Ledger | None = None,
        concurrency: int | None = None,
        on_progress: Callable[[BulkProgress], object] | None = None,
        resend_ambiguous: bool = False,
        max_failures: int | None = None,
        **options: Unpack[RequestOptions],
    ) -> Generator[ContactResult, None, None]:
        """Create many contacts at the create limit (15/min); one `ContactResult` per item.

        The engine of ``easify.sms.send_many``: items stream through in constant memory,
        a bad item is a ``FAILED`` result (checked before its request), and with a
        ``journal`` a rerun skips the contacts already created, creates the ones that
        certainly were not, and reports those a crash cut off mid-request as
        ``MAYBE_SENT`` (look them up with `list` before ``resend_ambiguous=True``: the
        API has no idempotency key, so a resent one may exist twice). ``SENT`` means
        created; ``contact_id`` is its id.

        Examples:
            >>> from easify_async.bulk import NewContact
            >>> rows = [NewContact(group_id=7, first_name="Ann", phone_number="+13151350000",
            ...                    key="crm-1")]
            >>> for result in easify.contacts.create_many(rows, journal="import.db"):
            ...     print(result.key, result.outcome, result.contact_id or result.error)
            ... # doctest: +SKIP
        """
        return self._runner.generate(
            self._group.create_many,
            items=items,
            journal=journal,
            concurrency=concurrency,
            on_progress=on_progress,
            resend_ambiguous=resend_ambiguous,
            max_failures=max_failures,
            **options,
        )

    def update(
        self,
        contact_id: int,
        *,
        first_name: str,
        last_name: str | None = None,
        phone_number: str | None = None,
        email_address: str | None = None,
        country_code: str | None = None,
        company: str | None = None,
        additional_1: str | None = None,
        additional_2: str | None = None,
        additional_3: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> Contact:
        """Replace a contact's fields (the rules of `create`; its group stays); returns it.

        Raises:
            ArgumentError: a broken rule, or not a positive id (before any request).
            InvalidContactError: no contact of the account has this id.
        """
        return self._runner.call(
            self._group.update,
            contact_id=contact_id,
            first_name=first_name,
            last_name=last_name,
            phone_number=phone_number,
            email_address=email_address,
            country_code=country_code,
            company=company,
            additional_1=additional_1,
            additional_2=additional_2,
            additional_3=additional_3,
            **options,
        )

    def delete(
        self,
        contact_id: int,
        **options: Unpack[RequestOptions],
    ) -> None:
        """Delete a contact.

        Raises:
            ArgumentError: not a positive id.
            InvalidContactError: no contact of the account has this id. (A delete whose
                reply was lost is retried; a retry told the id is unknown means the lost
                attempt deleted it, and returns.)
        """
        self._runner.call(self._group.delete, contact_id=contact_id, **options)


class PhoneNumbers:
    """Phone-number calls; reach it as ``easify.phone_numbers``."""

    def __init__(self, runner: Runner, group: _async_phone_numbers.PhoneNumbers) -> None:
        self._runner = runner
        self._group = group

    def list(
        self,
        **options: Unpack[ReadOptions],
    ) -> list[PhoneNumber]:
        """Every active, approved number of the account, in one call.

        Asked without a page size, the API answers the whole list at once; should it
        paginate anyway, every page is fetched.

        Examples:
            >>> numbers = easify.phone_numbers.list()  # doctest: +SKIP
            >>> numbers[0].number  # doctest: +SKIP
            '+13152930000'
        """
        return self._runner.call(self._group.list, **options)

    def update_webhook(
        self,
        phone_number_id: int,
        *,
        webhook_url: str,
        **options: Unpack[RequestOptions],
    ) -> PhoneNumber:
        """Post the SMS that reach this number to ``webhook_url``; returns the number.

        Raises:
            ArgumentError: not a positive id, or not an http(s) URL.
            BadRequestError: ``"Invalid phone number id"``.
        """
        return self._runner.call(
            self._group.update_webhook,
            phone_number_id=phone_number_id,
            webhook_url=webhook_url,
            **options,
        )


class Campaigns:
    """SMS campaign calls; reach it as ``easify.campaigns``."""

    def __init__(self, runner: Runner, group: _async_campaigns.Campaigns) -> None:
        self._runner = runner
        self._group = group

    def send(
        self,
        campaign_name: str,
        from_numbers: Sequence[str],
        template_ids: Sequence[int],
        recipients: FileInput,
        *,
        schedule_time: dt.datetime | str | None = None,
        schedule_timezone: str | None = None,
        idempotency_key: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> CampaignSent:
        """Send a campaign: the templates' messages to every recipient of a CSV.

        Args:
            campaign_name: its name.
            from_numbers: the Easify numbers to send from, E.164 (national ``+1``
                numbers are accepted).
            template_ids: ids from ``sms.templates``.
            recipients: the recipients CSV (up to 10,000 rows): a path, bytes or a
                binary file object; read, and checked to exist and not be empty,
                before anything is sent.
            schedule_time: when to start; as for ``email.send``, an aware datetime
                also sets the zone.
            schedule_timezone: IANA zone of ``schedule_time``.
            idempotency_key: names this request in the client's ledger
                (``Easify(ledger=...)``): a later call with the key returns this
                call's result, or raises its refusal, without a request; with other
                arguments it is an `ArgumentError`. See the idempotency guide.

        Raises:
            ArgumentError: a bad argument, an unreadable or empty CSV.
            JournalError: with ``idempotency_key``: its outcome is unknown until settled
                (`UnknownOutcomeError`), another live caller holds it (`KeyInProgressError`),
                or the ledger cannot be used (`LedgerUnavailableError`); nothing was sent.

        Examples:
            >>> sent = easify.campaigns.send(  # doctest: +SKIP
            ...     "November", ["+13152930000"], [7], "recipients.csv"
            ... )
        """
        return self._runner.call(
            self._group.send,
            campaign_name=campaign_name,
            from_numbers=from_numbers,
            template_ids=template_ids,
            recipients=recipients,
            schedule_time=schedule_time,
            schedule_timezone=schedule_timezone,
            idempotency_key=idempotency_key,
            **options,
        )

    def status(
        self,
        campaign_id: int,
        **options: Unpack[ReadOptions],
    ) -> CampaignStatusInfo:
        """Where the campaign is, and its counts.

        Examples:
            >>> info = easify.campaigns.status(31529)  # doctest: +SKIP
            >>> info.status, info.success_count  # doctest: +SKIP
        """
        return self._runner.call(self._group.status, campaign_id=campaign_id, **options)

    def items(
        self,
        campaign_id: int,
        *,
        limit: int | None = None,
        **options: Unpack[ReadOptions],
    ) -> Paginator[CampaignItem]:
        """Every recipient's message of the campaign, page by page.

        Examples:
            >>> for item in easify.campaigns.items(31529):  # doctest: +SKIP
            ...     print(item.receiver, item.status)
        """
        return self._runner.paginate(
            self._group.items, campaign_id=campaign_id, limit=limit, **options
        )

    def wait_for_completion(
        self,
        campaign_id: int,
        *,
        timeout: float,
        poll_interval: float = 10.0,
        **options: Unpack[WaitOptions],
    ) -> CampaignStatusInfo:
        """Poll the status until the campaign is completed or cancelled; return it.

        ``Hold`` (out of credits, or paused in the web app) is not final: polling goes
        on. Polls go through the status rate limit like any other call.

        Raises:
            ArgumentError: before any request, for a bad ``campaign_id``, a ``timeout``
                that is NaN or below 0, or a ``poll_interval`` that is not a finite
                number of seconds above 0.
            CampaignTimeoutError: not done within ``timeout`` seconds; it carries the
                last status seen and says its counts.
        """
        return self._runner.call(
            self._group.wait_for_completion,
            campaign_id=campaign_id,
            timeout=timeout,
            poll_interval=poll_interval,
            **options,
        )
