"""Reply models: the SDK's generated structure code against cattrs' own, in one run.

``easify_async._serde`` writes each reply model's structure function itself (rule 3);
cattrs' ``make_dict_structure_fn`` (detailed validation off, extra keys ignored) is the
generated-code path cattrs already provides. This measures both on the path where the
cost shows, a list page (``sms.templates``, 10 and 100 records) against raw ``httpx`` get +
``json.loads``, and one `SmsTemplate` item alone; the figures are quoted in ``_serde``.

Run: ``python benchmarks/bench_structure.py [--calls N]``.
"""

from __future__ import annotations

import argparse
import statistics
import timeit
from collections.abc import Callable
from typing import Any

import anyio
import attrs
from bench_client import raw_page, sdk_page
from cattrs.gen import make_dict_structure_fn, override

from easify_async._models.sms import SmsTemplate
from easify_async._serde import _generated_reply_fn, _int, converter

ITEM = {
    "id": 7,
    "group_name": "General",
    "name": "Welcome",
    "message": "Welcome to our store! Reply STOP to opt out.",
    "sms_type": "sms",
    "media_url": "",
    "created_at": "07-12-2024 11:03:12 AM",
}


def cattrs_reply_fn(cls: type) -> Callable[[Any, type], Any]:
    """Rule 3 by cattrs' generated code: ints through the SDK's `_int`, the rest its own."""
    attrs.resolve_types(cls)
    ints = {a.name: override(struct_hook=_int_hook) for a in attrs.fields(cls) if a.type is int}
    structure: Callable[[Any, type], Any] = make_dict_structure_fn(cls, converter, **ints)
    return structure


def _int_hook(value: object, _: type) -> int:
    return _int(value)


async def pages(calls: int) -> None:
    ours, theirs = _generated_reply_fn(SmsTemplate, converter, {}), cattrs_reply_fn(SmsTemplate)
    assert ours(ITEM, SmsTemplate) == theirs(ITEM, SmsTemplate)
    for size in (10, 100):
        raw, generated, cattrs_own = [], [], []
        for _ in range(7):  # interleaved, medians: the machine's load hits both alike
            raw.append(await raw_page(calls, size))
            converter.register_structure_hook(SmsTemplate, ours)
            generated.append(await sdk_page(calls, size))
            converter.register_structure_hook(SmsTemplate, theirs)
            cattrs_own.append(await sdk_page(calls, size))
        r, g, c = (statistics.median(x) * 1e6 for x in (raw, generated, cattrs_own))
        print(
            f"page of {size}: raw {r:.0f} us, generated {g:.0f} us ({g / r:.2f}x), "
            f"cattrs {c:.0f} us ({c / r:.2f}x); cattrs / generated {c / g:.2f}x"
        )
    for name, fn in (("generated", ours), ("cattrs", theirs)):
        best = min(timeit.repeat(lambda f=fn: f(ITEM, SmsTemplate), number=20_000, repeat=5))
        print(f"one SmsTemplate, {name}: {best / 20_000 * 1e6:.2f} us")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=300)
    anyio.run(pages, parser.parse_args().calls)


if __name__ == "__main__":
    main()
