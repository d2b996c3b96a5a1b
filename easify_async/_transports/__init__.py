"""The transport stack: retry, then rate limit, then the network.

Sealed: the layers above use only the names here. What happened to a request (its
attempts, whether the server may have acted, why each retry was or was not taken) is
its `AttemptLog`, read with `attempt_log` from the request, its response or a failure.
"""

from ._admission import ADMISSION_EXTENSION, Admission, Admit
from ._attempts import Attempt, AttemptLog, NotSentReason, attempt_log
from ._before_send import BEFORE_SEND_EXTENSION, NOT_SENT_EXTENSION
from ._bounded import ReplyRefused
from ._retry import MAX_RETRIES_EXTENSION
from ._shared import SharedNetwork
from ._stack import RetryPolicy, Stack, build_transport, network_transport

__all__ = [
    "ADMISSION_EXTENSION",
    "BEFORE_SEND_EXTENSION",
    "MAX_RETRIES_EXTENSION",
    "NOT_SENT_EXTENSION",
    "Admission",
    "Admit",
    "Attempt",
    "AttemptLog",
    "NotSentReason",
    "ReplyRefused",
    "RetryPolicy",
    "SharedNetwork",
    "Stack",
    "attempt_log",
    "build_transport",
    "network_transport",
]
