"""tests/typing/results.py pins the result type of every call of every group."""

from __future__ import annotations

import functools
import inspect
from pathlib import Path

import pytest

from easify_async import AsyncEasify

RESULTS = (Path(__file__).parents[1] / "typing" / "results.py").read_text(encoding="utf-8")


def _calls(owner: object, path: str) -> list[str]:
    """``easify.sms.send(``-like paths of every public method of ``owner``'s groups."""
    found = []
    for name, member in vars(type(owner)).items():
        if name.startswith("_") or not isinstance(member, functools.cached_property):
            continue
        group = getattr(owner, name)
        found += [
            f"{path}.{name}.{method}("
            for method, function in vars(type(group)).items()
            if inspect.isfunction(function) and not method.startswith("_")
        ]
        found += _calls(group, f"{path}.{name}")
    return found


@pytest.mark.anyio
async def test_every_group_call_has_its_result_type_pinned() -> None:
    """A new endpoint method fails this until results.py asserts the type of its result."""
    async with AsyncEasify("t", base_url="http://127.0.0.1:9/api/v2") as easify:
        calls = _calls(easify, "easify")
    assert len(calls) >= 27  # the discovery works: 27 calls in 10 groups today
    assert [call for call in calls if call not in RESULTS] == []
