"""Rate limiters: where the client keeps the slots of each token and endpoint.

`LocalLimiter` (the default) works within one process; ``RedisLimiter`` (extra
``redis``) shares one token's budget between processes and machines. Anything that
implements the `Limiter` protocol can be passed as ``AsyncEasify(limiter=...)``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ._local import LocalLimiter
from ._pause import MAX_PAUSE
from ._protocol import Lease, Limiter

if TYPE_CHECKING:
    from ._redis import RedisLimiter

__all__ = ["MAX_PAUSE", "Lease", "Limiter", "LocalLimiter", "RedisLimiter"]


def __getattr__(name: str) -> Any:
    # redis is an optional extra: import it only when RedisLimiter is asked for.
    if name == "RedisLimiter":
        from ._redis import RedisLimiter

        return RedisLimiter
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
