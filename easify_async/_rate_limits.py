"""Client-side rate-limit configuration: how many requests per period, per endpoint."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

from attrs import field, frozen

from ._rate import RateLimit, seconds
from .errors import ArgumentError

__all__ = ["RateLimit", "RateLimits"]

# The buckets with a field of their own; every other bucket is set through `overrides`.
_NAMED = ("sms_send", "email_send", "sms_status")


def _margin(value: object) -> float:
    return seconds("margin", value, zero=True)


def _period_scale(value: object) -> float:
    return seconds("period_scale", value)


def _frozen_mapping(value: Mapping[str, RateLimit]) -> Mapping[str, RateLimit]:
    if not isinstance(value, Mapping):
        raise ArgumentError("overrides", f"expected a mapping, got {type(value).__name__}")
    return MappingProxyType(dict(value))


def _a_rate_limit(instance: Any, attribute: Any, value: object) -> None:
    if not isinstance(value, RateLimit):
        raise ArgumentError(attribute.name, f"expected a RateLimit, got {type(value).__name__}")


def _known_buckets(instance: Any, attribute: Any, value: Mapping[str, RateLimit]) -> None:
    from ._routes import BUCKETS  # the route table is the one list of buckets

    for bucket, rate in value.items():
        if bucket in _NAMED:
            raise ArgumentError(f"overrides[{bucket!r}]", f"set it with {bucket}= instead")
        if bucket not in BUCKETS:
            raise ArgumentError("overrides", f"unknown bucket {bucket!r}; known: {sorted(BUCKETS)}")
        if not isinstance(rate, RateLimit):
            raise ArgumentError(f"overrides[{bucket!r}]", f"expected a RateLimit, got {rate!r}")


@frozen(kw_only=True)
class RateLimits:
    """The per-token limits the client keeps to, one bucket per endpoint.

    Every endpoint has its own bucket at its documented limit. The three busiest have a
    field each; any other is set through ``overrides``, by bucket name (the names are
    listed in the rate-limit guide's table, e.g. ``"sms_report"``,
    ``"campaign_status"``).

    Attributes:
        sms_send: ``POST sms/send`` (15 per minute per user).
        email_send: ``POST email/send`` (15 per minute).
        sms_status: ``GET sms/status`` (60 per minute).
        margin: seconds a slot stays taken after ``period`` has passed since its
            response, covering servers whose windows end a little late.
        overrides: bucket name -> `RateLimit` for the other endpoints; a bucket not
            listed keeps its documented limit (scaled by `scaled`).
        period_scale: the factor `scaled` applied to the documented limits of buckets
            not in ``overrides``; 1 unless set by `scaled`.

    Examples:
        >>> RateLimits(sms_send=RateLimit(5, 60.0)).sms_send
        RateLimit(limit=5, period=60.0)
        >>> limits = RateLimits(overrides={"sms_report": RateLimit(30, 60.0)})
        >>> limits.limit_for("sms_report", RateLimit(60, 60.0))
        RateLimit(limit=30, period=60.0)
    """

    sms_send: RateLimit = field(default=RateLimit(15, 60.0), validator=_a_rate_limit)
    email_send: RateLimit = field(default=RateLimit(15, 60.0), validator=_a_rate_limit)
    sms_status: RateLimit = field(default=RateLimit(60, 60.0), validator=_a_rate_limit)
    margin: float = field(default=1.0, converter=_margin)
    overrides: Mapping[str, RateLimit] = field(
        factory=dict,
        converter=_frozen_mapping,
        validator=_known_buckets,
        hash=False,  # a read-only mapping is not hashable; equality still compares it
        repr=lambda value: repr(dict(value)),
    )
    period_scale: float = field(default=1.0, converter=_period_scale)

    def limit_for(self, bucket: str, default: RateLimit) -> RateLimit:
        """The limit of ``bucket``, whose documented limit is ``default``."""
        if bucket in _NAMED:
            rate: RateLimit = getattr(self, bucket)
            return rate
        override = self.overrides.get(bucket)
        if override is not None:
            return override
        return default if self.period_scale == 1.0 else default.scaled(self.period_scale)

    def scaled(self, factor: float) -> RateLimits:
        """The same limits with every period and the margin multiplied by ``factor``.

        Handy against a sandbox whose minute is shortened for tests.
        """
        factor = seconds("factor", factor)
        return RateLimits(
            sms_send=self.sms_send.scaled(factor),
            email_send=self.email_send.scaled(factor),
            sms_status=self.sms_status.scaled(factor),
            margin=self.margin * factor,
            overrides={name: rate.scaled(factor) for name, rate in self.overrides.items()},
            period_scale=self.period_scale * factor,
        )
