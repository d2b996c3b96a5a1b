"""Request models: the API's fields as attrs values, and their encoding for httpx."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from attrs import frozen

from ._serde import unstructure_request
from ._validation import Upload

__all__ = ["EmailSendRequest", "Encoded", "SmsSendRequest", "SmsStatusRequest", "encode"]


@frozen(kw_only=True)
class SmsSendRequest:
    """``POST sms/send`` fields, already validated and normalised."""

    from_number: str
    to_number: str
    country_code: str
    message: str | None = None
    media: str | None = None  # a URL; an uploaded file travels separately
    lead_id: str | None = None
    force_send: bool = False


@frozen(kw_only=True)
class SmsStatusRequest:
    """``GET sms/status`` query."""

    sms_id: str


@frozen(kw_only=True)
class EmailSendRequest:
    """``POST email/send`` (v2) fields, already validated and normalised."""

    sender: str
    receiver: str
    subject: str
    message: str | None = None
    attachment: str | None = None  # a URL; uploaded files travel separately
    enable_unsubscribe: bool = False
    schedule_time: str | None = None
    schedule_timezone: str | None = None
    additional_data: dict[str, Any] | None = None
    from_name: str | None = None


@frozen
class Encoded:
    """Keyword arguments for ``httpx.AsyncClient.build_request``."""

    params: dict[str, Any] | None = None
    json: dict[str, Any] | None = None
    data: dict[str, str | list[str]] | None = None
    files: list[tuple[str, tuple[str, bytes]]] | None = None


def encode(
    request: object, *, query: bool = False, uploads: Sequence[tuple[str, Upload]] = ()
) -> Encoded:
    """JSON body, query string, or multipart when files go up.

    In multipart every value is text: numbers and booleans as ``1``/``0``, mappings
    (``additional_data``) as JSON, and a list as repeated ``name[]`` fields, which
    Laravel reads as an array.
    """
    fields = unstructure_request(request)
    if query:
        return Encoded(params=fields)
    if not uploads:
        return Encoded(json=fields)
    data: dict[str, str | list[str]] = {}
    for key, value in fields.items():
        if isinstance(value, list):
            data[f"{key}[]"] = [str(v) for v in value]
        else:
            data[key] = value if isinstance(value, str) else json.dumps(value)
    files = [(name, (upload.filename, upload.content)) for name, upload in uploads]
    return Encoded(data=data, files=files)
