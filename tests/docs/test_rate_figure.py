"""The rate-limit guide's figure is what docs/_gen/rate_figure.py draws from a run."""

from __future__ import annotations

import importlib.util
from types import ModuleType

from tests.docs._examples import ROOT

SCRIPT = ROOT / "docs" / "_gen" / "rate_figure.py"


def _script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("rate_figure", SCRIPT)
    assert spec
    assert spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_committed_figure_is_what_the_script_draws() -> None:
    """After a change to the limiter (or the script), run the script and commit the SVG."""
    script = _script()
    assert script.OUT.read_text(encoding="utf-8") == script.render(), (
        "docs/guides/img/rate-window.svg is stale: run python docs/_gen/rate_figure.py"
    )


def test_the_figure_shows_the_window_the_slots_and_a_429_pause() -> None:
    """The run it draws: 15 in the first window, the rest after the holds, one pause."""
    import trio.testing

    script = _script()
    log, other, windows = trio.run(script._run, clock=trio.testing.MockClock(autojump_threshold=0))
    first_window = [sent for _, sent, _, status in log if status == 200 and sent < 60]
    assert len(first_window) == 15
    refused = [(n, reply) for n, _, reply, status in log if status == 429]
    assert refused  # the other process took the rest of the second window
    for n, refused_at in refused:
        retried = [sent for m, sent, _, status in log if m == n and status == 200]
        assert retried
        assert retried[0] >= refused_at + 60 - 1
    assert len(other) == 12
    assert len(windows) == 3
