"""The blocking client's surface is the async one's, sync-adjusted, and is generated.

The calls are found, not listed: every cached group of `AsyncEasify`, every group nested in
one, every public method. Both sides are read from the live classes (``inspect``), not from
the generator, so a generator bug shows here too.
"""

from __future__ import annotations

import functools
import inspect
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx
import pytest

import easify_async
from easify_async import AsyncEasify, Easify
from easify_async._sync_gen import TARGET, generate, sync_annotation, sync_doc

ROOT = Path(__file__).parents[2]


def _walk(client: Any) -> dict[str, type]:
    """``path -> group class`` of a live client: its cached groups and the groups they hold."""
    found: dict[str, type] = {}
    for name, value in vars(type(client)).items():
        if isinstance(value, functools.cached_property):
            group = getattr(client, name)
            found[name] = type(group)
            # dir(), not vars(): a slotted (attrs) group has no __dict__.
            for attribute in (a for a in dir(group) if not a.startswith("_")):
                held = getattr(group, attribute)
                if not callable(held) and type(held).__module__ == type(group).__module__:
                    found[f"{name}.{attribute}"] = type(held)
    return found


def _both() -> tuple[dict[str, type], dict[str, type]]:
    transport = httpx.MockTransport(lambda request: httpx.Response(500))
    asynchronous = AsyncEasify("t", transport=transport)
    with Easify("t", transport=transport) as blocking:
        return _walk(asynchronous), _walk(blocking)


ASYNC_GROUPS, SYNC_GROUPS = _both()


def _methods(cls: type) -> dict[str, Any]:
    return {
        name: value
        for name, value in vars(cls).items()
        if inspect.isfunction(value) and not name.startswith("_")
    }


def _calls() -> list[tuple[str, Any, Any]]:
    rows = []
    for path, group in ASYNC_GROUPS.items():
        blocking = SYNC_GROUPS[path]
        for name, function in _methods(group).items():
            rows.append((f"{path}.{name}", function, getattr(blocking, name, None)))
    rows.append(("with_options", AsyncEasify.with_options, Easify.with_options))
    rows.append(("__init__", AsyncEasify.__init__, Easify.__init__))
    return rows


CALLS = _calls()


def test_every_group_and_call_is_found() -> None:
    """The walk finds the 10 groups, v3's email, and the 30 group calls (not an empty list)."""
    assert set(ASYNC_GROUPS) == set(SYNC_GROUPS)
    assert {"sms", "email", "v3", "v3.email", "contacts", "campaigns"} <= set(ASYNC_GROUPS)
    assert len(CALLS) >= 30 + 2  # 30 group calls, with_options, the constructor


@pytest.mark.parametrize(("path", "async_call", "sync_call"), CALLS, ids=[c[0] for c in CALLS])
def test_the_blocking_call_has_the_async_parameters_defaults_types_and_docstring(
    path: str, async_call: Any, sync_call: Any
) -> None:
    assert sync_call is not None, f"Easify has no {path}"
    asynchronous = inspect.signature(async_call)
    blocking = inspect.signature(sync_call)
    assert list(blocking.parameters) == list(asynchronous.parameters)
    for name, parameter in asynchronous.parameters.items():
        mirror = blocking.parameters[name]
        assert mirror.kind == parameter.kind, name
        assert mirror.default == parameter.default or (
            # a default evaluated twice (RateLimits(), an httpx.Timeout): equal values
            repr(mirror.default) == repr(parameter.default)
        ), name
        if parameter.annotation is inspect.Parameter.empty:  # self
            assert mirror.annotation is inspect.Parameter.empty
        else:
            assert mirror.annotation == " ".join(sync_annotation(parameter.annotation).split())
    assert blocking.return_annotation == sync_annotation(asynchronous.return_annotation)
    assert inspect.getdoc(sync_call) == sync_doc(inspect.getdoc(async_call) or "")
    # Every blocking call blocks: no coroutine, no async iterator hands back.
    assert not inspect.iscoroutinefunction(sync_call)
    assert "Async" not in str(blocking.return_annotation)


def test_the_group_docstrings_are_the_async_ones_adjusted() -> None:
    for path, group in ASYNC_GROUPS.items():
        assert inspect.getdoc(SYNC_GROUPS[path]) == sync_doc(inspect.getdoc(group) or ""), path
    for name, value in vars(AsyncEasify).items():
        if isinstance(value, functools.cached_property):
            mirror = vars(Easify)[name]
            assert inspect.getdoc(mirror) == sync_doc(inspect.getdoc(value) or ""), name
    assert inspect.getdoc(Easify) == sync_doc(inspect.getdoc(AsyncEasify) or "")


def test_the_adjustments_of_annotations_and_docstrings() -> None:
    assert sync_annotation("AsyncPaginator[SmsRecord]") == "Paginator[SmsRecord]"
    assert sync_annotation("AsyncGenerator[SmsResult, None]") == "Generator[SmsResult, None, None]"
    assert sync_annotation("Iterable[M] | AsyncIterable[M]") == "Iterable[M]"
    assert sync_doc(">>> async for r in easify.sms.send_many(rows):") == (
        ">>> for r in easify.sms.send_many(rows):"
    )
    assert sync_doc(">>> sent = await easify.sms.send(") == ">>> sent = easify.sms.send("
    assert sync_doc("Closing it (``async with``, ``aclose``)") == "Closing it (``with``, ``close``)"


def test_the_checked_in_module_is_what_the_generator_writes_now() -> None:
    """After a signature or docstring change: ``python -m easify_async._sync_gen``."""
    assert TARGET.read_text(encoding="utf-8") == generate(), (
        "easify_async/_sync_client.py is stale: run python -m easify_async._sync_gen"
    )


def test_the_generator_runs_as_a_module_and_writes_the_same_file(tmp_path: Path) -> None:
    before = TARGET.read_text(encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "easify_async._sync_gen"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert TARGET.read_text(encoding="utf-8") == before


def test_importing_the_package_loads_no_blocking_client() -> None:
    """The blocking client and its machinery load on first use of `Easify` only."""
    code = (
        "import sys, easify_async; "
        "print(sorted(m for m in sys.modules if m.startswith('easify_async._sync')))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
    assert easify_async.Easify is Easify
