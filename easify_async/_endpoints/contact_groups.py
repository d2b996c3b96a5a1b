"""``easify.contact_groups``: list, create, rename and delete the account's contact groups."""

from __future__ import annotations

from attrs import field, frozen

from .._encoding import encode
from .._http import HttpCore
from .._models.contacts import ContactGroup
from .._options import ReadOptions, RequestOptions, Unpack
from .._pagination import AsyncPaginator
from .._requests import (
    ContactGroupCreate,
    ContactGroupDelete,
    ContactGroupsQuery,
    ContactGroupUpdate,
)
from .._routes import (
    CONTACT_GROUPS,
    CONTACT_GROUPS_CREATE,
    CONTACT_GROUPS_DELETE,
    CONTACT_GROUPS_UPDATE,
)
from ..errors import ArgumentError, InvalidGroupError
from ._arguments import Order, order_value, positive_id
from ._common import delete

__all__ = ["ContactGroups"]


@frozen
class ContactGroups:
    """Contact-group calls; reach it as ``easify.contact_groups``."""

    _http: HttpCore = field(repr=False)

    def list(
        self, *, order: Order = "desc", limit: int | None = None, **options: Unpack[ReadOptions]
    ) -> AsyncPaginator[ContactGroup]:
        """The account's groups, the main user's shared group included, page by page.

        Args:
            order: ``"desc"`` (newest first, the API's default) or ``"asc"``.
            limit: the page size (100 by default).

        Raises:
            ArgumentError: a bad ``order`` (before any request).

        Examples:
            >>> async for group in easify.contact_groups.list(order="asc"):  # doctest: +SKIP
            ...     print(group.id, group.name, group.contacts_count)
        """
        query = ContactGroupsQuery(order=order_value(order))
        return self._http.paginate(CONTACT_GROUPS, query, limit=limit, options=options)

    async def create(
        self, *, name: str, idempotency_key: str | None = None, **options: Unpack[RequestOptions]
    ) -> ContactGroup:
        """Create a group called ``name``; returns it.

        Args:
            name: the group's name.
            idempotency_key: names this request in the client's ledger
                (``AsyncEasify(ledger=...)``): a later call with the key returns this
                call's result, or raises its refusal, without a request; with other
                arguments it is an `ArgumentError`. See the idempotency guide.

        Raises:
            ArgumentError: an empty ``name``.
            ValidationError: ``"The name has already been taken."``.
            JournalError: with ``idempotency_key``: its outcome is unknown until settled
                (`UnknownOutcomeError`), another live caller holds it (`KeyInProgressError`),
                or the ledger cannot be used (`LedgerUnavailableError`); nothing was sent.
        """
        request = ContactGroupCreate(name=_group_name(name))
        return await self._http.call_once(
            CONTACT_GROUPS_CREATE, encode(request), idempotency_key, options=options
        )

    async def update(
        self, group_id: int, *, name: str, **options: Unpack[RequestOptions]
    ) -> ContactGroup:
        """Rename a group; returns it.

        Raises:
            ArgumentError: not a positive id, or an empty ``name``.
            ValidationError: ``"The name has already been taken."``.
            InvalidGroupError: no group of the account has this id.
        """
        request = ContactGroupUpdate(
            group_id=positive_id("group_id", group_id), name=_group_name(name)
        )
        return await self._http.call(CONTACT_GROUPS_UPDATE, encode(request), options=options)

    async def delete(self, group_id: int, **options: Unpack[RequestOptions]) -> None:
        """Delete a group (the API's reply carries no data).

        Raises:
            ArgumentError: not a positive id.
            InvalidGroupError: no group of the account has this id. (A delete whose reply
                was lost is retried; a retry told the id is unknown means the lost attempt
                deleted it, and returns.)
            DefaultGroupError: the account's default group, which cannot be deleted.
        """
        request = ContactGroupDelete(group_id=positive_id("group_id", group_id))
        await delete(
            self._http,
            CONTACT_GROUPS_DELETE,
            encode(request),
            gone=InvalidGroupError,
            options=options,
        )


def _group_name(name: str) -> str:
    if not isinstance(name, str) or not name.strip():
        raise ArgumentError("name", f"must be a non-empty string, got {name!r}")
    return name
