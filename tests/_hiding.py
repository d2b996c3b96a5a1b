"""Running Python as if some distributions were not installed (an extra left out)."""

from __future__ import annotations

__all__ = ["EXTRAS_MODULES", "hiding"]

# The top-level modules of every extra's distributions.
EXTRAS_MODULES = (
    "click",
    "rich",
    "starlette",
    "uvicorn",
    "fastapi",
    "aiohttp",
    "redis",
    "phonenumbers",
)

_HIDING = """
import sys


class _Hide:
    # Raising from find_spec is what a missing module looks like to `import`.
    def find_spec(self, name, path=None, target=None):
        if name.partition(".")[0] in {modules!r}:
            raise ModuleNotFoundError(f"No module named {{name!r}}", name=name)


sys.meta_path.insert(0, _Hide())
"""


def hiding(*modules: str) -> str:
    """Python source that makes ``modules`` (top-level names) fail to import from then on."""
    return _HIDING.format(modules=frozenset(modules))
