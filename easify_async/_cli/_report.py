"""A bulk run as people and scripts see it: progress bar, JSON lines, summary table.

The rate shown, live and in the summary, is one figure: ``limit_share``, the time the
rate limit needs for the messages sent divided by the time they took.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from types import TracebackType
from typing import Any

from attrs import Factory, define, field
from rich.console import RenderableType
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn
from rich.table import Table
from rich.text import Text

from .._bulk import BulkProgress, Outcome, estimate_duration
from .._bulk._eta import describe_duration
from .._rate_limits import RateLimit
from ..errors import BulkStoppedError
from ._in_flight import InFlight
from ._output import Output, error_fields, plural
from ._run import ExitCode

__all__ = ["BulkReport", "limit_share", "per_period", "titled"]

_SHOWN_FAILURES = 20  # the rest are in the --json output


def per_period(rate: RateLimit) -> str:
    """``"15/min"``, or ``"15/2s"`` for a shortened window."""
    return f"{rate.limit}/{'min' if rate.period == 60 else f'{rate.period:g}s'}"


def limit_share(sent: int, elapsed: float, rate: RateLimit, margin: float) -> float | None:
    """How close ``sent`` messages in ``elapsed`` seconds came to the limit's full rate.

    The limit lets a window's ``limit`` messages go at once, then ``limit`` more each
    ``period + margin``: ``estimate_duration(sent)`` is the least time ``sent`` messages
    can take. Its ratio to the time they did take is 1.0 at the full rate, and never
    counts the first, free burst as speed. None while nothing past the first window
    went out (there is no rate to measure yet).
    """
    best = estimate_duration(sent, rate, margin)
    return best / elapsed if best > 0 and elapsed > 0 else None


def titled(title: str, table: Table) -> list[RenderableType]:
    """A title line above ``table``: a table's own title wraps at the table's width."""
    return [Text(title, style="italic"), table]


class _Progress(Progress):
    """rich's progress bar, with the counts on a line of their own below it.

    On one line with the bar, the counts were cut at 80 columns.
    """

    status: Text = Text()  # replaced, never mutated: a class default is safe

    def get_renderables(self) -> Iterable[RenderableType]:
        """The bar, then the counts (folded, never cut, on a narrow terminal)."""
        yield from super().get_renderables()
        yield self.status


@define
class BulkReport:
    """Counts results, shows them as they come, and sums them up at the end.

    Args:
        requests: the client's network transport, counting unanswered requests: on an
            interrupt those rows are reported in flight (they may have been sent).
        verb: what ``Outcome.SENT`` reads as for people: "sent", "created" (contacts).
            The JSON lines keep the outcomes' own names.
    """

    output: Output
    noun: str  # "SMS", "email"
    nouns: str  # "SMS", "emails"
    id_name: str
    total: int
    rate: RateLimit
    margin: float
    journal: str | None
    requests: InFlight | None = None
    verb: str = "sent"
    counts: dict[Outcome, int] = Factory(lambda: dict.fromkeys(Outcome, 0))
    waiting: int = 0
    failures: list[tuple[str, str]] = Factory(list)
    started: float = Factory(time.monotonic)
    last_sent: float = 0.0  # seconds from the start: the rate is measured up to there
    _progress: _Progress | None = field(default=None, init=False)
    _task: TaskID | None = field(default=None, init=False)

    def __enter__(self) -> BulkReport:
        if not self.output.json:
            self._progress = _Progress(
                TextColumn(f"[bold]{self.nouns}"),
                BarColumn(bar_width=None),
                MofNCompleteColumn(),
                TextColumn("{task.fields[eta]}"),
                console=self.output.err,
            )
            self._task = self._progress.add_task(self.nouns, total=self.total, eta="")
            self._refresh()
            self._progress.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._progress is not None:
            self._refresh()
            self._progress.stop()

    @property
    def done(self) -> int:
        """Rows with a result."""
        return sum(self.counts.values())

    @property
    def not_ok(self) -> int:
        """Rows not known to be sent: failed, maybe sent, not sent, already failed."""
        return self.done - self.counts[Outcome.SENT] - self.counts[Outcome.ALREADY_SENT]

    def label(self, outcome: Outcome) -> str:
        """An outcome's name for people, the same in the progress line and the summary:
        "not sent", "already created" (contacts)."""
        return outcome.value.replace("sent", self.verb).replace("_", " ")

    def counted(self) -> list[tuple[Outcome, int]]:
        """The outcomes to show: sent and failed always, the others when some rows have them."""
        return [
            (outcome, count)
            for outcome, count in self.counts.items()
            if count or outcome in (Outcome.SENT, Outcome.FAILED)
        ]

    def exit_code(self, stopped: BulkStoppedError | None = None) -> ExitCode:
        """The run's exit code, from the same counts the summary shows.

        7 when some rows may have been sent (resending them blindly may duplicate); else
        3 when a refusal no row can pass stopped the run; else 4 when some rows are not
        sent (failed, not sent, already failed, or left unsent by a stop); else 0.
        """
        if self.counts[Outcome.MAYBE_SENT]:
            return ExitCode.CHECK
        if stopped is not None and stopped.failures is None:
            return ExitCode.API_ERROR
        if self.not_ok or self.done < self.total:
            return ExitCode.PARTIAL
        return ExitCode.OK

    @property
    def in_flight(self) -> int:
        """Rows whose request went out and whose reply has not come back."""
        return 0 if self.requests is None else self.requests.unanswered

    @property
    def share(self) -> float | None:
        """`limit_share` of the rows sent, up to the last one sent (as the bar shows it)."""
        # Not up to now: the idle wait an interrupt cuts short is no slowness of the run.
        return limit_share(self.counts[Outcome.SENT], self.last_sent, self.rate, self.margin)

    def on_progress(self, progress: BulkProgress) -> None:
        """``send_many``'s progress callback: how many items wait for a slot."""
        self.waiting = progress.waiting
        self._refresh()

    def add(
        self, key: str, outcome: Outcome, remote_id: str | None, error: BaseException | None
    ) -> None:
        """One row's result."""
        self.counts[outcome] += 1
        if outcome is Outcome.SENT:
            self.last_sent = time.monotonic() - self.started
        if error is not None and len(self.failures) < _SHOWN_FAILURES:
            self.failures.append((key, f"{type(error).__name__}: {error}"))
        if self.output.json:
            self.output.emit(
                {
                    "key": key,
                    "outcome": outcome.value,
                    self.id_name: remote_id,
                    "error": None if error is None else error_fields(error),
                }
            )
        self._refresh()

    def finish(self, *, complete: bool, stopped: BulkStoppedError | None = None) -> None:
        """Print the summary (``complete=False``: the run ended early, by a stop rule when
        ``stopped`` says which)."""
        elapsed = time.monotonic() - self.started
        in_flight = 0 if complete else self.in_flight
        unfinished = self.total - self.done - in_flight
        share = self.share
        if self.output.json:
            summary: dict[str, Any] = {o.value: n for o, n in self.counts.items()}
            summary.update(
                in_flight=in_flight,
                unfinished=unfinished,
                total=self.total,
                elapsed_seconds=round(elapsed, 3),
                limit_share=None if share is None else round(share, 3),
                complete=complete,
                stopped=None if stopped is None else str(stopped),
            )
            self.output.emit({"summary": summary})
        else:
            self._print_summary(elapsed, share, in_flight, unfinished)
        if self.counts[Outcome.MAYBE_SENT]:
            self.output.note(
                Text(
                    f"{plural(self.counts[Outcome.MAYBE_SENT], 'row')} may have been {self.verb}: "
                    "check before sending again (--resend-ambiguous resends).",
                    "yellow",
                )
            )
        if not complete:
            self._note_stopped(in_flight)

    def _print_summary(
        self, elapsed: float, share: float | None, in_flight: int, unfinished: int
    ) -> None:
        table = Table()
        table.add_column("outcome")
        table.add_column("rows", justify="right")
        for outcome, count in self.counted():
            table.add_row(self.label(outcome), f"{count:,}")
        if in_flight:
            table.add_row(
                f"in flight (may have been {self.verb})", f"{in_flight:,}", style="yellow"
            )
        if unfinished:
            table.add_row(f"unfinished (not {self.verb})", f"{unfinished:,}", style="yellow")
        title = f"Bulk {self.nouns}: {plural(self.total, 'row')}"
        self.output.out.print(*titled(title, table))
        sent = self.counts[Outcome.SENT]
        line = (
            f"{plural(sent, self.noun, self.nouns)} {self.verb} in {elapsed:.1f} s"
            f" at {per_period(self.rate)}"
        )
        if share is not None:
            line += f": {share:.0%} of the limit's rate"
        self.output.out.print(line)
        if self.failures:
            failures = Table()
            failures.add_column("key")
            failures.add_column("error", overflow="fold")
            for key, error in self.failures:
                failures.add_row(key, error)
            self.output.out.print(*titled(f"Rows not {self.verb}", failures))
            if self.not_ok > len(self.failures):
                self.output.out.print(f"... and {self.not_ok - len(self.failures):,} more (--json)")

    def _note_stopped(self, in_flight: int) -> None:
        note = "Stopped early"
        if self.journal:
            note += f": run again with --journal {self.journal} to resume"
            if in_flight:
                note += (
                    f"; the {plural(in_flight, 'row')} in flight will be reported maybe {self.verb}"
                )
        elif in_flight:
            note += f"; {plural(in_flight, 'row')} in flight may have been {self.verb}"
        self.output.note(Text(f"{note}.", "yellow"))

    def _refresh(self) -> None:
        if self._progress is None or self._task is None:
            return
        elapsed = time.monotonic() - self.started
        remaining = self.total - self.done
        # At the full rate the run ends when the limit lets the last row out; skipped rows
        # take no slot. Behind that schedule (429s, slow replies), count from now.
        to_send = (
            self.total - self.counts[Outcome.ALREADY_SENT] - self.counts[Outcome.ALREADY_FAILED]
        )
        eta = max(
            estimate_duration(to_send, self.rate, self.margin) - elapsed,
            estimate_duration(remaining, self.rate, self.margin),
        )
        # The summary's own names and counts: "failed" is never a sum of other outcomes.
        counts = [f"{self.label(outcome)} {count:,}" for outcome, count in self.counted()]
        status = " · ".join([*counts, f"waiting on the limit {self.waiting}"])
        share = self.share
        if share is not None:
            status += f" · {share:.0%} of the limit's rate ({per_period(self.rate)})"
        self._progress.status = Text(status, overflow="fold")
        self._progress.update(
            self._task,
            completed=self.done,
            eta=f"ETA {describe_duration(eta)}" if remaining else "",
        )
