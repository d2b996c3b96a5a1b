"""Sub-users are accounts of their own: their groups, contacts, sends and webhooks, acting
as one through with_options, in process and over uvicorn."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager

import anyio
import pytest

from easify_async import AsyncEasify, BadRequestError, InvalidContactError, InvalidGroupError
from easify_async.sandbox import DEMO_SENDER, DEMO_TOKEN, Sandbox, serve
from easify_async.webhooks import verify_email_events

pytestmark = pytest.mark.anyio

Connect = Callable[[Sandbox], AbstractAsyncContextManager[AsyncEasify]]


@asynccontextmanager
async def in_process(sandbox: Sandbox) -> AsyncIterator[AsyncEasify]:
    async with sandbox, AsyncEasify(DEMO_TOKEN, transport=sandbox.transport()) as easify:
        yield easify


@asynccontextmanager
async def over_uvicorn(sandbox: Sandbox) -> AsyncIterator[AsyncEasify]:
    async with serve(sandbox) as base_url, AsyncEasify(DEMO_TOKEN, base_url=base_url) as easify:
        yield easify


@pytest.fixture(
    params=[pytest.param(in_process, id="in-process"), pytest.param(over_uvicorn, id="uvicorn")]
)
def connect(request: pytest.FixtureRequest) -> Connect:
    return request.param  # type: ignore[no-any-return]


async def test_a_sub_users_groups_and_contacts_are_its_own(connect: Connect) -> None:
    """Each side sees its own groups and contacts; the other's ids are unknown to it."""
    sandbox = Sandbox()
    sandbox.extra.add_sub_user(DEMO_TOKEN, email="ann@x.example", name="Ann")
    async with connect(sandbox) as easify:
        sub = (await easify.sub_users.list("ann@x.example")).items[0]
        async with easify.with_options(api_token=sub.easify_api_token) as as_sub:
            mine = await easify.contact_groups.create(name="Main")
            theirs = await as_sub.contact_groups.create(name="Main")  # no clash across accounts
            own_contact = await easify.contacts.create(
                group_id=mine.id, first_name="Ann", email_address="a@x.example"
            )
            sub_contact = await as_sub.contacts.create(
                group_id=theirs.id, first_name="Bob", email_address="b@x.example"
            )
            main_groups = [(g.id, g.name) async for g in easify.contact_groups.list(order="asc")]
            sub_groups = [(g.id, g.name) async for g in as_sub.contact_groups.list(order="asc")]
            main_contacts = [c.id async for c in easify.contacts.list()]
            sub_contacts = [c.id async for c in as_sub.contacts.list()]
            with pytest.raises(InvalidGroupError):
                await as_sub.contact_groups.delete(mine.id)
            with pytest.raises(InvalidGroupError):
                await as_sub.contacts.create(
                    group_id=mine.id, first_name="X", email_address="x@x.io"
                )
            with pytest.raises(InvalidContactError):
                await as_sub.contacts.update(own_contact.id, first_name="X", email_address="x@x.io")
            with pytest.raises(InvalidContactError):
                await easify.contacts.delete(sub_contact.id)
        left = [g.name async for g in easify.contact_groups.list(order="asc")]
    assert [name for _, name in main_groups] == ["Default", "Main"]
    assert [name for _, name in sub_groups] == ["Default", "Main"]
    assert not {i for i, _ in main_groups} & {i for i, _ in sub_groups}
    assert (main_contacts, sub_contacts) == ([own_contact.id], [sub_contact.id])
    assert left == ["Default", "Main"]


async def test_a_sub_user_sees_the_main_users_shared_group_and_its_contacts(
    connect: Connect,
) -> None:
    """The main user's shared group and its contacts show in a sub-user's lists, flagged
    shared; its other groups do not, and the sub-user cannot delete the shared one."""
    sandbox = Sandbox()
    sub = sandbox.extra.add_sub_user(DEMO_TOKEN, email="ann@x.example")
    now = sandbox.wall_clock()
    team = sandbox.contacts.add_group(DEMO_TOKEN, "Team", now, shared_group=True)
    private = sandbox.contacts.add_group(DEMO_TOKEN, "Private", now)
    sandbox.contacts.add_contact(DEMO_TOKEN, team, {"first_name": "Tea"}, now)
    sandbox.contacts.add_contact(DEMO_TOKEN, private, {"first_name": "Pri"}, now)
    async with connect(sandbox) as easify, easify.with_options(api_token=sub.token) as as_sub:
        groups = [g async for g in as_sub.contact_groups.list()]
        default = next(g for g in groups if g.default_group)
        own = await as_sub.contacts.create(
            group_id=default.id,
            first_name="Own",
            email_address="o@x.example",
        )
        sub_groups = [(g.name, g.shared_group) async for g in as_sub.contact_groups.list()]
        sub_contacts = [
            (c.first_name, c.shared_contact) async for c in as_sub.contacts.list(order="asc")
        ]
        in_team = [c.first_name async for c in as_sub.contacts.list(team.id)]
        main_groups = [(g.name, g.shared_group) async for g in easify.contact_groups.list()]
        with pytest.raises(InvalidGroupError):
            await as_sub.contact_groups.delete(team.id)
    assert sub_groups == [("Default", False), ("Team", True)]
    assert sub_contacts == [("Tea", True), ("Own", False)]
    assert in_team == ["Tea"]
    assert own.shared_contact is False
    assert main_groups == [("Private", False), ("Team", True), ("Default", False)]


async def test_a_sub_users_v3_email_is_its_own(connect: Connect) -> None:
    """Sent as the sub-user: its credits pay, its token owns the email, the main user's
    status call does not know it."""
    sandbox = Sandbox()
    sub = sandbox.extra.add_sub_user(DEMO_TOKEN, email="ann@x.example", email_credits=10)
    async with connect(sandbox) as easify:
        async with easify.with_options(api_token=sub.token) as as_sub:
            sent = await as_sub.v3.email.send(
                DEMO_SENDER, ["a@x.example"], "Hi", cc=["c@x.example"], message="m"
            )
            statuses = await as_sub.v3.email.status(sent.email_id)
        with pytest.raises(BadRequestError, match="Email ID"):
            await easify.v3.email.status(sent.email_id)
    assert [s.receiver for s in statuses] == ["a@x.example", "c@x.example"]
    assert {e.token for e in sandbox.sent_emails} == {sub.token}
    assert (sub.email_credits, sandbox.account().email_credits) == (8, 1_000_000)


async def test_a_sub_users_v3_send_posts_signed_batches_to_its_own_webhook(
    connect: Connect,
) -> None:
    """The batches go to the sub-user's URL, signed with its secret; the main URL gets none."""
    sandbox = Sandbox()
    received: dict[str, list[tuple[bytes, dict[str, str]]]] = {"main": [], "sub": []}
    async with serve_receiver(received) as origin:
        sandbox.account().email_webhook_url = f"{origin}/main"
        sub = sandbox.extra.add_sub_user(
            DEMO_TOKEN,
            email="ann@x.example",
            email_webhook_url=f"{origin}/sub",
            webhook_secret="sub-secret",
        )
        async with connect(sandbox) as easify, easify.with_options(api_token=sub.token) as as_sub:
            sent = await as_sub.v3.email.send(
                DEMO_SENDER, ["a@x.example", "b@x.example"], "Hi", bcc=["d@x.example"], message="m"
            )
            with anyio.fail_after(10):
                while len(received["sub"]) < 3:
                    await anyio.sleep(0.02)
    events = [
        event
        for body, headers in received["sub"]
        for event in verify_email_events(body, headers, secret="sub-secret")
    ]
    assert received["main"] == []
    assert {e.email_id for e in events} == {sent.email_id}
    assert sorted(e.email for e in events if str(e.event) == "processed") == [
        "a@x.example",
        "b@x.example",
        "d@x.example",
    ]


@asynccontextmanager
async def serve_receiver(
    received: dict[str, list[tuple[bytes, dict[str, str]]]],
) -> AsyncIterator[str]:
    """A webhook receiver on uvicorn: POST /NAME appends (body, headers) to received[NAME]."""
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import Response
    from starlette.routing import Route

    from easify_async.sandbox._server import serve_asgi

    async def hook(request: Request) -> Response:
        received[request.path_params["name"]].append((await request.body(), dict(request.headers)))
        return Response(status_code=200)

    app = Starlette(routes=[Route("/{name}", hook, methods=["POST"])])
    async with serve_asgi(app) as origin:
        yield origin
