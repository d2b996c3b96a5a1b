"""The sandbox's validation and business errors of the new endpoints, sent raw."""

from __future__ import annotations

from typing import Any

import pytest

from easify_async.sandbox import Sandbox
from tests.sandbox.conftest import raw_client

pytestmark = pytest.mark.anyio

REPORT = {"from_date": "2026-11-01", "to_date": "2026-11-30"}
CSV = ("r.csv", b"+13151350000\n", "text/csv")


@pytest.mark.parametrize(
    ("method", "path", "fields", "status", "field", "message"),
    [
        pytest.param(
            "PATCH",
            "phone-numbers/update",
            {"webhook_url": "https://x.example"},
            422,
            "phone_number_id",
            "The phone number id field is required.",
            id="update-no-id",
        ),
        pytest.param(
            "PATCH",
            "phone-numbers/update",
            {"phone_number_id": 101},
            422,
            "webhook_url",
            "The webhook url field is required.",
            id="update-no-url",
        ),
        pytest.param(
            "PATCH",
            "phone-numbers/update",
            {"phone_number_id": 5, "webhook_url": "https://x.example"},
            400,
            None,
            "Invalid phone number id",
            id="update-bad-id",
        ),
        pytest.param(
            "GET",
            "sms/report",
            {"to_date": "2026-11-30"},
            422,
            "from_date",
            "The from date field is required.",
            id="report-no-from",
        ),
        pytest.param(
            "GET",
            "sms/report",
            {**REPORT, "to_date": "30-11-2026"},
            422,
            "to_date",
            # Laravel's after_or_equal fails too when the date has not the format.
            "The to date field must match the format Y-m-d. (and 1 more error)",
            id="report-format",
        ),
        pytest.param(
            "GET",
            "sms/report",
            {**REPORT, "from_date": "2026-12-01"},
            422,
            "to_date",
            "The to date field must be a date after or equal to from date.",
            id="report-reversed",
        ),
        pytest.param(
            "GET",
            "sms/report",
            {**REPORT, "status": "Lost"},
            422,
            "status",
            "The selected status is invalid.",
            id="report-status",
        ),
        pytest.param(
            "GET",
            "sms/report",
            {**REPORT, "receiver": "3151350000"},
            422,
            "country_code",
            "The country code field is required when receiver is present.",
            id="report-receiver-alone",
        ),
        pytest.param(
            "GET",
            "sms/report",
            {**REPORT, "limit": "0"},
            422,
            "limit",
            "The limit field must be at least 1.",
            id="report-limit",
        ),
        pytest.param(
            "GET",
            "sms/report",
            {**REPORT, "limit": "ten"},
            422,
            "limit",
            "The limit field must be an integer.",
            id="report-limit-text",
        ),
        pytest.param(
            "GET",
            "sms/report",
            {**REPORT, "sender": "3150000000"},
            400,
            None,
            "Selected sender is invalid",
            id="report-foreign-sender",
        ),
        pytest.param(
            "GET",
            "sms/chat-history",
            {"receiver": "3151350000", "country_code": "+1"},
            422,
            "sender",
            "The sender field is required.",
            id="chat-no-sender",
        ),
        pytest.param(
            "GET",
            "sms/campaign/status",
            {},
            422,
            "campaign_id",
            "The campaign id field is required.",
            id="status-no-id",
        ),
        pytest.param(
            "GET",
            "sms/campaign/items",
            {"campaign_id": "7"},
            400,
            None,
            "Invalid campaign id",
            id="items-unknown",
        ),
    ],
)
async def test_documented_and_inferred_refusals(
    method: str, path: str, fields: dict[str, Any], status: int, field: str | None, message: str
) -> None:
    """Laravel's 422 shape (no status key) or the 400 envelope, with the message."""
    sandbox = Sandbox()
    async with raw_client(sandbox, "in-process") as client:
        if method == "GET":
            response = await client.get(path, params=fields)
        else:
            response = await client.request(method, path, json=fields)
    body = response.json()
    assert response.status_code == status
    assert body["message"] == message
    if field is None:
        assert body == {"status": False, "message": message, "errors": []}
    else:
        assert "status" not in body
        assert field in body["errors"]


@pytest.mark.parametrize(
    ("data", "files", "field"),
    [
        pytest.param(
            {"from_numbers[]": ["+13152930000"], "template_ids[]": ["7"]},
            {"recipients_file": CSV},
            "campaign_name",
            id="no-name",
        ),
        pytest.param(
            {"campaign_name": "N", "template_ids[]": ["7"]},
            {"recipients_file": CSV},
            "from_numbers",
            id="no-numbers",
        ),
        pytest.param(
            {"campaign_name": "N", "from_numbers[]": ["+13152930000"]},
            {"recipients_file": CSV},
            "template_ids",
            id="no-templates",
        ),
        pytest.param(
            {"campaign_name": "N", "from_numbers[]": ["+13152930000"], "template_ids[]": ["7"]},
            {"other": CSV},
            "recipients_file",
            id="no-file",
        ),
        pytest.param(
            {"campaign_name": "N", "from_numbers[]": ["+13152930000"], "template_ids[]": ["7"]},
            {"recipients_file": ("r.txt", b"x", "text/plain")},
            "recipients_file",
            id="not-csv",
        ),
    ],
)
async def test_campaign_send_validation(
    data: dict[str, Any], files: dict[str, Any], field: str
) -> None:
    """A campaign send missing a field, or with a file that is not CSV, is a 422."""
    sandbox = Sandbox()
    async with raw_client(sandbox, "in-process") as client:
        response = await client.post("sms/campaign/send", data=data, files=files)
    assert response.status_code == 422
    assert list(response.json()["errors"]) == [field]
    assert sandbox.api.campaigns == {}
