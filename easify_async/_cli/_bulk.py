"""``easify sms bulk``, ``easify email bulk``, ``easify contacts import``: a CSV file through
``send_many`` (``create_many``)."""

from __future__ import annotations

import csv
import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import aclosing
from typing import NoReturn

import click
from rich.table import Table
from rich.text import Text

from .._bulk import Outcome, estimate_duration
from .._rate_limits import RateLimit
from ..errors import ArgumentError, BulkStoppedError, DuplicateKeyError
from ._in_flight import InFlight
from ._journal_file import check_journal, count_done
from ._options import ClientConfig
from ._output import Output, error_fields, plural
from ._report import BulkReport, titled
from ._rows import BulkKind, CsvFile, RowMapper, Spec, count_rows, read_header, read_rows
from ._run import ExitCode, run

__all__ = ["run_bulk"]

_SHOWN_ROWS = 20  # of the invalid rows; --json lists them all


def run_bulk(
    kind: BulkKind,
    mapper: RowMapper,
    *,
    file: CsvFile,
    journal: str | None,
    dry_run: bool,
    resend_ambiguous: bool,
    max_failures: int | None,
    client: ClientConfig,
    output: Output,
) -> NoReturn:
    """Check the file, then dry-run it or send it; exits with the run's code."""
    try:
        mapper.check_header(read_header(file))
        total = count_rows(file, output)
    except UnicodeDecodeError as exc:
        raise click.BadParameter(
            f"not {file.encoding} text ({exc.reason}): pass its --encoding",
            param_hint="FILE",
        ) from None
    except csv.Error as exc:
        raise click.BadParameter(f"not a readable CSV file: {exc}", param_hint="FILE") from None
    if journal is not None:
        check_journal(journal, file.path)
    rate = kind.rate(client.rate_limits)
    margin = client.rate_limits.margin
    if dry_run:
        done = _journal_done(journal, resend_ambiguous)
        sys.exit(_dry_run(kind, mapper, file, total, rate, margin, output, done))
    requests = InFlight()
    easify = client.client(transport=requests)
    output.note(_eta_line(kind, mapper, file, total, journal, resend_ambiguous, rate, margin))
    report = BulkReport(
        output,
        kind.one,
        kind.noun,
        kind.id_name,
        total,
        rate,
        margin,
        journal,
        requests,
        verb=kind.verb,
    )

    def specs() -> Iterator[Spec]:
        for number, row in enumerate(read_rows(file), start=1):
            try:
                yield mapper.spec(number, row)
            except ArgumentError as exc:  # the row never reaches send_many: report it here
                report.add(mapper.key(number, row), Outcome.FAILED, None, exc)

    async def main() -> ExitCode:
        stopped: BulkStoppedError | None = None
        hinted = False
        try:
            with report:
                results = kind.send_many(easify)(
                    specs(),
                    journal=journal,
                    on_progress=report.on_progress,
                    resend_ambiguous=resend_ambiguous,
                    max_failures=max_failures,
                )
                # Closed explicitly: leaving the loop early must stop the run's tasks at once.
                async with easify, aclosing(results):  # type: ignore[type-var] # typed AsyncIterator
                    try:
                        async for result in results:
                            remote_id = getattr(result, kind.id_name)
                            report.add(result.key, result.outcome, remote_id, result.error)
                            hint = None if hinted else client.window_hint(result.error)
                            if hint is not None:  # once, not once per refused row
                                output.note(Text(hint, "yellow"), whole=True)
                                hinted = True
                    except BulkStoppedError as exc:  # a stop rule: the requests out are done
                        stopped = exc
        except BaseException:
            # Cancelled (Ctrl-C) or stopped by an error: still say what went out.
            report.finish(complete=False)
            raise
        report.finish(complete=stopped is None, stopped=stopped)
        if stopped is not None:
            output.error(stopped)
        return report.exit_code(stopped)

    run(output, main)


def _journal_done(journal: str | None, resend_ambiguous: bool) -> Callable[[Iterable[str]], int]:
    """How many of some keys a run with ``journal`` will skip (none without a journal)."""

    def done(keys: Iterable[str]) -> int:
        if journal is None:
            return 0
        return count_done(journal, keys, resend_ambiguous=resend_ambiguous)

    return done


def _eta_line(
    kind: BulkKind,
    mapper: RowMapper,
    file: CsvFile,
    total: int,
    journal: str | None,
    resend_ambiguous: bool,
    rate: RateLimit,
    margin: float,
) -> str:
    """The run's ETA: for the rows left to send, when a journal holds some already."""
    keys = (mapper.key(n, row) for n, row in enumerate(read_rows(file), start=1))
    done = _journal_done(journal, resend_ambiguous)(keys)
    left = total - done
    eta = kind.eta(left, rate, margin)
    if done:
        eta += f" ({done:,} of the {plural(total, 'row')} are done in the journal)"
    return eta


def _dry_run(
    kind: BulkKind,
    mapper: RowMapper,
    file: CsvFile,
    total: int,
    rate: RateLimit,
    margin: float,
    output: Output,
    done_in_journal: Callable[[Iterable[str]], int],
) -> ExitCode:
    valid: set[str] = set()
    invalid = Table()
    invalid.add_column("key")
    invalid.add_column("error", overflow="fold")
    for number, row in enumerate(read_rows(file), start=1):
        key = mapper.key(number, row)
        try:
            kind.validate(mapper.spec(number, row))
            if key in valid:
                raise DuplicateKeyError(key, "appears more than once in the input")
        except (ArgumentError, DuplicateKeyError) as exc:
            if output.json:
                output.emit({"key": key, "valid": False, "error": error_fields(exc)})
            elif invalid.row_count < _SHOWN_ROWS:
                invalid.add_row(key, f"{type(exc).__name__}: {exc}")
            continue
        valid.add(key)
        if output.json:
            output.emit({"key": key, "valid": True, "error": None})
    # The journal's sent and failed rows (and maybe sent ones, unless resent) are skipped
    # by the run: the ETA is for the valid rows left.
    done = done_in_journal(valid)
    left = len(valid) - done
    eta = kind.eta(left, rate, margin)
    bad = total - len(valid)
    summary = {
        "rows": total,
        "valid": len(valid),
        "invalid": bad,
        "done_in_journal": done,
        "eta_seconds": estimate_duration(left, rate, margin),
        "eta": eta,
    }
    if output.json:
        output.emit({"summary": summary})
    else:
        if bad:
            output.out.print(*titled("Invalid rows", invalid))
            if bad > invalid.row_count:
                output.out.print(f"... and {bad - invalid.row_count:,} more (--json)")
        valid_rows = f"{len(valid):,} of {plural(total, 'row')}"
        output.out.print(
            f"{valid_rows} {'is' if len(valid) == 1 else 'are'} valid; nothing was {kind.verb}."
        )
        if done:
            output.out.print(
                f"{done:,} of them {'is' if done == 1 else 'are'} done in the journal "
                "and will be skipped."
            )
        output.out.print(eta)
    return ExitCode.PARTIAL if bad else ExitCode.OK
