"""``easify.phone_numbers``: the account's numbers and their incoming-SMS webhooks."""

from __future__ import annotations

from attrs import field, frozen

from .._encoding import encode
from .._http import HttpCore
from .._models.numbers import PhoneNumber
from .._options import ReadOptions, RequestOptions, Unpack
from .._requests import NoQuery, PhoneNumberUpdate
from .._routes import PHONE_NUMBERS, PHONE_NUMBERS_UPDATE
from ._arguments import positive_id, web_url

__all__ = ["PhoneNumbers"]


@frozen
class PhoneNumbers:
    """Phone-number calls; reach it as ``easify.phone_numbers``."""

    _http: HttpCore = field(repr=False)

    async def list(self, **options: Unpack[ReadOptions]) -> list[PhoneNumber]:
        """Every active, approved number of the account, in one call.

        Asked without a page size, the API answers the whole list at once; should it
        paginate anyway, every page is fetched.

        Examples:
            >>> numbers = await easify.phone_numbers.list()  # doctest: +SKIP
            >>> numbers[0].number  # doctest: +SKIP
            '+13152930000'
        """
        paginator = self._http.paginate(PHONE_NUMBERS, NoQuery(), whole_list=True, options=options)
        return [number async for number in paginator]

    async def update_webhook(
        self, phone_number_id: int, *, webhook_url: str, **options: Unpack[RequestOptions]
    ) -> PhoneNumber:
        """Post the SMS that reach this number to ``webhook_url``; returns the number.

        Raises:
            ArgumentError: not a positive id, or not an http(s) URL.
            BadRequestError: ``"Invalid phone number id"``.
        """
        request = PhoneNumberUpdate(
            phone_number_id=positive_id("phone_number_id", phone_number_id),
            webhook_url=web_url("webhook_url", webhook_url),
        )
        return await self._http.call(PHONE_NUMBERS_UPDATE, encode(request), options=options)
