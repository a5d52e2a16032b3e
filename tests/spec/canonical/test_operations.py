"""Canonical operations: paths matched with parameter names ignored."""

from __future__ import annotations

from contract_tools.spec.canonical import path_key


def test_path_key_ignores_names() -> None:
    assert path_key("/items/{item_id}/v{major}.{minor}") == "/items/{}/v{}.{}"
