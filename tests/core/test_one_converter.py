"""One converter: request rules (booleans as 1/0, unset options omitted) apply to
request models only, on the same converter that structures and prints replies."""

from __future__ import annotations

import ast
from pathlib import Path

import easify_async
from easify_async._encoding import query_fields
from easify_async._models.contacts import ContactGroup
from easify_async._requests import EmailSendRequest, SmsSendRequest, VoiceCallQuery
from easify_async._serde import converter, unstructure_request

PACKAGE = Path(easify_async.__file__).parent


def test_request_booleans_go_as_1_0_even_inside_free_form_data() -> None:
    request = EmailSendRequest(
        sender="a@x.io",
        receiver="b@x.io",
        subject="s",
        enable_unsubscribe=True,
        additional_data={"vip": True, "tags": (False, {"deep": True})},
    )
    assert unstructure_request(request) == {
        "sender": "a@x.io",
        "receiver": "b@x.io",
        "subject": "s",
        "enable_unsubscribe": 1,
        "additional_data": {"vip": 1, "tags": [0, {"deep": 1}]},
    }


def test_unset_options_are_left_out_and_a_false_default_too() -> None:
    request = SmsSendRequest(from_number="3152930000", to_number="3151350000", country_code="+1")
    assert unstructure_request(request) == {
        "from_number": "3152930000",
        "to_number": "3151350000",
        "country_code": "+1",
    }
    # A query's list goes as indexed keys (the encoding's), its booleans as 1/0 (the rule's).
    assert query_fields(VoiceCallQuery(public_call=False, to=["1", "2"])) == {
        "public_call": 0,
        "to[0]": "1",
        "to[1]": "2",
    }


def test_replies_keep_their_booleans_and_defaults_on_the_same_converter() -> None:
    group = ContactGroup(id=1, name="g", shared_group=True)
    assert converter.unstructure(group) == {
        "id": 1,
        "name": "g",
        "contacts_count": 0,
        "shared_group": True,
        "default_group": False,
        "created_at": None,
    }


def test_the_package_builds_one_converter() -> None:
    """No ``cattrs.Converter(...)`` or ``converter.copy()`` besides `_serde.converter` and
    its copy for results as data (rule 5: one class read from the API's spellings is
    written as data by its attribute names, with times as text), in the same module."""
    made = []
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in {"Converter", "BaseConverter", "copy"}
                and "onverter" in ast.unparse(node.func)
            ):
                made.append(f"{path.relative_to(PACKAGE)}:{node.lineno}")
    assert [where.partition(":")[0] for where in made] == ["_serde.py", "_serde.py"]
    from easify_async import _serde

    copies = [v for v in vars(_serde).values() if isinstance(v, type(_serde.converter))]
    assert copies == [_serde.converter, _serde._data_converter]
