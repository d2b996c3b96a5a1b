"""What bulk sending takes (message specs) and gives (one result per item)."""

from __future__ import annotations

import datetime as dt
import enum
import hashlib
import json
from collections.abc import Mapping, Sequence
from typing import Any

import attrs
from attrs import frozen

from .._validation import FileInput

__all__ = [
    "BulkProgress",
    "BulkResult",
    "ContactResult",
    "EmailMessage",
    "EmailResult",
    "EmailV3Message",
    "EmailV3Result",
    "Item",
    "NewContact",
    "Outcome",
    "SmsMessage",
    "SmsResult",
]


def _tuple_of_addresses(values: Sequence[str]) -> Sequence[str]:
    """A list of addresses kept as a tuple (the item is frozen); anything else as given,
    for the encoder to check (a single string stays one string, refused there)."""
    return tuple(values) if isinstance(values, list) else values


def _tuple_of_files(
    value: FileInput | Sequence[FileInput] | None,
) -> FileInput | Sequence[FileInput] | None:
    """A list of files kept as a tuple; one file (bytes, a path, a ``(name, bytes)`` pair)
    or anything else as given."""
    return tuple(value) if isinstance(value, list) else value


# Each item below is the one definition of its call's parameters: the method (``send``,
# ``create``) takes exactly these fields, ``key`` aside, with the same kinds, defaults and
# types (tests/bulk/test_items.py pins it), builds the item and hands it to the encoder.


@frozen
class SmsMessage:
    """One SMS of a bulk run: the arguments of ``easify.sms.send`` plus a ``key``.

    As in ``send``, ``from_number`` and ``to_number`` may be positional; the rest are
    keyword-only. ``send`` builds one of these from its arguments and encodes it.

    Attributes:
        key: identifies the item across runs of the same journal (a row id, a customer
            id); the item's position in the input when omitted.

    Examples:
        >>> SmsMessage("3152930000", "+13151350000", message="Hi", key="c-1")
        ... # doctest: +ELLIPSIS
        SmsMessage(from_number='3152930000', to_number='+13151350000', message='Hi', ...)
    """

    from_number: str
    to_number: str
    message: str | None = attrs.field(default=None, kw_only=True)
    country_code: str | None = attrs.field(default=None, kw_only=True)
    media: FileInput | None = attrs.field(default=None, kw_only=True)
    lead_id: str | int | None = attrs.field(default=None, kw_only=True)
    force_send: bool = attrs.field(default=False, kw_only=True)
    key: str | None = attrs.field(default=None, kw_only=True)


@frozen
class EmailMessage:
    """One email of a bulk run: the arguments of ``easify.email.send`` plus a ``key``.

    As in ``send``, ``sender``, ``receiver`` and ``subject`` may be positional. A list of
    attachments is kept as a tuple (the item is frozen).
    """

    sender: str
    receiver: str
    subject: str
    message: str | None = attrs.field(default=None, kw_only=True)
    attachment: FileInput | Sequence[FileInput] | None = attrs.field(
        default=None, kw_only=True, converter=_tuple_of_files
    )
    enable_unsubscribe: bool = attrs.field(default=False, kw_only=True)
    schedule_time: dt.datetime | str | None = attrs.field(default=None, kw_only=True)
    schedule_timezone: str | None = attrs.field(default=None, kw_only=True)
    additional_data: Mapping[str, Any] | None = attrs.field(default=None, kw_only=True)
    from_name: str | None = attrs.field(default=None, kw_only=True)
    key: str | None = attrs.field(default=None, kw_only=True)


@frozen
class EmailV3Message:
    """One email of a v3 bulk run: the arguments of ``easify.v3.email.send`` plus a ``key``.

    As in ``send``, ``sender``, ``receiver`` and ``subject`` may be positional. Lists
    (of addresses, of attachments) are kept as tuples (the item is frozen): ``receiver=
    ["a@x.example"]`` and ``receiver=("a@x.example",)`` make equal items.
    """

    sender: str
    receiver: Sequence[str] = attrs.field(converter=_tuple_of_addresses)
    subject: str
    cc: Sequence[str] = attrs.field(default=(), kw_only=True, converter=_tuple_of_addresses)
    bcc: Sequence[str] = attrs.field(default=(), kw_only=True, converter=_tuple_of_addresses)
    message: str | None = attrs.field(default=None, kw_only=True)
    attachment: FileInput | Sequence[FileInput] | None = attrs.field(
        default=None, kw_only=True, converter=_tuple_of_files
    )
    additional_data: Mapping[str, Any] | None = attrs.field(default=None, kw_only=True)
    from_name: str | None = attrs.field(default=None, kw_only=True)
    key: str | None = attrs.field(default=None, kw_only=True)


@frozen(kw_only=True)
class NewContact:
    """One contact of a bulk import: the arguments of ``easify.contacts.create`` plus a ``key``.

    Examples:
        >>> NewContact(group_id=7, first_name="Ann", phone_number="+13151350000", key="crm-1")
        ... # doctest: +ELLIPSIS
        NewContact(group_id=7, first_name='Ann', last_name=None, phone_number='+13151350000', ...)
    """

    group_id: int
    first_name: str
    last_name: str | None = None
    phone_number: str | None = None
    email_address: str | None = None
    country_code: str | None = None
    company: str | None = None
    additional_1: str | None = None
    additional_2: str | None = None
    additional_3: str | None = None
    key: str | None = None


#: What the bulk engine takes: one spec per kind of bulk call.
Item = SmsMessage | EmailMessage | EmailV3Message | NewContact


def _arguments(item: Item) -> dict[str, Any]:
    """The item's fields but its ``key``, by name in field order: what the journal keeps."""
    return attrs.asdict(item, recurse=False, filter=lambda a, _: a.name != "key")


def journal_content(kind: str, item: Item) -> dict[str, Any]:
    """What the journal keeps of an item for ``reconcile``: its kind and text arguments
    (never file contents)."""
    content: dict[str, Any] = {"kind": kind}
    for name, value in _arguments(item).items():
        if value is None or isinstance(value, (str, int, float, bool)):
            content[name] = value
        elif isinstance(value, tuple) and all(isinstance(v, str) for v in value):
            content[name] = list(value)
    return content


def fingerprint(item: Item) -> str:
    """A digest of the item's content (not its key), to notice a key reused for other input."""
    text = json.dumps(_arguments(item), sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


class Outcome(str, enum.Enum):
    """What happened to one item."""

    SENT = "sent"
    """Accepted by the server in this run (for contacts: created)."""
    FAILED = "failed"
    """Refused (a bad argument, an API refusal, a journal conflict); not retried."""
    MAYBE_SENT = "maybe_sent"
    """Unknown: the request may have reached the server. Check before resending."""
    NOT_SENT = "not_sent"
    """Certainly not sent (rate limit, connection never made, an unexpected error before
    the request went out); a rerun sends it."""
    ALREADY_SENT = "already_sent"
    """The journal says an earlier run sent it; skipped."""
    ALREADY_FAILED = "already_failed"
    """The journal says an earlier run failed it permanently; skipped."""


@frozen(kw_only=True)
class BulkResult:
    """The result of one item.

    Attributes:
        key: the item's key.
        outcome: what happened.
        error: the error, for ``FAILED``, ``MAYBE_SENT``, ``NOT_SENT``, ``ALREADY_FAILED``.
    """

    key: str
    outcome: Outcome
    error: Exception | None = None

    @property
    def ok(self) -> bool:
        """Whether the item is known to be sent (in this run or an earlier one)."""
        return self.outcome in (Outcome.SENT, Outcome.ALREADY_SENT)

    @property
    def maybe_sent(self) -> bool:
        """Whether the item's fate is unknown."""
        return self.outcome is Outcome.MAYBE_SENT

    @property
    def skipped(self) -> bool:
        """Whether the journal made this run skip the item."""
        return self.outcome in (Outcome.ALREADY_SENT, Outcome.ALREADY_FAILED)


@frozen(kw_only=True)
class SmsResult(BulkResult):
    """`BulkResult` of an SMS: the ``item`` and, when sent, its ``sms_id``."""

    item: SmsMessage
    sms_id: str | None = None


@frozen(kw_only=True)
class EmailResult(BulkResult):
    """`BulkResult` of an email: the ``item`` and, when sent, its ``email_id``."""

    item: EmailMessage
    email_id: str | None = None


@frozen(kw_only=True)
class EmailV3Result(BulkResult):
    """`BulkResult` of a v3 email: the ``item`` and, when sent, its ``email_id``."""

    item: EmailV3Message
    email_id: str | None = None


@frozen(kw_only=True)
class ContactResult(BulkResult):
    """`BulkResult` of a contact import: the ``item`` and, when created, its ``contact_id``."""

    item: NewContact
    contact_id: int | None = None


@frozen
class BulkProgress:
    """Counts so far, handed to ``on_progress`` after each result.

    When the run stops early (``break``, cancellation, an error that ends the run),
    ``on_progress`` gets one last call with the counts of every item finished, yielded
    or not, and with ``in_flight`` the items cut off mid-request: their fate is unknown,
    and a resumed run reports them ``MAYBE_SENT``.

    Attributes:
        total: the number of items, when the input has a length.
        in_flight: items whose request is out now (the server may be acting on them).
        waiting: items taken from the input, not finished and not in flight; at the full
            rate nearly all of them are waiting for a rate-limit slot (or a 429's wait).
    """

    total: int | None
    sent: int = 0
    failed: int = 0
    maybe_sent: int = 0
    not_sent: int = 0
    skipped: int = 0
    waiting: int = 0
    in_flight: int = 0

    @property
    def done(self) -> int:
        """Items with a result."""
        return self.sent + self.failed + self.maybe_sent + self.not_sent + self.skipped
