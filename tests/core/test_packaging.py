"""The package's metadata: one version, the license, the links, the Pythons it claims."""

from __future__ import annotations

import importlib.metadata
import re
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name

import easify_async

tomllib = pytest.importorskip("tomllib", reason="tomllib is in the standard library from 3.11")

ROOT = Path(__file__).parents[2]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
PROJECT = PYPROJECT["project"]
SUPPORTED = ["3.10", "3.11", "3.12", "3.13"]


def test_the_version_is_written_once_and_the_metadata_reads_it() -> None:
    """pyproject takes the version from _version.py; the installed metadata agrees."""
    assert "version" not in PROJECT
    assert PROJECT["dynamic"] == ["version", "readme"]  # readme: the fancy-pypi-readme hook
    assert PYPROJECT["tool"]["hatch"]["version"] == {"path": "easify_async/_version.py"}
    assert importlib.metadata.version("easify-async") == easify_async.__version__


def test_the_changelog_has_the_current_release_under_unreleased() -> None:
    """CHANGELOG.md states the version policy and has this version's entry below Unreleased."""
    text = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    headings = re.findall(r"^## (.+)$", text, flags=re.MULTILINE)
    assert headings[:3] == [
        "Version policy",
        "[Unreleased]",
        f"[{easify_async.__version__}] - 2026-12-06",
    ]
    assert f"\n[{easify_async.__version__}]: https://" in text


def test_the_license_is_mit_and_shipped() -> None:
    """LICENSE holds the MIT text and the metadata ships it (license-files)."""
    assert PROJECT["license"] == "MIT"
    assert PROJECT["license-files"] == ["LICENSE"]
    text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert text.startswith("MIT License\n\nCopyright (c) 2026 easify-async developers\n")
    assert "LICENSE" in PYPROJECT["tool"]["hatch"]["build"]["targets"]["sdist"]["include"]


def test_the_build_backend_writes_metadata_twine_accepts() -> None:
    """hatchling 1.27 is the first whose metadata ``twine check`` accepts; its one plugin
    makes the description's links absolute (tests/package/smoke_sandbox.py)."""
    backend, readme = map(Requirement, PYPROJECT["build-system"]["requires"])
    assert backend.name == "hatchling"
    assert backend.specifier == SpecifierSet(">=1.27")
    assert readme.name == "hatch-fancy-pypi-readme"
    assert "fancy-pypi-readme" in PYPROJECT["tool"]["hatch"]["metadata"]["hooks"]


def test_every_supported_python_is_claimed() -> None:
    """The classifiers name exactly the Pythons that requires-python admits and CI runs."""
    claimed = [
        c.rsplit(" :: ", 1)[1]
        for c in PROJECT["classifiers"]
        if re.fullmatch(r"Programming Language :: Python :: 3\.\d+", c)
    ]
    assert claimed == SUPPORTED
    admitted = SpecifierSet(PROJECT["requires-python"])
    assert [v for v in [*SUPPORTED, "3.9"] if v in admitted] == SUPPORTED


def test_the_links_a_package_index_shows() -> None:
    """Homepage, Documentation, Source, Changelog and Issues, all https."""
    urls = PROJECT["urls"]
    assert sorted(urls) == ["Changelog", "Documentation", "Homepage", "Issues", "Source"]
    assert all(url.startswith("https://") for url in urls.values())
    assert urls["Source"] == urls["Homepage"] == "https://github.com/easify-async/easify-async"


def _group(name: str) -> list[str]:
    """A dependency group's requirements, its include-group entries expanded."""
    requirements: list[str] = []
    for entry in PYPROJECT["dependency-groups"][name]:
        if isinstance(entry, dict):
            requirements += _group(entry["include-group"])
        else:
            requirements.append(entry)
    return requirements


def test_the_lock_pins_every_requirement_within_its_range() -> None:
    """constraints.txt pins each dependency, extra and group requirement, inside its range.

    A requirement added without ``nox -s lock`` would install unpinned: this fails first.
    """
    pins: dict[str, list[str]] = {}
    for line in (ROOT / "constraints.txt").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith((" ", "#")):
            name, _, version = line.split(";")[0].strip().partition("==")
            pins.setdefault(canonicalize_name(name), []).append(version)
    extras = [r for reqs in PROJECT["optional-dependencies"].values() for r in reqs]
    for text in [*PROJECT["dependencies"], *extras, *_group("dev")]:
        requirement = Requirement(text)
        if requirement.name == PROJECT["name"]:
            continue  # the all extra names the others
        locked = pins.get(canonicalize_name(requirement.name), [])
        assert locked, f"{requirement.name} is not in constraints.txt: run nox -s lock"
        assert all(v in requirement.specifier for v in locked), (requirement, locked)
