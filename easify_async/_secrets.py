"""Tokens as the SDK holds them: never shown by ``repr``/``str``, scrubbed from every quote.

A traceback that shows locals (Sentry, rich's ``show_locals``, ``capture_locals=True``)
prints the ``repr`` of every local of every frame, so a token is held as a `Secret`, an
error leaves the request path `sealed`, and the tokens a client knows are kept in its
`KnownSecrets`, whose forms errors scrub.
"""

from __future__ import annotations

import json
import traceback
from collections.abc import Iterable
from typing import TypeVar
from urllib.parse import quote

from attrs import field, frozen

__all__ = ["KnownSecrets", "Secret", "carried_tokens", "sealed"]

E = TypeVar("E", bound=BaseException)

_REDACTED = "[redacted]"
# A token shorter than this is no real token (tests use "t"): scrubbing it would
# mangle every message.
_MIN_SECRET = 8
# Keys whose string values a reply carries as tokens (``sub-user/tokens``'s
# ``easify_api_token``); an error quoting such a reply scrubs them too.
_TOKEN_KEY = "token"
# A reply's JSON is walked this far for tokens: a hostile reply may be deep or huge.
_MAX_NODES = 10_000


@frozen(repr=False)
class Secret:
    """A token whose ``repr`` and ``str`` never show it; `reveal` gives it."""

    _value: str = field(repr=False)

    def reveal(self) -> str:
        """The token itself, for the one place that sends it."""
        return self._value

    def __repr__(self) -> str:
        return f"Secret({_REDACTED!r})"

    __str__ = __repr__


def _forms(token: str) -> set[str]:
    """``token`` as sent and as a page could reflect it: URL- and JSON-escaped, and a
    Sanctum token's secret half (``1087|f906...``)."""
    forms = {
        token,
        quote(token, safe=""),
        json.dumps(token)[1:-1],
        json.dumps(token)[1:-1].replace("/", "\\/"),
        token.partition("|")[2],
    }
    return {form for form in forms if len(form) >= _MIN_SECRET}


class KnownSecrets:
    """Every token a client and the clients made from it know, in the forms to scrub.

    The client's own token, its `with_options` children's, and the sub-users' tokens a
    ``sub_users.list`` reply carried.
    """

    def __init__(self) -> None:
        self._tokens: set[str] = set()
        self._forms: set[str] = set()
        self._ordered: tuple[str, ...] | None = ()  # the forms as scrubbed; None: stale

    def add(self, token: str) -> None:
        """Scrub ``token`` (in each of its forms) from every quote from now on.

        Cheap: a list of many sub-users adds each token; only an error's scrub sorts.
        """
        if token in self._tokens or not token:
            return
        self._tokens.add(token)
        self._forms |= _forms(token)
        self._ordered = None

    def with_carried(self, tokens: Iterable[str]) -> KnownSecrets:
        """These secrets and ``tokens`` (found in one reply), without changing these."""
        carried = KnownSecrets()
        carried._tokens, carried._forms = set(self._tokens), set(self._forms)
        carried._ordered = None
        for token in tokens:
            carried.add(token)
        return carried

    def scrub(self, text: str) -> str:
        """``text`` with every known token replaced by ``[redacted]``."""
        if self._ordered is None:
            # Longest first: a token's secret half is part of the whole token.
            self._ordered = tuple(sorted(self._forms, key=len, reverse=True))
        for form in self._ordered:
            text = text.replace(form, _REDACTED)
        return text

    def __repr__(self) -> str:
        return f"<KnownSecrets: {len(self._tokens)} tokens>"


def carried_tokens(value: object) -> list[str]:
    """The strings a reply's JSON holds under a key naming a token, at any depth."""
    found: list[str] = []
    stack = [value]
    for _ in range(_MAX_NODES):
        if not stack:
            break
        node = stack.pop()
        if isinstance(node, dict):
            for key, item in node.items():
                if isinstance(item, str) and _TOKEN_KEY in str(key).lower():
                    found.append(item)
                else:
                    stack.append(item)
        elif isinstance(node, list):
            stack.extend(node)
    return found


def sealed(error: E) -> E:
    """``error``, with the locals of every finished frame of it and its chain cleared.

    Those frames (the reply's parsing, the transports, httpx and httpcore) hold the
    reply's raw JSON, which may reflect a token, and the request's header bytes, which
    hold it: a traceback that shows locals (Sentry, rich) would print them. Their file,
    line and function stay. Frames still running (the one that caught ``error``, and its
    callers) keep their locals: they must hold no raw secret.
    """
    seen: set[int] = set()
    chain: list[BaseException | None] = [error]
    while chain:
        exc = chain.pop()
        if exc is None or id(exc) in seen:
            continue
        seen.add(id(exc))
        traceback.clear_frames(exc.__traceback__)
        chain += [exc.__cause__, exc.__context__, *getattr(exc, "exceptions", ())]
    return error
