"""Typed results of the API calls: frozen attrs values, built by the one converter.

The public door of ``easify_async._models`` (one private module per concept). Each
module loads on first use of one of its names, so that importing the package stays cheap.
"""

# Star imports for type checkers only: each name is listed in its module's `__all__`.
# ruff: noqa: F403, F405

from __future__ import annotations

from typing import TYPE_CHECKING

from ._lazy import lazy_names

if TYPE_CHECKING:
    from ._models.accounts import *
    from ._models.calls import *
    from ._models.campaigns import *
    from ._models.contacts import *
    from ._models.email import *
    from ._models.numbers import *
    from ._models.sms import *

__all__ = [
    "CampaignItem",
    "CampaignSent",
    "CampaignStatus",
    "CampaignStatusInfo",
    "Contact",
    "ContactGroup",
    "EmailRecipientStatus",
    "EmailSender",
    "EmailSent",
    "EmailStatus",
    "PhoneNumber",
    "RecipientType",
    "SmsRecord",
    "SmsSent",
    "SmsStatus",
    "SmsStatusInfo",
    "SmsTemplate",
    "SubUser",
    "VoiceCall",
]

# Where each name is defined: the first of these whose `__all__` lists it (sms first,
# the concept most calls and the webhooks need).
_CONCEPTS = tuple(
    f"._models.{concept}"
    for concept in ("sms", "email", "campaigns", "contacts", "numbers", "accounts", "calls")
)

if not TYPE_CHECKING:
    __getattr__, __dir__ = lazy_names(globals(), dict.fromkeys(__all__, _CONCEPTS))
