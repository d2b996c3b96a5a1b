"""``EASIFY_LOG``: the package's logger to stderr without code (as ``OPENAI_LOG``)."""

from __future__ import annotations

import logging
import os
import sys

__all__ = ["LOG_ENV", "LOGGER", "setup_logging"]

#: ``debug`` (one line per attempt) or ``info`` (retries, 429 pauses, slot waits).
LOG_ENV = "EASIFY_LOG"

LOGGER = logging.getLogger("easify_async")

_LEVELS = {"debug": logging.DEBUG, "info": logging.INFO}
_FORMAT = "[%(asctime)s - %(name)s - %(levelname)s] %(message)s"


class _EnvHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """The handler `setup_logging` adds, told apart so that it is added once."""


def setup_logging() -> None:
    """Turn the ``easify_async`` logger on to stderr when ``EASIFY_LOG`` says a level.

    Any other value (unset, empty, ``1``) changes nothing: logging stays the
    application's to configure.
    """
    level = _LEVELS.get(os.environ.get(LOG_ENV, "").strip().lower())
    if level is None or any(isinstance(h, _EnvHandler) for h in LOGGER.handlers):
        return
    handler = _EnvHandler(sys.stderr)
    handler.setFormatter(logging.Formatter(_FORMAT))
    LOGGER.addHandler(handler)
    LOGGER.setLevel(level)
