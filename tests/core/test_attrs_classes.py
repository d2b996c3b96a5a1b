"""Endpoint groups and transports are attrs classes (STYLE.md), and their reprs keep
the token out."""

from __future__ import annotations

import attrs
import pytest

from easify_async import AsyncEasify
from easify_async._endpoints.campaigns import Campaigns
from easify_async._endpoints.contact_groups import ContactGroups
from easify_async._endpoints.contacts import Contacts
from easify_async._endpoints.email import Email
from easify_async._endpoints.phone_numbers import PhoneNumbers
from easify_async._endpoints.sms import Sms
from easify_async._endpoints.sub_users import SubUsers
from easify_async._endpoints.v3 import V3, EmailV3
from easify_async._endpoints.voice_calls import VoiceCalls
from easify_async._http import HttpCore
from easify_async._transports._before_send import BeforeSendTransport
from easify_async._transports._bounded import BoundedReplyTransport
from easify_async._transports._gate import GateTransport
from easify_async._transports._ratelimit import RateLimitTransport
from easify_async._transports._retry import RetryTransport
from tests.fakes import Recorder

pytestmark = pytest.mark.anyio

GROUPS = [
    Campaigns,
    ContactGroups,
    Contacts,
    Email,
    EmailV3,
    PhoneNumbers,
    Sms,
    SubUsers,
    V3,
    VoiceCalls,
]
TRANSPORTS = [
    BeforeSendTransport,
    BoundedReplyTransport,
    GateTransport,
    RateLimitTransport,
    RetryTransport,
    HttpCore,
]


@pytest.mark.parametrize("cls", GROUPS + TRANSPORTS, ids=lambda cls: cls.__name__)
def test_is_an_attrs_class(cls: type[object]) -> None:
    assert attrs.has(cls)


@pytest.mark.parametrize("cls", GROUPS, ids=lambda cls: cls.__name__)
def test_endpoint_groups_are_frozen(cls: type[object]) -> None:
    assert attrs.fields(cls)  # type: ignore[arg-type]
    assert cls.__setattr__ is not object.__setattr__


async def test_no_group_or_stack_repr_shows_the_token() -> None:
    token = "1087|repr-secret-token"
    async with AsyncEasify(token, transport=Recorder().transport()) as easify:
        groups = [
            easify.sms,
            easify.email,
            easify.v3,
            easify.v3.email,
            easify.contacts,
            easify.contact_groups,
            easify.campaigns,
            easify.phone_numbers,
            easify.sub_users,
            easify.voice_calls,
        ]
        texts = [repr(group) for group in groups] + [repr(easify.sms._http)]
    for text in texts:
        assert "repr-secret" not in text
        assert "1087" not in text
