"""The sending guide's argument examples send what their comments say."""

from __future__ import annotations

import json
import re
import textwrap
from pathlib import Path
from typing import Any

import pytest

from easify_async import AsyncEasify
from tests.fakes import Recorder, reply

README = Path(__file__).parents[2] / "docs" / "guides" / "sending.md"
EMAIL_SENT = {"status": True, "message": "ok", "data": {"email_id": "674"}}


@pytest.mark.anyio
async def test_the_schedule_example_sends_what_it_says() -> None:
    """Aware, naive-with-zone and 00-prefixed forms go out as the comments state."""
    code = re.search(
        r"<!-- example:schedule -->\n```python\n(.*?)```", README.read_text(), re.DOTALL
    )
    assert code, "README example 'schedule' not found"
    recorder = Recorder(answers=[reply(200, EMAIL_SENT), reply(200, EMAIL_SENT)])
    namespace: dict[str, Any] = {}
    exec(f"async def example(easify):\n{textwrap.indent(code.group(1), '    ')}", namespace)
    async with AsyncEasify("t", transport=recorder.transport()) as easify:
        await namespace["example"](easify)
    sent = [json.loads(request.content) for request in recorder.requests]
    assert [(s["schedule_time"], s["schedule_timezone"]) for s in sent[:2]] == [
        ("2099-01-06 09:00:00", "America/New_York"),
        ("2099-01-06 09:00:00", "Asia/Jerusalem"),
    ]
    assert (sent[2]["country_code"], sent[2]["to_number"]) == ("+44", "7700900123")
