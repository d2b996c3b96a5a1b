"""Client overhead, as ratios measured in one run.

1. CPU per ``easify.sms.send`` against raw ``httpx.AsyncClient.post`` + JSON parse, both
   on the same in-process mock transport, the limiter effectively unbounded (target <= 1.3x).
2. CPU per list page (``sms.templates``, a page of 10 and of 100 records, structured
   into `SmsTemplate` values) against raw ``httpx`` get + ``json.loads`` (target <= 1.3x).
3. ``import easify_async`` against ``import httpx`` in fresh interpreters (target <= 1.3x).

Run: ``python benchmarks/bench_client.py [--calls N]``; ``nox -s bench`` runs them all.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time

import anyio
import httpx

from easify_async import AsyncEasify, RateLimit, RateLimits

BODY = json.dumps(
    {"status": True, "message": " SMS Processed successfully.", "data": {"sms_id": "31529"}}
).encode()
UNBOUNDED = RateLimit(10**9, 1e-6)


def handler(request: httpx.Request) -> httpx.Response:
    return httpx.Response(200, content=BODY, headers={"content-type": "application/json"})


async def raw_httpx(calls: int) -> float:
    async with httpx.AsyncClient(
        base_url="http://127.0.0.1:9/api/v2/", transport=httpx.MockTransport(handler)
    ) as client:
        start = time.process_time()
        for _ in range(calls):
            response = await client.post(
                "sms/send",
                json={
                    "from_number": "3152930000",
                    "to_number": "3151350000",
                    "country_code": "+1",
                    "message": "Hi",
                },
                headers={"Authorization": "Bearer t"},
            )
            response.json()["data"]["sms_id"]
        return (time.process_time() - start) / calls


async def sdk(calls: int) -> float:
    limits = RateLimits(sms_send=UNBOUNDED, email_send=UNBOUNDED, sms_status=UNBOUNDED, margin=0)
    async with AsyncEasify(
        "t",
        base_url="http://127.0.0.1:9/api/v2",
        transport=httpx.MockTransport(handler),
        rate_limits=limits,
    ) as easify:
        start = time.process_time()
        for _ in range(calls):
            await easify.sms.send("3152930000", "+13151350000", message="Hi")
        return (time.process_time() - start) / calls


def page_body(size: int) -> bytes:
    """A templates page as Laravel renders it (links and meta included)."""
    item = {
        "id": 7,
        "group_name": "General",
        "name": "Welcome",
        "message": "Welcome to our store! Reply STOP to opt out.",
        "sms_type": "sms",
        "media_url": "",
        "created_at": "07-12-2024 11:03:12 AM",
    }
    url = "http://127.0.0.1:9/api/v2/sms/templates"
    links = [{"url": None, "label": "&laquo; Previous", "active": False}]
    links += [{"url": f"{url}?page={n}", "label": str(n), "active": n == 1} for n in range(1, 11)]
    links.append({"url": f"{url}?page=2", "label": "Next &raquo;", "active": False})
    return json.dumps(
        {
            "status": True,
            "message": "SMS Templates",
            "data": [{**item, "id": i} for i in range(size)],
            "links": {
                "first": f"{url}?page=1",
                "last": f"{url}?page=50",
                "prev": None,
                "next": f"{url}?page=2",
            },
            "meta": {
                "current_page": 1,
                "from": 1,
                "last_page": 50,
                "links": links,
                "path": url,
                "per_page": size,
                "to": size,
                "total": 50 * size,
            },
        }
    ).encode()


def page_handler(body: bytes) -> httpx.MockTransport:
    return httpx.MockTransport(
        lambda request: httpx.Response(
            200, content=body, headers={"content-type": "application/json"}
        )
    )


async def raw_page(calls: int, size: int) -> float:
    async with httpx.AsyncClient(
        base_url="http://127.0.0.1:9/api/v2/", transport=page_handler(page_body(size))
    ) as client:
        start = time.process_time()
        for _ in range(calls):
            response = await client.get(
                "sms/templates",
                params={"limit": size, "page": 1},
                headers={"Authorization": "Bearer t"},
            )
            json.loads(response.content)["data"]
        return (time.process_time() - start) / calls


async def sdk_page(calls: int, size: int) -> float:
    async with AsyncEasify(
        "t",
        base_url="http://127.0.0.1:9/api/v2",
        transport=page_handler(page_body(size)),
        rate_limits=RateLimits(
            sms_send=UNBOUNDED,
            email_send=UNBOUNDED,
            sms_status=UNBOUNDED,
            margin=0,
            overrides={"sms_templates": UNBOUNDED},
        ),
    ) as easify:
        start = time.process_time()
        for _ in range(calls):
            page = await easify.sms.templates(limit=size)
            assert page.items
        return (time.process_time() - start) / calls


def import_time(code: str, runs: int) -> float:
    """Median wall time of ``code`` (``"import httpx"``) in a fresh interpreter (its own timer)."""
    timed = f"import time; t = time.perf_counter(); {code}; print(time.perf_counter() - t)"
    samples = [
        float(
            subprocess.run(
                [sys.executable, "-c", timed], capture_output=True, text=True, check=True
            ).stdout
        )
        for _ in range(runs)
    ]
    return statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=3000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--import-runs", type=int, default=15)
    args = parser.parse_args()

    anyio.run(sdk, 200)  # warm both paths up before measuring
    anyio.run(raw_httpx, 200)
    # Alternate rounds and keep each side's best, so machine noise hits both alike.
    raw, ours = float("inf"), float("inf")
    for _ in range(args.rounds):
        raw = min(raw, anyio.run(raw_httpx, args.calls))
        ours = min(ours, anyio.run(sdk, args.calls))
    pages = {}
    for size in (10, 100):
        calls = max(100, args.calls // size * 5)
        anyio.run(sdk_page, 50, size)
        anyio.run(raw_page, 50, size)
        raw_p, ours_p = float("inf"), float("inf")
        for _ in range(args.rounds):
            raw_p = min(raw_p, anyio.run(raw_page, calls, size))
            ours_p = min(ours_p, anyio.run(sdk_page, calls, size))
        pages[size] = (raw_p, ours_p)
    httpx_import = import_time("import httpx", args.import_runs)
    easify_import = import_time("import easify_async", args.import_runs)
    print(
        f"per-call CPU: raw httpx {raw * 1e6:.0f} us, easify.sms.send {ours * 1e6:.0f} us, "
        f"ratio {ours / raw:.2f}x (target <= 1.3x)"
    )
    for size, (raw_p, ours_p) in pages.items():
        print(
            f"list page of {size}: raw httpx + json.loads {raw_p * 1e6:.0f} us, "
            f"sms.templates {ours_p * 1e6:.0f} us, ratio {ours_p / raw_p:.2f}x (target <= 1.3x)"
        )
    print(
        f"import time: httpx {httpx_import * 1e3:.1f} ms, "
        f"easify_async {easify_import * 1e3:.1f} ms, "
        f"ratio {easify_import / httpx_import:.2f}x (target <= 1.3x)"
    )


if __name__ == "__main__":
    main()
