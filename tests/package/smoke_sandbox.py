"""The installed wheel, as a user gets it: the ``easify`` entry point and a send to the sandbox.

``nox -s package`` runs this file in a venv holding only the wheel with its ``[all]``
extras, pytest and trio, from a directory outside the source tree, so ``easify_async``
here is the installed package. The main suite does not collect ``tests/package``
(tests/conftest.py): there the package is the source tree, installed editable.
"""

from __future__ import annotations

import importlib.metadata
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import easify_async
from easify_async import AsyncEasify, SmsStatus
from easify_async.sandbox import DEMO_FROM_NUMBER, DEMO_TOKEN, Sandbox, serve


@pytest.fixture(params=["asyncio", "trio"])
def anyio_backend(request: pytest.FixtureRequest) -> str:
    """Both backends the SDK supports, as in the main suite."""
    return str(request.param)


def test_the_package_imported_is_the_installed_one() -> None:
    """easify_async comes from this venv's site-packages, not from the source tree."""
    module = Path(easify_async.__file__).resolve()
    assert module.is_relative_to(Path(sys.prefix).resolve()), module
    assert "site-packages" in module.parts
    source = os.environ.get("EASIFY_SOURCE_TREE")
    if source:
        assert not module.is_relative_to(Path(source).resolve()), module


def test_easify_demo_runs_through_its_entry_point() -> None:
    """``easify demo`` (the console script the wheel installs) runs green against the sandbox."""
    script = shutil.which("easify", path=str(Path(sys.executable).parent))
    assert script, "the wheel installed no easify script"
    env = {k: v for k, v in os.environ.items() if not k.startswith("EASIFY_")}
    done = subprocess.run(
        [script, "demo"], capture_output=True, text=True, env=env, timeout=300, check=False
    )
    assert done.returncode == 0, done.stderr
    assert "SMS sent" in done.stdout


@pytest.mark.anyio
async def test_a_client_sends_an_sms_to_the_embedded_sandbox() -> None:
    """AsyncEasify sends through the sandbox's in-process transport; the sandbox accepts it."""
    sandbox = Sandbox()
    async with AsyncEasify(DEMO_TOKEN, transport=sandbox.transport()) as easify:
        sent = await easify.sms.send(DEMO_FROM_NUMBER, "+13151350000", message="Hi")
    [accepted] = sandbox.sent_sms
    assert (accepted.sms_id, accepted.to_number, accepted.message) == (
        sent.sms_id,
        "3151350000",
        "Hi",
    )


@pytest.mark.anyio
async def test_a_client_sends_an_sms_to_the_sandbox_over_a_socket() -> None:
    """The same through the sandbox served by uvicorn on 127.0.0.1."""
    sandbox = Sandbox()
    async with serve(sandbox) as base_url, AsyncEasify(DEMO_TOKEN, base_url=base_url) as easify:
        sent = await easify.sms.send(DEMO_FROM_NUMBER, "+13151350000", message="Hi")
        status = await easify.sms.status(sent.sms_id)
    [accepted] = sandbox.sent_sms
    assert accepted.sms_id == sent.sms_id
    assert isinstance(status.status, SmsStatus)


def test_the_wheel_carries_the_license_and_the_metadata() -> None:
    """LICENSE ships in the wheel; the metadata has the version, the links, the Pythons."""
    dist = importlib.metadata.distribution("easify-async")
    assert dist.version == easify_async.__version__
    [license_file] = [f for f in dist.files or [] if f.name == "LICENSE"]
    assert license_file.read_text().startswith("MIT License\n")
    meta = dist.metadata
    assert meta["License-Expression"] == "MIT"
    assert meta.get_all("License-File") == ["LICENSE"]
    assert {url.split(",")[0] for url in meta.get_all("Project-URL") or []} == {
        "Homepage",
        "Documentation",
        "Source",
        "Changelog",
        "Issues",
    }
    assert "Programming Language :: Python :: 3.13" in (meta.get_all("Classifier") or [])


def test_the_description_is_the_readme_with_every_link_absolute() -> None:
    """PyPI's page is the README, its relative links made absolute (none resolves there):
    a docs page on the documentation site, any other file in the source."""
    meta = importlib.metadata.distribution("easify-async").metadata
    assert meta["Description-Content-Type"] == "text/markdown"
    description = meta.json["description"]
    assert isinstance(description, str)
    assert description.startswith("# easify-async\n")
    links = [
        *re.findall(r"\]\(([^)\s]*)", description),  # [text](target)
        *re.findall(r"^ {0,3}\[[^\]]+\]:\s*(\S+)", description, re.MULTILINE),  # [ref]: target
        *re.findall(r"(?:href|src)=[\"']([^\"']*)", description),  # HTML
    ]
    assert [link for link in links if not re.match(r"https://[^/]+", link)] == []
    urls = dict(url.split(", ", 1) for url in meta.get_all("Project-URL") or [])
    docs, source = urls["Documentation"], f"{urls['Source']}/blob/main/"
    assert f"{docs}guides/bulk/" in links
    assert f"{docs}guides/getting-started/#install" in links
    assert f"{docs}reference/client/" in links
    assert f"{source}LICENSE" in links
    assert [link for link in links if link.startswith(docs) and ".md" in link] == []  # pages
