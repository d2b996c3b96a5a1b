"""The bulk engine: stream items through the normal client at the full rate, journaled."""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncGenerator, AsyncIterable, Awaitable, Callable, Iterable
from typing import Generic, TypeVar

import anyio
from anyio.abc import ObjectReceiveStream, ObjectSendStream
from attrs import Factory, define, evolve

from ..errors import (
    APIConnectionError,
    APIError,
    ArgumentError,
    DuplicateKeyError,
    KeyConflictError,
    RateLimitError,
    RecordedFailureError,
    ServerError,
)
from ._journal import Journal, Record, State
from ._models import (
    BulkProgress,
    BulkResult,
    EmailMessage,
    EmailV3Message,
    Outcome,
    SmsMessage,
    fingerprint,
)

__all__ = ["BulkRun"]

M = TypeVar("M", SmsMessage, EmailMessage, EmailV3Message)
R = TypeVar("R", bound=BulkResult)

_FINAL: dict[Outcome, State] = {
    Outcome.SENT: "sent",
    Outcome.FAILED: "failed",
    Outcome.MAYBE_SENT: "maybe_sent",
    Outcome.NOT_SENT: "not_sent",
}


@define
class BulkRun(Generic[M, R]):
    """One ``send_many`` call: workers pull items, send them, journal them, report them."""

    # Sends an item, awaiting the hook just before the request goes out; returns the
    # server's id, or raises (ArgumentError before any request).
    send: Callable[[M, Callable[[], Awaitable[None]] | None], Awaitable[str]]
    make_result: Callable[..., R]
    concurrency: int
    journal_path: str | os.PathLike[str] | None
    on_progress: Callable[[BulkProgress], object] | None
    resend_ambiguous: bool
    run_id: str = ""
    journal: Journal | None = None
    active: int = 0
    busy_keys: set[str] = Factory(set)  # at most `concurrency` keys: memory stays constant

    async def results(self, items: Iterable[M] | AsyncIterable[M]) -> AsyncGenerator[R, None]:
        """Yield one result per item, in completion order."""
        self.run_id = uuid.uuid4().hex
        total = len(items) if hasattr(items, "__len__") else None  # type: ignore[arg-type]
        progress = BulkProgress(total=total)
        self.journal = Journal(self.journal_path) if self.journal_path is not None else None
        # Unbuffered input: the producer reads one item ahead of the workers at most, so
        # memory stays constant however long the input is.
        send_items, receive_items = anyio.create_memory_object_stream[tuple[int, M]](0)
        send_results, receive_results = anyio.create_memory_object_stream[R](self.concurrency)
        try:
            async with anyio.create_task_group() as tg:
                tg.start_soon(_produce, items, send_items)
                async with send_results, receive_items:
                    for _ in range(self.concurrency):
                        tg.start_soon(self._work, receive_items.clone(), send_results.clone())
                async with receive_results:
                    try:
                        async for result in receive_results:
                            progress = evolve(_count(progress, result), waiting=self.active)
                            if self.on_progress is not None:
                                self.on_progress(progress)
                            yield result
                    except GeneratorExit:
                        # The consumer stopped early (break + aclose): stop the workers and
                        # end quietly; items cut off mid-request stay in_flight in the journal.
                        tg.cancel_scope.cancel()
        finally:
            if self.journal is not None:
                self.journal.close()

    async def _work(
        self, items: ObjectReceiveStream[tuple[int, M]], results: ObjectSendStream[R]
    ) -> None:
        async with items, results:
            async for index, item in items:
                self.active += 1
                result = await self._one(index, item)
                self.active -= 1
                await results.send(result)

    async def _one(self, index: int, item: M) -> R:
        key = item.key if item.key is not None else str(index)
        if key in self.busy_keys:
            error = DuplicateKeyError(key, "appears more than once in the input")
            return self.make_result(
                key=key, item=item, outcome=Outcome.FAILED, remote_id=None, error=error
            )
        self.busy_keys.add(key)
        try:
            return await self._one_of_a_key(key, item)
        finally:
            self.busy_keys.discard(key)

    async def _one_of_a_key(self, key: str, item: M) -> R:
        digest = ""
        if self.journal is not None:
            digest = fingerprint(item)
            record = await self.journal.read(key)
            skip = None if record is None else self._from_record(key, item, digest, record)
            if skip is not None:
                return skip

        async def in_flight() -> None:
            # Written only once the slot is ours and the request is about to go out: an
            # item cut off while it waits for a slot is not mistaken for a maybe-sent one.
            with anyio.CancelScope(shield=True):
                await self._record(key, digest, "in_flight")

        outcome, remote_id, error = await self._attempt(item, in_flight if self.journal else None)
        with anyio.CancelScope(shield=True):  # the outcome is known: it must reach the journal
            await self._record(key, digest, _FINAL[outcome], remote_id, error)
        return self.make_result(
            key=key, item=item, outcome=outcome, remote_id=remote_id, error=error
        )

    async def _attempt(
        self, item: M, before_send: Callable[[], Awaitable[None]] | None
    ) -> tuple[Outcome, str | None, Exception | None]:
        try:
            remote_id = await self.send(item, before_send)
        except ArgumentError as exc:
            return Outcome.FAILED, None, exc
        except RateLimitError as exc:
            return Outcome.NOT_SENT, None, exc
        except ServerError as exc:  # a 5xx after the body went out may hide a sent message
            return Outcome.MAYBE_SENT, None, exc
        except APIError as exc:
            return Outcome.FAILED, None, exc
        except APIConnectionError as exc:
            return (Outcome.MAYBE_SENT if exc.maybe_sent else Outcome.NOT_SENT), None, exc
        return Outcome.SENT, remote_id, None

    def _from_record(self, key: str, item: M, digest: str, record: Record) -> R | None:
        """The result of an item the journal already knows, or None to send it now."""

        def result(outcome: Outcome, error: Exception | None = None) -> R:
            return self.make_result(
                key=key, item=item, outcome=outcome, remote_id=record.remote_id, error=error
            )

        if record.fingerprint != digest:
            return result(
                Outcome.FAILED, KeyConflictError(key, "the journal holds different input")
            )
        if record.run_id == self.run_id:
            return result(
                Outcome.FAILED, DuplicateKeyError(key, "appears more than once in the input")
            )
        if record.state == "sent":
            return result(Outcome.ALREADY_SENT)
        if record.state == "failed":
            return result(
                Outcome.ALREADY_FAILED, RecordedFailureError(key, record.error or "failed")
            )
        if record.state in ("in_flight", "maybe_sent") and not self.resend_ambiguous:
            ambiguous = APIConnectionError(
                maybe_sent=True, detail="an earlier run was cut off mid-request"
            )
            return result(Outcome.MAYBE_SENT, ambiguous)
        return None  # not_sent, or ambiguous with resend_ambiguous: send it

    async def _record(
        self,
        key: str,
        digest: str,
        state: State,
        remote_id: str | None = None,
        error: Exception | None = None,
    ) -> None:
        if self.journal is not None:
            await self.journal.write(
                key,
                fingerprint=digest,
                state=state,
                run_id=self.run_id,
                remote_id=remote_id,
                error=None if error is None else f"{type(error).__name__}: {error}",
            )


async def _produce(
    items: Iterable[M] | AsyncIterable[M], out: ObjectSendStream[tuple[int, M]]
) -> None:
    async with out:
        if isinstance(items, AsyncIterable):
            index = 0
            async for item in items:
                await out.send((index, item))
                index += 1
        else:
            for index, item in enumerate(items):
                await out.send((index, item))


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
