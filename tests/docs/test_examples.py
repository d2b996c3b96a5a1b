"""Every Python example of README.md and docs/**/*.md runs as written against the sandbox
and prints what the page shows (or, marked with its reason, is type-checked only); all
of them pass ``mypy --strict``; the package's doctests run. See tests/docs/_examples.py."""

from __future__ import annotations

import doctest
import importlib
import pkgutil
from pathlib import Path

import pytest

import easify_async
from easify_async.sandbox import Sandbox
from tests._served import serving
from tests.docs._examples import ROOT, Example, all_examples, examples, run, typecheck

EXAMPLES = all_examples()
RUN = [e for e in EXAMPLES if e.mode != "typecheck-only"]


@pytest.mark.parametrize("example", RUN, ids=[e.id for e in RUN])
def test_the_example_prints_what_the_page_shows(example: Example, tmp_path: Path) -> None:
    with serving(Sandbox()) as base_url:
        problem = run(example, base_url, tmp_path)
    assert problem is None, problem


def test_every_example_passes_mypy_strict(tmp_path: Path) -> None:
    """One mypy run for all blocks, the type-checked-only ones among them."""
    problem = typecheck(EXAMPLES, tmp_path)
    assert problem is None, problem


def test_a_block_that_cannot_run_says_why() -> None:
    """Each block left out of the runs carries its reason, and there are few of them."""
    skipped = [e for e in EXAMPLES if e.mode == "typecheck-only"]
    assert all(e.reason for e in skipped)
    assert len(RUN) > 3 * len(skipped), [e.id for e in skipped]


# The mechanism fails when an example is edited to be wrong: mutate a copy of a page.
PAGE = ROOT / "docs" / "guides" / "getting-started.md"


def _quick_start(text: str) -> Example:
    return next(e for e in examples(PAGE, text) if e.output)


def test_an_example_whose_shown_output_drifted_fails(tmp_path: Path) -> None:
    text = PAGE.read_text()
    shown = _quick_start(text).output
    assert shown
    wrong = text.replace(shown, shown.replace("Delivered", "Pending"), 1)
    with serving(Sandbox()) as base_url:
        assert run(_quick_start(text), base_url, tmp_path) is None
        problem = run(_quick_start(wrong), base_url, tmp_path)
    assert problem is not None
    assert "Pending" in problem


def test_an_example_whose_code_drifted_fails(tmp_path: Path) -> None:
    """A sender the sandbox does not have (the Quick start's old one): the run fails."""
    text = PAGE.read_text()
    wrong = text.replace("demo@sandbox.easify.test", "qa@example.com", 1)
    with serving(Sandbox()) as base_url:
        problem = run(_quick_start(wrong), base_url, tmp_path)
    assert problem is not None
    assert "InvalidSenderError" in problem


def test_an_example_that_no_longer_type_checks_fails(tmp_path: Path) -> None:
    text = PAGE.read_text().replace("timeout=600", 'timeout="600"', 1)
    problem = typecheck([_quick_start(text)], tmp_path)
    assert problem is not None
    assert "getting-started.md" in problem
    assert "timeout" in problem


def test_a_typecheck_only_block_without_its_reason_is_refused() -> None:
    text = "<!-- typecheck-only: -->\n```python\nprint(1)\n```\n"
    with pytest.raises(ValueError, match="needs its reason"):
        list(examples(PAGE, text))


def test_the_doctests_of_every_module_run() -> None:
    """doctest over every module of the package (``# doctest: +SKIP`` lines skipped)."""
    finder = doctest.DocTestFinder()
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    tried = 0
    for info in pkgutil.walk_packages(easify_async.__path__, "easify_async."):
        if info.name.endswith("__main__"):  # importing it runs the command
            continue
        module = importlib.import_module(info.name)
        for test in finder.find(module, module=module):
            tried += runner.run(test).attempted
    assert tried > 0
    assert runner.failures == 0
