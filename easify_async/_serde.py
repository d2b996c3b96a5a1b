"""The one cattrs converter of the SDK, with the core's (de)serialisation hooks.

Rooms with their own formats register their hooks on it from their room (the webhook
events: ``easify_async.webhooks._parse``).
"""

from __future__ import annotations

import enum
from typing import Any

import attrs
import cattrs
from cattrs.gen import make_dict_unstructure_fn

__all__ = ["converter", "structure", "unstructure_request"]

# Plain errors, not exception groups: faster structuring; messages still name the field.
converter = cattrs.Converter(forbid_extra_keys=False, detailed_validation=False)


def _structure_str(value: object, cls: type[str]) -> str:
    # The API sends ids as strings in one reply and ints in another (spec §1.7); take both,
    # but never turn a null or an object into "None" / "{...}" the way str() would.
    if cls is str and value.__class__ is str:
        return value  # the common case, kept cheap
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise TypeError(f"expected a string, got {type(value).__name__}")
    # Registered on `str`, this hook also receives str-based enums such as SmsStatus.
    return cls(value) if issubclass(cls, enum.Enum) else str(value)


converter.register_structure_hook(str, _structure_str)

# Requests: booleans travel as 1/0 (Laravel's `boolean` rule refuses "true"), and an
# unset option is left out rather than sent as null.
_request_converter = converter.copy()
_request_converter.register_unstructure_hook(bool, int)
_request_converter.register_unstructure_hook_factory(
    attrs.has,
    lambda cls: make_dict_unstructure_fn(cls, _request_converter, _cattrs_omit_if_default=True),
)


def structure(data: Any, cls: type[Any]) -> Any:
    """Structure ``data`` into ``cls`` with the SDK's converter."""
    return converter.structure(data, cls)


def unstructure_request(request: object) -> dict[str, Any]:
    """The API fields of an attrs request model, options left unset omitted."""
    result: dict[str, Any] = _request_converter.unstructure(request)
    return result
