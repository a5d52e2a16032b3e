"""The bundled example pair as factory targets, for engine tests that need its real drifts."""

from __future__ import annotations

from typing import Any

from contract_tools._parity.session import target_for_factory
from contract_tools.models import Report
from tests.parity.running import run

LEGACY = "examples.legacy_flask:create_app()"
PORT = "examples.fastapi_port:create_app()"


def _legacy() -> Any:
    from examples.legacy_flask import create_app

    return create_app()


def _port() -> Any:
    from examples.fastapi_port import create_app

    return create_app()


def run_example_pair(**settings: Any) -> Report:
    """A run of the example pair, named as the CLI names it (the snippets load them so)."""
    return run(target_for_factory(_legacy, LEGACY), target_for_factory(_port, PORT), **settings)
