"""The reference's endpoint page is the route table's: generated, and kept so."""

from __future__ import annotations

import runpy
from pathlib import Path

from easify_async._routes import ROUTES

ROOT = Path(__file__).parents[2]


def test_the_committed_page_is_what_the_table_makes() -> None:
    """Run ``python docs/_gen/endpoints.py`` after changing the route table."""
    generator = runpy.run_path(str(ROOT / "docs" / "_gen" / "endpoints.py"))
    made = generator["page"]()
    assert (ROOT / "docs" / "reference" / "endpoints.md").read_text(encoding="utf-8") == made
    rows = [line for line in made.splitlines() if line.startswith("| `")]
    assert len(rows) == len(ROUTES)
    assert rows[0].startswith("| `POST sms/send` | `sms_send` | 15 / 60 s | `from_number`")
    assert rows[0].endswith("| [`SmsSent`][easify_async.SmsSent] |")
    # A field sent under another key is shown by that key (voice calls' `from`).
    assert "`from`, `to`" in next(row for row in rows if "voice-call/history" in row)
