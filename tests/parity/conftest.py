"""Parity tests run in a fresh working directory: the CLI's drift store (.contract-tools/) must
never carry drifts from one test, or one test run, into another."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def _fresh_cwd(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
