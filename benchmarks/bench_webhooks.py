"""Webhook verify + parse against bare ``hmac`` + ``json.loads``, as ratios from one run.

Run: ``python benchmarks/bench_webhooks.py [--number N]`` (target <= 3x).
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import hmac
import json
import time
import timeit
from collections.abc import Callable
from pathlib import Path
from typing import Any

from easify_async._php_json import php_json_encode
from easify_async.webhooks import sign, verify_email_events, verify_sms_event

SECRET = "whsec"
SMS = {
    "sms_id": "63f7a88b2e4b6c001f33abcd", "sender": "+13152930000", "receiver": "+13151350000",
    "sms_type": "sms", "message": "Hai.", "media_url": "", "status": "Delivered", "remarks": "",
    "created_at": "2025-01-16 10:45:00",
}  # fmt: skip
KINDS = ["processed", "deferred", "delivered", "open", "click", "bounce", "dropped", "spamreport",
         "unsubscribe", "group_unsubscribe", "group_resubscribe"]  # fmt: skip
BATCH = [
    {
        "additional_data": "{'name':'John','id':'232'}",
        "email": "example@test.com",
        "email_item_id": "675bd3446c684a55a308abcd",
        "timestamp": 1734081000,
        "smtp-id": "<14c5d75ce93.dfd.64b469@ismtpd-555>",
        "event": kind,
        "category": ["cat facts"],
        "sg_event_id": f"4mA9l_cHKMlUEEkEuZc3{n:04d}",
        "sg_message_id": "14c5d75ce93.dfd.64b469.filter0001",
    }
    for n, kind in enumerate(KINDS)
]


def bare(body: bytes, signature: bytes) -> object:
    """The least a careful hand-written receiver does: hex HMAC, base64, compare, parse."""
    digest = hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest().encode()
    if not hmac.compare_digest(base64.b64encode(digest), signature):
        raise ValueError("bad signature")
    return json.loads(body)


def per_call(calls: list[Callable[[], object]], number: int, repeat: int = 15) -> list[float]:
    """Best run of each call, seconds per call; runs interleaved, so load hits all alike."""
    best = [float("inf")] * len(calls)
    for _ in range(repeat):
        for index, call in enumerate(calls):
            best[index] = min(best[index], timeit.timeit(call, number=number) / number)
    return best


def measure(name: str, payload: Any, verify: Callable[..., object], number: int) -> str:
    now = time.time()
    body = php_json_encode(payload)
    headers = {
        "X-Easify-Signature": sign(payload, secret=SECRET),
        "X-Easify-Timestamp": str(int(now)),
    }
    signature = headers["X-Easify-Signature"].encode()
    ours, base = per_call(
        [lambda: verify(body, headers, secret=SECRET, now=now), lambda: bare(body, signature)],
        number,
    )
    return f"| {name} | {ours * 1e6:.1f} us | {base * 1e6:.1f} us | {ours / base:.2f}x |"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--number", type=int, default=500)
    args = parser.parse_args()
    rows = [
        measure("SMS event", SMS, verify_sms_event, args.number),
        measure("11-event email batch", BATCH, verify_email_events, args.number),
    ]
    header = "| payload | verify + parse | bare hmac + json.loads | ratio (target <= 3x) |"
    table = "\n".join([header, "|---|---|---|---|", *rows])
    print(table)
    results = Path(__file__).with_name("results")
    results.mkdir(exist_ok=True)
    (results / "webhooks.md").write_text(table + "\n")


if __name__ == "__main__":
    main()
