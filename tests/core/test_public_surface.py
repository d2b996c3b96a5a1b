"""Every public call, given any values of any type, ends in a result, an `EasifyError`, or
a `TypeError` naming an argument: nothing escapes untyped from deep inside.

The calls are found, not listed: the `__all__` of each public module and every public
method of every endpoint group, so a new call is covered as soon as it is exported.
"""

from __future__ import annotations

import datetime as dt
import enum
import importlib
import inspect
import math
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import anyio
import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import easify_async
from easify_async import ArgumentError, AsyncEasify, EasifyError, RateLimit, RateLimits
from easify_async.bulk import EmailMessage, NewContact, SmsMessage, describe_eta
from easify_async.sandbox import DEMO_FROM_NUMBER, DEMO_SENDER, DEMO_TOKEN, Sandbox
from easify_async.webhooks import sign

pytestmark = pytest.mark.anyio

MODULES = ["easify_async", "easify_async.bulk", "easify_async.limiters", "easify_async.webhooks"]
# Protocols and results: constructed by the SDK, not called with a user's values. The
# Redis classes need a server (their own tests hold them; RedisReplayGuard's arguments
# are being reworked with its store marker in this round).
NOT_CALLED = {"AsyncPaginator", "Page", "Limiter", "ReplayGuard", "Lease"}
NOT_CALLED |= {"RedisLimiter", "RedisReplayGuard"}
# The blocking client runs AsyncEasify's constructor and calls (each made here would start
# a loop thread); tests/sync/test_surface.py holds both surfaces equal.
NOT_CALLED |= {"Easify", "Paginator", "SyncPage"}
# Types of each call's `**options` for a type checker: drawn below as those options.
NOT_CALLED |= {"RequestOptions", "ReadOptions", "WaitOptions"}
# Groups reached from the client; `v3` holds a group of its own.
GROUPS = ["sms", "email", "phone_numbers", "campaigns", "v3", "v3.email", "voice_calls"]
GROUPS += ["sub_users", "contact_groups", "contacts"]


def _exported() -> dict[str, Callable[..., Any]]:
    found: dict[str, Callable[..., Any]] = {}
    for module_name in MODULES:
        module = importlib.import_module(module_name)
        for name in module.__all__:
            value = getattr(module, name)
            if name in NOT_CALLED or not callable(value):
                continue
            if isinstance(value, type) and issubclass(value, (BaseException, enum.Enum)):
                continue
            found[f"{module_name}.{name}"] = value
    return found


EXPORTED = _exported()


def _group_methods() -> list[str]:
    """``group.method`` for every public method of every endpoint group."""
    easify = AsyncEasify("t", transport=httpx.MockTransport(lambda r: httpx.Response(500)))
    names = []
    for path in GROUPS:
        group: Any = easify
        for part in path.split("."):
            group = getattr(group, part)
        names += [
            f"{path}.{name}"
            for name, member in inspect.getmembers(type(group), inspect.isfunction)
            if not name.startswith("_")
        ]
    return [*names, "with_options"]


METHODS = _group_methods()

# Values that pass each parameter's checks, so a call gets past its first argument.
PLAUSIBLE: dict[str, list[Any]] = {
    "from_number": [DEMO_FROM_NUMBER],
    "to_number": ["+13151350000"],
    "receiver": ["+13151350000", "a@x.example"],
    "sender": [DEMO_FROM_NUMBER, DEMO_SENDER],
    "message": ["hi"],
    "subject": ["hi"],
    "sms_id": ["1"],
    "email_id": ["1"],
    "campaign_id": [1],
    "group_id": [1],
    "contact_id": [1],
    "email": ["a@x.example"],
    "first_name": ["Ann"],
    "name": ["Ann"],
    "from_date": ["2026-11-01"],
    "to_date": ["2026-11-02"],
    "timeout": [0.01],
    "poll_interval": [0.01],
    "limit": [2],
    "items": [
        [SmsMessage(from_number=DEMO_FROM_NUMBER, to_number="+13151350000", message="hi")],
        [EmailMessage(sender=DEMO_SENDER, receiver="a@x.example", subject="s", message="m")],
        [NewContact(group_id=1, first_name="Ann", phone_number="+13151350000")],
    ],
    "body": [b'{"sms_id":"1","status":"Delivered"}'],
    "headers": [{"X-Easify-Timestamp": "0"}],
    "secret": ["s"],
    "payload": [{"sms_id": "1"}],
    "api_token": [DEMO_TOKEN],
    "max_retries": [0],
    "extra_headers": [{"X-A": "1"}],
    "extra_query": [{"a": "1"}],
}
ANY_VALUE = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**70), 2**70),
    st.sampled_from([0, 1, -1, 10**7]),
    st.floats(),
    st.sampled_from([math.nan, math.inf, -0.0]),
    st.text(max_size=12),
    st.sampled_from(["", " ", "\0", "\u00a0", "9999-12-31", "+1", "00"]),
    st.binary(max_size=8),
    st.lists(st.integers() | st.text(max_size=3), max_size=3),
    st.dictionaries(st.text(max_size=4), st.integers() | st.text(max_size=3), max_size=2),
    st.dates(),
    st.datetimes(),
    st.builds(object),
)


def value_for(name: str) -> st.SearchStrategy[Any]:
    plausible = PLAUSIBLE.get(name)
    return ANY_VALUE if plausible is None else st.sampled_from(plausible) | ANY_VALUE


@st.composite
def arguments(draw: st.DrawFn, function: Callable[..., Any]) -> tuple[list[Any], dict[str, Any]]:
    """Positional and keyword arguments for ``function``: each given or left out."""
    positional: list[Any] = []
    keywords: dict[str, Any] = {}
    for parameter in inspect.signature(function).parameters.values():
        if parameter.kind is parameter.VAR_KEYWORD and parameter.annotation != parameter.empty:
            # A call's options (`**options: Unpack[RequestOptions]`): each given or not,
            # and now and then one the call does not take.
            kind = getattr(easify_async, str(parameter.annotation)[len("Unpack[") : -1])
            for option in [*kind.__annotations__, "extra_query", "timeot"]:
                if draw(st.booleans()):
                    keywords[option] = draw(value_for(option))
            continue
        if parameter.kind in (parameter.VAR_POSITIONAL, parameter.VAR_KEYWORD):
            continue
        optional = parameter.default is not parameter.empty
        if optional and draw(st.booleans()):
            continue
        value = draw(value_for(parameter.name))
        if parameter.kind is parameter.POSITIONAL_ONLY or (
            parameter.kind is parameter.POSITIONAL_OR_KEYWORD and not optional
        ):
            positional.append(value)
        else:
            keywords[parameter.name] = value
    return positional, keywords


def allowed(error: BaseException, names: list[str]) -> bool:
    """An EasifyError, or a TypeError that names one of the arguments given."""
    if isinstance(error, EasifyError):
        return True
    return isinstance(error, TypeError) and any(name in str(error) for name in names)


async def outcome(result: Any) -> None:
    """Await a coroutine; walk two items of a list or a bulk run."""
    if isinstance(result, Awaitable):
        await result
    elif isinstance(result, AsyncIterator) or hasattr(result, "__aiter__"):
        iterator = result.__aiter__()
        try:
            for _ in range(2):
                await iterator.__anext__()
        except StopAsyncIteration:
            pass
        finally:
            close = getattr(iterator, "aclose", None)
            if close is not None:
                await close()


def bound(function: Callable[..., Any]) -> list[str]:
    return list(inspect.signature(function).parameters)


@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data(), name=st.sampled_from(sorted(EXPORTED) + METHODS))
async def test_any_values_to_any_public_call_end_typed(
    data: st.DataObject, name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Any value of any type, for every parameter of every public call: a typed outcome."""
    monkeypatch.chdir(tmp_path)  # a text drawn as `journal` is a file name
    sandbox = Sandbox()
    async with AsyncEasify(
        DEMO_TOKEN, transport=sandbox.transport(), rate_limits=None, max_retries=0
    ) as easify:
        if name in EXPORTED:
            function = EXPORTED[name]
        else:
            function = easify
            for part in name.split("."):
                function = getattr(function, part)
        args, kwargs = data.draw(arguments(function), label="arguments")
        escaped: Exception | None = None
        try:
            with anyio.move_on_after(0.25):  # a long wait is cut short: cancellation is fine
                await outcome(function(*args, **kwargs))
        except Exception as error:  # what escapes is what is checked
            escaped = error
    names = [*bound(function), *kwargs]
    assert escaped is None or allowed(escaped, names), f"{name}: {escaped!r}"


def test_the_surface_is_found_not_listed() -> None:
    """Every endpoint group method and every exported call is in the property above."""
    assert "sms.send" in METHODS
    assert "v3.email.send" in METHODS
    assert "contacts.create_many" in METHODS
    assert "easify_async.webhooks.verify_sms_event" in EXPORTED
    assert "easify_async.RateLimits" in EXPORTED
    assert "easify_async.AsyncEasify" in EXPORTED
    assert len(METHODS) > 25


@pytest.mark.parametrize(
    ("call", "argument"),
    [
        pytest.param(
            lambda e: e.sms.send(DEMO_FROM_NUMBER, "+13151350000", message=5), "message", id="int"
        ),
        pytest.param(
            lambda e: e.sms.send(DEMO_FROM_NUMBER, "+13151350000", message={}), "message", id="dict"
        ),
        pytest.param(
            lambda e: e.email.send(DEMO_SENDER, "a@x.example", "s", message=5),
            "message",
            id="email",
        ),
        pytest.param(lambda e: e.sms.send_many(5), "items", id="items-int"),
        pytest.param(lambda e: e.sms.send_many([], on_progress=5), "on_progress", id="progress"),
    ],
)
async def test_a_value_of_the_wrong_type_is_refused_by_name(call: Any, argument: str) -> None:
    """A message that is an int or a dict: ArgumentError naming it (was AttributeError)."""
    async with AsyncEasify(DEMO_TOKEN, transport=Sandbox().transport()) as easify:
        with pytest.raises(ArgumentError) as caught:
            await outcome(call(easify))
    assert caught.value.argument == argument


@pytest.mark.parametrize(
    ("make", "argument"),
    [
        pytest.param(lambda: RateLimits(overrides="x"), "overrides", id="overrides-str"),
        pytest.param(lambda: RateLimits(margin=math.nan), "margin", id="margin-nan"),
        pytest.param(lambda: RateLimits(sms_send=15), "sms_send", id="sms-send-int"),
        pytest.param(lambda: RateLimit(15, "60"), "period", id="period-str"),
        pytest.param(lambda: RateLimit(0, 60), "limit", id="limit-0"),
        pytest.param(lambda: RateLimits().scaled(math.nan), "factor", id="factor-nan"),
        pytest.param(lambda: describe_eta(5, RateLimits(), noun="SMS"), "rate", id="eta-rate"),
        pytest.param(lambda: sign(dt.date.today(), secret="s"), "payload", id="sign-date"),
        pytest.param(lambda: sign(b"x", secret=None), "secret", id="sign-secret"),
    ],
)
def test_a_setting_of_the_wrong_type_is_refused_by_name(make: Any, argument: str) -> None:
    """RateLimits(overrides="x") and friends: ArgumentError naming it (was ValueError)."""
    with pytest.raises(ArgumentError) as caught:
        make()
    assert caught.value.argument == argument
