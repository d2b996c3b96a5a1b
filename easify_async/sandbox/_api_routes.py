"""The rows of the list, number, template and campaign endpoints in the route table.

The pipeline hands a handler the merged fields only; these endpoints also need the
request's URL (Laravel's pagination links) and an upload's content (a campaign's CSV,
which the pipeline's form reading closes): both reach the handler through
`_api_fields.current_request`, which `request_facts` fills for the request's duration.
"""

from __future__ import annotations

from starlette.datastructures import UploadFile
from starlette.requests import Request

from . import _handlers_campaigns, _handlers_contacts, _handlers_history, _handlers_numbers
from ._api_fields import RequestFacts
from ._extra_routes import EXTRA_ENDPOINTS
from ._routing import Endpoint

__all__ = ["API_ENDPOINTS", "request_facts"]

#: Limits per window are the docs' (spec §2). ``sms/campaign/send`` states none; 60 is
#: Laravel's default ``throttle:api``, the likeliest for such a route.
API_ENDPOINTS: tuple[Endpoint, ...] = (
    Endpoint("GET", "api/v2/phone-numbers", "phone_numbers", 60, _handlers_numbers.phone_numbers),
    Endpoint(
        "PATCH", "api/v2/phone-numbers/update", "phone_numbers_update", 60, _handlers_numbers.update
    ),
    Endpoint("GET", "api/v2/sms/report", "sms_report", 60, _handlers_history.sms_report),
    Endpoint(
        "GET", "api/v2/sms/chat-history", "sms_chat_history", 60, _handlers_history.chat_history
    ),
    Endpoint("GET", "api/v2/sms/templates", "sms_templates", 60, _handlers_history.templates),
    Endpoint("POST", "api/v2/sms/campaign/send", "campaign_send", 60, _handlers_campaigns.send),
    Endpoint(
        "GET", "api/v2/sms/campaign/status", "campaign_status", 60, _handlers_campaigns.status
    ),
    Endpoint("GET", "api/v2/sms/campaign/items", "campaign_items", 60, _handlers_campaigns.items),
    Endpoint("GET", "api/v2/contact-groups", "contact_groups", 60, _handlers_contacts.groups),
    Endpoint(
        "POST",
        "api/v2/contact-groups/create",
        "contact_groups_create",
        15,
        _handlers_contacts.create_group,
    ),
    Endpoint(
        "PATCH",
        "api/v2/contact-groups/update",
        "contact_groups_update",
        60,
        _handlers_contacts.update_group,
    ),
    Endpoint(
        "DELETE",
        "api/v2/contact-groups/delete",
        "contact_groups_delete",
        60,
        _handlers_contacts.delete_group,
    ),
    Endpoint("GET", "api/v2/contacts", "contacts", 60, _handlers_contacts.contacts),
    Endpoint(
        "POST", "api/v2/contacts/create", "contacts_create", 15, _handlers_contacts.create_contact
    ),
    Endpoint(
        "PATCH", "api/v2/contacts/update", "contacts_update", 60, _handlers_contacts.update_contact
    ),
    Endpoint(
        "DELETE", "api/v2/contacts/delete", "contacts_delete", 60, _handlers_contacts.delete_contact
    ),
    *EXTRA_ENDPOINTS,
)


async def request_facts(request: Request) -> RequestFacts:
    """The request's URL without its query, and its uploads' content, read before the
    pipeline's own form reading closes them (Starlette caches the parsed form)."""
    uploads: dict[str, tuple[str, bytes]] = {}
    if request.headers.get("content-type", "").startswith("multipart/form-data"):
        form = await request.form()
        for name, value in form.multi_items():
            if isinstance(value, UploadFile):
                uploads[name] = (value.filename or "", await value.read())
                await value.seek(0)
    return RequestFacts(str(request.url.replace(query="")), uploads)
