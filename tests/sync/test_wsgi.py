"""The blocking client in real WSGI apps: the blocking guide's Flask app under waitress (20
threads), and a Django view through Django's test client from 20 threads; each sends 200
SMS to the sandbox over a socket, with no 429 and no duplicate in its ledger."""

from __future__ import annotations

import re
import threading
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest

from easify_async import Easify, RateLimits
from easify_async.sandbox import DEMO_TOKEN, Sandbox
from tests._served import serving

README = Path(__file__).parents[2] / "docs" / "guides" / "blocking.md"
PERIOD = 0.25  # the sandbox's minute: 200 sends at 15 a window take ~14 windows
SENDS = 200


def readme_example(name: str) -> str:
    match = re.search(
        rf"<!-- example:{name} -->\n```python\n(.*?)```", README.read_text(), re.DOTALL
    )
    assert match, f"README example {name!r} not found"
    return match.group(1)


@pytest.fixture
def sandbox_url() -> Iterator[tuple[Sandbox, str]]:
    sandbox = Sandbox(period=PERIOD)
    with serving(sandbox) as base_url:
        yield sandbox, base_url


def assert_every_send_once(sandbox: Sandbox, ids: list[str]) -> None:
    assert sandbox.rejected_requests == 0
    assert len(set(ids)) == SENDS
    assert Counter(s.message for s in sandbox.sent_sms) == {f"m{n}": 1 for n in range(SENDS)}


@contextmanager
def waitress_serving(app: Any) -> Iterator[str]:
    """A real waitress server with 20 worker threads on a free port."""
    from waitress.server import create_server

    server: Any = create_server(app, host="127.0.0.1", port=0, threads=20)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.effective_port}"
    finally:
        server.close()
        thread.join(10)


def test_the_readme_flask_app_under_waitress_sends_200_from_20_threads(
    sandbox_url: tuple[Sandbox, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    sandbox, base_url = sandbox_url
    monkeypatch.setenv("EASIFY_API_TOKEN", DEMO_TOKEN)
    monkeypatch.setenv("EASIFY_BASE_URL", base_url)
    namespace: dict[str, Any] = {"__name__": "readme_flask"}
    exec(readme_example("flask"), namespace)
    readme_client: Easify = namespace["easify"]
    assert readme_client.base_url == base_url
    # The sandbox's minute is shortened: the app's client keeps the same, shortened limits.
    readme_client.close()
    namespace["easify"] = Easify(rate_limits=RateLimits().scaled(PERIOD / 60))
    try:
        with waitress_serving(namespace["app"]) as origin, httpx.Client(base_url=origin) as web:

            def post(n: int) -> str:
                reply = web.post("/notify", data={"to": f"+1315135{n:04d}", "text": f"m{n}"})
                assert reply.status_code == 200, reply.text
                return str(reply.json()["sms_id"])

            with ThreadPoolExecutor(20) as pool:
                ids = list(pool.map(post, range(SENDS)))
    finally:
        namespace["easify"].close()
    assert_every_send_once(sandbox, ids)


# Django: this module is the URLconf of the settings configured below.
_django_client: list[Easify] = []


def notify_view(request: Any) -> Any:
    from django.http import JsonResponse

    sent = _django_client[0].sms.send(
        "3152930000", request.POST["to"], message=request.POST["text"]
    )
    return JsonResponse({"sms_id": sent.sms_id})


def _urlpatterns() -> list[Any]:
    from django.urls import path

    return [path("notify", notify_view)]


def __getattr__(name: str) -> Any:
    # Django reads `urlpatterns` from the URLconf module on the first request.
    if name == "urlpatterns":
        return _urlpatterns()
    raise AttributeError(name)


def test_a_django_view_sends_200_from_20_threads(sandbox_url: tuple[Sandbox, str]) -> None:
    import django
    from django.conf import settings

    if not settings.configured:
        settings.configure(
            ROOT_URLCONF=__name__,
            ALLOWED_HOSTS=["testserver"],
            SECRET_KEY="tests-only",
            MIDDLEWARE=[],
            INSTALLED_APPS=[],
            DATABASES={},
            USE_TZ=True,
        )
        django.setup()
    from django.test import Client

    sandbox, base_url = sandbox_url
    limits = RateLimits().scaled(PERIOD / 60)
    with Easify(DEMO_TOKEN, base_url=base_url, rate_limits=limits) as easify:
        _django_client[:] = [easify]
        local = threading.local()

        def post(n: int) -> str:
            if not hasattr(local, "client"):
                local.client = Client()  # a test client per thread, as a server has a request
            reply = local.client.post("/notify", {"to": f"+1315135{n:04d}", "text": f"m{n}"})
            assert reply.status_code == 200, reply.content
            return str(reply.json()["sms_id"])

        with ThreadPoolExecutor(20) as pool:
            ids = list(pool.map(post, range(SENDS)))
    assert_every_send_once(sandbox, ids)
