"""The transport stack: retry, then rate limit, then the network."""

from ._shared import SharedNetwork
from ._stack import RetryPolicy, build_transport, network_transport

__all__ = ["RetryPolicy", "SharedNetwork", "build_transport", "network_transport"]
