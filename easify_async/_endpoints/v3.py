"""``easify.v3``: the API's v3 group, for now its email calls (several recipients, CC, BCC)."""

from __future__ import annotations

import os
from collections.abc import AsyncGenerator, AsyncIterable, Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from attrs import Factory, field, frozen

from .._bulk._models import EmailV3Message
from .._encoding import Encoded, encode
from .._http import HttpCore
from .._options import ReadOptions, RequestOptions, Unpack
from .._requests import EmailV3SendRequest, EmailV3StatusQuery
from .._routes import EMAIL_V3_SEND, EMAIL_V3_STATUS
from .._validation import FileInput, check_email
from ..errors import ArgumentError, MissingContentError
from ..models import EmailSent
from ._common import has_text, optional_text, send_many
from .email import _attachments, _json_mapping

if TYPE_CHECKING:
    from .._bulk import BulkProgress, EmailV3Result
    from .._models.email import EmailRecipientStatus
    from ..ledgers import Ledger

__all__ = ["MAX_RECIPIENTS", "EmailV3", "V3", "encode_email_v3_send"]

#: The most addresses each of ``receiver``, ``cc`` and ``bcc`` may hold.
MAX_RECIPIENTS = 50


@frozen
class V3:
    """The API's v3 calls; reach it as ``easify.v3``.

    Same token, limiter and connections as the client; its base URL is the client's with
    ``/v3`` in place of the final ``/v2``.
    """

    _http: HttpCore = field(repr=False)
    _bulk_concurrency: int = field(kw_only=True, repr=False)
    email: EmailV3 = field(
        init=False,
        default=Factory(
            lambda self: EmailV3(self._http, bulk_concurrency=self._bulk_concurrency),
            takes_self=True,
        ),
    )
    """v3 email: ``send``, ``send_many``, ``status``."""


@frozen
class EmailV3:
    """v3 email calls; reach it as ``easify.v3.email``."""

    _http: HttpCore = field(repr=False)
    _bulk_concurrency: int = field(kw_only=True)

    async def send(
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
                (``AsyncEasify(ledger=...)``): a later call with the key returns this
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
            >>> sent = await easify.v3.email.send(  # doctest: +SKIP
            ...     "qa@example.com", ["a@x.example", "b@x.example"], "Hi",
            ...     cc=["c@x.example"], message="<p>Hi</p>")
        """
        item = EmailV3Message(
            sender,
            receiver,
            subject,
            cc=cc,
            bcc=bcc,
            message=message,
            attachment=attachment,
            additional_data=additional_data,
            from_name=from_name,
        )
        encoded = encode_email_v3_send(item)
        return await self._http.call_once(EMAIL_V3_SEND, encoded, idempotency_key, options=options)

    def send_many(
        self,
        items: Iterable[EmailV3Message] | AsyncIterable[EmailV3Message],
        *,
        journal: str | os.PathLike[str] | Ledger | None = None,
        concurrency: int | None = None,
        on_progress: Callable[[BulkProgress], object] | None = None,
        resend_ambiguous: bool = False,
        max_failures: int | None = None,
        **options: Unpack[RequestOptions],
    ) -> AsyncGenerator[EmailV3Result, None]:
        """Send many v3 emails at the full rate limit; one `EmailV3Result` per item.

        The same engine, streaming, journal and resume rules as ``easify.sms.send_many``.
        """
        from .._bulk import EmailV3Result

        return send_many(
            self._http,
            items,
            route=EMAIL_V3_SEND,
            encode=encode_email_v3_send,
            id_of=lambda sent: sent.email_id,
            make_result=lambda *, remote_id, **fields: EmailV3Result(email_id=remote_id, **fields),
            concurrency=self._bulk_concurrency if concurrency is None else concurrency,
            journal=journal,
            on_progress=on_progress,
            resend_ambiguous=resend_ambiguous,
            max_failures=max_failures,
            kind="email_v3",
            options=options,
        )

    async def status(
        self, email_id: str | int, *, receiver: str | None = None, **options: Unpack[ReadOptions]
    ) -> list[EmailRecipientStatus]:
        """Each recipient's status of a v3 email (one item per to, cc and bcc address).

        Args:
            email_id: from ``v3.email.send``.
            receiver: only this address.

        Raises:
            ArgumentError: an empty ``email_id`` or a malformed ``receiver``.
            BadRequestError: the server does not know ``email_id``.

        Examples:
            >>> for item in await easify.v3.email.status(sent.email_id):  # doctest: +SKIP
            ...     print(item.receiver, item.recipient_type, item.status)
        """

        text = optional_text("email_id", email_id)
        if text is None or not text.strip():
            raise ArgumentError("email_id", "must not be empty")
        query = EmailV3StatusQuery(
            email_id=text.strip(),
            receiver=None if receiver is None else check_email("receiver", receiver),
        )
        # `data` is a plain list: walked as an unpaginated list (one call).
        paginator = self._http.paginate(EMAIL_V3_STATUS, query, whole_list=True, options=options)
        return [item async for item in paginator]


def _addresses(argument: str, values: Sequence[str], *, required: bool) -> list[str]:
    if isinstance(values, (str, bytes)) or not isinstance(values, Sequence):
        raise ArgumentError(argument, f"expected a list of addresses, got {values!r:.60}")
    if required and not values:
        raise ArgumentError(argument, "must hold at least one address")
    if len(values) > MAX_RECIPIENTS:
        raise ArgumentError(argument, f"holds {len(values)} addresses, at most {MAX_RECIPIENTS}")
    return [check_email(f"{argument}[{index}]", value) for index, value in enumerate(values)]


def encode_email_v3_send(item: EmailV3Message) -> Encoded[EmailV3SendRequest]:
    """Validate a v3 email (`EmailV3.send`'s arguments) and encode it; raises `ArgumentError`."""
    sender = check_email("sender", item.sender)
    to = _addresses("receiver", item.receiver, required=True)
    copies = _addresses("cc", item.cc, required=False)
    blind = _addresses("bcc", item.bcc, required=False)
    subject, message, attachment = item.subject, item.message, item.attachment
    if not isinstance(subject, str) or not subject.strip():
        raise ArgumentError("subject", "must not be empty")
    if not has_text(message) and attachment is None:
        raise MissingContentError("message", "give a message, an attachment, or both")
    url, uploads = _attachments(attachment)
    request = EmailV3SendRequest(
        sender=sender,
        receiver=to,
        subject=subject,
        cc=copies or None,
        bcc=blind or None,
        message=message if has_text(message) else None,
        attachment=url,
        additional_data=_json_mapping(item.additional_data),
        from_name=item.from_name,
    )
    return encode(request, uploads=uploads)
