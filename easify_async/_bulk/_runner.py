"""The bulk engine: stream items through the normal client at the full rate, journaled."""

from __future__ import annotations

import contextlib
import os
import uuid
from collections.abc import (
    AsyncGenerator,
    AsyncIterable,
    Awaitable,
    Callable,
    Iterable,
)
from typing import Any, Generic, TypeVar

import anyio
from anyio.abc import ObjectReceiveStream, ObjectSendStream
from attrs import Factory, define, evolve

from .._transports._before_send import NotSentReason
from ..errors import (
    APIError,
    ArgumentError,
    DuplicateKeyError,
    EasifyError,
    JournalError,
    KeyConflictError,
    RateLimitError,
    RecordedFailureError,
    UnknownOutcomeError,
)
from ._journal import Journal, Record, State
from ._keys import SeenKeys
from ._models import (
    BulkProgress,
    BulkResult,
    EmailMessage,
    EmailV3Message,
    NewContact,
    Outcome,
    SmsMessage,
    fingerprint,
)

__all__ = ["BulkRun", "Send"]

M = TypeVar("M", SmsMessage, EmailMessage, EmailV3Message, NewContact)
R = TypeVar("R", bound=BulkResult)

#: Sends an item, awaiting the first hook just before each attempt goes out and the
#: second after each attempt the server certainly did not act on; returns the server's
#: id, or raises (ArgumentError before any request).
Send = Callable[
    [M, Callable[[], Awaitable[None]], Callable[[NotSentReason], Awaitable[None]]],
    Awaitable[str],
]

_FINAL: dict[Outcome, State] = {
    Outcome.SENT: "sent",
    Outcome.FAILED: "failed",
    Outcome.MAYBE_SENT: "maybe_sent",
    Outcome.NOT_SENT: "not_sent",
}


@define
class BulkRun(Generic[M, R]):
    """One ``send_many`` call: workers pull items, send them, journal them, report them."""

    send: Send[M]
    make_result: Callable[..., R]
    concurrency: int
    journal_path: str | os.PathLike[str] | None
    on_progress: Callable[[BulkProgress], object] | None
    resend_ambiguous: bool
    run_id: str = ""
    journal: Journal | None = None
    active: int = 0  # items taken from the input and not finished
    in_flight: int = 0  # of those, items whose request is out
    reported: BulkProgress = Factory(lambda: BulkProgress(total=None))  # results yielded
    finished: BulkProgress = Factory(lambda: BulkProgress(total=None))  # results made
    failure: Exception | None = None  # what ends the run once the workers stop

    async def results(self, items: Iterable[M] | AsyncIterable[M]) -> AsyncGenerator[R, None]:
        """Yield one result per item, in completion order.

        Raises:
            JournalError: before anything is sent, when the journal cannot be used; during
                the run, when it can no longer be written.
            Exception: whatever the input iterable raised, once the items taken are done.
        """
        self.run_id = uuid.uuid4().hex
        total = len(items) if hasattr(items, "__len__") else None  # type: ignore[arg-type]
        self.reported = self.finished = BulkProgress(total=total)
        if self.journal_path is not None:
            self.journal = await Journal.open(self.journal_path)
        seen = SeenKeys()
        # Unbuffered input: the producer reads one item ahead of the workers at most, so
        # memory stays constant however long the input is.
        send_items, receive_items = anyio.create_memory_object_stream[
            tuple[str, JournalError | ArgumentError | None, M]
        ](0)
        send_results, receive_results = anyio.create_memory_object_stream[R](self.concurrency)
        complete = False
        try:
            async with anyio.create_task_group() as tg:
                tg.start_soon(self._produce, items, seen, send_items)
                async with send_results, receive_items:
                    for _ in range(self.concurrency):
                        tg.start_soon(
                            self._work, receive_items.clone(), send_results.clone(), tg.cancel_scope
                        )
                async with receive_results:
                    try:
                        async for result in receive_results:
                            self.reported = _count(self.reported, result)
                            self._report(self.reported)
                            yield result
                    except GeneratorExit:
                        # The consumer stopped early (break + aclose): stop the workers and
                        # end quietly; items cut off mid-request stay in_flight in the journal.
                        tg.cancel_scope.cancel()
                        return
            if self.failure is not None:
                raise self.failure
            complete = True
        finally:
            if not complete:
                self._report(self.finished)  # the last word: what went out, what was cut off
            seen.close()
            if self.journal is not None:
                self.journal.close()

    def _report(self, counts: BulkProgress) -> None:
        if self.on_progress is not None:
            waiting = self.active - self.in_flight
            self.on_progress(evolve(counts, waiting=waiting, in_flight=self.in_flight))

    async def _produce(
        self,
        items: Iterable[M] | AsyncIterable[M],
        seen: SeenKeys,
        out: ObjectSendStream[tuple[str, JournalError | ArgumentError | None, M]],
    ) -> None:
        async with out, contextlib.aclosing(_numbered(items)) as numbered:
            while True:
                try:
                    index, item = await anext(numbered)
                except StopAsyncIteration:
                    return
                except Exception as exc:  # the input itself failed: no more items
                    self.failure = self.failure or exc
                    return
                # Checked here, in input order: the first of a repeated key is the one sent.
                key, bad_key = _key_of(item, index)
                refusal = bad_key or (None if seen.add(key) else DuplicateKeyError(key))
                await out.send((key, refusal, item))

    async def _work(
        self,
        items: ObjectReceiveStream[tuple[str, JournalError | ArgumentError | None, M]],
        results: ObjectSendStream[R],
        run: anyio.CancelScope,
    ) -> None:
        async with items, results:
            async for key, refusal, item in items:
                self.active += 1
                try:
                    result = await self._one(key, refusal, item)
                except JournalError as exc:  # the journal broke: stop rather than go on blind
                    self.failure = self.failure or exc
                    run.cancel()
                    return
                self.active -= 1
                self.finished = _count(self.finished, result)
                await results.send(result)

    async def _one(self, key: str, refusal: EasifyError | None, item: M) -> R:
        if refusal is not None:
            return self._result(key, item, Outcome.FAILED, error=refusal)
        attempts = _Attempts(self, key)
        try:
            if self.journal is not None:
                attempts.digest = fingerprint(item)
                record = await self.journal.read(key)
                if record is not None:
                    skip = self._from_record(key, item, attempts.digest, record)
                    if skip is not None:
                        return skip
            outcome, remote_id, error = await self._attempt(item, attempts)
        except JournalError:
            raise
        except Exception as exc:  # a bug, an odd item: that item's failure, not the run's
            outcome, remote_id, error = (
                Outcome.MAYBE_SENT if attempts.out else Outcome.NOT_SENT,
                None,
                exc,
            )
        attempts.settle()
        with anyio.CancelScope(shield=True):  # the outcome is known: it must reach the journal
            await self._record(key, attempts.digest, _FINAL[outcome], remote_id, error)
        return self._result(key, item, outcome, remote_id, error)

    async def _attempt(
        self, item: M, attempts: _Attempts
    ) -> tuple[Outcome, str | None, Exception | None]:
        try:
            remote_id = await self.send(item, attempts.before_send, attempts.not_sent)
        except JournalError:
            raise
        except ArgumentError as exc:
            return Outcome.FAILED, None, exc
        except RateLimitError as exc:  # refused after the retries: certainly not sent
            return Outcome.NOT_SENT, None, exc
        except APIError as exc:  # a 5xx, an undocumented success: the server may have acted
            return (Outcome.MAYBE_SENT if exc.maybe_sent else Outcome.FAILED), None, exc
        except EasifyError as exc:  # no usable answer, an unreachable limiter
            maybe_sent = getattr(exc, "maybe_sent", attempts.out)
            return (Outcome.MAYBE_SENT if maybe_sent else Outcome.NOT_SENT), None, exc
        return Outcome.SENT, remote_id, None

    def _from_record(self, key: str, item: M, digest: str, record: Record) -> R | None:
        """The result of an item the journal already knows, or None to send it now."""
        if record.fingerprint != digest:
            return self._result(key, item, Outcome.FAILED, error=KeyConflictError(key))
        if record.state == "sent":
            return self._result(key, item, Outcome.ALREADY_SENT, record.remote_id)
        if record.state == "failed":
            error = RecordedFailureError(key, record.error or "failed")
            return self._result(key, item, Outcome.ALREADY_FAILED, error=error)
        if record.state in ("in_flight", "maybe_sent") and not self.resend_ambiguous:
            cause = (
                "cut off mid-request by an earlier run"
                if record.state == "in_flight"
                else f"an earlier run got {record.error or 'an unclear reply'}"
            )
            return self._result(
                key, item, Outcome.MAYBE_SENT, error=UnknownOutcomeError(key, cause)
            )
        return None  # not_sent, or ambiguous with resend_ambiguous: send it

    def _result(
        self,
        key: str,
        item: M,
        outcome: Outcome,
        remote_id: str | None = None,
        error: Exception | None = None,
    ) -> R:
        return self.make_result(
            key=key, item=item, outcome=outcome, remote_id=remote_id, error=error
        )

    async def _record(
        self,
        key: str,
        digest: str,
        state: State,
        remote_id: str | None = None,
        error: Exception | str | None = None,
    ) -> None:
        if isinstance(error, Exception):
            error = f"{type(error).__name__}: {error}"
        if self.journal is not None:
            await self.journal.write(
                key,
                fingerprint=digest,
                state=state,
                run_id=self.run_id,
                remote_id=remote_id,
                error=error,
            )


@define
class _Attempts:
    """The hooks around one item's attempts: journal each, count the requests out."""

    run: BulkRun[Any, Any]
    key: str
    digest: str = ""
    out: bool = False  # a request is out: the server may be acting on it

    async def before_send(self) -> None:
        # Written only once the slot is ours and the request is about to go out: an
        # item cut off while it waits for a slot is not mistaken for a maybe-sent one.
        with anyio.CancelScope(shield=True):
            await self.run._record(self.key, self.digest, "in_flight")
        self.out = True
        self.run.in_flight += 1

    async def not_sent(self, reason: NotSentReason) -> None:
        # Refused (429) or never connected: back to not sent before the retry's wait,
        # so a crash during that wait resends the item instead of calling it maybe sent.
        self.settle()
        with anyio.CancelScope(shield=True):
            await self.run._record(self.key, self.digest, "not_sent", error=reason)

    def settle(self) -> None:
        """The request is no longer out."""
        if self.out:
            self.out = False
            self.run.in_flight -= 1


def _key_of(item: object, index: int) -> tuple[str, ArgumentError | None]:
    key = getattr(item, "key", None)
    if key is None:
        return str(index), None
    if isinstance(key, int) and not isinstance(key, bool):
        return str(key), None
    if not isinstance(key, str):
        return repr(key), ArgumentError("key", f"expected a string, got {type(key).__name__}")
    return key, None


async def _numbered(items: Iterable[M] | AsyncIterable[M]) -> AsyncGenerator[tuple[int, M], None]:
    if isinstance(items, AsyncIterable):
        index = 0
        async for item in items:
            yield index, item
            index += 1
    else:
        for index, item in enumerate(items):
            yield index, item


_COUNTERS = {
    Outcome.SENT: "sent",
    Outcome.FAILED: "failed",
    Outcome.MAYBE_SENT: "maybe_sent",
    Outcome.NOT_SENT: "not_sent",
    Outcome.ALREADY_SENT: "skipped",
    Outcome.ALREADY_FAILED: "skipped",
}


def _count(progress: BulkProgress, result: BulkResult) -> BulkProgress:
    field = _COUNTERS[result.outcome]
    return evolve(progress, **{field: getattr(progress, field) + 1})
