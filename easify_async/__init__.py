"""easify-async: the async-first Python SDK for the Easify messaging API.

Examples:
    >>> from easify_async import AsyncEasify
    >>> async with AsyncEasify() as easify:  # doctest: +SKIP
    ...     sent = await easify.sms.send("3152930000", "+13151350000", message="Hi")
"""

from typing import TYPE_CHECKING

from . import models
from ._lazy import lazy_names
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
    CampaignTimeoutError,
    CountryCodeConflictError,
    DefaultGroupError,
    EasifyError,
    InsufficientCreditsError,
    InvalidContactError,
    InvalidEmailAddressError,
    InvalidEmailError,
    InvalidFileError,
    InvalidGroupError,
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

if TYPE_CHECKING:
    from ._client import AsyncEasify
    from ._options import ReadOptions, RequestOptions, WaitOptions
    from ._pagination import AsyncPaginator, Page
    from ._raw import RawResponse, RawResponses
    from ._serde import from_dict, to_dict
    from ._sync import Paginator, SyncPage
    from ._sync_client import Easify
    from .models import *  # noqa: F403  (every model, named once in easify_async.models)

__all__ = [
    "APIConnectionError",
    "APIError",
    "APITimeoutError",
    "ArgumentError",
    "AsyncEasify",
    "AsyncPaginator",
    "AuthenticationError",
    "BadRequestError",
    "BlacklistedRecipientError",
    "CampaignTimeoutError",
    "CountryCodeConflictError",
    "DefaultGroupError",
    "Easify",
    "EasifyError",
    "InsufficientCreditsError",
    "InvalidContactError",
    "InvalidEmailAddressError",
    "InvalidEmailError",
    "InvalidFileError",
    "InvalidGroupError",
    "InvalidPhoneNumberError",
    "InvalidRecipientError",
    "InvalidScheduleError",
    "InvalidSenderError",
    "InvalidSmsIdError",
    "LimiterUnavailableError",
    "MissingContentError",
    "Page",
    "Paginator",
    "PaymentRequiredError",
    "PermissionDeniedError",
    "RateLimit",
    "RateLimitError",
    "RateLimits",
    "RawResponse",
    "RawResponses",
    "ReadOptions",
    "RequestOptions",
    "ServerError",
    "SyncPage",
    "UnsupportedCountryError",
    "ValidationError",
    "WaitOptions",
    "WaitTimeoutError",
    "__version__",
    "from_dict",
    "to_dict",
]
__all__ += models.__all__
if not TYPE_CHECKING:
    __all__.sort()  # one sorted contract, the models' names merged in


# The client (and httpx with it), the paginator, the list and campaign models and
# to_dict/from_dict (cattrs) load on first use, keeping the package's import cheap (see
# easify_async.models): the `easify` command imports this package, and `easify
# --version` needs none of them.
if not TYPE_CHECKING:
    __getattr__, __dir__ = lazy_names(
        globals(),
        {
            "AsyncEasify": "._client",
            "AsyncPaginator": "._pagination",
            "Page": "._pagination",
            "RawResponse": "._raw",
            "RawResponses": "._raw",
            "ReadOptions": "._options",
            "RequestOptions": "._options",
            "WaitOptions": "._options",
            # The blocking client (and its loop thread) only for those who use it.
            "Easify": "._sync_client",
            "Paginator": "._sync",
            "SyncPage": "._sync",
            "from_dict": "._serde",
            "to_dict": "._serde",
            **dict.fromkeys(models.__all__, ".models"),
        },
    )
