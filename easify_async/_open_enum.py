"""String enums that keep values they do not list: the API adds statuses and kinds."""

from __future__ import annotations

import enum
from typing import TypeVar

__all__ = ["OpenStrEnum"]

E = TypeVar("E", bound="OpenStrEnum")


class OpenStrEnum(str, enum.Enum):
    """A ``str`` enum whose lookup of an unlisted value gives a new member, not an error."""

    @classmethod
    def _missing_(cls: type[E], value: object) -> E | None:
        if not isinstance(value, str):
            return None
        # Enum lets _missing_ hand back a pseudo-member; caching it keeps identity stable.
        member = str.__new__(cls, value)
        member._name_ = value.upper()
        member._value_ = value
        return cls._value2member_map_.setdefault(value, member)  # type: ignore[return-value]

    @property
    def is_known(self) -> bool:
        """False for a value the API documentation does not list."""
        # By identity: an unlisted "pending" is named PENDING too, as the listed "Pending".
        return type(self).__members__.get(self._name_) is self

    def __str__(self) -> str:
        return str(self.value)
