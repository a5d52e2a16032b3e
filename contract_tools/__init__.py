"""contract-tools: spec extraction, contract diff and parity testing for Flask -> FastAPI ports."""

from __future__ import annotations

from contract_tools.errors import (
    AppLoadError,
    ContractToolsError,
    LoadError,
    SpecError,
    SpecLoadError,
    UsageError,
)
from contract_tools.models import Finding, Level, OperationKey, Report

__version__ = "0.1.0"

__all__ = [
    "AppLoadError",
    "ContractToolsError",
    "Finding",
    "Level",
    "LoadError",
    "OperationKey",
    "Report",
    "SpecError",
    "SpecLoadError",
    "UsageError",
    "__version__",
]
