"""A faithful local Easify API for tests, demos and development (extra ``sandbox``).

Examples:
    >>> from easify_async.sandbox import Sandbox, DEMO_TOKEN, DEMO_FROM_NUMBER
    >>> sandbox = Sandbox(period=1.0)            # a 1-second "minute"
    >>> transport = sandbox.transport()          # AsyncEasify(DEMO_TOKEN, transport=transport)
"""

from .._extras import needs_extra

# Starlette is imported by the app's modules, uvicorn when a server starts (`serve`).
with needs_extra("sandbox", "easify_async.sandbox"):
    from ._faults import Faults
    from ._sandbox import SANDBOX_BASE_URL, Sandbox
    from ._seed_records import (
        Seed,
        SeedCall,
        SeedCampaign,
        SeedContact,
        SeedGroup,
        SeedNumber,
        SeedSender,
        SeedSms,
        SeedSubUser,
        SeedTemplate,
    )
    from ._server import serve, serve_forever
    from ._state import (
        DEMO_FROM_NUMBER,
        DEMO_SENDER,
        DEMO_TOKEN,
        Account,
        Delivery,
        SentEmail,
        SentSms,
    )
    from ._webhooks import Delivered

__all__ = [
    "DEMO_FROM_NUMBER",
    "DEMO_SENDER",
    "DEMO_TOKEN",
    "SANDBOX_BASE_URL",
    "Account",
    "Delivered",
    "Delivery",
    "Faults",
    "Sandbox",
    "Seed",
    "SeedCall",
    "SeedCampaign",
    "SeedContact",
    "SeedGroup",
    "SeedNumber",
    "SeedSender",
    "SeedSms",
    "SeedSubUser",
    "SeedTemplate",
    "SentEmail",
    "SentSms",
    "serve",
    "serve_forever",
]
