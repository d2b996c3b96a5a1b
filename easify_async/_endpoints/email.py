"""``easify.email``: send an email; list the account's senders."""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import (
    AsyncGenerator,
    AsyncIterable,
    Callable,
    Iterable,
    Mapping,
    Sequence,
)
from typing import TYPE_CHECKING, Any

from attrs import field, frozen

from .._bulk._models import EmailMessage
from .._encoding import Encoded, encode
from .._http import HttpCore
from .._options import ReadOptions, RequestOptions, Unpack
from .._requests import EmailSendRequest
from .._routes import EMAIL_SEND
from .._validation import (
    FileInput,
    Upload,
    check_email,
    is_named_file,
    read_upload,
    schedule_fields,
)
from ..errors import ArgumentError, InvalidFileError, MissingContentError
from ..models import EmailSent
from ._common import file_or_url, has_text, send_many

if TYPE_CHECKING:
    from .._bulk import BulkProgress, EmailResult
    from .._models.email import EmailSender
    from .._pagination import AsyncPaginator
    from ..ledgers import Ledger

__all__ = ["Email", "encode_email_send"]


@frozen
class Email:
    """Email calls; reach it as ``easify.email``."""

    _http: HttpCore = field(repr=False)
    _bulk_concurrency: int = field(kw_only=True)

    async def send(
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
                (``AsyncEasify(ledger=...)``): a later call with the key returns this
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
            >>> await easify.email.send(  # doctest: +SKIP
            ...     "qa@example.com", "ann@example.com", "Hi", message="<p>Hi</p>"
            ... )
        """
        item = EmailMessage(
            sender,
            receiver,
            subject,
            message=message,
            attachment=attachment,
            enable_unsubscribe=enable_unsubscribe,
            schedule_time=schedule_time,
            schedule_timezone=schedule_timezone,
            additional_data=additional_data,
            from_name=from_name,
        )
        return await self._http.call_once(
            EMAIL_SEND, encode_email_send(item), idempotency_key, options=options
        )

    def send_many(
        self,
        items: Iterable[EmailMessage] | AsyncIterable[EmailMessage],
        *,
        journal: str | os.PathLike[str] | Ledger | None = None,
        concurrency: int | None = None,
        on_progress: Callable[[BulkProgress], object] | None = None,
        resend_ambiguous: bool = False,
        max_failures: int | None = None,
        **options: Unpack[RequestOptions],
    ) -> AsyncGenerator[EmailResult, None]:
        """Send many emails at the full rate limit; one `EmailResult` per item.

        The same streaming, journal and resume rules as ``easify.sms.send_many``.
        """
        from .._bulk import EmailResult

        return send_many(
            self._http,
            items,
            route=EMAIL_SEND,
            encode=encode_email_send,
            id_of=lambda sent: sent.email_id,
            make_result=lambda *, remote_id, **fields: EmailResult(email_id=remote_id, **fields),
            concurrency=self._bulk_concurrency if concurrency is None else concurrency,
            journal=journal,
            on_progress=on_progress,
            resend_ambiguous=resend_ambiguous,
            max_failures=max_failures,
            kind="email",
            options=options,
        )

    def senders(
        self, *, limit: int | None = None, **options: Unpack[ReadOptions]
    ) -> AsyncPaginator[EmailSender]:
        """The account's active, verified senders, page by page.

        Args:
            limit: the page size (100 by default).

        Raises:
            ArgumentError: ``limit`` is not a positive integer (before any request).

        Examples:
            >>> async for sender in easify.email.senders():  # doctest: +SKIP
            ...     print(sender.from_email, sender.from_name)
        """
        from .._requests import NoQuery
        from .._routes import EMAIL_SENDERS

        return self._http.paginate(EMAIL_SENDERS, NoQuery(), limit=limit, options=options)


def encode_email_send(item: EmailMessage) -> Encoded[EmailSendRequest]:
    """Validate an email (`Email.send`'s arguments) and encode it; raises `ArgumentError`."""
    sender = check_email("sender", item.sender)
    receiver = check_email("receiver", item.receiver)
    subject, message, attachment = item.subject, item.message, item.attachment
    if not isinstance(subject, str) or not subject.strip():
        raise ArgumentError("subject", "must not be empty")
    if not has_text(message) and attachment is None:
        raise MissingContentError("message", "give a message, an attachment, or both")
    time_text, zone = schedule_fields(item.schedule_time, item.schedule_timezone)
    url, uploads = _attachments(attachment)
    request = EmailSendRequest(
        sender=sender,
        receiver=receiver,
        subject=subject,
        message=message if has_text(message) else None,
        attachment=url,
        enable_unsubscribe=bool(item.enable_unsubscribe),
        schedule_time=time_text,
        schedule_timezone=zone,
        additional_data=_json_mapping(item.additional_data),
        from_name=item.from_name,
    )
    return encode(request, uploads=uploads)


def _attachments(
    attachment: FileInput | Sequence[FileInput] | None,
) -> tuple[str | None, list[tuple[str, Upload]]]:
    if attachment is None:
        return None, []
    if is_named_file(attachment):  # one file, not a list of two
        return None, [("attachment", read_upload("attachment", attachment))]
    if isinstance(attachment, Sequence) and not isinstance(attachment, (str, bytes)):
        if not attachment:
            raise InvalidFileError("attachment", "an empty list: give at least one file, or None")
        # Several files: Laravel reads repeated "name[]" fields as an array.
        uploads = []
        for index, item in enumerate(attachment):
            url, upload = file_or_url(f"attachment[{index}]", item)
            if upload is None:
                raise ArgumentError("attachment", "a URL cannot be mixed into a list of files")
            uploads.append(("attachment[]", upload))
        return None, uploads
    url, upload = file_or_url("attachment", attachment)
    return url, [] if upload is None else [("attachment", upload)]


def _json_mapping(data: Mapping[str, Any] | None) -> dict[str, Any] | None:
    if data is None:
        return None
    if not isinstance(data, Mapping):
        raise ArgumentError("additional_data", "expected a mapping")
    try:
        # Round-trip now so that a value JSON cannot carry fails here, not mid-request.
        result: dict[str, Any] = json.loads(json.dumps(dict(data)))
    except (TypeError, ValueError) as exc:
        raise ArgumentError("additional_data", f"not JSON-serialisable: {exc}") from exc
    return result
