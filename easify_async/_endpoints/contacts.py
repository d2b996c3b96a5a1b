"""``easify.contacts``: list, create, update and delete the account's contacts."""

from __future__ import annotations

import os
from collections.abc import AsyncGenerator, AsyncIterable, Callable, Iterable
from typing import TYPE_CHECKING, Any

import attrs
from attrs import field, frozen

from .._bulk._models import NewContact
from .._encoding import Encoded, encode
from .._http import HttpCore
from .._models.contacts import Contact
from .._options import ReadOptions, RequestOptions, Unpack
from .._pagination import AsyncPaginator
from .._requests import ContactCreate, ContactDelete, ContactFields, ContactsQuery, ContactUpdate
from .._routes import CONTACTS, CONTACTS_CREATE, CONTACTS_DELETE, CONTACTS_UPDATE
from .._validation import check_email, split_phone_number
from ..errors import (
    ArgumentError,
    InvalidContactError,
    InvalidPhoneNumberError,
)
from ._arguments import Order, order_value, positive_id
from ._common import delete, send_many

if TYPE_CHECKING:
    from .._bulk import BulkProgress, ContactResult
    from ..ledgers import Ledger

__all__ = ["CONTACT_COUNTRY_CODES", "MAX_NAME_CHARS", "Contacts", "encode_contact_create"]

#: The most characters ``first_name`` and ``last_name`` may hold (the docs' limit).
MAX_NAME_CHARS = 20
#: The countries a contact's phone may be in, with its national digits: the docs list
#: only US/CA and Israel for contacts, so +44 (which ``sms.send`` takes) is refused here.
CONTACT_COUNTRY_CODES: dict[str, int] = {"+1": 10, "+972": 9}


@frozen
class Contacts:
    """Contact calls; reach it as ``easify.contacts``."""

    _http: HttpCore = field(repr=False)
    _bulk_concurrency: int = field(kw_only=True)

    def list(
        self,
        group_id: int | None = None,
        *,
        order: Order = "desc",
        limit: int | None = None,
        **options: Unpack[ReadOptions],
    ) -> AsyncPaginator[Contact]:
        """The account's contacts (those of shared groups included), page by page.

        Args:
            group_id: only this group's contacts.
            order: ``"desc"`` (newest first, the API's default) or ``"asc"``.
            limit: the page size (100 by default).

        Raises:
            ArgumentError: a bad ``group_id`` or ``order`` (before any request).
        """
        query = ContactsQuery(
            order=order_value(order),
            group_id=None if group_id is None else positive_id("group_id", group_id),
        )
        return self._http.paginate(CONTACTS, query, limit=limit, options=options)

    async def create(
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
                (``AsyncEasify(ledger=...)``): a later call with the key returns this
                call's result, or raises its refusal, without a request; with other
                arguments it is an `ArgumentError`. See the idempotency guide.

        Raises:
            ArgumentError: a rule above broken (before any request or rate-limit slot).
            InvalidGroupError: no group of the account has this id.
            JournalError: with ``idempotency_key``: its outcome is unknown until settled
                (`UnknownOutcomeError`), another live caller holds it (`KeyInProgressError`),
                or the ledger cannot be used (`LedgerUnavailableError`); nothing was sent.
        """
        item = NewContact(
            group_id=group_id, first_name=first_name, last_name=last_name,
            phone_number=phone_number, email_address=email_address, country_code=country_code,
            company=company, additional_1=additional_1, additional_2=additional_2,
            additional_3=additional_3,
        )  # fmt: skip
        encoded = encode_contact_create(item)
        return await self._http.call_once(
            CONTACTS_CREATE, encoded, idempotency_key, options=options
        )

    def create_many(
        self,
        items: Iterable[NewContact] | AsyncIterable[NewContact],
        *,
        journal: str | os.PathLike[str] | Ledger | None = None,
        concurrency: int | None = None,
        on_progress: Callable[[BulkProgress], object] | None = None,
        resend_ambiguous: bool = False,
        max_failures: int | None = None,
        **options: Unpack[RequestOptions],
    ) -> AsyncGenerator[ContactResult, None]:
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
            >>> async for result in easify.contacts.create_many(rows, journal="import.db"):
            ...     print(result.key, result.outcome, result.contact_id or result.error)
            ... # doctest: +SKIP
        """
        from .._bulk import ContactResult

        def result(*, remote_id: str | None, **fields: Any) -> ContactResult:
            return ContactResult(contact_id=None if remote_id is None else int(remote_id), **fields)

        return send_many(
            self._http,
            items,
            route=CONTACTS_CREATE,
            encode=encode_contact_create,
            id_of=lambda contact: str(contact.id),
            make_result=result,
            concurrency=self._bulk_concurrency if concurrency is None else concurrency,
            journal=journal,
            on_progress=on_progress,
            resend_ambiguous=resend_ambiguous,
            max_failures=max_failures,
            kind="contact",
            options=options,
        )

    async def update(
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
        fields = _checked(
            first_name=first_name, last_name=last_name, phone_number=phone_number,
            email_address=email_address, country_code=country_code, company=company,
            additional_1=additional_1, additional_2=additional_2, additional_3=additional_3,
        )  # fmt: skip
        request = ContactUpdate(
            contact_id=positive_id("contact_id", contact_id), **attrs.asdict(fields)
        )
        return await self._http.call(CONTACTS_UPDATE, encode(request), options=options)

    async def delete(self, contact_id: int, **options: Unpack[RequestOptions]) -> None:
        """Delete a contact.

        Raises:
            ArgumentError: not a positive id.
            InvalidContactError: no contact of the account has this id. (A delete whose
                reply was lost is retried; a retry told the id is unknown means the lost
                attempt deleted it, and returns.)
        """
        request = ContactDelete(contact_id=positive_id("contact_id", contact_id))
        await delete(
            self._http, CONTACTS_DELETE, encode(request), gone=InvalidContactError, options=options
        )


def encode_contact_create(item: NewContact) -> Encoded[ContactCreate]:
    """Check a contact (`Contacts.create`'s arguments) and encode it; raises `ArgumentError`."""
    checked = _checked(
        first_name=item.first_name, last_name=item.last_name, phone_number=item.phone_number,
        email_address=item.email_address, country_code=item.country_code, company=item.company,
        additional_1=item.additional_1, additional_2=item.additional_2,
        additional_3=item.additional_3,
    )  # fmt: skip
    group_id = positive_id("group_id", item.group_id)
    return encode(ContactCreate(group_id=group_id, **attrs.asdict(checked)))


def _checked(
    *,
    first_name: str,
    last_name: str | None,
    phone_number: str | None,
    email_address: str | None,
    country_code: str | None,
    company: str | None,
    additional_1: str | None,
    additional_2: str | None,
    additional_3: str | None,
) -> ContactFields:
    """The documented rules of a contact's fields, checked; the phone split national."""
    if phone_number is None and email_address is None:
        raise ArgumentError("phone_number", "a phone number or an email address is required")
    code = national = None
    if phone_number is not None:
        code, national = split_phone_number(
            "phone_number", phone_number, country_code, codes=CONTACT_COUNTRY_CODES
        )
        if len(national) != CONTACT_COUNTRY_CODES[code]:
            raise InvalidPhoneNumberError(
                "phone_number", f"{phone_number!r} is not a valid {code} contact number"
            )
    elif country_code is not None:
        raise ArgumentError("country_code", "is only meaningful with phone_number")
    return ContactFields(
        first_name=_name("first_name", first_name, required=True),
        last_name=None if last_name is None else _name("last_name", last_name, required=False),
        phone_number=national,
        country_code=code,
        email_address=None
        if email_address is None
        else check_email("email_address", email_address),
        company=_text("company", company),
        additional_1=_text("additional_1", additional_1),
        additional_2=_text("additional_2", additional_2),
        additional_3=_text("additional_3", additional_3),
    )


def _name(argument: str, value: str, *, required: bool) -> str:
    if not isinstance(value, str) or (required and not value.strip()):
        raise ArgumentError(argument, f"must be a non-empty string, got {value!r}")
    if len(value) > MAX_NAME_CHARS:
        raise ArgumentError(argument, f"must be at most {MAX_NAME_CHARS} characters")
    return value


def _text(argument: str, value: str | None) -> str | None:
    if value is not None and not isinstance(value, str):
        raise ArgumentError(argument, f"must be a string, got {type(value).__name__}")
    return value
