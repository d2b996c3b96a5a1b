"""The blocking client: the async client's results, errors, lists, bulk runs, waits and
configuration, called without an event loop."""

from __future__ import annotations

import inspect
import threading
import traceback
from collections.abc import Iterator
from typing import Any

import pytest

from easify_async import (
    ArgumentError,
    AuthenticationError,
    Easify,
    InvalidSenderError,
    MissingContentError,
    Paginator,
    RateLimit,
    RateLimits,
    SmsSent,
    SmsStatus,
    SyncPage,
    WaitTimeoutError,
)
from easify_async._sync import Runner
from easify_async.bulk import BulkStoppedError, NewContact, Outcome, SmsMessage
from easify_async.sandbox import DEMO_FROM_NUMBER, DEMO_TOKEN, Sandbox
from tests.fakes import Counting

PERIOD = 0.3  # the sandbox's minute


@pytest.fixture
def sandbox() -> Sandbox:
    return Sandbox(period=PERIOD)


@pytest.fixture
def easify(sandbox: Sandbox) -> Iterator[Easify]:
    with Easify(
        DEMO_TOKEN, transport=sandbox.transport(), rate_limits=RateLimits().scaled(PERIOD / 60)
    ) as client:
        yield client


def rows(count: int) -> list[SmsMessage]:
    return [
        SmsMessage(
            from_number=DEMO_FROM_NUMBER, to_number=f"+1315135{n:04d}", message="Hi", key=f"k{n}"
        )
        for n in range(count)
    ]


def test_a_send_returns_the_async_result_and_a_status_reads_it(
    easify: Easify, sandbox: Sandbox
) -> None:
    sent = easify.sms.send(DEMO_FROM_NUMBER, "+13151350000", message="Hi")
    assert isinstance(sent, SmsSent)
    assert [s.sms_id for s in sandbox.sent_sms] == [sent.sms_id]
    assert easify.sms.status(sent.sms_id).status is SmsStatus.DELIVERED
    assert not inspect.isawaitable(sent)


def test_errors_are_the_async_ones_with_maybe_sent(easify: Easify, sandbox: Sandbox) -> None:
    with pytest.raises(MissingContentError):
        easify.sms.send(DEMO_FROM_NUMBER, "+13151350000")
    with pytest.raises(InvalidSenderError) as refused:
        easify.sms.send("3150000000", "+13151350000", message="Hi")
    assert refused.value.maybe_sent is False
    assert sandbox.sent_sms == []


def test_lists_are_plain_iterators_pages_too(easify: Easify) -> None:
    templates = easify.sms.templates(limit=1)
    assert isinstance(templates, Paginator)
    every = list(templates)
    assert len(every) == 3  # the sandbox's three templates, one page each
    assert [t.id for t in easify.sms.templates()] == [t.id for t in every]
    pages = list(templates.pages())
    assert [p.current_page for p in pages] == [1, 2, 3]
    assert all(isinstance(p, SyncPage) for p in pages)
    first = templates.first_page()
    assert first.items == every[:1]
    assert first.has_next_page()
    last = first.next_page().next_page()
    assert not last.has_next_page()
    with pytest.raises(ValueError, match="last page"):
        last.next_page()
    assert easify.phone_numbers.list()[0].number == "+13152930000"


def test_a_page_has_a_length_and_its_items_as_an_async_page_has(easify: Easify) -> None:
    """len(page) and iterating a page, as for the async client's `Page` (issue 22.3)."""
    page = easify.sms.templates(limit=2).first_page()
    assert len(page) == 2
    assert list(page) == page.items
    assert [t.id for t in page] == [t.id for t in list(easify.sms.templates())[:2]]
    last = page.next_page()
    assert len(last) == 1
    assert last


def test_a_list_argument_error_is_raised_at_the_call(easify: Easify) -> None:
    with pytest.raises(ArgumentError):
        easify.sms.report(from_date="2026-11-02", to_date="2026-11-01")


def test_a_bulk_send_is_a_plain_generator_of_results(easify: Easify, sandbox: Sandbox) -> None:
    run = easify.sms.send_many(rows(20))
    assert inspect.isgenerator(run)
    outcomes = [result.outcome for result in run]
    assert outcomes == [Outcome.SENT] * 20
    assert len({s.to_number for s in sandbox.sent_sms}) == 20


def test_a_bulk_argument_error_is_raised_at_the_call(easify: Easify) -> None:
    with pytest.raises(ArgumentError, match="concurrency"):
        easify.sms.send_many(rows(1), concurrency=0)


def test_leaving_a_bulk_loop_stops_the_run_and_a_journal_resumes_it(
    easify: Easify, sandbox: Sandbox, tmp_path: object
) -> None:
    journal = f"{tmp_path}/run.db"
    for seen, _ in enumerate(easify.sms.send_many(rows(30), journal=journal), start=1):
        if seen == 3:
            break
    # A break is an async break: the requests out finish, nothing else leaves.
    sent_then = len(sandbox.sent_sms)
    resumed = [r.outcome for r in easify.sms.send_many(rows(30), journal=journal)]
    assert resumed.count(Outcome.ALREADY_SENT) == sent_then
    assert resumed.count(Outcome.SENT) == 30 - sent_then
    assert len(sandbox.sent_sms) == 30


def test_create_many_yields_contact_results(easify: Easify) -> None:
    group = easify.contact_groups.create(name="VIP")
    made = list(
        easify.contacts.create_many(
            [NewContact(group_id=group.id, first_name="Ann", phone_number="+13151350000")]
        )
    )
    assert made[0].outcome is Outcome.SENT
    assert [c.id for c in easify.contacts.list(group.id)] == [made[0].contact_id]


def test_waits_block_until_final_or_raise_the_wait_timeout(
    easify: Easify, sandbox: Sandbox
) -> None:
    sent = easify.sms.send(DEMO_FROM_NUMBER, "+13151350000", message="Hi")
    final = easify.sms.wait_for_final_status(sent.sms_id, timeout=30, poll_interval=0.01)
    assert final.status is SmsStatus.DELIVERED
    with pytest.raises(WaitTimeoutError):
        easify.sms.wait_for_final_status("999999", timeout=0, poll_interval=0.01)


def test_with_options_shares_the_budget_and_closing_it_leaves_the_parent_open(
    sandbox: Sandbox,
) -> None:
    sub = sandbox.extra.add_sub_user(DEMO_TOKEN, email="ann@x.example")
    limits = RateLimits(sms_send=RateLimit(2, 60.0))
    with Easify(DEMO_TOKEN, transport=sandbox.transport(), rate_limits=limits) as easify:
        child = easify.with_options(timeout=5.0)
        as_sub = easify.with_options(api_token=sub.token)
        assert isinstance(child, Easify)
        assert child.base_url == easify.base_url
        as_sub.sms.send(DEMO_FROM_NUMBER, "+13151350000", message="from the sub-user")
        child.sms.send(DEMO_FROM_NUMBER, "+13151350001", message="Hi")
        easify.sms.send(DEMO_FROM_NUMBER, "+13151350002", message="Hi")
        assert [s.token for s in sandbox.sent_sms] == [sub.token, DEMO_TOKEN, DEMO_TOKEN]
        child.close()
        as_sub.close()
        assert easify.sms.status(sandbox.sent_sms[1].sms_id).status is SmsStatus.DELIVERED
    with pytest.raises(RuntimeError, match="closed"):
        child.sms.status("1")


def test_close_ends_the_loop_thread_and_later_calls_fail_at_once(sandbox: Sandbox) -> None:
    before = set(threading.enumerate())
    easify = Easify(DEMO_TOKEN, transport=sandbox.transport())
    started = set(threading.enumerate()) - before
    assert [t.name for t in started] == ["easify-blocking"]
    assert all(t.daemon for t in started)  # an unclosed client never holds up the exit
    easify.close()
    assert not any(t.is_alive() for t in started)
    with pytest.raises(RuntimeError, match="closed"):
        easify.sms.status("1")
    easify.close()  # closing twice is harmless


def test_a_constructor_error_is_the_async_one_and_leaves_no_thread() -> None:
    before = set(threading.enumerate())
    with pytest.raises(ArgumentError, match="base_url"):
        Easify("t", base_url="ftp://example.com")
    assert set(threading.enumerate()) == before


def test_the_token_is_in_no_repr_or_error(sandbox: Sandbox) -> None:
    token = "1000|blocking-client-secret-token"
    with Easify(token, transport=sandbox.transport()) as easify:
        assert "secret" not in repr(easify)
        with pytest.raises(AuthenticationError) as refused:
            easify.sms.send(DEMO_FROM_NUMBER, "+13151350000", message="Hi")
        assert "secret" not in str(refused.value)
        assert "secret" not in repr(refused.value)
    with pytest.raises(ArgumentError) as bad:
        Easify("bad\u00a0token-secret")
    assert "secret" not in str(bad.value)


def _package_locals(exc: BaseException) -> str:
    """Every local of every frame of the package the error went through, as a traceback
    printed with locals shows them."""
    stack = traceback.TracebackException.from_exception(exc, capture_locals=True).stack
    return " ".join(repr(frame.locals) for frame in stack if "easify_async" in frame.filename)


def test_no_frame_of_a_refused_constructor_or_with_options_holds_the_token() -> None:
    """A traceback printed with locals (rich, sentry) shows no token: the blocking frames
    hold it as a Secret only (before: `revealed` held it in a local)."""
    token = "1000|blocking-frames-secret-token"
    with pytest.raises(ArgumentError) as refused:
        Easify(token, base_url="ftp://example.com")
    assert "Secret(" in _package_locals(refused.value)
    assert "frames-secret" not in _package_locals(refused.value)
    with (
        Easify("1000|parent", base_url="http://127.0.0.1:9/api/v2") as easify,
        pytest.raises(ArgumentError) as bad,
    ):
        easify.with_options(api_token=token, base_url="ftp://example.com")
    assert "frames-secret" not in _package_locals(bad.value)


def test_a_bulk_run_stopped_by_a_stop_rule_raises_after_its_results(
    easify: Easify, sandbox: Sandbox
) -> None:
    """The async generator's error comes out of the plain generator, after the results."""
    bad = [
        SmsMessage(from_number="3150000000", to_number=f"+1315135{n:04d}", message="Hi")
        for n in range(5)
    ]
    results = []
    with pytest.raises(BulkStoppedError):
        results.extend(easify.sms.send_many(bad, concurrency=1))
    assert results
    assert {r.outcome for r in results} <= {Outcome.FAILED, Outcome.NOT_SENT}, results
    assert sandbox.sent_sms == []


def test_iterating_a_list_costs_one_call_into_the_loop_per_page(
    easify: Easify, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Items are yielded from the page in hand: a thread round trip per page, not per item
    (before: one per item, and one more for the end)."""
    calls: list[object] = []
    real = Runner.call

    def counted(self: Runner, function: Any, /, *args: Any, **kwargs: Any) -> Any:
        calls.append(function)
        return real(self, function, *args, **kwargs)

    monkeypatch.setattr(Runner, "call", counted)
    assert len(list(easify.sms.templates())) == 3  # one page of three
    assert len(calls) == 1
    calls.clear()
    assert len(list(easify.sms.templates(limit=1))) == 3  # three pages of one
    assert len(calls) == 3


def test_with_options_headers_go_out_and_authorization_is_refused(sandbox: Sandbox) -> None:
    """The blocking with_options(headers=) is the async one: sent, and checked."""
    counting = Counting(sandbox.transport())
    with Easify(DEMO_TOKEN, transport=counting) as easify:
        traced = easify.with_options(headers={"X-Trace": "t"})
        traced.sms.send(DEMO_FROM_NUMBER, "+13151350000", message="Hi")
        with pytest.raises(ArgumentError) as refused:
            easify.with_options(headers={"authorization": "Bearer x"})
    assert refused.value.argument == "headers"
    assert [r.headers.get("x-trace") for r in counting.requests] == ["t"]
