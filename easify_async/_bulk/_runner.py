"""The bulk engine: stream items through the normal client at the full rate, journaled.

Stop rules (`_stops.py`): a run stops itself at the first refusal that no other item can pass (see
`stops_run`), or after ``max_failures`` failures in a row. Then no new item starts, items
waiting for a rate-limit slot (or a 429's wait) are left unsent (no result; the journal
keeps them resumable), and requests already out finish, bounded by the client's timeout,
so that each is journaled with what it actually got. The run then raises
`BulkStoppedError`.
"""

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
import anyio.lowlevel
from anyio.abc import ObjectSendStream
from attrs import Factory, define, evolve

from .._transports import NotSentReason
from ..errors import (
    APIError,
    ArgumentError,
    BulkStoppedError,
    DuplicateKeyError,
    EasifyError,
    JournalError,
    KeyConflictError,
    KeyInProgressError,
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
    journal_content,
)
from ._stops import StopRules, stops_run

__all__ = ["BulkRun", "Send"]

M = TypeVar("M", SmsMessage, EmailMessage, EmailV3Message, NewContact)
R = TypeVar("R", bound=BulkResult)

#: Sends an item (under its key, on a run with a ledger), awaiting the first hook just
#: before each attempt goes out and the second after each attempt the server certainly
#: did not act on; returns the server's id, or raises (ArgumentError before any request).
Send = Callable[
    [str, M, Callable[[], Awaitable[None]], Callable[[NotSentReason], Awaitable[None]]],
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
    """One ``send_many`` call: item tasks send, journal and report; a producer feeds them.

    The producer starts one task per item taken from the input, and no more than
    ``concurrency`` at once: there are never more tasks than items that can be in progress.
    """

    send: Send[M]
    make_result: Callable[..., R]
    concurrency: int
    journal_path: str | os.PathLike[str] | None
    on_progress: Callable[[BulkProgress], object] | None
    resend_ambiguous: bool
    stop_rules: StopRules = Factory(StopRules)
    kind: str = ""  # what the journal notes for each item ("sms", "contact", ...)
    run_id: str = ""
    journal: Journal | None = None
    #: A run on a ledger: ``send`` keeps each item's key there (claim, record), and the
    #: ledger, not a journal, says what an earlier run (or another worker) did.
    on_ledger: bool = False
    active: int = 0  # items taken from the input and not finished
    in_flight: int = 0  # of those, items whose request is out
    reported: BulkProgress = Factory(lambda: BulkProgress(total=None))  # results yielded
    finished: BulkProgress = Factory(lambda: BulkProgress(total=None))  # results made
    failure: Exception | None = None  # what ends the run once the item tasks stop
    stopped: BulkStoppedError | None = None  # set when a stop rule ends the run
    feeding: anyio.CancelScope = Factory(anyio.CancelScope)  # the producer's reading
    attempts: set[_Attempts] = Factory(set)  # items being sent now

    async def results(self, items: Iterable[M] | AsyncIterable[M]) -> AsyncGenerator[R, None]:
        """Yield one result per item, in completion order.

        Raises:
            JournalError: before anything is sent, when the journal cannot be used; during
                the run, when it can no longer be written.
            BulkStoppedError: once the items already out are done, when a stop rule
                stopped the run.
            Exception: whatever the input iterable raised, once the items taken are done.
        """
        self.run_id = uuid.uuid4().hex
        total = len(items) if hasattr(items, "__len__") else None  # type: ignore[arg-type]
        self.reported = self.finished = BulkProgress(total=total)
        if self.journal_path is not None:
            self.journal = await Journal.open(self.journal_path)
        seen = SeenKeys()
        send_results, receive_results = anyio.create_memory_object_stream[R](self.concurrency)
        complete = False
        try:
            async with anyio.create_task_group() as tg:
                tg.start_soon(self._produce, items, seen, send_results, tg.cancel_scope)
                async with receive_results:
                    try:
                        async for result in receive_results:
                            self.reported = _count(self.reported, result)
                            self._report(self.reported)
                            yield result
                    except GeneratorExit:
                        # The consumer stopped early (break + aclose): stop the item tasks
                        # and end quietly; items cut off mid-request stay in_flight.
                        tg.cancel_scope.cancel()
                        return
            if self.failure is not None:
                raise self.failure
            if self.stopped is not None:
                raise self.stopped
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
        results: ObjectSendStream[R],
        run: anyio.CancelScope,
    ) -> None:
        # A slot is taken before an item is read: the input is read no further ahead than
        # the item tasks can use, so memory stays constant however long it is.
        slots = anyio.Semaphore(self.concurrency)
        async with results, anyio.create_task_group() as tasks:
            with self.feeding:  # cancelled by a stop rule: no new item starts
                async with contextlib.aclosing(_numbered(items)) as numbered:
                    while True:
                        await slots.acquire()
                        try:
                            index, item = await anext(numbered)
                        except StopAsyncIteration:
                            return
                        except Exception as exc:  # the input itself failed: no more items
                            self.failure = self.failure or exc
                            return
                        # Checked here, in input order: the first of a repeated key is sent.
                        key, bad_key = _key_of(item, index, needed=self.on_ledger)
                        refusal = bad_key or (None if seen.add(key) else DuplicateKeyError(key))
                        tasks.start_soon(self._item, key, refusal, item, results, slots, run)

    async def _item(
        self,
        key: str,
        refusal: EasifyError | None,
        item: M,
        results: ObjectSendStream[R],
        slots: anyio.Semaphore,
        run: anyio.CancelScope,
    ) -> None:
        self.active += 1
        try:
            result = await self._one(key, refusal, item)
        except JournalError as exc:  # the journal broke: stop rather than go on blind
            self.failure = self.failure or exc
            run.cancel()
            return
        # Not in a `finally`: an item cut off mid-request stays counted in flight.
        self.active -= 1
        try:
            if result is not None:  # None: a stop rule left the item unsent
                self.finished = _count(self.finished, result)
                self._apply_stop_rules(result)
                await results.send(result)
        finally:
            slots.release()

    def _apply_stop_rules(self, result: R) -> None:
        reason = self.stop_rules.check(result)
        if reason is not None and self.stopped is None:
            self._stop(reason)

    def _stop(self, reason: BulkStoppedError) -> None:
        """No new item; items not out now stay unsent; requests out finish."""
        self.stopped = reason
        self.feeding.cancel()
        for attempts in self.attempts:
            if not attempts.out:
                attempts.scope.cancel()

    async def _one(self, key: str, refusal: EasifyError | None, item: M) -> R | None:
        if refusal is not None:
            return self._result(key, item, Outcome.FAILED, error=refusal)
        if self.stopped is not None:
            return None  # started just before the stop: leave it unsent
        attempts = _Attempts(self, key)
        self.attempts.add(attempts)
        try:
            with attempts.scope:
                if self.journal is not None:
                    attempts.digest = fingerprint(item)
                    attempts.content = journal_content(self.kind, item)
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
        finally:
            self.attempts.discard(attempts)
        if attempts.scope.cancelled_caught:
            return None  # a stop rule cancelled it while nothing of it was out
        attempts.settle()
        if self.journal is not None:  # (on a ledger, the call recorded it)
            with anyio.CancelScope(shield=True):  # the outcome is known: it must reach the journal
                await self._record(
                    key, attempts.digest, _FINAL[outcome], remote_id, error, attempts.content
                )
        return self._result(key, item, outcome, remote_id, error)

    async def _attempt(
        self, item: M, attempts: _Attempts
    ) -> tuple[Outcome, str | None, Exception | None]:
        # On a ledger, a call that made no attempt was answered from the ledger: what an
        # earlier run (or another worker) recorded.
        recorded = self.on_ledger
        try:
            remote_id = await self.send(attempts.key, item, attempts.before_send, attempts.not_sent)
        except (UnknownOutcomeError, KeyInProgressError) as exc:  # the ledger's word on the key
            return Outcome.MAYBE_SENT, None, exc
        except JournalError:
            raise
        except ArgumentError as exc:
            if recorded and exc.argument == "idempotency_key":
                return Outcome.FAILED, None, KeyConflictError(attempts.key)
            return Outcome.FAILED, None, exc
        except RateLimitError as exc:  # refused after the retries: certainly not sent
            return Outcome.NOT_SENT, None, exc
        except APIError as exc:
            if recorded and not attempts.tried:
                refusal = RecordedFailureError(attempts.key, f"{type(exc).__name__}: {exc}")
                return Outcome.ALREADY_FAILED, None, refusal
            if exc.maybe_sent:  # a 5xx, an undocumented success: the server may have acted
                return Outcome.MAYBE_SENT, None, exc
            # A refusal of the whole run is no fault of the item: a rerun sends it.
            return (Outcome.NOT_SENT if stops_run(exc) else Outcome.FAILED), None, exc
        except EasifyError as exc:  # no usable answer, an unreachable limiter
            maybe_sent = getattr(exc, "maybe_sent", attempts.out)
            return (Outcome.MAYBE_SENT if maybe_sent else Outcome.NOT_SENT), None, exc
        if recorded and not attempts.tried:
            return Outcome.ALREADY_SENT, remote_id, None
        return Outcome.SENT, remote_id, None

    def _from_record(self, key: str, item: M, digest: str, record: Record) -> R | None:
        """The result of an item the journal already knows, or None to send it now."""
        if record.fingerprint != digest:
            if record.state == "not_sent":  # nothing went out under this key: send the new input
                return None
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
        item: dict[str, Any] | None = None,
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
                item=item,
            )


@define(eq=False)
class _Attempts:
    """The hooks around one item's attempts: journal each, count the requests out."""

    run: BulkRun[Any, Any]
    key: str
    digest: str = ""
    content: dict[str, Any] | None = None  # what the journal keeps of the item
    out: bool = False  # a request is out: the server may be acting on it
    tried: bool = False  # a request went out (is or was out)
    scope: anyio.CancelScope = Factory(anyio.CancelScope)  # a stop rule cancels it

    async def before_send(self) -> None:
        if self.run.stopped is not None:
            # The run stopped while this item waited for its slot: it does not go out.
            self.scope.cancel()
            await anyio.lowlevel.checkpoint()
        # Out from here (no await since the check above): a stop now lets it go and finish.
        self.out = self.tried = True
        self.run.in_flight += 1
        # Written only once the slot is ours and the request is about to go out: an
        # item cut off while it waits for a slot is not mistaken for a maybe-sent one.
        with anyio.CancelScope(shield=True):
            await self.run._record(self.key, self.digest, "in_flight", item=self.content)

    async def not_sent(self, reason: NotSentReason) -> None:
        # Refused (429) or never connected: back to not sent before the retry's wait,
        # so a crash during that wait resends the item instead of calling it maybe sent.
        self.settle()
        with anyio.CancelScope(shield=True):
            await self.run._record(self.key, self.digest, "not_sent", error=reason)
        if self.run.stopped is not None:
            self.scope.cancel()  # no retry once the run has stopped

    def settle(self) -> None:
        """The request is no longer out."""
        if self.out:
            self.out = False
            self.run.in_flight -= 1


def _key_of(item: object, index: int, *, needed: bool) -> tuple[str, ArgumentError | None]:
    """The item's key (its position without one), and why it cannot be used, if so.

    ``needed``: a run on a ledger, where keys outlive the run: a position would name
    another run's item.
    """
    key = getattr(item, "key", None)
    if key is None and needed:
        return str(index), ArgumentError("key", "a run on a ledger needs each item's own key")
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
