"""Endpoint groups: ``easify.sms`` and ``easify.email``."""

from .email import Email
from .sms import Sms

__all__ = ["Email", "Sms"]
