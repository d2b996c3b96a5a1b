"""Where the 402/403 checks sit relative to the throttle, and the client is safe under both."""

from __future__ import annotations

import anyio
import pytest

from easify_async import (
    AsyncEasify,
    PaymentRequiredError,
    PermissionDeniedError,
    RateLimitError,
    SmsSent,
)
from easify_async.sandbox import DEMO_FROM_NUMBER, DEMO_TOKEN, Sandbox
from easify_async.sandbox._sandbox import PlanCheck
from tests._clock import virtual
from tests.sandbox.cases import PLAN, SMS, failure
from tests.sandbox.conftest import FakeClock, app_headers, json_headers, php_json, raw_client

pytestmark = pytest.mark.anyio

ORDERS = [pytest.param("after_throttle", id="after"), pytest.param("before_throttle", id="before")]
REFUSALS = {
    "402": ("subscribed", failure("You need to recharge your account to proceed")),
    "403": ("enterprise", failure(PLAN)),
}
VIRTUAL = virtual()


@pytest.mark.parametrize("refusal", ["402", "403"])
@pytest.mark.parametrize("plan_check", ORDERS)
async def test_plan_refusals_are_counted_only_after_the_throttle(
    where: str, plan_check: PlanCheck, refusal: str
) -> None:
    """after_throttle: counted, with X-RateLimit-*; before_throttle: neither."""
    flag, body = REFUSALS[refusal]
    sandbox = Sandbox(plan_check=plan_check, clock=FakeClock())
    async with raw_client(sandbox, where) as client:
        setattr(sandbox.account(), flag, False)
        refused = [await client.post("sms/send", json=SMS) for _ in range(2)]
        setattr(sandbox.account(), flag, True)
        sent = await client.post("sms/send", json=SMS)
    counted = plan_check == "after_throttle"
    for number, response in enumerate(refused, start=1):
        assert response.status_code == int(refusal)
        assert response.content == php_json(body)
        assert app_headers(response) == (
            json_headers(x_ratelimit_limit="15", x_ratelimit_remaining=str(15 - number))
            if counted
            else json_headers()
        )
    assert sent.headers["X-RateLimit-Remaining"] == ("12" if counted else "14")


@pytest.mark.parametrize("plan_check", ORDERS)
async def test_a_full_window_answers_429_first_only_after_the_throttle(
    where: str, plan_check: PlanCheck
) -> None:
    """With the window full, an unsubscribed account gets 429 (after) or 402 (before)."""
    sandbox = Sandbox(plan_check=plan_check, clock=FakeClock())
    for _ in range(15):
        sandbox.throttle.hit(f"{DEMO_TOKEN}:sms_send", 15)
    sandbox.account().subscribed = False
    async with raw_client(sandbox, where) as client:
        response = await client.post("sms/send", json=SMS)
    assert response.status_code == (429 if plan_check == "after_throttle" else 402)


@pytest.mark.parametrize("anyio_backend", VIRTUAL)
@pytest.mark.parametrize("plan_check", ORDERS)
async def test_the_client_loses_and_repeats_no_send_when_the_plan_lapses_mid_run(
    plan_check: PlanCheck,
) -> None:
    """40 sends at the default limits while the subscription ends and comes back: every send
    either went once or failed typed (not maybe_sent), and the server never said 429."""
    sandbox = Sandbox(plan_check=plan_check, clock=anyio.current_time)
    sent: dict[str, SmsSent] = {}
    refused: dict[str, PaymentRequiredError | PermissionDeniedError] = {}

    async def send(easify: AsyncEasify, to_number: str) -> None:
        try:
            sent[to_number] = await easify.sms.send(DEMO_FROM_NUMBER, to_number, message="hi")
        except (PaymentRequiredError, PermissionDeniedError) as exc:
            refused[to_number] = exc

    async def lapse() -> None:
        account = sandbox.account()
        await anyio.sleep(61)
        account.subscribed = False
        await anyio.sleep(62)
        account.subscribed, account.enterprise = True, False
        await anyio.sleep(30)
        account.enterprise = True

    async with (
        AsyncEasify(DEMO_TOKEN, transport=sandbox.transport()) as easify,
        anyio.create_task_group() as group,
    ):
        group.start_soon(lapse)
        for n in range(40):
            group.start_soon(send, easify, f"+1315135{n:04d}")
    ledger = [s.receiver for s in sandbox.sent_sms]
    assert sorted(ledger) == sorted(sent)  # each success is in the ledger exactly once
    assert {s.sms_id for s in sandbox.sent_sms} == {r.sms_id for r in sent.values()}
    assert len(sent) + len(refused) == 40
    assert refused
    assert sent
    assert not any(exc.maybe_sent for exc in refused.values())
    assert sandbox.rejected_requests == 0


@pytest.mark.parametrize("anyio_backend", VIRTUAL)
@pytest.mark.parametrize("plan_check", ORDERS)
async def test_the_client_ends_in_the_plan_error_whichever_check_comes_first(
    plan_check: PlanCheck,
) -> None:
    """Window used up elsewhere and subscription over: after a 429 (after) or at once (before),
    the send fails with PaymentRequiredError, not RateLimitError, and nothing was sent."""
    sandbox = Sandbox(plan_check=plan_check, clock=anyio.current_time)
    for _ in range(15):
        sandbox.throttle.hit(f"{DEMO_TOKEN}:sms_send", 15)
    sandbox.account().subscribed = False
    async with AsyncEasify(DEMO_TOKEN, transport=sandbox.transport()) as easify:
        with pytest.raises(PaymentRequiredError) as caught:
            await easify.sms.send(DEMO_FROM_NUMBER, "+13151350000", message="hi")
    assert not isinstance(caught.value, RateLimitError)
    assert caught.value.maybe_sent is False
    assert sandbox.sent_sms == []
    assert sandbox.rejected_requests == (1 if plan_check == "after_throttle" else 0)
