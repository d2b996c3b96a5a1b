"""Merging SMS statuses that webhooks deliver out of order."""

from __future__ import annotations

from ..models import SmsStatus

__all__ = ["StatusTracker"]

# A final status is never replaced by an earlier stage; among finals the first one stands.
_RANK = {
    SmsStatus.SCHEDULED: 0,
    SmsStatus.PENDING: 1,
    SmsStatus.SUCCESS: 2,
    SmsStatus.DELIVERED: 3,
    SmsStatus.UNDELIVERED: 3,
    SmsStatus.FAILED: 3,
}
_UNKNOWN_RANK = 2  # a status the docs do not list: past pending, not known to be final


class StatusTracker:
    """The latest known status of each SMS, merged monotonically from webhook events.

    Examples:
        >>> tracker = StatusTracker()
        >>> tracker.update("1", SmsStatus.DELIVERED)
        <SmsStatus.DELIVERED: 'Delivered'>
        >>> tracker.update("1", SmsStatus.PENDING)  # late and out of order: ignored
        <SmsStatus.DELIVERED: 'Delivered'>
    """

    def __init__(self) -> None:
        self._status: dict[str, SmsStatus] = {}

    def update(self, sms_id: str, status: SmsStatus) -> SmsStatus:
        """Merge ``status`` in; returns the status now held for ``sms_id``."""
        current = self._status.get(sms_id)
        if current is None or _RANK.get(status, _UNKNOWN_RANK) > _RANK.get(current, _UNKNOWN_RANK):
            self._status[sms_id] = status
            return status
        return current

    def get(self, sms_id: str) -> SmsStatus | None:
        """The status held for ``sms_id``, if any."""
        return self._status.get(sms_id)

    def __len__(self) -> int:
        """How many SMS have a status."""
        return len(self._status)
