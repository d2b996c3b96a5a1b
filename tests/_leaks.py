"""A token never shows in a traceback, even one that prints every frame's locals.

Sentry, rich's ``show_locals`` and ``traceback.TracebackException(capture_locals=True)``
print the ``repr`` of each local of each frame an error passed through; `rendered`
does so for an error and everything chained to it (causes and contexts, suppressed or
not, and the members of exception groups).
"""

from __future__ import annotations

import json
import os
import traceback
from urllib.parse import quote

_TESTS = os.path.dirname(os.path.abspath(__file__)) + os.sep


def token_forms(token: str) -> list[str]:
    """``token`` as sent, URL-escaped, JSON-escaped, and a Sanctum token's secret half."""
    escaped = json.dumps(token)[1:-1]
    forms = {token, quote(token, safe=""), escaped, escaped.replace("/", "\\/")}
    forms.add(token.partition("|")[2])
    return sorted(form for form in forms if form)


def rendered(error: BaseException) -> str:
    """Every error chained to ``error``, with the locals of each SDK and library frame.

    The test's own frames (which hold the hostile reply they serve) are left out.
    """
    parts: list[str] = []
    seen: set[int] = set()
    chain: list[BaseException | None] = [error]
    while chain:
        exc = chain.pop()
        if exc is None or id(exc) in seen:
            continue
        seen.add(id(exc))
        summary = traceback.TracebackException.from_exception(exc, capture_locals=True)
        summary.stack = traceback.StackSummary.from_list(
            [frame for frame in summary.stack if not frame.filename.startswith(_TESTS)]
        )
        parts += summary.format(chain=False)
        chain += [exc.__cause__, exc.__context__, *getattr(exc, "exceptions", ())]
    return "".join(parts)


def assert_no_token(error: BaseException, token: str) -> None:
    """No form of ``token`` in ``error``'s traceback rendered with locals."""
    text = rendered(error)
    shown = [form for form in token_forms(token) if form in text]
    assert not shown, f"{shown} in:\n{text}"
