"""``easify.campaigns``: send an SMS campaign from templates, follow it, list its items."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import anyio
import attrs
from attrs import field, frozen

from .._encoding import encode
from .._http import HttpCore
from .._models.campaigns import CampaignItem, CampaignSent, CampaignStatusInfo
from .._options import ReadOptions, RequestOptions, Unpack, WaitOptions
from .._pagination import AsyncPaginator
from .._requests import CampaignIdQuery, CampaignSendRequest
from .._routes import CAMPAIGN_ITEMS, CAMPAIGN_SEND, CAMPAIGN_STATUS
from .._validation import FileInput, check_seconds, check_wait, read_upload, schedule_fields
from ..errors import ArgumentError, CampaignTimeoutError, InvalidFileError
from ._arguments import from_numbers as checked_from_numbers
from ._arguments import positive_id, positive_ids

__all__ = ["Campaigns"]


@frozen
class Campaigns:
    """SMS campaign calls; reach it as ``easify.campaigns``."""

    _http: HttpCore = field(repr=False)

    async def send(
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
                (``AsyncEasify(ledger=...)``): a later call with the key returns this
                call's result, or raises its refusal, without a request; with other
                arguments it is an `ArgumentError`. See the idempotency guide.

        Raises:
            ArgumentError: a bad argument, an unreadable or empty CSV.
            JournalError: with ``idempotency_key``: its outcome is unknown until settled
                (`UnknownOutcomeError`), another live caller holds it (`KeyInProgressError`),
                or the ledger cannot be used (`LedgerUnavailableError`); nothing was sent.

        Examples:
            >>> sent = await easify.campaigns.send(  # doctest: +SKIP
            ...     "November", ["+13152930000"], [7], "recipients.csv"
            ... )
        """
        if not isinstance(campaign_name, str) or not campaign_name.strip():
            raise ArgumentError("campaign_name", "must not be empty")
        senders = checked_from_numbers(from_numbers)
        templates = positive_ids("template_ids", template_ids)
        upload = read_upload("recipients", recipients)
        if not upload.content.strip():
            raise InvalidFileError("recipients", "the CSV is empty")
        if not upload.filename.lower().endswith(".csv"):
            # Laravel's `mimes:csv` rule goes by the name; bytes have none of their own.
            upload = attrs.evolve(upload, filename=f"{upload.filename}.csv")
        time_text, zone = schedule_fields(schedule_time, schedule_timezone)
        request = CampaignSendRequest(
            campaign_name=campaign_name.strip(),
            from_numbers=senders,
            template_ids=templates,
            schedule_time=time_text,
            schedule_timezone=zone,
        )
        encoded = encode(request, uploads=[("recipients_file", upload)])
        return await self._http.call_once(CAMPAIGN_SEND, encoded, idempotency_key, options=options)

    async def status(self, campaign_id: int, **options: Unpack[ReadOptions]) -> CampaignStatusInfo:
        """Where the campaign is, and its counts.

        Examples:
            >>> info = await easify.campaigns.status(31529)  # doctest: +SKIP
            >>> info.status, info.success_count  # doctest: +SKIP
        """
        request = CampaignIdQuery(campaign_id=positive_id("campaign_id", campaign_id))
        return await self._http.call(CAMPAIGN_STATUS, encode(request, query=True), options=options)

    def items(
        self, campaign_id: int, *, limit: int | None = None, **options: Unpack[ReadOptions]
    ) -> AsyncPaginator[CampaignItem]:
        """Every recipient's message of the campaign, page by page.

        Examples:
            >>> async for item in easify.campaigns.items(31529):  # doctest: +SKIP
            ...     print(item.receiver, item.status)
        """
        query = CampaignIdQuery(campaign_id=positive_id("campaign_id", campaign_id))
        return self._http.paginate(CAMPAIGN_ITEMS, query, limit=limit, options=options)

    async def wait_for_completion(
        self,
        campaign_id: int,
        *,
        timeout: float,  # noqa: ASYNC109 - the contract's name, applied with anyio
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
        campaign_id = positive_id("campaign_id", campaign_id)
        check_wait("timeout", timeout)
        check_seconds("poll_interval", poll_interval)
        last: CampaignStatusInfo | None = None
        with anyio.move_on_after(timeout):
            while True:
                last = await self.status(campaign_id, **options)
                if last.status.is_final:
                    return last
                await anyio.sleep(poll_interval)
        raise CampaignTimeoutError(campaign_id, timeout, last)
