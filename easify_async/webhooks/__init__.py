"""Verify, parse and serve Easify's signed delivery webhooks."""

from ._signing import sign

__all__ = ["sign"]
