"""Every error easify-async raises on purpose.

The tree::

    EasifyError
    ├── ArgumentError (also ValueError)          bad input, caught before any request
    │   ├── MissingContentError                  neither message nor media/attachment
    │   ├── InvalidPhoneNumberError
    │   ├── UnsupportedCountryError
    │   ├── CountryCodeConflictError
    │   ├── InvalidEmailError
    │   ├── InvalidScheduleError
    │   └── InvalidFileError
    ├── APIError                                 the server answered, and not with success
    │   ├── AuthenticationError          401
    │   ├── PaymentRequiredError         402
    │   ├── PermissionDeniedError        403
    │   ├── RateLimitError               429     .retry_after
    │   ├── ValidationError              422, and the 400 that carries field errors
    │   ├── BadRequestError              400
    │   │   ├── InvalidSenderError
    │   │   ├── InvalidRecipientError
    │   │   ├── BlacklistedRecipientError
    │   │   ├── InsufficientCreditsError
    │   │   ├── InvalidEmailAddressError
    │   │   ├── InvalidSmsIdError
    │   │   ├── InvalidGroupError
    │   │   ├── DefaultGroupError
    │   │   └── InvalidContactError
    │   └── ServerError                  5xx
    ├── APIConnectionError                       no usable answer; .maybe_sent
    │   └── APITimeoutError
    ├── LimiterUnavailableError                  the shared limiter's store is unreachable
    ├── BulkStoppedError                         a bulk run's stop rule ended it early
    ├── WaitTimeoutError (also TimeoutError)     no final status within the wait's timeout
    │   └── CampaignTimeoutError                 a campaign not done in time; .last
    └── JournalError                             bulk bookkeeping: the journal, item keys
        ├── InvalidJournalError                  the journal path cannot hold a journal
        ├── JournalLockedError                   another live run holds the journal
        ├── KeyConflictError                     a key's input changed between runs
        ├── DuplicateKeyError                    a key came twice in one run
        ├── RecordedFailureError                 an earlier run's failure, as recorded
        ├── UnknownOutcomeError                  an earlier run left the item maybe sent
        ├── KeyInProgressError                   a live claimer holds an idempotency key
        ├── LedgerUnavailableError               the ledger's store cannot be used
        └── LedgerDurabilityError                a Redis ledger's server may lose writes

Messages are built here, never at raise sites, and never contain the API token.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import httpx

    from ._models.campaigns import CampaignStatusInfo

__all__ = [
    "APIConnectionError",
    "APIError",
    "APITimeoutError",
    "ArgumentError",
    "AuthenticationError",
    "BadRequestError",
    "BlacklistedRecipientError",
    "BulkStoppedError",
    "CampaignTimeoutError",
    "CountryCodeConflictError",
    "DefaultGroupError",
    "DuplicateKeyError",
    "EasifyError",
    "InsufficientCreditsError",
    "InvalidContactError",
    "InvalidEmailAddressError",
    "InvalidEmailError",
    "InvalidFileError",
    "InvalidGroupError",
    "InvalidJournalError",
    "InvalidPhoneNumberError",
    "InvalidRecipientError",
    "InvalidScheduleError",
    "InvalidSenderError",
    "InvalidSmsIdError",
    "JournalError",
    "JournalLockedError",
    "KeyConflictError",
    "KeyInProgressError",
    "LedgerDurabilityError",
    "LedgerUnavailableError",
    "LimiterUnavailableError",
    "MissingContentError",
    "PaymentRequiredError",
    "PermissionDeniedError",
    "RateLimitError",
    "RecordedFailureError",
    "ServerError",
    "UnknownOutcomeError",
    "UnsupportedCountryError",
    "ValidationError",
    "WaitTimeoutError",
]


class EasifyError(Exception):
    """Base class of every error the SDK raises on purpose."""


class ArgumentError(EasifyError, ValueError):
    """An argument is invalid; raised before any request is made or rate-limit slot spent.

    Attributes:
        argument: the name of the offending parameter, e.g. ``"to_number"``.
        reason: what is wrong with it.
    """

    def __init__(self, argument: str, reason: str) -> None:
        self.argument = argument
        self.reason = reason
        super().__init__(f"{argument}: {reason}")


class MissingContentError(ArgumentError):
    """Neither a message nor a media file/attachment was given."""


class InvalidPhoneNumberError(ArgumentError):
    """A phone number is malformed (wrong characters or length)."""


class UnsupportedCountryError(ArgumentError):
    """The country code is not one the API serves (+1, +44, +972)."""


class CountryCodeConflictError(ArgumentError):
    """An E.164 number and an explicit ``country_code`` disagree."""


class InvalidEmailError(ArgumentError):
    """An email address is malformed."""


class InvalidScheduleError(ArgumentError):
    """A schedule time or timezone is malformed, in the past, or conflicting."""


class InvalidFileError(ArgumentError):
    """A media file or attachment cannot be read."""


class APIError(EasifyError):
    """The server answered with something other than a documented success.

    Attributes:
        status_code: the HTTP status.
        message: the server's ``message`` (whitespace trimmed), or a description of a
            reply that was not the documented JSON.
        errors: field name -> messages, from a validation reply; empty otherwise.
        body: the response text (at most 16,384 characters of it), kept for replies
            that are not JSON. The API token is scrubbed from it, as from ``message``
            and ``errors``; ``response`` is the reply as received.
        response: the ``httpx.Response``, when there was one.
        maybe_sent: whether the server may have acted on the request: ``False`` for the
            documented refusals (400, 401, 402, 403, 422, 429) and any other 4xx,
            ``True`` for a 5xx, a 2xx/3xx that is not the documented success, or a
            success whose data does not fit the result. For a send, ``True`` means the
            message may have gone out: check before sending again.
    """

    def __init__(
        self,
        message: str,
        *,
        status_code: int,
        errors: Mapping[str, Sequence[str]] | None = None,
        body: str = "",
        response: httpx.Response | None = None,
        maybe_sent: bool = False,
    ) -> None:
        self.maybe_sent = maybe_sent
        self.message = message
        self.status_code = status_code
        self.errors: dict[str, list[str]] = {k: list(v) for k, v in (errors or {}).items()}
        self.body = body
        self.response = response
        super().__init__(f"HTTP {status_code}: {message}")


class AuthenticationError(APIError):
    """401: the token is missing or invalid."""


class PaymentRequiredError(APIError):
    """402: the subscription has ended; recharge the account."""


class PermissionDeniedError(APIError):
    """403: the account is not on the Enterprise plan."""


class RateLimitError(APIError):
    """429 after the retries allowed were used up, or asking for a wait too long to wait.

    Attributes:
        retry_after: seconds the server asked to wait (already rounded up for safety;
            ``0.0`` when it did not say). A wait longer than the client waits out (three
            windows of the route) is raised at once, with that wait here.
    """

    def __init__(
        self,
        message: str,
        *,
        status_code: int = 429,
        retry_after: float,
        errors: Mapping[str, Sequence[str]] | None = None,
        body: str = "",
        response: httpx.Response | None = None,
        maybe_sent: bool = False,
    ) -> None:
        self.retry_after = retry_after
        super().__init__(
            message,
            status_code=status_code,
            errors=errors,
            body=body,
            response=response,
            maybe_sent=maybe_sent,
        )


class ValidationError(APIError):
    """422 (or the 400 with field errors): see ``errors`` for the fields."""


class BadRequestError(APIError):
    """400: a business rule refused the request."""


class InvalidSenderError(BadRequestError):
    """The SMS ``from_number`` is not owned by the token, or the email ``sender`` is invalid."""


class InvalidRecipientError(BadRequestError):
    """The SMS ``to_number`` was refused."""


class BlacklistedRecipientError(BadRequestError):
    """The recipient is on the account's blacklist."""


class InsufficientCreditsError(BadRequestError):
    """The account has not enough credits for this message."""


class InvalidEmailAddressError(BadRequestError):
    """The receiver address is listed as invalid (ZeroBounce registry)."""


class InvalidSmsIdError(BadRequestError):
    """``sms/status`` does not know this ``sms_id``."""


class InvalidGroupError(BadRequestError):
    """No contact group of the account has this id (``"Invalid group id"``)."""


class DefaultGroupError(BadRequestError):
    """The account's default contact group cannot be deleted."""


class InvalidContactError(BadRequestError):
    """No contact of the account has this id (``"Invalid contact id"``)."""


class ServerError(APIError):
    """5xx: the server failed."""


class APIConnectionError(EasifyError):
    """No usable answer came back (connection refused or dropped, protocol error).

    Args:
        maybe_sent: see the attribute.
        detail: what failed, e.g. the httpx error's name and text.
        send: whether the request was a send; a read's message says so instead of
            warning that a message may have gone out.
        refused: the reply's head said 429 before the connection failed.

    Attributes:
        maybe_sent: ``False`` only when the server certainly did not act on the request:
            the connection was never made, or a 429's head arrived before the connection
            failed (the throttle refused it). When ``True`` a send may have gone out:
            check before sending again.
    """

    def __init__(
        self, *, maybe_sent: bool, detail: str = "", send: bool = True, refused: bool = False
    ) -> None:
        self.maybe_sent = maybe_sent
        self.detail = detail
        if refused:
            outcome = "the server had refused it with a 429 (not acted on): try again later"
        elif not maybe_sent:
            outcome = "the request never reached the server"
        elif send:
            outcome = "the request may have reached the server: the message may have been sent"
        else:
            outcome = "no answer to this read came back; a read changes nothing: ask again"
        kind = "timed out" if isinstance(self, APITimeoutError) else "connection failed"
        super().__init__(f"{kind} ({detail or 'no detail'}); {outcome}")


class APITimeoutError(APIConnectionError):
    """The request timed out; see ``maybe_sent``."""


class JournalError(EasifyError):
    """Bulk bookkeeping stopped an item (its key) or a whole run (its journal).

    Raised by ``send_many`` for the journal as a whole (before anything is sent, or when
    it can no longer be written); the per-key subclasses are item results' ``error``.

    Attributes:
        key: the item's key; ``None`` for an error of the journal as a whole.
        maybe_sent: whether the item may have been sent (``True`` only for
            `UnknownOutcomeError`).
    """

    maybe_sent: bool = False

    def __init__(self, message: str, *, key: str | None = None) -> None:
        self.key = key
        super().__init__(message if key is None else f"key {key!r}: {message}")


class InvalidJournalError(JournalError):
    """The journal path cannot hold a journal; raised before anything is sent.

    Its folder is missing, it is a directory, or the file is not a bulk journal (a CSV,
    garbage, another SQLite database, which is never written to).

    Attributes:
        path: the journal path given.
        reason: what is wrong with it.
    """

    def __init__(self, path: str, reason: str) -> None:
        self.path = path
        self.reason = reason
        super().__init__(f"journal {path!r}: {reason}; nothing was sent")


class JournalLockedError(JournalError):
    """Another live run holds the journal: one run per journal at a time.

    Attributes:
        path: the journal path given.
    """

    def __init__(self, path: str) -> None:
        self.path = path
        super().__init__(
            f"journal {path!r} is in use by another run (one run per journal); "
            "nothing was sent: wait for that run to end, or use another journal"
        )


class KeyConflictError(JournalError):
    """The journal has this key for different input: keys must identify items across runs."""

    def __init__(self, key: str, detail: str = "the journal holds different input") -> None:
        super().__init__(f"{detail}; not sent", key=key)


class DuplicateKeyError(JournalError):
    """The key appeared more than once in the same run; only the first was sent."""

    def __init__(self, key: str, detail: str = "appears more than once in the input") -> None:
        super().__init__(f"{detail}; only its first item is sent", key=key)


class RecordedFailureError(JournalError):
    """An earlier run failed this item permanently; the recorded error is the message.

    Attributes:
        recorded: the error the earlier run recorded.
    """

    def __init__(self, key: str, recorded: str) -> None:
        self.recorded = recorded
        super().__init__(f"an earlier run failed it: {recorded}", key=key)


class UnknownOutcomeError(JournalError):
    """An earlier run left this item's fate unknown: it may have been sent.

    Not resent unless ``resend_ambiguous=True``.

    Attributes:
        cause: what the earlier run saw, e.g. ``"cut off mid-request by an earlier run"``.
    """

    maybe_sent = True

    def __init__(self, key: str, cause: str) -> None:
        self.cause = cause
        super().__init__(
            f"{cause}; the message may have been sent: check before resending", key=key
        )


class KeyInProgressError(JournalError):
    """Another caller, still alive, holds this idempotency key: its request is under way.

    Raised after waiting for it (the ledger's ``wait``) without seeing its outcome. Call
    again later with the same key: it then gets that caller's recorded outcome.

    Attributes:
        claimer: who holds the key (host, process id and a random part).
        maybe_sent: always ``True``: that caller's message may be going out now.
    """

    maybe_sent = True

    def __init__(self, key: str, claimer: str, waited: float | None = None) -> None:
        self.claimer = claimer
        waits = "" if waited is None else f" (waited {waited:g} s for its outcome)"
        super().__init__(
            f"in progress in {claimer!r}{waits}; not sent again: call again later with the "
            "same key",
            key=key,
        )


class LedgerUnavailableError(JournalError):
    """The ledger's store (an SQLite file, a Redis server) could not be used.

    Raised before sending when the key cannot be claimed: nothing was sent.

    Attributes:
        maybe_sent: always ``False``.
    """

    def __init__(self, detail: str, *, key: str | None = None) -> None:
        super().__init__(f"the ledger could not be used ({detail}); nothing was sent", key=key)


class LedgerDurabilityError(JournalError):
    """A `RedisLedger`'s server does not write every change to disk before answering.

    A claim lost in a crash lets the key be sent twice, so the ledger refuses such a
    server unless opened with ``durability="unchecked"``.

    Attributes:
        reason: what the server's configuration says.
    """

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(
            f"the Redis server may lose the ledger's last writes in a crash ({reason}): "
            "run it with --appendonly yes --appendfsync always, or pass "
            'durability="unchecked" to accept that a key may be sent twice; nothing was sent'
        )


class BulkStoppedError(EasifyError):
    """A bulk run stopped itself: it met a refusal no other item can pass, or too many
    failures in a row (``max_failures``).

    Raised by ``send_many``/``create_many`` after the results of every item that was
    started: the requests already out finished first, so each is journaled with what it
    got. Items not yet sent were left unsent and get no result; a run with the same
    journal, once the cause is fixed, sends them.

    Attributes:
        key: the key of the item whose result stopped the run.
        error: that item's error: the refusal (e.g. `AuthenticationError`), or the last
            of the failures in a row.
        failures: the failures in a row that reached ``max_failures``; ``None`` when a
            refusal stopped the run.
    """

    def __init__(self, key: str, error: BaseException, *, failures: int | None = None) -> None:
        self.key = key
        self.error = error
        self.failures = failures
        cause = f"{type(error).__name__}: {error}"
        if failures is None:
            reason = f"at key {key!r}, refused with {cause}, which no other item can pass"
        else:
            reason = (
                f"after {failures} failures in a row (max_failures), "
                f"the last at key {key!r}: {cause}"
            )
        super().__init__(
            f"the bulk run stopped {reason}; the items not sent yet were left unsent: "
            "fix the cause and run again (with the same journal, to resume)"
        )


class LimiterUnavailableError(EasifyError):
    """The shared limiter's store (Redis) cannot be reached; the request was not sent.

    Attributes:
        maybe_sent: always ``False``: nothing was sent.
    """

    maybe_sent = False


class WaitTimeoutError(EasifyError, TimeoutError):
    """A wait for a final status ran out of time (also a ``TimeoutError``).

    Attributes:
        kind: what was waited for, e.g. ``"SMS"``.
        id: its id.
        last_status: the last status read (an `SmsStatus` for an SMS), or ``None`` when
            no status call answered in time.
        timeout: the seconds waited.
    """

    def __init__(
        self,
        kind: str,
        id: str,
        *,
        last_status: str | None,
        timeout: float,
        seen: str | None = None,
    ) -> None:
        self.kind = kind
        self.id = id
        self.last_status = last_status
        self.timeout = timeout
        if seen is None:
            seen = "no status read yet" if last_status is None else f"last status {last_status}"
        super().__init__(f"no final status for {kind} {id} within {timeout:g} s ({seen})")


class CampaignTimeoutError(WaitTimeoutError):
    """``campaigns.wait_for_completion`` saw no final status in time.

    Attributes:
        campaign_id: the campaign.
        last: the last `CampaignStatusInfo` seen (``None`` if no poll answered in time);
            its counts say how far the campaign got.
    """

    def __init__(self, campaign_id: int, timeout: float, last: CampaignStatusInfo | None) -> None:
        self.campaign_id = campaign_id
        self.last = last
        super().__init__(
            "campaign",
            str(campaign_id),
            last_status=None if last is None else last.status,
            timeout=timeout,
            seen=None if last is None else f"last seen {last.describe()}",
        )
