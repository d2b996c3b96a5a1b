"""The record of what happened to a request: one entry per attempt, kept by the stack.

The layers above the stack read this record (`attempt_log`), never the stack's inner
extensions: whether the server may have acted, whether an earlier attempt may have,
why a retry was or was not taken.
"""

from __future__ import annotations

from typing import Any, Literal

import httpx
from attrs import define, field, frozen

__all__ = [
    "ATTEMPTS_EXTENSION",
    "Attempt",
    "AttemptLog",
    "NotSentReason",
    "Recorder",
    "attempt_log",
    "recorder_of",
]

#: Request extension holding the call's `Recorder` (set by the stack's top layer).
ATTEMPTS_EXTENSION = "easify.attempts"

#: Why an attempt certainly did not act: refused with a 429 (which the server neither
#: counts nor processes), or the connection was never made.
NotSentReason = Literal["rate_limited", "never_connected"]


@frozen
class Attempt:
    """One attempt of a request, as the transport stack saw it.

    Attributes:
        number: 1 for the first attempt, 2 for the first retry, and so on.
        status: the reply's status once its head arrived; ``None`` when no head came.
        error: the type name of the failure that ended it (``"ConnectError"``);
            ``None`` when a whole reply came.
        not_sent: why the server certainly did not act on it; ``None`` when it may have.
        limiter_wait: seconds it waited for a rate-limit slot.
        elapsed: seconds from going out (after the slot) to its whole reply or failure.
        retried: whether another attempt followed.
        why: why it was retried, or why not (``"a final reply"`` for a success).
        wait: seconds slept before the next attempt (``0.0`` when none followed).
    """

    number: int
    status: int | None
    error: str | None
    not_sent: NotSentReason | None
    limiter_wait: float
    elapsed: float
    retried: bool
    why: str
    wait: float = 0.0


@frozen
class AttemptLog:
    """Every attempt of one request, in order (empty before the first one ended)."""

    attempts: tuple[Attempt, ...] = ()

    @property
    def last(self) -> Attempt | None:
        """The attempt whose outcome the caller got."""
        return self.attempts[-1] if self.attempts else None

    @property
    def never_sent(self) -> bool:
        """Whether the server certainly did not act on the last attempt (nor on any)."""
        last = self.last
        return last is not None and last.not_sent is not None and not self.may_have_acted_before

    @property
    def refused_before_cut_off(self) -> bool:
        """Whether the last attempt failed after a 429's head arrived."""
        last = self.last
        return last is not None and last.status == 429 and last.error is not None

    @property
    def may_have_acted_before(self) -> bool:
        """Whether an attempt before the last one may have been acted on (a dropped
        connection, a 5xx): the final reply may answer a changed state."""
        return any(attempt.not_sent is None for attempt in self.attempts[:-1])


@define(eq=False)
class Recorder:
    """What the stack's layers note while a request's attempts run (mutable, internal).

    Each ended attempt is kept as the tuple of `Attempt`'s fields, made a record only
    when read (`attempts`): a frozen record costs a call per field, on every call.
    """

    ended: list[tuple[Any, ...]] = field(factory=list)
    #: Of the attempt in progress: its slot wait, its time on the network, its status.
    limiter_wait: float = 0.0
    elapsed: float = 0.0
    status: int | None = None

    @property
    def attempts(self) -> tuple[Attempt, ...]:
        """The attempts ended so far, in order."""
        return tuple(Attempt(*fields) for fields in self.ended)

    def close(
        self,
        outcome: httpx.Response | BaseException,
        not_sent: NotSentReason | None,
        *,
        retried: bool,
        why: str,
        wait: float = 0.0,
    ) -> None:
        """End the attempt in progress with its ``outcome`` and the retry decision."""
        if isinstance(outcome, BaseException):
            status, error = self.status, type(outcome).__name__
        else:
            status, error = outcome.status_code, None
        self.ended.append(
            (
                len(self.ended) + 1,
                status,
                error,
                not_sent,
                self.limiter_wait,
                self.elapsed,
                retried,
                why,
                wait,
            )
        )
        self.limiter_wait = self.elapsed = 0.0
        self.status = None


def recorder_of(request: httpx.Request) -> Recorder | None:
    """The request's recorder, if a stack is recording it."""
    recorder: Recorder | None = request.extensions.get(ATTEMPTS_EXTENSION)
    return recorder


def attempt_log(
    of: httpx.Request | httpx.Response | httpx.RequestError | BaseException,
) -> AttemptLog:
    """The record of the attempts behind a request, its response, or a failure of it.

    A failure is an ``httpx.RequestError`` (its ``request``) or an exception with a
    ``response`` (`ReplyRefused`, the SDK's `APIError`); anything else has an empty log.
    """
    if isinstance(of, BaseException) and not isinstance(of, httpx.RequestError):
        of = getattr(of, "response", None)  # type: ignore[assignment]
        if not isinstance(of, httpx.Response):
            return AttemptLog()
    try:
        request = of if isinstance(of, httpx.Request) else of.request
    except RuntimeError:  # a response or error built without its request
        return AttemptLog()
    recorder = recorder_of(request)
    return AttemptLog(recorder.attempts) if recorder is not None else AttemptLog()
