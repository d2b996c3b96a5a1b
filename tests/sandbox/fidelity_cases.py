"""Issue 20's cases, as data: where the sandbox answers as the Laravel backend would.

Each `Case` is one raw request (after its ``prior`` ones) and its exact reply; the same
table runs in process and over uvicorn (test_api2_documented.py). A list body's URLs are
written under ``ROOT/`` (the API root the test reached). The sandbox's wall clock is
`WHEN` throughout, so that dates are exact.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from easify_async.sandbox import DEMO_FROM_NUMBER, DEMO_SENDER, DEMO_TOKEN, Sandbox
from easify_async.sandbox._api_state import HistoryRecord, Template
from easify_async.sandbox._extra_state import CallRecord, SubUserRecord
from tests.sandbox.api2_cases import (
    ANN,
    CALLS,
    CONTACT_CREATE,
    CONTACT_UPDATE,
    CONTACTS,
    GROUP_DELETE,
    GROUP_UPDATE,
    GROUPS,
    SENDERS,
    STAFF_GROUP,
    SUB_USERS,
    V3_EMAIL_SEND,
    V3_SEND,
    VIP_GROUP,
    WHEN,
    Case,
    Endpoint,
    Request,
    failure,
    invalid,
)

STAMP = "11-01-2026 10:00:00 AM"  # WHEN as the API writes it
STOCK_COUNTRY = "The selected country code is invalid."


def _never(_: Any) -> Any:
    raise AssertionError("a raw-only endpoint")


def _endpoint(name: str, method: str, path: str, bucket: str, limit: int) -> Endpoint:
    return Endpoint(name, method, path, bucket, limit, {}, _never)


REPORT = _endpoint("report", "GET", "v2/sms/report", "sms_report", 60)
CHAT = _endpoint("chat", "GET", "v2/sms/chat-history", "sms_chat_history", 60)
TEMPLATES = _endpoint("templates", "GET", "v2/sms/templates", "sms_templates", 60)
NUMBER_UPDATE = _endpoint(
    "number-update", "PATCH", "v2/phone-numbers/update", "phone_numbers_update", 60
)
CAMPAIGN_SEND = _endpoint("campaign-send", "POST", "v2/sms/campaign/send", "campaign_send", 60)
CAMPAIGN_STATUS = _endpoint(
    "campaign-status", "GET", "v2/sms/campaign/status", "campaign_status", 60
)
CAMPAIGN_ITEMS = _endpoint("campaign-items", "GET", "v2/sms/campaign/items", "campaign_items", 60)

CAMPAIGN = {"campaign_name": "N", "from_numbers[]": ["+13152930000"], "template_ids[]": ["7"]}
ROWS = b"name,phone_number\nAnn,+13151350000\nBob,3151350001\n"


def csv(content: bytes, name: str = "r.csv") -> dict[str, tuple[str, bytes, str]]:
    return {"recipients_file": (name, content, "text/csv")}


def errors(*pairs: tuple[str, str], summary: str | None = None) -> dict[str, Any]:
    """Laravel's 422 body: each field's messages, the first (or ``summary``) plus the count."""
    bag: dict[str, list[str]] = {}
    for field, message in pairs:
        bag.setdefault(field, []).append(message)
    more = len(pairs) - 1
    message = summary or pairs[0][1]
    if more:
        message += f" (and {more} more {'error' if more == 1 else 'errors'})"
    return {"message": message, "errors": bag}


def ok(message: str, data: Any) -> dict[str, Any]:
    return {"status": True, "message": message, "data": data}


def page(message: str, path: str, items: list[Any], *, per_page: int = 10) -> dict[str, Any]:
    """Laravel's first (and only) page of ``items``."""
    url = f"ROOT/{path}?page=1"
    return {
        "status": True,
        "message": message,
        "data": items,
        "links": {"first": url, "last": url, "prev": None, "next": None},
        "meta": {
            "current_page": 1,
            "from": 1 if items else None,
            "last_page": 1,
            "links": [
                {"url": None, "label": "&laquo; Previous", "active": False},
                {"url": url, "label": "1", "active": True},
                {"url": None, "label": "Next &raquo;", "active": False},
            ],
            "path": f"ROOT/{path}",
            "per_page": per_page,
            "to": len(items) if items else None,
            "total": len(items),
        },
    }


def group(id: int, name: str, count: int = 0, *, default: bool = False) -> dict[str, Any]:
    return {
        "id": id,
        "name": name,
        "contacts_count": count,
        "shared_group": False,
        "default_group": default,
        "created_at": STAMP,
    }


GROUP_PAGE = page(
    "Contact Groups",
    "v2/contact-groups",
    [group(3, "Staff"), group(2, "VIP", 1), group(1, "Default", default=True)],
)


def template_json(id: int, group: str, name: str, message: str) -> dict[str, Any]:
    return {
        "id": id,
        "group_name": group,
        "name": name,
        "message": message,
        "sms_type": "sms",
        "media_url": "",
        "created_at": STAMP,
    }


def call_json(id: str, *, public: bool) -> dict[str, Any]:
    return {
        "id": id,
        "from": "+13152930000",
        "to": "+13151350000",
        "status": "completed",
        "direction": "outbound",
        "duration": 30,
        "recording_url": None,
        "public_call": public,
        "created_at": STAMP,
    }


def public_call(sandbox: Sandbox) -> None:
    """A public call 83801 beside the seeded, non-public 83800."""
    sandbox.extra.add_calls(
        DEMO_TOKEN,
        CallRecord(
            id="83801",
            from_number="+13152930000",
            to_number="+13151350000",
            created_at=WHEN,
            public_call=True,
        ),
    )


def chat(sandbox: Sandbox) -> None:
    """Three messages with +13151350000, ids 1 (oldest) to 3."""
    sandbox.api.add_history(
        DEMO_TOKEN,
        *(
            HistoryRecord(
                id=n,
                sender="+13152930000",
                receiver="+13151350000",
                message=f"m{n}",
                status="Delivered",
                created_at=WHEN + dt.timedelta(minutes=n),
            )
            for n in (1, 2, 3)
        ),
    )


def chat_json(n: int) -> dict[str, Any]:
    return {
        "id": n,
        "sender": "+13152930000",
        "receiver": "+13151350000",
        "message": f"m{n}",
        "sms_type": "sms",
        "send_by": "sender",
        "media_url": "",
        "status": "Delivered",
        "created_at": f"11-01-2026 10:0{n}:00 AM",
        "reason": None,
    }


def listed(sandbox: Sandbox, *, blacklist: str, invalid: str) -> None:
    sandbox.blacklist.add(blacklist)
    sandbox.invalid_recipients.add(invalid)


def ann_works_at_acme(sandbox: Sandbox) -> None:
    sandbox.contacts.contacts_of(DEMO_TOKEN)[0].fields["company"] = "Acme"


def known_sub_user(sandbox: Sandbox) -> None:
    """Bob, the seeded sub-user, with a token the body can name."""
    sandbox.extra.sub_users[DEMO_TOKEN] = [
        SubUserRecord(email="bob@x.example", name="Bob", token="1088|bob")
    ]


def placeholder_template(sandbox: Sandbox) -> None:
    sandbox.api.templates[DEMO_TOKEN] = [
        Template(id=7, group_name="G", name="Hi", message="Hi {Name}!", created_at=WHEN)
    ]


def campaign_item(index: int, receiver: str, message: str) -> dict[str, Any]:
    return {
        "id": 31529 * 100_000 + index,
        "campaign_id": 31529,
        "sender": "+13152930000",
        "receiver": receiver,
        "message": message,
        "credits": 0,
        "url_shortening_credits": 0,
        "media_url": None,
        "remarks": None,
        "status": "Pending",
        "scheduled_at": None,
        "scheduled_timezone": None,
        "sms_type": "sms",
        "created_at": STAMP,
    }


def campaign_status(state: str, done: int) -> dict[str, Any]:
    """Campaign 31529 of ``ROWS`` (2 recipients) in ``state`` with ``done`` sent."""
    return ok(
        "SMS Campaign Status Fetched Successfully",
        {
            "campaign_id": 31529,
            "status": state,
            "campaign_name": "N",
            "total_recipients_count": 2,
            "pending_count": 2 - done,
            "running_count": 0,
            "hold_count": 0,
            "success_count": done,
            "failed_count": 0,
            "cancelled_count": 0,
            "estimated_credits": 2,
            "credits_spend": done,
            "url_shortening_estimated_credits": 0,
            "url_shortening_credits_spent": 0,
            "scheduled_at": None,
            "scheduled_timezone": None,
            "remarks": "",
            # The clock's 1000 is WHEN; done at 1000 + 1 s (prepared) + 2 / 10 s.
            "completed_at": "11-01-2026 10:00:01 AM" if state == "Completed" else None,
            "cancelled_at": None,
            "created_at": STAMP,
        },
    )


SENT_CAMPAIGN = (Request(CAMPAIGN_SEND, CAMPAIGN, csv(ROWS)),)
SENT = ok(
    "SMS Campaign Processed Successfully",
    {"campaign_id": 31529, "recipients_in_file": 2, "valid_recipients": 2, "invalid_recipients": 0},
)
_NOT_EMAIL = "The {} field must be a valid email address."

CASES = [
    # 1. Every bad field, in rule order, with Laravel's "(and N more errors)".
    Case(
        "1-report-empty",
        REPORT,
        422,
        errors(
            ("from_date", "The from date field is required."),
            ("to_date", "The to date field is required."),
        ),
        fields={},
    ),
    Case(
        "1-chat-empty",
        CHAT,
        422,
        errors(
            ("sender", "The sender field is required."),
            ("receiver", "The receiver field is required."),
            ("country_code", "The country code field is required."),
        ),
        fields={},
    ),
    Case(
        "1-number-update-empty",
        NUMBER_UPDATE,
        422,
        errors(
            ("phone_number_id", "The phone number field is required."),
            ("webhook_url", "The webhook url field is required."),
            summary="The phone number id field is required.",
        ),
        fields={},
    ),
    Case(
        "1-campaign-empty",
        CAMPAIGN_SEND,
        422,
        errors(
            ("campaign_name", "The campaign name field is required."),
            ("from_numbers", "The from numbers field is required."),
            ("template_ids", "The template ids field is required."),
            ("recipients_file", "The recipients file field is required."),
        ),
        fields={"schedule_time": ""},
        files={},
    ),
    Case(
        "1-group-update-empty",
        GROUP_UPDATE,
        422,
        errors(
            ("group_id", "The group id field is required."),
            ("name", "The name field is required."),
        ),
        fields={},
    ),
    Case(
        "1-contact-create-empty",
        CONTACT_CREATE,
        422,
        errors(
            ("group_id", "The group id field is required."),
            ("first_name", "The first name field is required."),
            (
                "email_address",
                "The email address field is required when phone number is not present.",
            ),
            (
                "phone_number",
                "The phone number field is required when email address is not present.",
            ),
        ),
        fields={},
    ),
    Case(
        "1-v3-send-empty",
        V3_EMAIL_SEND,
        422,
        errors(
            ("sender", "The sender field is required."),
            ("receiver", "The receiver field is required."),
            ("subject", "The subject field is required."),
            ("message", "The message field is required when attachment is not present."),
            ("attachment", "The attachment field is required when message is not present."),
        ),
        fields={},
    ),
    Case(
        "1-calls-three-bad",
        CALLS,
        422,
        errors(
            ("from_date", "The from date field must match the format Y-m-d."),
            ("public_call", "The public call field must be true or false."),
            ("order", "The selected order is invalid."),
        ),
        fields={"from_date": "2026/11/01", "public_call": "yes", "order": "up"},
    ),
    Case(
        "1-campaign-items-two-bad",
        CAMPAIGN_ITEMS,
        422,
        errors(
            ("campaign_id", "The campaign id field must be an integer."),
            ("limit", "The limit field must be at least 1."),
        ),
        fields={"campaign_id": "x", "limit": "0"},
    ),
    # 2. A page that is no integer of at least 1 is page 1, never a 422.
    *(
        Case(f"2-groups-page-{p}", GROUPS, 200, GROUP_PAGE, fields={"page": p})
        for p in ("abc", "0", "-1")
    ),
    Case(
        "2-templates-page-abc",
        TEMPLATES,
        200,
        page(
            "SMS Templates",
            "v2/sms/templates",
            [
                template_json(7, "General", "Welcome", "Welcome!"),
                template_json(8, "General", "Reminder", "A reminder from us."),
                template_json(9, "Offers", "November", "20% off in November."),
            ],
        ),
        fields={"page": "abc"},
    ),
    Case(
        "2-senders-page-0",
        SENDERS,
        200,
        page(
            "Email Senders",
            "v2/email/senders",
            [
                {
                    "id": 1,
                    "from_email": DEMO_SENDER,
                    "from_name": "Demo",
                    "signature": "-- \nDemo",
                    "footer": "",
                }
            ],
        ),
        fields={"page": "0"},
    ),
    Case(
        "2-calls-page--1",
        CALLS,
        200,
        page("Call History", "v2/voice-call/history", [call_json("83800", public=False)]),
        fields={"page": "-1"},
    ),
    Case(
        "2-sub-users-page-1.5",
        SUB_USERS,
        200,
        page(
            "Sub Users",
            "v2/sub-user/tokens",
            [{"email": "bob@x.example", "name": "Bob", "easify_api_token": "1088|bob"}],
        ),
        fields={"page": "1.5"},
        setup=known_sub_user,
    ),
    # 3. Ids typed integer: Laravel's 422, not the business 400.
    Case(
        "3-group-update-id",
        GROUP_UPDATE,
        422,
        invalid("group_id", "The group id field must be an integer."),
        fields={"group_id": "abc", "name": "X"},
    ),
    Case(
        "3-group-delete-id",
        GROUP_DELETE,
        422,
        invalid("group_id", "The group id field must be an integer."),
        fields={"group_id": "1.5"},
    ),
    Case(
        "3-contact-create-group-id",
        CONTACT_CREATE,
        422,
        invalid("group_id", "The group id field must be an integer."),
        fields={**CONTACT_CREATE.fields, "group_id": "VIP"},
    ),
    Case(
        "3-contact-update-id",
        CONTACT_UPDATE,
        422,
        invalid("contact_id", "The contact id field must be an integer."),
        fields={**CONTACT_UPDATE.fields, "contact_id": "x"},
    ),
    Case(
        "3-number-update-id",
        NUMBER_UPDATE,
        422,
        invalid("phone_number_id", "The phone number id field must be an integer."),
        fields={"phone_number_id": "x", "webhook_url": "https://x.example"},
    ),
    Case(
        "3-campaign-template-ids",
        CAMPAIGN_SEND,
        422,
        invalid("template_ids.1", "The template_ids.1 field must be an integer."),
        fields={**CAMPAIGN, "template_ids[]": ["7", "x"]},
        files=csv(ROWS),
    ),
    # 4. Array fields given as a plain string.
    Case(
        "4-campaign-from-numbers-string",
        CAMPAIGN_SEND,
        422,
        invalid("from_numbers", "The from numbers field must be an array."),
        fields={
            **{k: v for k, v in CAMPAIGN.items() if k != "from_numbers[]"},
            "from_numbers": "+13152930000",
        },
        files=csv(ROWS),
    ),
    Case(
        "4-v3-receiver-string",
        V3_EMAIL_SEND,
        422,
        invalid("receiver", "The receiver field must be an array."),
        fields={**V3_SEND, "receiver": "a@x.example"},
    ),
    # 5. Laravel's boolean: never "true"; 0 selects the non-public calls.
    Case(
        "5-calls-public-true-text",
        CALLS,
        422,
        invalid("public_call", "The public call field must be true or false."),
        fields={"public_call": "true"},
    ),
    Case(
        "5-calls-subusers-false-text",
        CALLS,
        422,
        invalid("include_subusers", "The include subusers field must be true or false."),
        fields={"include_subusers": "false"},
    ),
    Case(
        "5-calls-public-0",
        CALLS,
        200,
        page("Call History", "v2/voice-call/history", [call_json("83800", public=False)]),
        fields={"public_call": "0"},
        setup=public_call,
    ),
    Case(
        "5-calls-public-1",
        CALLS,
        200,
        page("Call History", "v2/voice-call/history", [call_json("83801", public=True)]),
        fields={"public_call": "1"},
        setup=public_call,
    ),
    # 6. The custom country text is sms/send's only; elsewhere Laravel's stock one.
    Case(
        "6-report-country",
        REPORT,
        422,
        invalid("country_code", STOCK_COUNTRY),
        fields={
            "from_date": "2026-11-01",
            "to_date": "2026-11-02",
            "receiver": "3151350000",
            "country_code": "+33",
        },
    ),
    Case(
        "6-chat-country",
        CHAT,
        422,
        invalid("country_code", STOCK_COUNTRY),
        fields={"sender": DEMO_FROM_NUMBER, "receiver": "3151350000", "country_code": "+33"},
    ),
    Case(
        "6-contact-country",
        CONTACT_CREATE,
        422,
        invalid("country_code", STOCK_COUNTRY),
        fields={
            "group_id": VIP_GROUP,
            "first_name": "Ann",
            "phone_number": "7700900123",
            "country_code": "+44",
        },
    ),
    # 7. Numbers out are E.164: a campaign sent from a national number.
    Case(
        "7-campaign-items-e164",
        CAMPAIGN_ITEMS,
        200,
        page(
            "SMS Campaign Items",
            "v2/sms/campaign/items",
            [
                campaign_item(1, "+13151350000", "Welcome!"),
                campaign_item(2, "+13151350001", "Welcome!"),
            ],
        ),
        fields={"campaign_id": 31529},
        prior=(
            Request(CAMPAIGN_SEND, {**CAMPAIGN, "from_numbers[]": [DEMO_FROM_NUMBER]}, csv(ROWS)),
        ),
    ),
    # 8. Chat history is a plain list, also with limit and page.
    Case(
        "8-chat-plain",
        CHAT,
        200,
        ok("Chat History", [chat_json(3), chat_json(2), chat_json(1)]),
        fields={"sender": DEMO_FROM_NUMBER, "receiver": "3151350000", "country_code": "+1"},
        setup=chat,
    ),
    Case(
        "8-chat-limit-page",
        CHAT,
        200,
        ok("Chat History", [chat_json(2)]),
        fields={
            "sender": DEMO_FROM_NUMBER,
            "receiver": "3151350000",
            "country_code": "+1",
            "limit": 1,
            "page": 2,
        },
        setup=chat,
    ),
    # 9. sub-user/tokens: status before message, as every other reply.
    Case(
        "9-sub-users-key-order",
        SUB_USERS,
        200,
        page(
            "Sub Users",
            "v2/sub-user/tokens",
            [{"email": "bob@x.example", "name": "Bob", "easify_api_token": "1088|bob"}],
        ),
        setup=known_sub_user,
    ),
    # 10. Campaign states in the docs' order, with the clock.
    *(
        Case(
            f"10-campaign-{state.lower()}",
            CAMPAIGN_STATUS,
            200,
            campaign_status(state, done),
            fields={"campaign_id": 31529},
            prior=SENT_CAMPAIGN,
            advance=advance,
        )
        for state, done, advance in (
            ("Preparing", 0, 0.0),
            ("Processing", 0, 0.6),
            ("Running", 1, 1.15),
            ("Completed", 2, 5.0),
        )
    ),
    # 11. The recipients file.
    Case("11-file-rows", CAMPAIGN_SEND, 200, SENT, fields=CAMPAIGN, files=csv(ROWS)),
    Case(
        "11-file-invalid-rows",
        CAMPAIGN_SEND,
        200,
        ok(
            "SMS Campaign Processed Successfully",
            {
                "campaign_id": 31529,
                "recipients_in_file": 6,
                "valid_recipients": 1,
                "invalid_recipients": 5,
            },
        ),
        fields=CAMPAIGN,
        # valid; duplicate; blacklisted; on the invalid list; no area code 0; not a number
        files=csv(
            b"Mobile\n+13151350000\n(315) 135-0000\n+13151350002\n3151350003\n0151350004\nann\n"
        ),
        setup=lambda s: listed(s, blacklist="+13151350002", invalid="+13151350003"),
    ),
    Case(
        "11-file-no-valid-row",
        CAMPAIGN_SEND,
        400,
        failure("No valid recipients found in the recipients file."),
        fields=CAMPAIGN,
        files=csv(b"phone_number\n12\n"),
    ),
    Case(
        "11-file-no-number-column",
        CAMPAIGN_SEND,
        422,
        invalid("recipients_file", "The recipients file field must have a phone number column."),
        fields=CAMPAIGN,
        files=csv(b"name,city\nAnn,Paris\n"),
    ),
    Case(
        "11-file-empty",
        CAMPAIGN_SEND,
        422,
        invalid("recipients_file", "The recipients file field must be a file of type: csv."),
        fields=CAMPAIGN,
        files=csv(b""),
    ),
    Case(
        "11-file-binary-named-csv",
        CAMPAIGN_SEND,
        422,
        invalid("recipients_file", "The recipients file field must be a file of type: csv."),
        fields=CAMPAIGN,
        files=csv(b"\x89PNG\r\n\x1a\n\x00\x00"),
    ),
    Case(
        "11-file-csv-named-txt", CAMPAIGN_SEND, 200, SENT, fields=CAMPAIGN, files=csv(ROWS, "r.txt")
    ),
    Case(
        "11-file-placeholders",
        CAMPAIGN_ITEMS,
        200,
        page(
            "SMS Campaign Items",
            "v2/sms/campaign/items",
            [
                campaign_item(1, "+13151350000", "Hi Ann!"),
                campaign_item(2, "+13151350001", "Hi Bob!"),
            ],
        ),
        fields={"campaign_id": 31529},
        setup=placeholder_template,
        prior=SENT_CAMPAIGN,
    ),
    # 12. v3 email.
    *(
        Case(
            f"12-v3-unsubscribed-{name}",
            V3_EMAIL_SEND,
            422,
            invalid(f"{name}.0", _NOT_EMAIL.format(f"{name}.0")),
            fields={**V3_SEND, name: ["Gone@x.example"]},
            setup=lambda s: s.unsubscribed.add("gone@x.example"),
        )
        for name in ("receiver", "cc", "bcc")
    ),
    Case(
        "12-v3-additional-data",
        V3_EMAIL_SEND,
        422,
        invalid("additional_data", "The additional data field must be a valid JSON string."),
        fields={**V3_SEND, "additional_data": "{not json"},
    ),
    Case(
        "12-v3-sender-any-case",
        V3_EMAIL_SEND,
        200,
        ok("Email processed successfully", {"email_id": "674"}),
        fields={**V3_SEND, "sender": DEMO_SENDER.upper()},
    ),
    Case(
        "12-v3-invalid-address-alone",
        V3_EMAIL_SEND,
        200,
        ok("Email processed successfully", {"email_id": "674"}),
        setup=lambda s: s.invalid_emails.add("a@x.example"),
    ),
    # 13. contacts/update changes only the fields sent.
    Case(
        "13-contact-update-partial",
        CONTACTS,
        200,
        page(
            "Contacts",
            "v2/contacts",
            [
                {
                    "id": ANN,
                    "group_name": "VIP",
                    "first_name": "Anne",
                    "last_name": None,
                    "phone_number": None,
                    "email_address": "anne@x.example",
                    "company": "Acme",
                    "additional_1": None,
                    "additional_2": None,
                    "additional_3": None,
                    "shared_contact": False,
                    "created_at": STAMP,
                    "updated_at": STAMP,
                }
            ],
        ),
        fields={},
        setup=ann_works_at_acme,
        prior=(
            Request(
                CONTACT_UPDATE,
                {"contact_id": ANN, "first_name": "Anne", "email_address": "anne@x.example"},
            ),
        ),
    ),
]

assert STAFF_GROUP == 3  # the seeded ids the bodies above rely on
