"""Every documented reply of issue 12's endpoints (spec §3.10-§3.12, §3.15-§3.18, §1.5), as data.

One `Case` per documented row: how to provoke it in the sandbox, the raw request, the exact
reply, and what the client does with it (the typed error, or, for a request the client
refuses itself, the `ArgumentError`'s argument and the client call that tries it).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable
from typing import Any

from attrs import define, frozen

from easify_async import (
    APIError,
    AsyncEasify,
    AuthenticationError,
    BadRequestError,
    Contact,
    ContactGroup,
    DefaultGroupError,
    EmailRecipientStatus,
    EmailSender,
    EmailSent,
    InsufficientCreditsError,
    InvalidContactError,
    InvalidGroupError,
    InvalidSenderError,
    PaymentRequiredError,
    PermissionDeniedError,
    RateLimitError,
    SubUser,
    ValidationError,
    VoiceCall,
)
from easify_async.sandbox import DEMO_SENDER, DEMO_TOKEN, Sandbox
from easify_async.sandbox._api_sub_users import NOT_MAIN_USER
from easify_async.sandbox._extra_state import CallRecord

Call = Callable[[AsyncEasify], Awaitable[Any]]
# A case's setup may return the token the request goes with (a sub-user's, say).
Setup = Callable[[Sandbox], "str | None"]

PLAN = (
    "Access denied. Your current plan does not allow access to this feature. Please upgrade "
    "to the Enterprise plan."
)
WHEN = dt.datetime(2026, 11, 1, 10, 0)
# Ids the seeded state has: every account's default group is made first (id 1).
DEFAULT_GROUP, VIP_GROUP, STAFF_GROUP, ANN = 1, 2, 3, 1


@define
class FakeClock:
    """A monotonic clock that moves only when told to."""

    now: float = 1000.0

    def __call__(self) -> float:
        return self.now


@frozen
class Endpoint:
    """One documented endpoint: its raw request, bucket and limit, and a client call."""

    name: str
    method: str
    path: str  # under /api/, so "v2/..." or "v3/..."
    bucket: str
    limit: int
    fields: dict[str, Any]  # a request that succeeds once the state is seeded
    call: Call  # the client's call for the same request


@frozen
class Request:
    """A request a case sends before its own (multipart when ``files`` is given)."""

    endpoint: Endpoint
    fields: dict[str, Any]
    files: dict[str, tuple[str, bytes, str]] | None = None


@frozen
class Case:
    """One documented reply.

    ``error`` is the client's typed error for it; ``refused`` instead names the argument
    the client refuses itself, before any request. ``client`` is the client's call for
    the row (the endpoint's own call when None).
    """

    id: str
    endpoint: Endpoint
    status: int
    body: dict[str, Any]
    fields: dict[str, Any] | None = None  # the endpoint's own fields when None
    setup: Setup | None = None
    token: str = DEMO_TOKEN
    error: type[APIError] | None = None
    refused: str | None = None
    client: Call | None = None
    files: dict[str, tuple[str, bytes, str]] | None = None  # sent as multipart when given
    prior: tuple[Request, ...] = ()  # sent first, each answered 200
    advance: float = 0.0  # seconds the clock moves after the prior requests

    @property
    def request_fields(self) -> dict[str, Any]:
        return self.endpoint.fields if self.fields is None else self.fields


def failure(message: str) -> dict[str, Any]:
    return {"status": False, "message": message, "errors": []}


def invalid(field: str, message: str) -> dict[str, Any]:
    return {"message": message, "errors": {field: [message]}}


def seeded(sandbox: Sandbox) -> None:
    """Two groups (VIP, Staff) besides the default one, a contact Ann in VIP, a call and a
    sub-user."""
    groups = sandbox.contacts.groups_of(DEMO_TOKEN, WHEN)
    vip = sandbox.contacts.add_group(DEMO_TOKEN, "VIP", WHEN)
    sandbox.contacts.add_group(DEMO_TOKEN, "Staff", WHEN)
    sandbox.contacts.add_contact(
        DEMO_TOKEN, vip, {"first_name": "Ann", "email_address": "ann@x.example"}, WHEN
    )
    assert [g.id for g in groups] == [DEFAULT_GROUP, VIP_GROUP, STAFF_GROUP]
    sandbox.extra.add_calls(
        DEMO_TOKEN,
        CallRecord(
            id="83800", from_number="+13152930000", to_number="+13151350000", created_at=WHEN
        ),
    )
    sandbox.extra.add_sub_user(DEMO_TOKEN, email="bob@x.example", name="Bob")


def v3_sent(sandbox: Sandbox) -> None:
    """A v3 email 675 the demo account sent (to a@x.example); the next send gets 674."""
    from easify_async.sandbox._extra_state import V3Email, V3Recipient

    sandbox.extra.v3_emails["675"] = V3Email(
        email_id="675",
        token=DEMO_TOKEN,
        recipients=(V3Recipient(receiver="a@x.example", recipient_type="to"),),
    )


def seeded_sandbox(clock: FakeClock | None = None) -> Sandbox:
    """A sandbox holding what every endpoint's successful request needs."""
    sandbox = Sandbox(clock=clock or FakeClock())
    seeded(sandbox)
    v3_sent(sandbox)
    return sandbox


def prepared(case: Case, clock: FakeClock) -> tuple[Sandbox, str]:
    """A sandbox seeded for ``case`` and the token its request goes with."""
    sandbox = seeded_sandbox(clock)
    token = (case.setup(sandbox) if case.setup is not None else None) or case.token
    if case.status == 429:
        # The endpoint's window filled at 1000.5 (ending at 1060), asked 0.7 s later.
        clock.now = 1000.5
        for _ in range(case.endpoint.limit):
            sandbox.throttle.hit(f"{token}:{case.endpoint.bucket}", case.endpoint.limit)
        clock.now += 0.7
    return sandbox, token


def unsubscribed(sandbox: Sandbox) -> None:
    sandbox.account().subscribed = False


def not_enterprise(sandbox: Sandbox) -> None:
    sandbox.account().enterprise = False


def as_sub_user(sandbox: Sandbox) -> str:
    """A sub-user of the demo account; the request goes with its token."""
    return sandbox.extra.add_sub_user(DEMO_TOKEN, email="ann@x.example", name="Ann").token


V3_SEND = {"sender": DEMO_SENDER, "receiver": ["a@x.example"], "subject": "Hi", "message": "m"}
CONTACT = {"first_name": "Ann", "email_address": "ann@x.example"}

SENDERS = Endpoint(
    "senders", "GET", "v2/email/senders", "email_senders", 60, {}, lambda e: e.email.senders()
)
V3_EMAIL_SEND = Endpoint(
    "v3-send",
    "POST",
    "v3/email/send",
    "email_v3_send",
    15,
    V3_SEND,
    lambda e: e.v3.email.send(DEMO_SENDER, ["a@x.example"], "Hi", message="m"),
)
V3_EMAIL_STATUS = Endpoint(
    "v3-status",
    "GET",
    "v3/email/status",
    "email_v3_status",
    60,
    {"email_id": "675"},
    lambda e: e.v3.email.status("675"),
)
GROUPS = Endpoint(
    "groups",
    "GET",
    "v2/contact-groups",
    "contact_groups",
    60,
    {},
    lambda e: e.contact_groups.list(),
)
GROUP_CREATE = Endpoint(
    "group-create",
    "POST",
    "v2/contact-groups/create",
    "contact_groups_create",
    15,
    {"name": "Team"},
    lambda e: e.contact_groups.create(name="Team"),
)
GROUP_UPDATE = Endpoint(
    "group-update",
    "PATCH",
    "v2/contact-groups/update",
    "contact_groups_update",
    60,
    {"group_id": STAFF_GROUP, "name": "Team"},
    lambda e: e.contact_groups.update(STAFF_GROUP, name="Team"),
)
GROUP_DELETE = Endpoint(
    "group-delete",
    "DELETE",
    "v2/contact-groups/delete",
    "contact_groups_delete",
    60,
    {"group_id": STAFF_GROUP},
    lambda e: e.contact_groups.delete(STAFF_GROUP),
)
CONTACTS = Endpoint(
    "contacts", "GET", "v2/contacts", "contacts", 60, {}, lambda e: e.contacts.list()
)
CONTACT_CREATE = Endpoint(
    "contact-create",
    "POST",
    "v2/contacts/create",
    "contacts_create",
    15,
    {"group_id": VIP_GROUP, **CONTACT},
    lambda e: e.contacts.create(group_id=VIP_GROUP, **CONTACT),
)
CONTACT_UPDATE = Endpoint(
    "contact-update",
    "PATCH",
    "v2/contacts/update",
    "contacts_update",
    60,
    {"contact_id": ANN, **CONTACT},
    lambda e: e.contacts.update(ANN, **CONTACT),
)
CONTACT_DELETE = Endpoint(
    "contact-delete",
    "DELETE",
    "v2/contacts/delete",
    "contacts_delete",
    60,
    {"contact_id": ANN},
    lambda e: e.contacts.delete(ANN),
)
CALLS = Endpoint(
    "calls",
    "GET",
    "v2/voice-call/history",
    "voice_call_history",
    60,
    {},
    lambda e: e.voice_calls.history(),
)
SUB_USERS = Endpoint(
    "sub-users",
    "GET",
    "v2/sub-user/tokens",
    "sub_user_tokens",
    60,
    {},
    lambda e: e.sub_users.list(),
)

ENDPOINTS = (
    SENDERS,
    V3_EMAIL_SEND,
    V3_EMAIL_STATUS,
    GROUPS,
    GROUP_CREATE,
    GROUP_UPDATE,
    GROUP_DELETE,
    CONTACTS,
    CONTACT_CREATE,
    CONTACT_UPDATE,
    CONTACT_DELETE,
    CALLS,
    SUB_USERS,
)


def _common(endpoint: Endpoint) -> list[Case]:
    """§1.5's rows, documented alike on every page that shows them."""
    return [
        Case(
            f"{endpoint.name}-401",
            endpoint,
            401,
            failure("Unauthenticated"),
            token="1|wrong",
            error=AuthenticationError,
        ),
        Case(
            f"{endpoint.name}-402",
            endpoint,
            402,
            failure("You need to recharge your account to proceed"),
            setup=unsubscribed,
            error=PaymentRequiredError,
        ),
        Case(
            f"{endpoint.name}-403",
            endpoint,
            403,
            failure(PLAN),
            setup=not_enterprise,
            error=PermissionDeniedError,
        ),
        Case(
            f"{endpoint.name}-429",
            endpoint,
            429,
            failure("Too many requests. Try again in 59 seconds"),
            # `prepared` fills the endpoint's window.
            error=RateLimitError,
        ),
    ]


CREDITS = "Sorry, you do not have enough credits to send this email. Please recharge for more."
TAKEN = "The name has already been taken."

OWN_CASES = [
    # email/senders (§3.12): the rest of its table is cut off; Laravel's rule on a page size.
    Case(
        "senders-422-limit",
        SENDERS,
        422,
        invalid("limit", "The limit field must be an integer."),
        fields={"limit": "x"},
        refused="limit",
        client=lambda e: e.email.senders(limit="x"),  # type: ignore[arg-type]
    ),
    # v3 email/send (§3.10): the rest of its table is cut off; v2's business rules apply.
    Case(
        "v3-send-400-sender",
        V3_EMAIL_SEND,
        400,
        failure("Invalid Sender!"),
        fields={**V3_SEND, "sender": "who@nowhere.test"},
        error=InvalidSenderError,
        client=lambda e: e.v3.email.send("who@nowhere.test", ["a@x.example"], "Hi", message="m"),
    ),
    # An address on the invalid list fails alone (issue 20.12): see fidelity_cases.py.
    Case(
        "v3-send-400-credits",
        V3_EMAIL_SEND,
        400,
        failure(CREDITS),
        setup=lambda s: setattr(s.account(), "email_credits", 0),
        error=InsufficientCreditsError,
    ),
    Case(
        "v3-send-422-receiver",
        V3_EMAIL_SEND,
        422,
        invalid("receiver", "The receiver field is required."),
        fields={**V3_SEND, "receiver": []},
        refused="receiver",
        client=lambda e: e.v3.email.send(DEMO_SENDER, [], "Hi", message="m"),
    ),
    Case(
        "v3-send-422-51",
        V3_EMAIL_SEND,
        422,
        invalid("receiver", "The receiver field must not have more than 50 items."),
        fields={**V3_SEND, "receiver": [f"u{i}@x.example" for i in range(51)]},
        refused="receiver",
        client=lambda e: e.v3.email.send(
            DEMO_SENDER, [f"u{i}@x.example" for i in range(51)], "Hi", message="m"
        ),
    ),
    Case(
        "v3-send-422-cc",
        V3_EMAIL_SEND,
        422,
        invalid("cc.0", "The cc.0 field must be a valid email address."),
        fields={**V3_SEND, "cc": ["nope"]},
        refused="cc[0]",
        client=lambda e: e.v3.email.send(
            DEMO_SENDER, ["a@x.example"], "Hi", cc=["nope"], message="m"
        ),
    ),
    # v3 email/status (§3.11)
    Case(
        "v3-status-422",
        V3_EMAIL_STATUS,
        422,
        invalid("email_id", "The email id field is required."),
        fields={},
        refused="email_id",
        client=lambda e: e.v3.email.status(" "),
    ),
    Case(
        "v3-status-400",
        V3_EMAIL_STATUS,
        400,
        failure("Failed to fetch Email Status, please check your Email ID!"),
        fields={"email_id": "999"},
        error=BadRequestError,
        client=lambda e: e.v3.email.status(999),
    ),
    # contact-groups (§3.15)
    Case(
        "groups-422-order",
        GROUPS,
        422,
        invalid("order", "The selected order is invalid."),
        fields={"order": "up"},
        refused="order",
        client=lambda e: e.contact_groups.list(order="up"),  # type: ignore[arg-type]
    ),
    Case(
        "group-create-422-taken",
        GROUP_CREATE,
        422,
        invalid("name", TAKEN),
        fields={"name": "VIP"},
        error=ValidationError,
        client=lambda e: e.contact_groups.create(name="VIP"),
    ),
    Case(
        "group-create-422-name",
        GROUP_CREATE,
        422,
        invalid("name", "The name field is required."),
        fields={},
        refused="name",
        client=lambda e: e.contact_groups.create(name=""),
    ),
    Case(
        "group-update-422-taken",
        GROUP_UPDATE,
        422,
        invalid("name", TAKEN),
        fields={"group_id": STAFF_GROUP, "name": "VIP"},
        error=ValidationError,
        client=lambda e: e.contact_groups.update(STAFF_GROUP, name="VIP"),
    ),
    Case(
        "group-update-422-id",
        GROUP_UPDATE,
        422,
        invalid("group_id", "The group id field is required."),
        fields={"name": "X"},
        refused="group_id",
        client=lambda e: e.contact_groups.update(None, name="X"),  # type: ignore[arg-type]
    ),
    Case(
        "group-update-400",
        GROUP_UPDATE,
        400,
        failure("Invalid group id"),
        fields={"group_id": 9999, "name": "X"},
        error=InvalidGroupError,
        client=lambda e: e.contact_groups.update(9999, name="X"),
    ),
    Case(
        "group-delete-422",
        GROUP_DELETE,
        422,
        invalid("group_id", "The group id field is required."),
        fields={},
        refused="group_id",
        client=lambda e: e.contact_groups.delete(0),
    ),
    Case(
        "group-delete-400-id",
        GROUP_DELETE,
        400,
        failure("Invalid group id"),
        fields={"group_id": 9999},
        error=InvalidGroupError,
        client=lambda e: e.contact_groups.delete(9999),
    ),
    Case(
        "group-delete-400-default",
        GROUP_DELETE,
        400,
        failure("You can't delete the default contact group!"),
        fields={"group_id": DEFAULT_GROUP},
        error=DefaultGroupError,
        client=lambda e: e.contact_groups.delete(DEFAULT_GROUP),
    ),
    # contacts (§3.16)
    Case(
        "contacts-422-group",
        CONTACTS,
        422,
        invalid("group_id", "The group id field must be an integer."),
        fields={"group_id": "x"},
        refused="group_id",
        client=lambda e: e.contacts.list("x"),  # type: ignore[arg-type]
    ),
    Case(
        "contact-create-400-group",
        CONTACT_CREATE,
        400,
        failure("Invalid group id"),
        fields={**CONTACT_CREATE.fields, "group_id": 9999},
        error=InvalidGroupError,
        client=lambda e: e.contacts.create(group_id=9999, **CONTACT),
    ),
    Case(
        "contact-create-422-long",
        CONTACT_CREATE,
        422,
        invalid("first_name", "The first name field must not be greater than 20 characters."),
        fields={**CONTACT_CREATE.fields, "first_name": "x" * 21},
        refused="first_name",
        client=lambda e: e.contacts.create(
            group_id=VIP_GROUP, first_name="x" * 21, email_address="ann@x.example"
        ),
    ),
    Case(
        "contact-create-422-either",
        CONTACT_CREATE,
        422,
        {
            "message": "The email address field is required when phone number is not present."
            " (and 1 more error)",
            "errors": {
                "email_address": [
                    "The email address field is required when phone number is not present."
                ],
                "phone_number": [
                    "The phone number field is required when email address is not present."
                ],
            },
        },
        fields={"group_id": VIP_GROUP, "first_name": "Ann"},
        refused="phone_number",
        client=lambda e: e.contacts.create(group_id=VIP_GROUP, first_name="Ann"),
    ),
    Case(
        "contact-create-422-code",
        CONTACT_CREATE,
        422,
        invalid("country_code", "The country code field is required when phone number is present."),
        fields={"group_id": VIP_GROUP, "first_name": "Ann", "phone_number": "3151350000"},
        refused="phone_number",
        client=lambda e: e.contacts.create(
            group_id=VIP_GROUP, first_name="Ann", phone_number="3151350000"
        ),
    ),
    Case(
        "contact-update-400",
        CONTACT_UPDATE,
        400,
        failure("Invalid contact id"),
        fields={**CONTACT_UPDATE.fields, "contact_id": 9999},
        error=InvalidContactError,
        client=lambda e: e.contacts.update(9999, **CONTACT),
    ),
    Case(
        "contact-update-422-id",
        CONTACT_UPDATE,
        422,
        invalid("contact_id", "The contact id field is required."),
        fields=CONTACT,
        refused="contact_id",
        client=lambda e: e.contacts.update(0, **CONTACT),
    ),
    Case(
        "contact-delete-422",
        CONTACT_DELETE,
        422,
        invalid("contact_id", "The contact id field is required."),
        fields={},
        refused="contact_id",
        client=lambda e: e.contacts.delete(-1),
    ),
    Case(
        "contact-delete-400",
        CONTACT_DELETE,
        400,
        failure("Invalid contact id"),
        fields={"contact_id": 9999},
        error=InvalidContactError,
        client=lambda e: e.contacts.delete(9999),
    ),
    # voice-call/history (§3.17): its error table is cut off; the filters' 422s.
    Case(
        "calls-422-date",
        CALLS,
        422,
        invalid("from_date", "The from date field must match the format Y-m-d."),
        fields={"from_date": "11/01/2026"},
        refused="from_date",
        client=lambda e: e.voice_calls.history(from_date="11/01/2026"),
    ),
    Case(
        "calls-422-flag",
        CALLS,
        422,
        invalid("public_call", "The public call field must be true or false."),
        fields={"public_call": "yes"},
        refused="public_call",
        client=lambda e: e.voice_calls.history(public_call="yes"),  # type: ignore[arg-type]
    ),
    # sub-user/tokens (§3.18): the row after 401 is cut off at "If user no…".
    Case(
        "sub-users-400-not-main",
        SUB_USERS,
        400,
        failure(NOT_MAIN_USER),
        setup=as_sub_user,
        error=BadRequestError,
    ),
    Case(
        "sub-users-422-email",
        SUB_USERS,
        422,
        invalid("email", "The email field must be a valid email address."),
        fields={"email": "nope"},
        refused="email",
        client=lambda e: e.sub_users.list("nope"),
    ),
]

CASES: list[Case] = [case for endpoint in ENDPOINTS for case in _common(endpoint)] + OWN_CASES


@frozen
class Success:
    """An endpoint's documented success: its message, and its data's fields or exact body.

    ``model`` is the result type the client gives (for a list, its items' type; ``None``
    for a delete, whose reply carries no data).
    """

    endpoint: Endpoint
    message: str
    fields: frozenset[str] = frozenset()  # the keys of the object, or of each list item
    paginated: bool = False
    exact: dict[str, Any] | None = None
    model: type | None = None


def successes() -> list[Success]:
    """One documented success per endpoint."""
    group = frozenset(
        {"id", "name", "contacts_count", "shared_group", "default_group", "created_at"}
    )
    contact = frozenset(
        {"id", "group_name", "first_name", "last_name", "phone_number", "email_address",
         "company", "additional_1", "additional_2", "additional_3", "shared_contact",
         "created_at", "updated_at"}
    )  # fmt: skip
    return [
        Success(
            SENDERS, "Email Senders",
            frozenset({"id", "from_email", "from_name", "signature", "footer"}),
            paginated=True, model=EmailSender,
        ),
        Success(
            V3_EMAIL_SEND, "Email processed successfully",
            exact={"status": True, "message": "Email processed successfully",
                   "data": {"email_id": "674"}},
            model=EmailSent,
        ),
        Success(
            V3_EMAIL_STATUS, "Email status successfully fetched",
            frozenset({"email_item_id", "email_id", "receiver", "recipient_type", "status",
                       "remarks"}),
            model=EmailRecipientStatus,
        ),
        Success(GROUPS, "Contact Groups", group, paginated=True, model=ContactGroup),
        Success(GROUP_CREATE, "Contact Group created successfully", group, model=ContactGroup),
        Success(GROUP_UPDATE, "Contact Group updated successfully", group, model=ContactGroup),
        Success(
            GROUP_DELETE, "Contact Group deleted successfully",
            exact={"status": True, "message": "Contact Group deleted successfully", "data": []},
        ),
        Success(CONTACTS, "Contacts", contact, paginated=True, model=Contact),
        Success(CONTACT_CREATE, "Contact created successfully", contact, model=Contact),
        # The update page's success sample is cut off: the create's wording is a guess.
        Success(CONTACT_UPDATE, "Contact updated successfully", contact, model=Contact),
        Success(
            CONTACT_DELETE, "Contact deleted successfully",
            exact={"status": True, "message": "Contact deleted successfully", "data": []},
        ),
        # Past "id", the item's fields are cut off in the docs: only "id" is asserted.
        Success(CALLS, "Call History", frozenset({"id"}), paginated=True, model=VoiceCall),
        Success(
            SUB_USERS, "Sub Users", frozenset({"email", "name", "easify_api_token"}),
            paginated=True, model=SubUser,
        ),
    ]  # fmt: skip
