"""Names a package exports but imports on first use, at run time only.

A package defines them under ``if not TYPE_CHECKING:`` and imports the same names under
``if TYPE_CHECKING:``: type checkers see only the real imports, so a misspelt name is an
error there rather than an ``Any`` from a module-level ``__getattr__``.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping, Sequence
from typing import Any

__all__ = ["lazy_names"]


def lazy_names(
    namespace: dict[str, Any], where: Mapping[str, str | Sequence[str]]
) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """The ``__getattr__`` and ``__dir__`` (PEP 562) of the module whose globals are given.

    Args:
        namespace: the module's ``globals()``, with its ``__all__`` already set.
        where: each lazy name and the module defining it, relative to this one; or the
            modules that may define it, in order: the first whose ``__all__`` lists it
            (so a name is written once, in its module, not in a table here too).

    Examples:
        >>> if not TYPE_CHECKING:  # doctest: +SKIP
        ...     __getattr__, __dir__ = lazy_names(globals(), {"AsyncEasify": "._client"})
    """
    package = namespace["__package__"]
    module = namespace["__name__"]

    def __getattr__(name: str) -> Any:
        if name not in where:
            raise AttributeError(f"module {module!r} has no attribute {name!r}")
        found = where[name]
        for candidate in (found,) if isinstance(found, str) else found:
            source = importlib.import_module(candidate, package)
            if isinstance(found, str) or name in source.__all__:
                break
        else:
            raise AttributeError(f"module {module!r} has no attribute {name!r}")
        value = getattr(source, name)
        namespace[name] = value  # found without this function from now on
        return value

    def __dir__() -> list[str]:
        # The lazy names too, loaded or not: a REPL completes `easify_async.Async<Tab>`.
        return sorted({*namespace, *namespace["__all__"]})

    return __getattr__, __dir__
