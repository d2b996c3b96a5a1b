"""Developer sessions; pyproject.toml is the single source of the dependency lists."""

from __future__ import annotations

import nox

nox.options.default_venv_backend = "venv"
nox.options.reuse_existing_virtualenvs = True
nox.options.sessions = ["lint", "typecheck", "tests"]

PYPROJECT = nox.project.load_toml("pyproject.toml")


def _install(session: nox.Session, *groups: str, extras: str = "all") -> None:
    session.install("-e", f".[{extras}]")
    for group in groups:
        session.install(*nox.project.dependency_groups(PYPROJECT, group))


@nox.session
def tests(session: nox.Session) -> None:
    """The whole test suite, on asyncio and trio, one pytest worker per core.

    ``-n 0`` after ``--`` runs it in one process (the last ``-n`` wins).
    """
    _install(session, "test")
    session.run("pytest", "-n", "auto", "--dist", "worksteal", *session.posargs)


@nox.session
def lint(session: nox.Session) -> None:
    """ruff check and format check."""
    session.install(*nox.project.dependency_groups(PYPROJECT, "lint"))
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")


@nox.session
def typecheck(session: nox.Session) -> None:
    """mypy --strict and basedpyright, as users type-check; the package 100 % typed.

    mypy checks the package and tests/typing; basedpyright checks tests/typing (see
    [tool.basedpyright]) and fails if ``--verifytypes`` finds a public symbol whose type
    a checker would have to infer (a score below 100 %).
    """
    _install(session, "lint", "test")
    session.run("mypy", "--strict", "easify_async", "tests/typing")
    session.run("basedpyright")
    session.run("basedpyright", "--verifytypes", "easify_async", "--ignoreexternal")


@nox.session
def bench(session: nox.Session) -> None:
    """Every benchmark in benchmarks/, each printing ratios measured in one run."""
    _install(session, "test", "bench")
    for script in sorted(__import__("pathlib").Path("benchmarks").glob("bench_*.py")):
        session.run("python", str(script), *session.posargs)
