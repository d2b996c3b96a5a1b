"""The package version, kept out of importlib.metadata to keep imports fast."""

__version__ = "0.1.0"
