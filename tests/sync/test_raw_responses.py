"""The blocking client's raw_responses(): the same block, carried to its loop thread."""

from __future__ import annotations

import json
import threading

from easify_async import Easify
from easify_async.sandbox import DEMO_FROM_NUMBER, DEMO_TOKEN, Sandbox
from tests._served import serving


def test_a_blocking_call_and_its_pages_are_recorded_in_the_calling_thread_only() -> None:
    """Over a socket: the send and each page in the block; another thread's call is not."""
    sandbox = Sandbox()
    for n in range(2):
        sandbox.extra.add_sub_user(DEMO_TOKEN, email=f"u{n}@x.example")
    with serving(sandbox) as base_url, Easify(DEMO_TOKEN, base_url=base_url) as easify:
        with easify.raw_responses() as raw:
            sent = easify.sms.send(DEMO_FROM_NUMBER, "+13151350000", message="Hi")
            users = list(easify.sub_users.list(limit=1))
            other = threading.Thread(
                target=easify.sms.send,
                args=(DEMO_FROM_NUMBER, "+13151350001"),
                kwargs={"message": "x"},
            )
            other.start()
            other.join()
        easify.sms.send(DEMO_FROM_NUMBER, "+13151350002", message="after")
    assert len(users) == 2
    assert len(sandbox.sent_sms) == 3
    assert [r.route for r in raw.all] == ["POST sms/send"] + ["GET sub-user/tokens"] * 2
    assert json.loads(raw.all[0].body)["data"]["sms_id"] == sent.sms_id
    assert raw.all[0].status == 200
    assert "X-RateLimit-Remaining" in raw.all[0].headers
