"""Client-side rate-limit configuration: how many requests per period, per endpoint."""

from __future__ import annotations

from attrs import field, frozen, validators

__all__ = ["RateLimit", "RateLimits"]


@frozen
class RateLimit:
    """At most ``limit`` requests per ``period`` seconds.

    Example:
        >>> RateLimit(15, 60.0)
        RateLimit(limit=15, period=60.0)
    """

    limit: int = field(validator=[validators.instance_of(int), validators.gt(0)])
    period: float = field(converter=float, validator=validators.gt(0))


@frozen(kw_only=True)
class RateLimits:
    """The per-token limits the client keeps to, one per rate-limited endpoint.

    Attributes:
        sms_send: ``POST sms/send`` (15 per minute per user).
        email_send: ``POST email/send`` (15 per minute).
        sms_status: ``GET sms/status`` (60 per minute).
        margin: seconds a slot stays taken after ``period`` has passed since its
            response, covering servers whose windows end a little late.

    Example:
        >>> RateLimits(sms_send=RateLimit(5, 60.0)).sms_send
        RateLimit(limit=5, period=60.0)
    """

    sms_send: RateLimit = RateLimit(15, 60.0)
    email_send: RateLimit = RateLimit(15, 60.0)
    sms_status: RateLimit = RateLimit(60, 60.0)
    margin: float = field(default=1.0, converter=float, validator=validators.ge(0))

    def scaled(self, factor: float) -> RateLimits:
        """The same limits with every period and the margin multiplied by ``factor``.

        Handy against a sandbox whose minute is shortened for tests.
        """
        return RateLimits(
            sms_send=RateLimit(self.sms_send.limit, self.sms_send.period * factor),
            email_send=RateLimit(self.email_send.limit, self.email_send.period * factor),
            sms_status=RateLimit(self.sms_status.limit, self.sms_status.period * factor),
            margin=self.margin * factor,
        )
