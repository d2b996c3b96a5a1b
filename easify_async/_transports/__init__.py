"""The transport stack: retry, then rate limit, then the network."""

from ._stack import RetryPolicy, build_transport

__all__ = ["RetryPolicy", "build_transport"]
