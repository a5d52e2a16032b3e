"""Golden files: a report rendered from the fixtures must equal its file byte for byte.

``UPDATE_GOLDEN=1`` rewrites the files instead; review every diff by eye before committing it.
"""

from __future__ import annotations

import os
from pathlib import Path

GOLDEN = Path(__file__).parent / "golden"


def assert_golden(filename: str, actual: str) -> None:
    golden = GOLDEN / filename
    if os.environ.get("UPDATE_GOLDEN") == "1":
        golden.write_text(actual, encoding="utf-8")
    assert actual == golden.read_text(encoding="utf-8"), f"rerun with UPDATE_GOLDEN=1: {golden}"
