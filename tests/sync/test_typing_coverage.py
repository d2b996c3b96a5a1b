"""tests/typing/blocking.py pins the result type of every call of the blocking client."""

from __future__ import annotations

from pathlib import Path

from easify_async import Easify
from tests.core.test_typing_coverage import _calls

BLOCKING = (Path(__file__).parents[1] / "typing" / "blocking.py").read_text(encoding="utf-8")


def test_every_blocking_call_has_its_result_type_pinned() -> None:
    """A call the generator adds fails this until blocking.py asserts its result's type."""
    with Easify("t", base_url="http://127.0.0.1:9/api/v2") as easify:
        calls = _calls(easify, "easify")
    assert len(calls) >= 27
    assert [call for call in calls if call not in BLOCKING] == []
