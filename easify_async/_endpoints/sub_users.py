"""``easify.sub_users``: the main account's sub-users and their API tokens."""

from __future__ import annotations

from attrs import field, frozen

from .._http import HttpCore
from .._models.accounts import SubUser
from .._options import ReadOptions, Unpack
from .._pagination import AsyncPaginator
from .._requests import SubUserQuery
from .._routes import SUB_USER_TOKENS
from .._validation import check_email

__all__ = ["SubUsers"]


@frozen
class SubUsers:
    """Sub-user calls; reach it as ``easify.sub_users``."""

    _http: HttpCore = field(repr=False)

    def list(
        self, email: str | None = None, *, limit: int | None = None, **options: Unpack[ReadOptions]
    ) -> AsyncPaginator[SubUser]:
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
            >>> async for sub in easify.sub_users.list():  # doctest: +SKIP
            ...     as_sub = easify.with_options(api_token=sub.easify_api_token)
        """
        query = SubUserQuery(email=None if email is None else check_email("email", email))
        return self._http.paginate(
            SUB_USER_TOKENS,
            query,
            limit=limit,
            token_of=lambda sub: sub.easify_api_token,  # errors scrub it from now on
            options=options,
        )
