"""Rate limiters: where the client keeps the slots of each token and endpoint.

`LocalLimiter` (the default) works within one process; ``RedisLimiter`` (extra
``redis``) shares one token's budget between processes and machines. Anything that
implements the `Limiter` protocol can be passed as ``AsyncEasify(limiter=...)``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .._lazy import lazy_names
from ._local import LocalLimiter
from ._pause import MAX_PAUSE
from ._protocol import Lease, Limiter

if TYPE_CHECKING:
    from ._redis import RedisLimiter

__all__ = ["MAX_PAUSE", "Lease", "Limiter", "LocalLimiter", "RedisLimiter"]


# redis is an optional extra: RedisLimiter (and redis with it) loads when asked for.
if not TYPE_CHECKING:
    __getattr__, __dir__ = lazy_names(globals(), {"RedisLimiter": "._redis"})
