"""The suite runs under pytest-xdist, which already keeps every core busy: parity runs of the
tests explore in process (``CONTRACT_TOOLS_WORKERS=1``, inherited by the CLI subprocesses some
tests start) unless a test asks for workers, as tests/parity/test_workers.py does."""

from __future__ import annotations

import os

os.environ.setdefault("CONTRACT_TOOLS_WORKERS", "1")
