"""The Python examples of README.md and docs/**/*.md: found, run, and compared with what
the page shows they print.

A ```python block is, by the HTML comment right above it (several may be stacked; the
``<!-- example:NAME -->`` markers other tests read may sit among them):

- nothing: a script, run in a fresh interpreter with ``EASIFY_API_TOKEN`` and
  ``EASIFY_BASE_URL`` pointing at a fresh sandbox served over a socket;
- ``<!-- fragment -->``: the body of ``async def main()`` inside
  ``async with AsyncEasify() as easify:`` (the page says ``easify`` is an open client),
  run the same way;
- ``<!-- pytest -->``: a test module, run by pytest in a fresh interpreter (it must pass);
- ``<!-- typecheck-only: REASON -->``: not run (it needs a live account, a server of
  its own, a file a run left behind: the reason says which), type-checked only; with
  ``<!-- fragment -->`` too, as a fragment.

Every block, run or not, is type-checked by one ``mypy --strict`` run. A ```text block
right after a run block (blank lines and HTML comments between) is what it prints,
compared line by line with its stdout; a block with no such block must print nothing.

Why not Sybil or pytest-examples: both run a page's blocks in this process, one
namespace per page (Sybil) or per block (pytest-examples), with output shown in
comments or doctest form; ours are async scripts that must run as a reader runs them,
in a fresh interpreter against a served sandbox, with the output in a block of its own,
and be type-checked together. What the libraries would add (a Markdown lexer, pytest
items) is the small part below; the rest would be ours anyway, plus a locked dependency.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import attrs

ROOT = Path(__file__).parents[2]

_FENCE = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>```+|~~~+)(?P<info>[^`\n]*)$")
_DIRECTIVE = re.compile(r"^\s*<!--\s*(?P<body>.*?)\s*-->\s*$")
MODES = ("script", "pytest", "typecheck-only")


@attrs.frozen
class Example:
    """One ```python block of a page."""

    path: Path
    line: int  # of its opening fence, 1-based
    code: str
    mode: str  # one of MODES
    fragment: bool
    reason: str | None  # for typecheck-only
    output: str | None  # the ```text block after it

    @property
    def id(self) -> str:
        return f"{self.path.relative_to(ROOT).as_posix()}:{self.line}"

    def source(self) -> str:
        """The module run (or type-checked) for this block."""
        if not self.fragment:
            return self.code
        return (
            "import anyio\n\nfrom easify_async import AsyncEasify\n\n\n"
            "async def main() -> None:\n"
            "    async with AsyncEasify() as easify:\n"
            f"{textwrap.indent(self.code, ' ' * 8)}\n\n"
            "anyio.run(main)\n"
        )


def pages() -> list[Path]:
    """README.md and every Markdown page of the site."""
    return [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]


def examples(path: Path, text: str | None = None) -> Iterator[Example]:
    """The ```python blocks of ``path`` (or of ``text`` read as that page)."""
    lines = (path.read_text(encoding="utf-8") if text is None else text).splitlines()
    blocks = list(_blocks(lines))
    for index, (start, end, info, body) in enumerate(blocks):
        if info != "python":
            continue
        mode, fragment, reason = _mode(lines, start, path)
        output = None
        if index + 1 < len(blocks):
            n_start, _, n_info, n_body = blocks[index + 1]
            between = lines[end + 1 : n_start]
            if n_info == "text" and all(not s.strip() or _DIRECTIVE.match(s) for s in between):
                output = n_body
        yield Example(path, start + 1, body, mode, fragment, reason, output)


def _blocks(lines: list[str]) -> Iterator[tuple[int, int, str, str]]:
    """(opening line, closing line, info string, dedented body) of each fence."""
    i = 0
    while i < len(lines):
        opened = _FENCE.match(lines[i])
        if not opened:
            i += 1
            continue
        fence = opened["fence"]
        info = opened["info"].strip().split(" ")[0]
        j = i + 1
        while j < len(lines) and lines[j].strip() != fence:
            j += 1
        body = textwrap.dedent("\n".join(lines[i + 1 : j]))
        yield i, j, info, body + "\n"
        i = j + 1


def _mode(lines: list[str], start: int, path: Path) -> tuple[str, bool, str | None]:
    """The directives in the comments right above line ``start``."""
    mode, fragment, reason = "script", False, None
    k = start - 1
    while k >= 0 and (found := _DIRECTIVE.match(lines[k])):
        body = found["body"]
        k -= 1
        if body.startswith("example:"):
            continue
        if body == "fragment":
            fragment = True
            continue
        name, _, rest = body.partition(":")
        if name not in MODES:
            raise ValueError(f"{path}:{k + 2}: unknown example directive {body!r}")
        if name == "typecheck-only" and not rest.strip():
            raise ValueError(f"{path}:{k + 2}: typecheck-only needs its reason beside it")
        mode, reason = name, rest.strip() or None
    return mode, fragment, reason


def all_examples() -> list[Example]:
    return [example for page in pages() for example in examples(page)]


def _env(base_url: str) -> dict[str, str]:
    from easify_async.sandbox import DEMO_TOKEN

    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST_", "EASIFY_"))}
    # The interpreter of the suite, on the tree under test (an editable install or PYTHONPATH).
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    env |= {"EASIFY_API_TOKEN": DEMO_TOKEN, "EASIFY_BASE_URL": base_url}
    return env


def run(example: Example, base_url: str, folder: Path) -> str | None:
    """Run ``example`` in ``folder``; None when it did what the page shows, else why not."""
    if example.mode == "pytest":
        module = folder / "test_example.py"
        module.write_text(example.source(), encoding="utf-8")
        command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", module.name]
    else:
        module = folder / "example.py"
        module.write_text(example.source(), encoding="utf-8")
        command = [sys.executable, module.name]
    done = subprocess.run(
        command,
        cwd=folder,
        env=_env(base_url),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    if done.returncode != 0:
        return f"{example.id}: exit {done.returncode}\n{done.stdout}{done.stderr}"
    if example.mode == "pytest":
        return None
    shown = [line.rstrip() for line in (example.output or "").splitlines()]
    printed = [line.rstrip() for line in done.stdout.splitlines()]
    if printed != shown:
        return f"{example.id}: printed {printed!r}, the page shows {shown!r}"
    return None


def typecheck(examples: list[Example], folder: Path) -> str | None:
    """One ``mypy --strict`` over every block; None when clean, else mypy's report."""
    files = []
    for n, example in enumerate(examples):
        file = folder / f"example_{n}.py"
        header = f"# {example.id}\n"
        file.write_text(header + example.source(), encoding="utf-8")
        files.append(file)
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--strict",
            "--no-error-summary",
            "--cache-dir",
            str(folder / ".mypy_cache"),
            *map(str, files),
        ],
        cwd=ROOT,
        env={**os.environ, "MYPYPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    if done.returncode == 0:
        return None
    report = done.stdout + done.stderr
    for path, example in zip(files, examples, strict=True):
        report = report.replace(str(path), f"{example.id} (as {path.name})")
    return report
