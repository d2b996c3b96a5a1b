"""The package version, written here only: pyproject.toml reads it (hatch's version source).

Kept out of importlib.metadata so that importing the package and ``easify --version``
stay cheap.
"""

__version__ = "0.1.0"
