"""The route table: written once, checked against the spec, path parameters quoted whole."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote

import pytest
from hypothesis import given
from hypothesis import strategies as st

from easify_async import APIError, AsyncEasify, RateLimit, SmsTemplate
from easify_async import _routes as routes
from easify_async._encoding import Encoded
from easify_async._requests import NoQuery
from easify_async._routes import Route
from easify_async.errors import ArgumentError
from easify_async.sandbox import DEMO_TOKEN, Sandbox
from tests._served import served

SPEC = Path(__file__).parent.parent / "data" / "spec_endpoints.md"
# A numbered row of the spec's §2 index: | 1 | POST | `sms/send` | v2 | 15 (per user) | ...
ROW = re.compile(r"^\| (\d+) \| (\w+) \| `([^`]+)` \| \**(v\d)\** \| ([^|]+) \|")
TEMPLATE = Route(
    "GET",
    "sms/templates/{template_id}",
    "t",
    RateLimit(60, 60.0),
    idempotent=True,
    request=NoQuery,
    result=SmsTemplate,
)


def spec_rows() -> list[tuple[str, str, str, str]]:
    """(method, path, version, rate) of each numbered row, in the spec's order."""
    found = [ROW.match(line) for line in SPEC.read_text().splitlines()]
    rows = [m.group(2, 3, 4, 5) for m in found if m]
    assert len(rows) == 24  # the copy is whole: a parse that found nothing proves nothing
    return [(method, path, version, rate.strip()) for method, path, version, rate in rows]


def test_the_table_is_the_spec_index_every_row_no_extra() -> None:
    """Each route is one row of the spec's §2, in its order, with its documented limit."""
    rows = spec_rows()
    assert [(r.method, r.path, r.version) for r in routes.ROUTES] == [row[:3] for row in rows]
    for route, (*_, rate) in zip(routes.ROUTES, rows, strict=True):
        # "not stated" (a campaign send) is kept to the tightest limit for a send: 15.
        documented = 15 if rate == "not stated" else int(rate.split()[0])
        assert route.limit == RateLimit(documented, 60.0), route


def test_each_route_is_written_once_and_the_rest_is_derived() -> None:
    """A route's constant is its bucket in capitals; __all__ and BUCKETS list every route."""
    constants = {k: v for k, v in vars(routes).items() if isinstance(v, Route)}
    assert all(name == route.bucket.upper() for name, route in constants.items())
    assert tuple(constants.values()) == routes.ROUTES
    assert set(routes.__all__) == {"BUCKETS", "ROUTES", "ROUTE_EXTENSION", "Route", *constants}
    assert {r.bucket: r.limit for r in routes.ROUTES} == routes.BUCKETS
    assert all(route.params == () for route in routes.ROUTES)


def test_a_path_parameter_is_quoted_whole() -> None:
    """A slash, a brace and a space stay inside their one segment; nothing is brace-literal."""
    assert TEMPLATE.params == ("template_id",)
    assert TEMPLATE.url(template_id="a/b {c} d") == "sms/templates/a%2Fb%20%7Bc%7D%20d"
    assert TEMPLATE.url(template_id=7) == "sms/templates/7"
    assert routes.SMS_SEND.url() == "sms/send"


@given(st.text(min_size=1).filter(lambda t: t not in (".", "..")))
def test_any_value_is_one_segment_that_decodes_back(value: str) -> None:
    """Whatever the value, the URL has one more segment, and it decodes to the value."""
    url = TEMPLATE.url(template_id=value)
    head, _, segment = url.rpartition("/")
    assert head == "sms/templates"
    assert re.fullmatch(r"[A-Za-z0-9_.~%-]+", segment)
    assert unquote(segment, errors="strict") == value


@pytest.mark.parametrize("value", ["", ".", ".."])
def test_a_value_that_names_another_resource_is_refused(value: str) -> None:
    """Empty would reach the list, ``..`` the parent: an ArgumentError naming the parameter."""
    with pytest.raises(ArgumentError, match="template_id"):
        TEMPLATE.url(template_id=value)


@pytest.mark.parametrize(
    "params", [pytest.param({}, id="missing"), pytest.param({"x": 1, "template_id": 1}, id="extra")]
)
def test_path_parameters_must_match_the_path(params: dict[str, object]) -> None:
    """A missing or unknown parameter is the SDK's own mistake: a TypeError."""
    with pytest.raises(TypeError, match="template_id"):
        TEMPLATE.url(**params)
    with pytest.raises(TypeError):
        routes.SMS_SEND.url(id=1)


@pytest.mark.parametrize("bad", ["sms/{}", "sms/{a}/{a}", "sms/{a!r}", "sms/{a:>3}", "sms/{1}"])
def test_a_malformed_path_template_is_refused_at_definition(bad: str) -> None:
    """A route whose parameters cannot be filled in never gets into a table."""
    with pytest.raises(ValueError, match="bad parameter"):
        Route("GET", bad, "b", RateLimit(1, 1.0), idempotent=True, request=NoQuery, result=dict)


@pytest.mark.anyio
async def test_the_quoted_path_is_what_goes_on_the_wire() -> None:
    """Over a real socket the request path carries the quoted value, not ``{template_id}``.

    The sandbox serves no such route: its 404 quotes the path as it arrived.
    """
    async with served(Sandbox()) as base_url, AsyncEasify(DEMO_TOKEN, base_url=base_url) as e:
        with pytest.raises(APIError) as caught:
            await e._http.call(TEMPLATE, Encoded(), path_params={"template_id": "a/b {c} d"})
    assert caught.value.status_code == 404
    assert "api/v2/sms/templates/a%2Fb%20%7Bc%7D%20d could not" in str(caught.value)


def test_the_readmes_rate_limit_table_is_the_route_table() -> None:
    """The README lists every route's bucket, endpoint and default limit: no row more,
    none missing; a limit the docs do not state says so."""
    unstated = {(m, p, v) for m, p, v, rate in spec_rows() if rate == "not stated"}
    expected = ["| bucket | endpoint | default |", "|---|---|---|"]
    for r in routes.ROUTES:
        version = " (v3)" if r.version == "v3" else ""
        note = " (no documented limit)" if (r.method, r.path, r.version) in unstated else ""
        expected.append(
            f"| `{r.bucket}` | `{r.method} {r.path}`{version} "
            f"| {r.limit.limit} / {r.limit.period:g} s{note} |"
        )
    readme = (Path(__file__).parent.parent.parent / "README.md").read_text().splitlines()
    start = readme.index(expected[0])
    end = readme.index("", start)
    assert readme[start:end] == expected


def test_each_row_names_its_request_and_its_result_model() -> None:
    """Every request model is some row's request (a base of two is not a request itself);
    every public result model is some row's result, the only other a delete's reply."""
    import attrs

    from easify_async import _requests, models
    from easify_async._models.common import Acknowledged

    requests = {v for v in map(vars(_requests).get, _requests.__all__) if attrs.has(v)}
    bases = {base for cls in requests for base in cls.__mro__[1:] if base in requests}
    assert bases == {_requests.ContactFields}
    assert {route.request for route in routes.ROUTES} == requests - bases
    public = {v for v in (getattr(models, name) for name in models.__all__) if attrs.has(v)}
    assert {route.result for route in routes.ROUTES} == public | {Acknowledged}
