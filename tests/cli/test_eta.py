"""ETAs: the rows a journal leaves, and a margin that scales with the limits."""

from __future__ import annotations

from pathlib import Path

import pytest

from easify_async import RateLimit, RateLimits
from easify_async.bulk import describe_eta, estimate_duration
from tests.cli._run import easify
from tests.cli._server import Ledger


def test_a_resumed_run_estimates_the_rows_left(
    tmp_path: Path, api_env: dict[str, str], ledger: Ledger
) -> None:
    """With 5 of 20 rows sent in the journal, the ETA is for 15 (one window, not two)."""
    numbers = [f"+1315135{i:04d}" for i in range(20)]
    path = tmp_path / "rows.csv"
    journal = str(tmp_path / "run.db")
    command = ["sms", "bulk", str(path), "--from", "3152930000", "-m", "Hi", "--journal", journal]
    path.write_text("to_number\n" + "\n".join(numbers[:5]) + "\n")
    assert easify(*command, env=api_env).code == 0
    path.write_text("to_number\n" + "\n".join(numbers) + "\n")  # the same 5 rows, then more
    ledger.advance(61)
    done = easify(*command, env=api_env)
    assert done.code == 0, done.err
    first = " ".join(done.err.split("\n", 1)[0].split())
    assert first == "15 SMS at 15/min: about 0 seconds (5 of the 20 rows are done in the journal)"
    assert len(ledger.sms) == 20


@pytest.mark.parametrize("factor", [1 / 60, 2 / 60, 1.0, 10.0], ids=["1s", "2s", "1min", "10min"])
def test_the_default_margin_scales_with_the_window(factor: float) -> None:
    """Without margin=, scaled limits get their own scaled margin, not a fixed second."""
    limits = RateLimits().scaled(factor)
    assert estimate_duration(200, limits.sms_send) == pytest.approx(
        estimate_duration(200, limits.sms_send, limits.margin)
    )


def test_describe_eta_for_a_scaled_run() -> None:
    """200 SMS at 15/1s take 13 windows of 1 s: "about 13 seconds", not 26."""
    limits = RateLimits().scaled(1 / 60)
    assert describe_eta(200, limits.sms_send, noun="SMS") == "200 SMS at 15/1s: about 13 seconds"


@pytest.mark.parametrize(
    ("count", "period", "text"),
    [
        pytest.param(16, 1.0, "about 1 second", id="one-second"),
        pytest.param(31, 1.0, "about 2 seconds", id="seconds"),
        pytest.param(1000, 60.0, "about 67 minutes", id="minutes"),
    ],
)
def test_describe_eta_says_one_in_the_singular(count: int, period: float, text: str) -> None:
    """ "about 1 second", then plurals (minutes start at 90 s, so never "1 minute")."""
    rate = RateLimit(15, period)
    assert describe_eta(count, rate, noun="SMS", margin=period / 60).endswith(text)
