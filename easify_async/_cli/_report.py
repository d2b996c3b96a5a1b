"""A bulk run as people and scripts see it: progress bar, JSON lines, summary table."""

from __future__ import annotations

import time
from types import TracebackType
from typing import Any

from attrs import Factory, define, field
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn
from rich.table import Table
from rich.text import Text

from .._bulk import BulkProgress, Outcome, estimate_duration
from .._rate_limits import RateLimit
from ._output import Output, error_fields

__all__ = ["BulkReport", "per_period"]

_SHOWN_FAILURES = 20  # the rest are in the --json output


def per_period(rate: RateLimit) -> str:
    """``"15/min"``, or ``"15/2s"`` for a shortened window."""
    return f"{rate.limit}/{_unit(rate)}"


def _unit(rate: RateLimit) -> str:
    return "min" if rate.period == 60 else f"{rate.period:g}s"


def _duration(seconds: float) -> str:
    if seconds < 90:
        return f"{seconds:.0f} s"
    if seconds < 90 * 60:
        return f"{seconds / 60:.0f} min"
    return f"{seconds / 3600:.1f} h"


@define
class BulkReport:
    """Counts results, shows them as they come, and sums them up at the end."""

    output: Output
    noun: str
    id_name: str
    total: int
    rate: RateLimit
    margin: float
    journal: str | None
    counts: dict[Outcome, int] = Factory(lambda: dict.fromkeys(Outcome, 0))
    waiting: int = 0
    failures: list[tuple[str, str]] = Factory(list)
    started: float = Factory(time.monotonic)
    _progress: Progress | None = field(default=None, init=False)
    _task: TaskID | None = field(default=None, init=False)

    def __enter__(self) -> BulkReport:
        if not self.output.json:
            self._progress = Progress(
                TextColumn(f"[bold]{self.noun}"),
                BarColumn(),
                MofNCompleteColumn(),
                TextColumn("{task.fields[counts]}"),
                TextColumn("{task.fields[speed]}"),
                TextColumn("{task.fields[eta]}"),
                console=self.output.err,
            )
            self._task = self._progress.add_task(
                self.noun, total=self.total, counts="", speed="", eta=""
            )
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
    def failed(self) -> int:
        """Rows not known to be sent: failed, maybe sent, not sent."""
        return self.done - self.counts[Outcome.SENT] - self.counts[Outcome.ALREADY_SENT]

    def on_progress(self, progress: BulkProgress) -> None:
        """``send_many``'s progress callback: how many items wait for a slot."""
        self.waiting = progress.waiting
        self._refresh()

    def add(
        self, key: str, outcome: Outcome, remote_id: str | None, error: BaseException | None
    ) -> None:
        """One row's result."""
        self.counts[outcome] += 1
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

    def finish(self, *, complete: bool) -> None:
        """Print the summary (``complete=False``: the run was stopped early)."""
        elapsed = time.monotonic() - self.started
        if self.output.json:
            summary: dict[str, Any] = {o.value: n for o, n in self.counts.items()}
            summary.update(total=self.total, elapsed_seconds=round(elapsed, 3), complete=complete)
            self.output.emit({"summary": summary})
        else:
            self._print_summary(elapsed, complete)

    def _print_summary(self, elapsed: float, complete: bool) -> None:
        table = Table(title=f"Bulk {self.noun}: {self.total:,} rows", title_justify="left")
        table.add_column("outcome")
        table.add_column("rows", justify="right")
        for outcome, count in self.counts.items():
            if count or outcome in (Outcome.SENT, Outcome.FAILED):
                table.add_row(outcome.value.replace("_", " "), f"{count:,}")
        if self.done < self.total:
            table.add_row("unfinished", f"{self.total - self.done:,}", style="yellow")
        self.output.out.print(table)
        sent = self.counts[Outcome.SENT]
        line = f"{sent:,} {self.noun} sent in {elapsed:.1f} s at {per_period(self.rate)}"
        best = estimate_duration(sent, self.rate, self.margin)
        if best > 0:
            line += f": {best / elapsed:.0%} of the limit's rate"
        self.output.out.print(line)
        if self.failures:
            failures = Table(title="Rows not sent", title_justify="left")
            failures.add_column("key")
            failures.add_column("error", overflow="fold")
            for key, error in self.failures:
                failures.add_row(key, error)
            self.output.out.print(failures)
            if self.failed > len(self.failures):
                self.output.out.print(f"... and {self.failed - len(self.failures):,} more (--json)")
        if not complete:
            resume = f": run again with --journal {self.journal} to resume" if self.journal else ""
            self.output.note(Text(f"Stopped early{resume}.", "yellow"))

    def _refresh(self) -> None:
        if self._progress is None or self._task is None:
            return
        sent = self.counts[Outcome.SENT]
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
        # A burst of a window's slots goes at once: a rate means something after a window.
        speed = sent / elapsed * self.rate.period if elapsed > self.rate.period else None
        self._progress.update(
            self._task,
            completed=self.done,
            counts=f"sent {sent:,} · failed {self.failed:,} · waiting on the limit {self.waiting}",
            speed="" if speed is None else f"{speed:.1f}/{_unit(self.rate)}",
            eta=f"ETA {_duration(eta)}" if remaining else "",
        )
