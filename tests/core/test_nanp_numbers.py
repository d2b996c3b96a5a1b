"""+1 numbers whose area code starts with 0 or 1 are refused before any request, as the
server (and the sandbox standing in for it) refuses them."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from easify_async import ArgumentError, AsyncEasify, InvalidPhoneNumberError
from easify_async._validation import split_phone_number
from easify_async.bulk import SmsMessage
from easify_async.sandbox import DEMO_FROM_NUMBER, DEMO_TOKEN, Sandbox
from easify_async.sandbox._phones import recipient_number
from tests.fakes import Recorder

pytestmark = pytest.mark.anyio

FAST = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SEPARATOR = st.sampled_from(["", "", " ", "-", ".", "(", ")"])
# Around the valid length, every leading digit equally likely: a fifth start with 0 or 1.
DIGITS = st.text(alphabet="0123456789", min_size=9, max_size=11)


@st.composite
def national_text(draw: st.DrawFn) -> str:
    """A national number as people type it: digits with separators between any of them."""
    digits = draw(DIGITS)
    return "".join(digit + draw(SEPARATOR) for digit in digits)


NATIONAL = national_text() | st.text(alphabet="0123456789 ().-", max_size=16)
ANY_INPUT = NATIONAL | NATIONAL.map(lambda n: "+1" + n) | NATIONAL.map(lambda n: "001" + n)


def sdk(number: str, country_code: str | None = "+1") -> str | None:
    """The national number the SDK would send, or None when it refuses the input."""
    try:
        code, national = split_phone_number("to_number", number, country_code)
    except ArgumentError:
        return None
    return national if code == "+1" else None


@FAST
@given(number=NATIONAL)
def test_the_sdk_and_the_sandbox_accept_the_same_national_numbers(number: str) -> None:
    """Same input, country code +1: both accept it as the same digits, or both refuse it."""
    if number.replace(" ", "").startswith(("+", "00")):
        return  # the SDK reads these as international; the property below covers them
    assert sdk(number) == recipient_number(number, "+1")


@FAST
@given(number=ANY_INPUT, country_code=st.sampled_from(["+1", "1", None]))
def test_every_number_the_sdk_sends_for_plus_1_the_sandbox_accepts(
    number: str, country_code: str | None
) -> None:
    """National, E.164 or 00-prefixed: what the SDK sends as to_number the sandbox keeps."""
    national = sdk(number, country_code)
    if national is not None:
        assert recipient_number(national, "+1") == national


@FAST
@given(digits=st.text(alphabet="0123456789", min_size=10, max_size=10))
def test_every_number_the_sandbox_accepts_the_sdk_accepts_in_e164(digits: str) -> None:
    """Whatever 10 digits the sandbox takes for +1, the SDK takes as +1 and those digits."""
    assert sdk(f"+1{digits}", None) == recipient_number(digits, "+1")


@pytest.mark.parametrize(
    "number",
    ["+13151350000", "(315) 135-0000", "2120100000", "+1 999 999 9999"],
    ids=["exchange-1xx", "formatted", "exchange-0xx", "nines"],
)
def test_an_area_code_from_2_to_9_is_accepted_whatever_the_exchange(number: str) -> None:
    """Only the area code is checked, as the sandbox does (the contract's +13151350000 works)."""
    assert sdk(number) == "".join(c for c in number.removeprefix("+1") if c.isdigit())


Call = Callable[[AsyncEasify], Awaitable[Any]]
SMS = {"from_number": DEMO_FROM_NUMBER, "message": "hi"}
CONTACT = {"first_name": "Ann"}
REPORT = {"from_date": "2026-11-01", "to_date": "2026-11-30"}
CSV = b"phone\n+13151350000\n"

CALLS = [
    pytest.param(
        lambda e: e.sms.send(to_number="+11151350000", **SMS), "to_number", id="send-e164"
    ),
    pytest.param(
        lambda e: e.sms.send(to_number="015 135 0000", country_code="+1", **SMS),
        "to_number",
        id="send-national",
    ),
    pytest.param(
        lambda e: e.sms.send(to_number="001 (115) 135-0000", **SMS), "to_number", id="send-00"
    ),
    pytest.param(
        lambda e: e.sms.send(from_number="+10152930000", to_number="+13151350000", message="hi"),
        "from_number",
        id="send-from-e164",
    ),
    pytest.param(
        lambda e: e.contacts.create(group_id=1, phone_number="+10151350000", **CONTACT),
        "phone_number",
        id="contact-create",
    ),
    pytest.param(
        lambda e: e.contacts.update(7, phone_number="1151350000", country_code="+1", **CONTACT),
        "phone_number",
        id="contact-update",
    ),
    pytest.param(
        lambda e: e.sms.report(receiver="+11151350000", **REPORT), "receiver", id="report"
    ),
    pytest.param(
        lambda e: e.sms.chat_history(DEMO_FROM_NUMBER, "0151350000", country_code="1"),
        "receiver",
        id="chat-history",
    ),
    pytest.param(
        lambda e: e.campaigns.send("November", ["1152930000"], [1], CSV),
        "from_numbers[0]",
        id="campaign-sender",
    ),
]


@pytest.mark.parametrize(("call", "argument"), CALLS)
async def test_a_plus_1_area_code_starting_0_or_1_is_refused_before_any_request(
    call: Call, argument: str
) -> None:
    """Every call taking a phone number: InvalidPhoneNumberError naming it, nothing sent."""
    recorder = Recorder()
    async with AsyncEasify("t", transport=recorder.transport()) as easify:
        with pytest.raises(InvalidPhoneNumberError, match="area code") as caught:
            await call(easify)
    assert caught.value.argument == argument
    assert recorder.requests == []


async def test_a_bulk_item_with_such_a_number_fails_alone_and_never_reaches_the_server() -> None:
    """send_many against the sandbox: that item fails with the argument error, the rest go."""
    sandbox = Sandbox()
    items = [
        SmsMessage(from_number=DEMO_FROM_NUMBER, to_number=to, message="hi", key=to)
        for to in ("+13151350000", "+11151350000", "+13151350001")
    ]
    async with sandbox, AsyncEasify(DEMO_TOKEN, transport=sandbox.transport()) as easify:
        results = {r.item.key: r async for r in easify.sms.send_many(items)}
    assert isinstance(results["+11151350000"].error, InvalidPhoneNumberError)
    assert results["+13151350000"].sms_id
    assert results["+13151350001"].sms_id
    assert sorted(s.to_number for s in sandbox.sent_sms) == ["3151350000", "3151350001"]
