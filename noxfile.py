"""Developer sessions; pyproject.toml is the single source of the dependency lists.

The environment is locked: every session but ``lowest`` and ``newest`` installs under
``constraints.txt``, the exact versions of the whole development environment (the
package's extras and every dependency group) for Python 3.10 to 3.13, so that CI on a
fresh machine installs what was tested and a new release of anything cannot turn it red
overnight. ``nox -s lock`` refreshes it (run it after changing a dependency or a group in
pyproject.toml, and commit the result). The package's own requirements stay ranges; the
two ends of those ranges are proved by ``lowest`` and ``newest``.

What runs where (CI, ``.ci/run``, runs every session below but ``bench`` and ``lock``):

- ``tests``: the whole suite, asyncio and trio, on the interpreter that runs nox (3.11
  in CI), from the lock. This is the README's command, so it takes any Python 3.10+.
- ``lowest``: Python 3.10 with the lowest declared version of every direct dependency:
  the whole suite and ``mypy --strict``.
- ``newest``: Python 3.13 with the newest releases (no lock): the whole suite and
  ``mypy --strict``.
- ``versions``: the whole suite on the asyncio backend only, from the lock, on 3.10, 3.12
  or 3.13; CI runs ``versions-3.12``, the one Python the sessions above leave out. Every
  module is imported and every code path runs on it (what differs between Pythons: enum,
  datetime, sqlite3, typing, deprecation warnings, which the suite turns into errors);
  the trio half runs the same paths on another event loop, which does not depend on the
  Python version. So CI runs the whole suite on 3.10, 3.11 and 3.13 and its asyncio half
  on 3.12: about four runs of the suite (~4.5 min each on 2 cores), within ~30 minutes.
  ``versions-3.10`` and ``versions-3.13`` (the lock's versions there) are for a change
  that touches what the lock installs differently on those Pythons (its markers); CI
  runs ``versions-3.10 -- -m redis``: the lock's redis-py there is 8.1 (8.2 needs 3.11).
- ``lint``, ``typecheck``: ruff and mypy from the lock; ``package``: the built sdist and
  wheel, checked and installed alone (see its docstring); ``docs``: the site, --strict
  (the suite's tests/docs builds it too, and checks its reference against ``__all__``).

uv installs when it is there (``.ci/run`` installs it from the lock), pip otherwise;
``lowest`` and ``newest`` need uv (its ``--resolution lowest-direct`` and ``--refresh``).
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import nox

nox.needs_version = ">=2025.2.9"  # dependency groups with include-group
nox.options.default_venv_backend = "uv|venv"
nox.options.reuse_existing_virtualenvs = True
nox.options.sessions = ["lint", "typecheck", "tests"]

PYPROJECT = nox.project.load_toml("pyproject.toml")
LOCK = "constraints.txt"
SMOKE = Path("tests/package/smoke_sandbox.py")  # run by nox -s package, on the wheel
OLDEST, NEWEST = "3.10", "3.13"
#: The Pythons ``versions`` runs on, beside the one that runs ``tests``; see above.
OTHER_PYTHONS = ["3.10", "3.12", "3.13"]


def _group(name: str) -> list[str]:
    return list(nox.project.dependency_groups(PYPROJECT, name))


def _install(session: nox.Session, *groups: str) -> None:
    """The package (editable, every extra) and the ``groups``, at the lock's versions."""
    session.install("-c", LOCK, "-e", ".[all]", *(r for g in groups for r in _group(g)))


def _pytest(session: nox.Session, *args: str, env: dict[str, str] | None = None) -> None:
    # -n auto: the suite mostly waits (subprocesses, sockets, windows), so one worker a core.
    session.run("pytest", "-n", "auto", "--dist", "worksteal", *args, *session.posargs, env=env)


@nox.session
def tests(session: nox.Session) -> None:
    """The whole test suite, on asyncio and trio, one pytest worker per core.

    ``-n 0`` after ``--`` runs it in one process (the last ``-n`` wins).
    """
    _install(session, "test")
    _pytest(session)


@nox.session(python=OTHER_PYTHONS)
def versions(session: nox.Session) -> None:
    """The whole suite on the asyncio backend, from the lock, on another Python."""
    _install(session, "test")
    _pytest(session, env={"EASIFY_TEST_BACKENDS": "asyncio"})


@nox.session(python=OLDEST, venv_backend="uv")
def lowest(session: nox.Session) -> None:
    """The lowest declared version of every direct dependency (pyproject's floors), 3.10.

    Also the floors of the test and lint groups: the suite must hold on what the package
    says it accepts. A floor that fails here is raised in pyproject.toml.
    """
    requirements = [*_group("test"), *_group("lint")]
    session.install("--resolution", "lowest-direct", "-e", ".[all]", *requirements)
    _typecheck(session)  # pyproject's python_version: 3.10
    _pytest(session)


@nox.session(python=NEWEST, venv_backend="uv")
def newest(session: nox.Session) -> None:
    """The newest release of everything (no lock), on the newest Python."""
    session.install("--upgrade", "--refresh", "-e", ".[all]", *_group("test"), *_group("lint"))
    _typecheck(session, "--python-version", NEWEST)
    _pytest(session)


@nox.session
def lint(session: nox.Session) -> None:
    """ruff check and format check."""
    session.install("-c", LOCK, *_group("lint"))
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
    _typecheck(session)


def _typecheck(session: nox.Session, *mypy_args: str) -> None:
    session.run("mypy", "--strict", *mypy_args, "easify_async", "tests/typing")
    session.run("basedpyright")
    session.run("basedpyright", "--verifytypes", "easify_async", "--ignoreexternal")


@nox.session
def docs(session: nox.Session) -> None:
    """The documentation site, built with ``--strict`` into build/site (mkdocs.yml).

    ``nox -s docs -- serve`` serves it at http://127.0.0.1:8000 while you edit.
    """
    _install(session, "docs")
    env = {"NO_MKDOCS_2_WARNING": "1"}  # Material's notice about its successor, every build
    if session.posargs[:1] == ["serve"]:
        session.run("mkdocs", "serve", "--strict", "-a", "127.0.0.1:8000", env=env)
    else:
        session.run("mkdocs", "build", "--strict", "-d", "build/site", env=env)


@nox.session
def lock(session: nox.Session) -> None:
    """Refresh constraints.txt: every extra and dependency group, for Python 3.10-3.13.

    One universal resolution (uv's ``--universal``) holds for every supported Python and
    platform, with markers where a version differs, so one file serves every session.
    Versions already locked stay unless a requirement moved past them: after adding a
    dependency, this adds it (and what it needs) alone. ``nox -s lock -- --upgrade``
    moves everything to its newest release; ``-- --upgrade-package NAME`` moves one.
    """
    session.install("-c", LOCK, "uv")
    session.run(
        "uv",
        "pip",
        "compile",
        "pyproject.toml",
        "--all-extras",
        "--group",
        "dev",
        "--universal",
        "--python-version",
        OLDEST,
        "--output-file",
        LOCK,
        *session.posargs,
        env={"UV_CUSTOM_COMPILE_COMMAND": "nox -s lock"},
    )


@nox.session
def package(session: nox.Session) -> None:
    """Build the sdist and wheel, check them, and run the wheel installed alone.

    ``twine check --strict`` and ``check-wheel-contents`` judge the files; then, in a
    directory outside the source tree (so that only the installed package can be imported):

    - a venv with the wheel and pytest alone runs every ``tests/package/core_only*.py``
      (a user's project that installed the core only);
    - a venv with the wheel's ``[all]`` extras, pytest and trio runs
      ``tests/package/smoke_sandbox.py`` (the entry point's demo, a send to the sandbox).
    """
    session.install("-c", LOCK, *_group("package"), "uv")
    outside = Path(tempfile.mkdtemp(prefix="easify-package-"))
    try:
        dist = outside / "dist"
        # The locked hatchling, in this venv: the build is as reproducible as the rest.
        session.run("python", "-m", "build", "--no-isolation", "--outdir", str(dist))
        [wheel] = dist.glob("*.whl")
        session.run("twine", "check", "--strict", *map(str, dist.iterdir()))
        session.run("check-wheel-contents", str(wheel))
        core_only = sorted(Path("tests/package").glob("core_only*.py"))
        if core_only:
            _run_installed(session, outside / "core", [str(wheel), "pytest"], core_only)
        else:
            session.log("no tests/package/core_only*.py here: nothing to run on the core alone")
        everything = [f"easify-async[all] @ {wheel.resolve().as_uri()}", "pytest", "trio"]
        _run_installed(session, outside / "all", everything, [SMOKE])
    finally:
        shutil.rmtree(outside, ignore_errors=True)


def _run_installed(
    session: nox.Session, where: Path, requirements: list[str], tests: list[Path]
) -> None:
    """pytest over copies of ``tests`` in ``where``, in a venv there holding ``requirements``."""
    venv = where / "venv"
    python = str(venv / "bin" / "python")
    base = Path(session.virtualenv.location) / "bin" / "python"  # this session's Python
    session.run("uv", "venv", "--quiet", "--python", str(base), str(venv))
    session.run("uv", "pip", "install", "--python", python, "-c", LOCK, *requirements)
    for test in tests:
        shutil.copy(test, where / test.name)
    source = str(Path.cwd())  # which the tests check they do not import from
    with session.chdir(where):
        session.run(
            python,
            "-m",
            "pytest",
            "-p",
            "no:cacheprovider",
            *(t.name for t in tests),
            external=True,
            env={"EASIFY_SOURCE_TREE": source},
        )


@nox.session
def bench(session: nox.Session) -> None:
    """Every benchmark in benchmarks/, each printing ratios measured in one run."""
    _install(session, "test", "bench")
    for script in sorted(Path("benchmarks").glob("bench_*.py")):
        session.run("python", str(script), *session.posargs)
