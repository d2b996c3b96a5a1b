"""Import and construction stay cheap: groups, models and the request path load on use."""

from __future__ import annotations

import pydoc
import subprocess
import sys

import anyio
import httpx
import pytest
import trio.testing

from easify_async import AsyncEasify, RateLimit, RateLimits

PROBE = """
import sys
import easify_async
after_import = {m for m in sys.modules if m.startswith(("cattrs", "easify_async"))}
easify = easify_async.AsyncEasify("t")
after_client = set(sys.modules)
easify.campaigns
print(sorted(after_import))
print("cattrs" in after_client, "easify_async._endpoints.campaigns" in after_client)
print("easify_async._endpoints.campaigns" in sys.modules)
"""


def test_import_and_construction_load_no_group_model_or_converter() -> None:
    """`import easify_async` loads no converter, paginator, group or list model; a client
    loads no group until it is used."""
    done = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, timeout=60, check=True
    )
    loaded, client, used = done.stdout.splitlines()
    for lazy in ("cattrs", "_pagination", "_endpoints", "_api_models", "_http", "_transports"):
        assert lazy not in loaded
    assert client == "False False"  # not even the converter: it loads with the first call
    assert used == "True"


def test_help_names_every_group() -> None:
    """help(AsyncEasify) lists the groups and their calls."""
    text = pydoc.render_doc(AsyncEasify)
    for name in ("phone_numbers", "campaigns", "report", "chat_history", "wait_for_completion"):
        assert name in text


VIRTUAL = [
    pytest.param(
        ("trio", {"clock": trio.testing.MockClock(autojump_threshold=0)}), id="trio-virtual-clock"
    )
]


@pytest.mark.parametrize("anyio_backend", VIRTUAL)
@pytest.mark.anyio
async def test_an_override_limits_its_bucket_only() -> None:
    """overrides={"sms_templates": 2/10 s}: the 3rd page waits ~11 s; numbers do not wait."""
    page = {"status": True, "message": "", "data": [], "links": []}
    transport = httpx.MockTransport(lambda request: httpx.Response(200, json=page))
    limits = RateLimits(overrides={"sms_templates": RateLimit(2, 10.0)})
    async with AsyncEasify(
        "t", base_url="http://x/api/v2", transport=transport, rate_limits=limits
    ) as easify:
        start = anyio.current_time()
        for _ in range(5):
            await easify.phone_numbers.list()
        assert anyio.current_time() - start == 0
        for _ in range(3):
            await easify.sms.templates()
        assert 10 <= anyio.current_time() - start <= 12
