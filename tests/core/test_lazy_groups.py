"""Import and construction stay cheap: groups, models and the request path load on use."""

from __future__ import annotations

import ast
import importlib
import pydoc
import subprocess
import sys

import anyio
import httpx
import pytest

from easify_async import AsyncEasify, RateLimit, RateLimits
from tests._clock import virtual

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
    for lazy in ("cattrs", "_pagination", "_endpoints", "_models", "_http", "_transports"):
        assert lazy not in loaded
    assert client == "False False"  # not even the converter: it loads with the first call
    assert used == "True"


def test_help_names_every_group() -> None:
    """help(AsyncEasify) lists the groups and their calls."""
    text = pydoc.render_doc(AsyncEasify)
    for name in ("phone_numbers", "campaigns", "report", "chat_history", "wait_for_completion"):
        assert name in text


VIRTUAL = virtual()


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


DIR_PROBE = """
import sys
import easify_async, easify_async.limiters, easify_async.models, easify_async.webhooks
listed = {
    "easify_async": dir(easify_async),
    "easify_async.limiters": dir(easify_async.limiters),
    "easify_async.models": dir(easify_async.models),
    "easify_async.webhooks": dir(easify_async.webhooks),
}
# The webhooks load the sms models (SmsStatus); the other concepts load on use.
lazy = ("redis", "easify_async._client", "easify_async._models.campaigns")
loaded = [m for m in lazy if m in sys.modules]
print(repr((listed, loaded)))
"""


def test_dir_lists_the_lazy_names_without_loading_them() -> None:
    """dir() (a REPL's tab completion) lists every exported name, lazy ones included."""
    done = subprocess.run(
        [sys.executable, "-c", DIR_PROBE], capture_output=True, text=True, timeout=60, check=True
    )
    listed, loaded = ast.literal_eval(done.stdout)
    assert loaded == []
    for name, names in listed.items():
        module = importlib.import_module(name)
        assert set(module.__all__) <= set(names), name
        assert names == sorted(names)


@pytest.mark.parametrize(
    "module",
    ["easify_async", "easify_async.limiters", "easify_async.models", "easify_async.webhooks"],
)
def test_an_unknown_name_is_an_attribute_error(module: str) -> None:
    """A misspelt name fails at once, naming the module (type checkers: see tests/typing)."""
    with pytest.raises(AttributeError, match=f"module '{module}' has no attribute 'AsyncEasyfy'"):
        getattr(importlib.import_module(module), "AsyncEasyfy")  # noqa: B009
