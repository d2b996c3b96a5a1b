"""Draw docs/guides/img/rate-window.svg from a real run of the client on a virtual clock.

The client (its limiter, retries and 429 pause: the real ones) sends 20 SMS at once
through the in-process sandbox, which counts them in Laravel's fixed window of 15 a
minute, with 0.3 s of latency per request. At 61.5 s another process on the same token
sends 12 without a limiter: the client's last sends meet a 429, pause the endpoint
until the window closes, and go out in the next one. Trio's MockClock makes the minute
take no time, and the run the same every time (a test checks the committed file is
what this script draws).

    python docs/_gen/rate_figure.py           # rewrite the SVG
"""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path

import anyio
import anyio.lowlevel
import httpx
import trio.testing

from easify_async import AsyncEasify, RateLimits
from easify_async.sandbox import DEMO_FROM_NUMBER, DEMO_TOKEN, Faults, Sandbox

OUT = Path(__file__).parents[1] / "guides" / "img" / "rate-window.svg"
SENDS = 20
OTHER_AT, OTHER_SENDS = 61.5, 12
LATENCY = 0.3
PERIOD, MARGIN = 60.0, 1.0


class _Recording(httpx.AsyncBaseTransport):
    """Each attempt's number, leaving time, reply time and status."""

    def __init__(self, inner: httpx.AsyncBaseTransport, log: list[tuple[int, float, float, int]]):
        self.inner, self.log = inner, log

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        sent = anyio.current_time()
        response = await self.inner.handle_async_request(request)
        await response.aread()
        number = int(json.loads(request.content)["to_number"][-4:])
        self.log.append((number, sent, anyio.current_time(), response.status_code))
        return response


async def _run() -> tuple[list[tuple[int, float, float, int]], list[float], list[float]]:
    sandbox = Sandbox(clock=anyio.current_time, faults=Faults(latency=(LATENCY, LATENCY)))
    log: list[tuple[int, float, float, int]] = []
    other: list[float] = []
    limits = RateLimits(margin=MARGIN)
    async with (
        AsyncEasify(
            DEMO_TOKEN, transport=_Recording(sandbox.transport(), log), rate_limits=limits
        ) as easify,
        AsyncEasify(DEMO_TOKEN, transport=sandbox.transport(), rate_limits=None) as elsewhere,
    ):

        async def send(n: int) -> None:
            await easify.sms.send(DEMO_FROM_NUMBER, f"+1315135{n:04d}", message="Hi")

        async def other_process() -> None:
            await anyio.sleep(OTHER_AT)
            async with anyio.create_task_group() as tg:
                for n in range(OTHER_SENDS):
                    other.append(anyio.current_time())
                    tg.start_soon(
                        lambda n=n: elsewhere.sms.send(  # type: ignore[misc]
                            DEMO_FROM_NUMBER, f"+1315136{n:04d}", message="Hi"
                        )
                    )

        async with anyio.create_task_group() as tg:
            tg.start_soon(other_process)
            for n in range(SENDS):
                tg.start_soon(send, n)
                await anyio.lowlevel.checkpoint()  # in order: send 0 asks first
    windows = sorted({sms.accepted_at // 1 for sms in sandbox.sent_sms})
    return sorted(log), other, windows


def render() -> str:
    """The SVG text of one run."""
    random.seed(23)  # the retries' jitter: the same run every time
    log, other, _ = trio.run(_run, clock=trio.testing.MockClock(autojump_threshold=0))
    end = max(reply for _, _, reply, _ in log) + PERIOD + MARGIN + 4  # the last holds end
    width, left, right, lane, top = 760, 70, 20, 13, 58
    scale = (width - left - right) / end

    def x(t: float) -> str:
        return f"{left + t * scale:.1f}"

    rows = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} '
        f'{top + lane * SENDS + 70}" role="img" font-family="sans-serif" font-size="11">',
        "<title>The client's sends in Laravel's fixed window: 15 slots, each held "
        "until period + margin after its reply, and a 429's pause</title>",
        '<rect width="100%" height="100%" fill="#fff"/>',
    ]
    # The server's windows: each opens at its first counted hit, closes 60 s later.
    opened: list[float] = []
    for _, sent, _, status in sorted(log, key=lambda a: a[1]):
        if status == 200 and (not opened or sent >= opened[-1] + PERIOD):
            opened.append(sent)
    for i, start in enumerate(opened):
        w = min(PERIOD, end - start) * scale
        rows.append(
            f'<rect x="{x(start)}" y="18" width="{w:.1f}" height="{lane * SENDS + 44}" '
            f'fill="{"#eef3fb" if i % 2 == 0 else "#f4f8ee"}" stroke="#9bb0cc"/>'
        )
        rows.append(
            f'<text x="{left + start * scale + 4:.1f}" y="31" fill="#34507a">'
            f"server window {i + 1}: 15 sends in {PERIOD:.0f} s</text>"
        )
    pause_from = min((reply for _, _, reply, status in log if status == 429), default=None)
    if pause_from is not None:
        retry = min(sent for _, sent, _, status in log if sent > pause_from)
        rows.append(
            f'<rect x="{x(pause_from)}" y="{top - 6}" width="{(retry - pause_from) * scale:.1f}" '
            f'height="{lane * SENDS + 6}" fill="#fbe3e0" opacity="0.8"/>'
        )
        rows.append(
            f'<text x="{x(pause_from)}" y="{top + lane * SENDS + 14}" fill="#a3291c">'
            f"429: the endpoint paused for every caller until the window closes</text>"
        )
    for t in other:
        rows.append(
            f'<line x1="{x(t)}" y1="{top - 6}" x2="{x(t)}" y2="{top + lane * SENDS}" '
            'stroke="#7a5c00" stroke-dasharray="2 2"/>'
        )
    if other:
        rows.append(
            f'<text x="{left + other[0] * scale + 4:.1f}" y="46" fill="#7a5c00">'
            f"another process: {len(other)} sends</text>"
        )
    # Trio shuffles the order of tasks woken together, so which of the sends that leave
    # together meets the 429 changes from run to run: lanes go by what happened to them.
    attempts = {n: [a for a in log if a[0] == n] for n in range(SENDS)}
    lanes = sorted(
        attempts.values(), key=lambda a: [(sent, -status, reply) for _, sent, reply, status in a]
    )
    for i, lane_attempts in enumerate(lanes):
        y = top + i * lane
        rows.append(f'<text x="{left - 6}" y="{y + 9}" text-anchor="end">send {i + 1}</text>')
        for _, sent, reply, status in lane_attempts:
            colour = "#c0392b" if status == 429 else "#1f5fa8"
            rows.append(
                f'<rect x="{x(sent)}" y="{y + 2}" width="{max((reply - sent) * scale, 2):.1f}" '
                f'height="8" fill="{colour}"/>'
            )
            if status == 200:  # the slot is held until period + margin after the reply
                rows.append(
                    f'<rect x="{x(reply)}" y="{y + 4}" width="{(PERIOD + MARGIN) * scale:.1f}" '
                    'height="4" fill="#8fb3de" opacity="0.6"/>'
                )
    axis = top + lane * SENDS + 26
    rows.append(f'<line x1="{left}" y1="{axis}" x2="{width - right}" y2="{axis}" stroke="#333"/>')
    for t in range(0, int(end) + 1, 20):
        rows.append(f'<line x1="{x(t)}" y1="{axis}" x2="{x(t)}" y2="{axis + 4}" stroke="#333"/>')
        rows.append(f'<text x="{x(t)}" y="{axis + 16}" text-anchor="middle">{t} s</text>')
    legend = axis + 34
    rows += [
        f'<rect x="{left}" y="{legend - 8}" width="14" height="8" fill="#1f5fa8"/>',
        f'<text x="{left + 18}" y="{legend}">request to reply</text>',
        f'<rect x="{left + 130}" y="{legend - 6}" width="14" height="4" fill="#8fb3de"/>',
        f'<text x="{left + 148}" y="{legend}">its slot, held until 61 s after the reply</text>',
        f'<rect x="{left + 390}" y="{legend - 8}" width="14" height="8" fill="#c0392b"/>',
        f'<text x="{left + 408}" y="{legend}">refused (429), retried after the pause</text>',
        "</svg>",
    ]
    # The legend sits below the axis: grow the picture to hold it.
    rows[0] = rows[0].replace(f"{top + lane * SENDS + 70}", f"{legend + 8}")
    return "\n".join(rows) + "\n"


def main() -> int:
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(render(), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
