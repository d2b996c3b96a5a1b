"""A stand-in Easify API for the CLI tests, served by uvicorn on 127.0.0.1.

It answers with the documented bodies (spec/docs) and records what it accepted; the
sandbox (issue 3) replaces it once it lands.
"""

from __future__ import annotations

import itertools
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import uvicorn
from attrs import Factory, define
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

TOKEN = "1087|f906c6df-759e-42cd-8dc7-4980b3081234"
STATUSES = {"31529": "Delivered", "99999": "Pending"}  # "99999" never gets final
ENVELOPE_401 = {"status": False, "message": "Unauthenticated", "errors": []}


@define
class Ledger:
    """Every send the server accepted."""

    sms: list[dict[str, Any]] = Factory(list)
    emails: list[dict[str, Any]] = Factory(list)


def app(ledger: Ledger) -> Starlette:
    """The three endpoints, authenticated by ``TOKEN``."""
    ids = itertools.count(31529)

    def authorised(request: Request) -> bool:
        return request.headers.get("authorization") == f"Bearer {TOKEN}"

    async def sms_send(request: Request) -> JSONResponse:
        if not authorised(request):
            return JSONResponse(ENVELOPE_401, 401)
        ledger.sms.append(await request.json())
        data = {"sms_id": str(next(ids))}
        return JSONResponse(
            {"status": True, "message": " SMS Processed successfully.", "data": data}
        )

    async def sms_status(request: Request) -> JSONResponse:
        if not authorised(request):
            return JSONResponse(ENVELOPE_401, 401)
        status = STATUSES.get(request.query_params.get("sms_id", ""))
        if status is None:
            message = "Failed to fetch SMS Status, please check your SMS ID!"
            return JSONResponse({"status": False, "message": message, "errors": []}, 400)
        data = {"status": status, "remarks": ""}
        return JSONResponse(
            {"status": True, "message": "SMS status successfully fetched", "data": data}
        )

    async def email_send(request: Request) -> JSONResponse:
        if not authorised(request):
            return JSONResponse(ENVELOPE_401, 401)
        ledger.emails.append(await request.json())
        data = {"email_id": f"{len(ledger.emails):024x}"}
        return JSONResponse(
            {"status": True, "message": "Email processed successfully", "data": data}
        )

    return Starlette(
        routes=[
            Route("/api/v2/sms/send", sms_send, methods=["POST"]),
            Route("/api/v2/sms/status", sms_status),
            Route("/api/v2/email/send", email_send, methods=["POST"]),
        ]
    )


def free_port() -> int:
    """A TCP port nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def serve(ledger: Ledger) -> Iterator[str]:
    """Serve the stand-in in a thread; yields its base URL."""
    config = uvicorn.Config(app(ledger), host="127.0.0.1", port=free_port(), log_level="warning")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.01)
    try:
        yield f"http://127.0.0.1:{config.port}/api/v2"
    finally:
        server.should_exit = True
        thread.join()
