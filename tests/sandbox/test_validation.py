"""Laravel's Validator in the sandbox: every failing field, the summary, typed rules, phones."""

from __future__ import annotations

from typing import Any

import pytest
from attrs import frozen
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from easify_async.sandbox import DEMO_FROM_NUMBER, DEMO_SENDER, Account, Sandbox
from tests.sandbox.cases import COUNTRY, EMAIL, SMS, without
from tests.sandbox.conftest import app_headers, json_headers, php_json, raw_client

pytestmark = pytest.mark.anyio

REQUIRED_COUNTRY = {
    "message": "The country code field is required.",
    "errors": {"country_code": ["The country code field is required."]},
}
TO_REQUIRED = "The to number field is required."
MESSAGE_REQUIRED = "The message field is required when media is not present."
MEDIA_REQUIRED = "The media field is required when message is not present."
NOT_INTEGER = "The force send field must be an integer."
NOT_ZERO_OR_ONE = "The selected force send is invalid."


def failure(message: str) -> dict[str, Any]:
    return {"status": False, "message": message, "errors": []}


def invalid(errors: dict[str, list[str]], summary: str | None = None) -> dict[str, Any]:
    """Laravel's 422 body: the first message plus "(and N more error[s])"."""
    messages = [m for field in errors.values() for m in field]
    more = len(messages) - 1
    message = summary or messages[0]
    if more:
        message += f" (and {more} more {'error' if more == 1 else 'errors'})"
    return {"message": message, "errors": errors}


@frozen
class Refusal:
    id: str
    path: str
    fields: dict[str, Any]
    status: int
    body: dict[str, Any]


REFUSALS = [
    # Item 3: the 400 for a missing country code comes first, alone.
    Refusal(
        "no-to-no-country",
        "sms/send",
        without(without(SMS, "to_number"), "country_code"),
        400,
        REQUIRED_COUNTRY,
    ),
    Refusal("nothing-but-a-message", "sms/send", {"message": "Hai"}, 400, REQUIRED_COUNTRY),
    # Item 3: every failing field, in the docs' parameter order, with Laravel's summary.
    Refusal(
        "no-to-no-content",
        "sms/send",
        {"from_number": DEMO_FROM_NUMBER, "country_code": "+1"},
        422,
        invalid(
            {"to_number": [TO_REQUIRED], "message": [MESSAGE_REQUIRED], "media": [MEDIA_REQUIRED]}
        ),
    ),
    Refusal(
        "no-from-no-to",
        "sms/send",
        {"country_code": "+1", "message": "Hai"},
        422,
        invalid(
            {"from_number": ["The from number is required."], "to_number": [TO_REQUIRED]},
            summary="The from_number is required.",
        ),
    ),
    Refusal(
        "bad-country-bad-flag",
        "sms/send",
        {**SMS, "country_code": "+33", "force_send": "true"},
        422,
        invalid({"country_code": [COUNTRY], "force_send": [NOT_INTEGER, NOT_ZERO_OR_ONE]}),
    ),
    Refusal(
        "email-empty",
        "email/send",
        {},
        422,
        invalid(
            {
                "sender": ["The sender field is required."],
                "receiver": ["The receiver field is required."],
                "subject": ["The subject field is required."],
                "message": ["The message field is required when attachment is not present."],
                "attachment": ["The attachment field is required when message is not present."],
            }
        ),
    ),
    # Item 4: the typed rules of the docs.
    Refusal(
        "force-send-true",
        "sms/send",
        {**SMS, "force_send": "true"},
        422,
        invalid({"force_send": [NOT_INTEGER, NOT_ZERO_OR_ONE]}),
    ),
    Refusal(
        "force-send-2",
        "sms/send",
        {**SMS, "force_send": 2},
        422,
        invalid({"force_send": [NOT_ZERO_OR_ONE]}),
    ),
    Refusal(
        "force-send-01",
        "sms/send",
        {**SMS, "force_send": "01"},
        422,
        invalid({"force_send": [NOT_INTEGER]}),
    ),  # "01" == "1" for in:, not an integer
    Refusal(
        "unsubscribe-true",
        "email/send",
        {**EMAIL, "enable_unsubscribe": "true"},
        422,
        invalid(
            {
                "enable_unsubscribe": [
                    "The enable unsubscribe field must be an integer.",
                    "The selected enable unsubscribe is invalid.",
                ]
            }
        ),
    ),
    Refusal(
        "from-name-int",
        "email/send",
        {**EMAIL, "from_name": 7},
        422,
        invalid({"from_name": ["The from name field must be a string."]}),
    ),
    Refusal(
        "unsubscribe-2",
        "email/send",
        {**EMAIL, "enable_unsubscribe": 2},
        422,
        invalid({"enable_unsubscribe": ["The selected enable unsubscribe is invalid."]}),
    ),
    Refusal(
        "schedule-iso",
        "email/send",
        {**EMAIL, "schedule_time": "2025-08-28T06:01:58"},
        422,
        invalid({"schedule_time": ["The schedule time field must match the format Y-m-d H:i:s."]}),
    ),
    Refusal(
        "schedule-feb-30",
        "email/send",
        {**EMAIL, "schedule_time": "2025-02-30 06:01:58"},
        422,
        invalid({"schedule_time": ["The schedule time field must match the format Y-m-d H:i:s."]}),
    ),
    Refusal(
        "zone-link",
        "email/send",
        {**EMAIL, "schedule_timezone": "US/Eastern"},
        422,
        invalid({"schedule_timezone": ["The schedule timezone field must be a valid timezone."]}),
    ),
    Refusal(
        "zone-case",
        "email/send",
        {**EMAIL, "schedule_timezone": "america/new_york"},
        422,
        invalid({"schedule_timezone": ["The schedule timezone field must be a valid timezone."]}),
    ),
    Refusal(
        "data-list",
        "email/send",
        {**EMAIL, "additional_data": [1, 2]},
        422,
        invalid({"additional_data": ["The additional data field must be a valid JSON string."]}),
    ),
    Refusal(
        "data-text",
        "email/send",
        {**EMAIL, "additional_data": "{'id': 1}"},
        422,
        invalid({"additional_data": ["The additional data field must be a valid JSON string."]}),
    ),
    Refusal(
        "media-list",
        "sms/send",
        {**SMS, "media": ["https://x.io/a.gif"]},
        422,
        invalid({"media": ["The media field must be a valid URL."]}),
    ),
    Refusal(
        "media-not-url",
        "sms/send",
        {**SMS, "media": "cat.gif"},
        422,
        invalid({"media": ["The media field must be a valid URL."]}),
    ),
    Refusal(
        "attachment-not-url",
        "email/send",
        {**EMAIL, "attachment": "http//x.io/a.pdf"},
        422,
        invalid({"attachment": ["The attachment field must be a valid URL."]}),
    ),
    Refusal(
        "from-name-256",
        "email/send",
        {**EMAIL, "from_name": "x" * 256},
        422,
        invalid({"from_name": ["The from name field must not be greater than 255 characters."]}),
    ),
    Refusal(
        "country-33",
        "sms/send",
        {**SMS, "country_code": "33"},
        422,
        invalid({"country_code": [COUNTRY]}),
    ),
    Refusal(
        "country-list",
        "sms/send",
        {**SMS, "country_code": ["+1"]},
        422,
        invalid({"country_code": [COUNTRY]}),
    ),
    Refusal(
        "receiver-space",
        "email/send",
        {**EMAIL, "receiver": "a b@c.d"},
        422,
        invalid({"receiver": ["The receiver field must be a valid email address."]}),
    ),
    Refusal(
        "receiver-two-ats",
        "email/send",
        {**EMAIL, "receiver": "a@b@c.d"},
        422,
        invalid({"receiver": ["The receiver field must be a valid email address."]}),
    ),
    # Item 5: national numbers per country.
    Refusal(
        "us-area-code-1",
        "sms/send",
        {**SMS, "to_number": "1151350000"},
        400,
        failure("InvalidRecipient!"),
    ),
    Refusal(
        "us-area-code-0",
        "sms/send",
        {**SMS, "to_number": "(015) 135-0000"},
        400,
        failure("InvalidRecipient!"),
    ),
    Refusal(
        "uk-too-short",
        "sms/send",
        {**SMS, "country_code": "+44", "to_number": "0770090"},
        400,
        failure("InvalidRecipient!"),
    ),
    Refusal(
        "us-letters",
        "sms/send",
        {**SMS, "to_number": "315-135-OOOO"},
        400,
        failure("InvalidRecipient!"),
    ),
    Refusal(
        "from-unknown",
        "sms/send",
        {**SMS, "from_number": "+1 315 293 0001"},
        400,
        failure("Selected from number is invalid"),
    ),
]


@pytest.mark.parametrize("case", [pytest.param(c, id=c.id) for c in REFUSALS])
async def test_refusals_are_laravels_exactly(case: Refusal, where: str) -> None:
    """Status, body bytes and headers of each refusal, in process and over uvicorn."""
    sandbox = Sandbox()
    async with raw_client(sandbox, where) as client:
        response = await client.post(case.path, json=case.fields)
    assert response.status_code == case.status
    assert response.content == php_json(case.body)
    assert app_headers(response) == json_headers(x_ratelimit_limit="15", x_ratelimit_remaining="14")
    assert sandbox.sent_sms == []
    assert sandbox.sent_emails == []


@frozen
class Acceptance:
    id: str
    path: str
    fields: dict[str, Any]
    ledger: dict[str, Any]  # attributes of the one ledger entry


ACCEPTED = [
    # Item 4: Laravel's in: compares PHP strings loosely; the listed code is recorded.
    Acceptance("country-1", "sms/send", {**SMS, "country_code": "1"}, {"country_code": "+1"}),
    Acceptance("country-int", "sms/send", {**SMS, "country_code": 1}, {"country_code": "+1"}),
    Acceptance(
        "country-+01.0", "sms/send", {**SMS, "country_code": "+01.0"}, {"country_code": "+1"}
    ),
    Acceptance(
        "country-44-padded",
        "sms/send",
        {**SMS, "country_code": " 44 ", "to_number": "7700900123"},
        {"country_code": "+44"},
    ),
    Acceptance("force-send-1", "sms/send", {**SMS, "force_send": "1"}, {"force_send": True}),
    Acceptance("force-send-int-0", "sms/send", {**SMS, "force_send": 0}, {"force_send": False}),
    # PHP reads a JSON true as "1": filter_var gives 1, and "1" is in 0,1.
    Acceptance(
        "unsubscribe-json-true",
        "email/send",
        {**EMAIL, "enable_unsubscribe": True},
        {"enable_unsubscribe": True},
    ),
    Acceptance(
        "media-url",
        "sms/send",
        {**SMS, "media": "https://x.io/a.gif?v=1"},
        {"media": "https://x.io/a.gif?v=1"},
    ),
    Acceptance(
        "localhost",
        "email/send",
        {**EMAIL, "receiver": "user@localhost"},
        {"receiver": "user@localhost"},
    ),
    Acceptance(
        "quoted-local",
        "email/send",
        {**EMAIL, "receiver": '"a b"@example.com'},
        {"receiver": '"a b"@example.com'},
    ),
    Acceptance(
        "sender-case",
        "email/send",
        {**EMAIL, "sender": DEMO_SENDER.upper()},
        {"sender": DEMO_SENDER},
    ),
    Acceptance(
        "schedule",
        "email/send",
        {
            **EMAIL,
            "schedule_time": "2025-08-28 06:01:58",
            "schedule_timezone": "Asia/Kolkata",
            "enable_unsubscribe": "1",
            "from_name": "x" * 255,
            "additional_data": {"id": "232"},
        },
        {
            "schedule_time": "2025-08-28 06:01:58",
            "schedule_timezone": "Asia/Kolkata",
            "enable_unsubscribe": True,
            "additional_data": {"id": "232"},
        },
    ),
    Acceptance(
        "data-json-text",
        "email/send",
        {**EMAIL, "additional_data": '{"id": "232"}'},
        {"additional_data": '{"id": "232"}'},
    ),
    # Item 5: formatting, trunk 0, and a sender number with its country code.
    Acceptance(
        "us-formatted",
        "sms/send",
        {**SMS, "to_number": "(315) 135-0000"},
        {"to_number": "3151350000"},
    ),
    Acceptance(
        "us-dots", "sms/send", {**SMS, "to_number": "315.135.0000"}, {"to_number": "3151350000"}
    ),
    Acceptance(
        "uk-trunk-0",
        "sms/send",
        {**SMS, "country_code": "+44", "to_number": "07700 900123"},
        {"to_number": "7700900123", "receiver": "+447700900123"},
    ),
    Acceptance(
        "il-trunk-0",
        "sms/send",
        {**SMS, "country_code": "+972", "to_number": "050-123-4567"},
        {"to_number": "501234567"},
    ),
    Acceptance(
        "from-e164",
        "sms/send",
        {**SMS, "from_number": f"+1{DEMO_FROM_NUMBER}"},
        {"from_number": DEMO_FROM_NUMBER},
    ),
    Acceptance(
        "from-formatted",
        "sms/send",
        {**SMS, "from_number": "(315) 293-0000"},
        {"from_number": DEMO_FROM_NUMBER},
    ),
]


@pytest.mark.parametrize("case", [pytest.param(c, id=c.id) for c in ACCEPTED])
async def test_what_laravel_accepts_is_accepted(case: Acceptance, where: str) -> None:
    """Each of these is a 200, and the ledger records the normalised values."""
    sandbox = Sandbox()
    async with raw_client(sandbox, where) as client:
        response = await client.post(case.path, json=case.fields)
    assert response.status_code == 200, response.text
    [sent] = sandbox.sent_sms or sandbox.sent_emails
    assert {name: getattr(sent, name) for name in case.ledger} == case.ledger


async def test_an_e164_account_number_matches_only_its_own_country(where: str) -> None:
    """A number listed as +44... is not the +1 number with the same digits."""
    sandbox = Sandbox(accounts=[Account(token="1|uk", from_numbers={"+447700900123"})])
    async with raw_client(sandbox, where, token="1|uk") as client:
        us = await client.post("sms/send", json={**SMS, "from_number": "+17700900123"})
        uk = await client.post("sms/send", json={**SMS, "from_number": "+44 07700 900123"})
    assert us.content == php_json(failure("Selected from number is invalid"))
    assert uk.status_code == 200
    assert sandbox.sent_sms[0].from_number == "+447700900123"


async def test_multipart_fields_are_text_and_arrays_as_php_reads_them(where: str) -> None:
    """Multipart: force_send "true" refused; attachment[] files read as one array."""
    sandbox = Sandbox()
    async with raw_client(sandbox, where) as client:
        refused = await client.post(
            "sms/send", data={**SMS, "force_send": "true"}, files={"media": ("a.gif", b"GIF89a")}
        )
        accepted = await client.post(
            "email/send",
            data={**without(EMAIL, "message"), "additional_data": '{"k": 1}'},
            files=[("attachment[]", ("a.pdf", b"1")), ("attachment[]", ("b.pdf", b"2"))],
        )
    assert refused.content == php_json(invalid({"force_send": [NOT_INTEGER, NOT_ZERO_OR_ONE]}))
    assert accepted.status_code == 200
    assert sandbox.sent_emails[0].attachments == ("a.pdf", "b.pdf")


async def test_invalid_recipients_and_separate_credit_balances(where: str) -> None:
    """Fixtures: a listed recipient is InvalidRecipient!; SMS and email credits are apart."""
    sandbox = Sandbox()
    sandbox.invalid_recipients.add("+13151350000")
    sandbox.account().sms_credits = 0
    async with raw_client(sandbox, where) as client:
        listed = await client.post("sms/send", json=SMS)
        broke = await client.post("sms/send", json={**SMS, "to_number": "3151350001"})
        email = await client.post("email/send", json=EMAIL)
        sandbox.account().email_credits = 0
        email_broke = await client.post("email/send", json=EMAIL)
    assert listed.content == php_json(failure("InvalidRecipient!"))
    assert broke.content == php_json(
        failure("Sorry, you do not have enough credits to send this SMS. Please recharge for more.")
    )
    assert email.status_code == 200
    assert email_broke.content == php_json(
        failure(
            "Sorry, you do not have enough credits to send this email. Please recharge for more."
        )
    )
    assert sandbox.account().email_credits == 0


SCALARS = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=12)
)
# Two levels of arrays and objects are deep enough for fields that are scalars.
NESTED = st.lists(SCALARS, max_size=3) | st.dictionaries(st.text(max_size=4), SCALARS, max_size=3)
JSON_VALUES = SCALARS | NESTED | st.lists(NESTED, max_size=2)
FIELD_NAMES = {
    "sms/send": [*SMS, "media", "lead_id", "force_send"],
    "email/send": [
        *EMAIL,
        "attachment",
        "enable_unsubscribe",
        "schedule_time",
        "schedule_timezone",
        "additional_data",
        "from_name",
    ],
    "sms/status": ["sms_id"],
}


BASES: dict[str, dict[str, Any]] = {"sms/send": SMS, "email/send": EMAIL, "sms/status": {}}


def bodies(path: str) -> st.SearchStrategy[tuple[str, dict[str, Any]]]:
    """Any subset of the endpoint's fields, each valid (from the base) or any JSON value."""
    base = BASES[path]
    values = {
        n: (st.just(base[n]) | JSON_VALUES) if n in base else JSON_VALUES for n in FIELD_NAMES[path]
    }
    return st.tuples(st.just(path), st.fixed_dictionaries({}, optional=values))


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=st.sampled_from(sorted(FIELD_NAMES)).flatmap(bodies))
async def test_any_json_body_gets_a_documented_reply_shape(
    case: tuple[str, dict[str, Any]],
) -> None:
    """Whatever the field values, a 200, a 400 or a 422 in the documented shape; never a 500."""
    path, body = case
    sandbox = Sandbox()
    async with raw_client(sandbox, "in-process") as client:
        if path == "sms/status":
            response = await client.request("GET", path, json=body)
        else:
            response = await client.post(path, json=body)
    reply = response.json()
    assert response.status_code in (200, 400, 422)
    if response.status_code == 200:
        assert reply["status"] is True
    elif "status" in reply:
        assert reply["status"] is False
        assert reply["errors"] == []
        assert reply["message"]
    else:
        errors = reply["errors"]
        messages = [m for field in errors.values() for m in field]
        assert set(reply) == {"message", "errors"}
        assert messages
        assert all(isinstance(m, str) for m in messages)
        assert reply["message"].endswith(
            f" (and {len(messages) - 1} more error{'s' if len(messages) > 2 else ''})"
            if len(messages) > 1
            else "."
        )


async def test_a_message_is_listed_once_per_field(where: str) -> None:
    """Laravel's MessageBag keeps one copy: invalid and unsubscribed give one receiver error."""
    sandbox = Sandbox()
    sandbox.unsubscribed.add("A B@c.d")
    async with raw_client(sandbox, where) as client:
        response = await client.post("email/send", json={**EMAIL, "receiver": "a b@c.d"})
    assert response.content == php_json(
        invalid({"receiver": ["The receiver field must be a valid email address."]})
    )


async def test_the_unsubscribed_list_matches_case_insensitively(where: str) -> None:
    """The documented 422 for an unsubscribed receiver, whatever the address's case."""
    sandbox = Sandbox()
    sandbox.unsubscribed.add("Receiver@Easify.app")
    sandbox.invalid_emails.add("OTHER@easify.app")
    async with raw_client(sandbox, where) as client:
        unsubscribed = await client.post("email/send", json=EMAIL)
        zerobounce = await client.post("email/send", json={**EMAIL, "receiver": "other@easify.app"})
    assert unsubscribed.status_code == 422
    assert zerobounce.content == php_json(failure("Invalid email address."))
