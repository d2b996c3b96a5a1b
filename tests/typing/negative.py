"""Never run: code that must NOT type-check, each expected error silenced on its line.

mypy --strict (warn_unused_ignores) and basedpyright (reportUnnecessaryTypeIgnoreComment)
fail on an ignore that silences nothing: if one of these errors disappears (a lazy name
typed as ``Any`` again, an argument accepting anything), the type check fails.
"""

from __future__ import annotations

from easify_async import AsyncEasyfy  # type: ignore[attr-defined]
from easify_async import NoSuchName  # type: ignore[attr-defined]
from easify_async.limiters import RedisLimitr  # type: ignore[attr-defined]
from easify_async.models import SmsRecrd  # type: ignore[attr-defined]
from easify_async.webhooks import RedisReplayGard  # type: ignore[attr-defined]

del AsyncEasyfy, NoSuchName, RedisLimitr, SmsRecrd, RedisReplayGard
