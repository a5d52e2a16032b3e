"""Running the parity engine in tests: a session of two targets, settings, a report."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from contract_tools._parity.runner import run_parity
from contract_tools._parity.session import Session, resolve_specs
from contract_tools._parity.targets import Target
from contract_tools.config import merge
from contract_tools.models import Event, Report
from contract_tools.settings import ParitySettings


def run(
    baseline: Target,
    candidate: Target,
    specs: Mapping[str, dict[str, Any] | None] | None = None,
    events: list[Event] | None = None,
    **settings: Any,
) -> Report:
    """``settings`` are ParitySettings fields; no drift store unless ``database`` is given, and
    generation alone unless ``probes`` is given (engine tests pin what generation finds)."""
    if specs is None:
        specs = resolve_specs(baseline, candidate)
    # Through merge(), as the CLI and the API build settings: values converted and validated.
    validated = merge(ParitySettings(database=None, probes=()), **settings)
    return run_parity(
        Session(baseline, candidate, specs),
        validated,
        events.append if events is not None else None,
    )
