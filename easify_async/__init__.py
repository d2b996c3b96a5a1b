"""easify-async: the async-first Python SDK for the Easify messaging API.

Example:
    >>> from easify_async import AsyncEasify
    >>> async with AsyncEasify() as easify:  # doctest: +SKIP
    ...     sent = await easify.sms.send("3152930000", "+13151350000", message="Hi")
"""

from ._client import AsyncEasify
from ._rate_limits import RateLimit, RateLimits
from ._version import __version__
from .errors import (
    APIConnectionError,
    APIError,
    APITimeoutError,
    ArgumentError,
    AuthenticationError,
    BadRequestError,
    BlacklistedRecipientError,
    CountryCodeConflictError,
    EasifyError,
    InsufficientCreditsError,
    InvalidEmailAddressError,
    InvalidEmailError,
    InvalidFileError,
    InvalidPhoneNumberError,
    InvalidRecipientError,
    InvalidScheduleError,
    InvalidSenderError,
    InvalidSmsIdError,
    LimiterUnavailableError,
    MissingContentError,
    PaymentRequiredError,
    PermissionDeniedError,
    RateLimitError,
    ServerError,
    UnsupportedCountryError,
    ValidationError,
    WaitTimeoutError,
)
from .models import EmailSent, SmsSent, SmsStatus, SmsStatusInfo

__all__ = [
    "APIConnectionError",
    "APIError",
    "APITimeoutError",
    "ArgumentError",
    "AsyncEasify",
    "AuthenticationError",
    "BadRequestError",
    "BlacklistedRecipientError",
    "CountryCodeConflictError",
    "EasifyError",
    "EmailSent",
    "InsufficientCreditsError",
    "InvalidEmailAddressError",
    "InvalidEmailError",
    "InvalidFileError",
    "InvalidPhoneNumberError",
    "InvalidRecipientError",
    "InvalidScheduleError",
    "InvalidSenderError",
    "InvalidSmsIdError",
    "LimiterUnavailableError",
    "MissingContentError",
    "PaymentRequiredError",
    "PermissionDeniedError",
    "RateLimit",
    "RateLimitError",
    "RateLimits",
    "ServerError",
    "SmsSent",
    "SmsStatus",
    "SmsStatusInfo",
    "UnsupportedCountryError",
    "ValidationError",
    "WaitTimeoutError",
    "__version__",
]
