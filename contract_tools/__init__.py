"""contract-tools: spec extraction, contract diff and parity testing for Flask -> FastAPI ports.

The public API (``contract_tools.api``) and the types it speaks, re-exported here.
"""

from __future__ import annotations

from contract_tools.api import (
    DiffRule,
    FlaskSpec,
    ReplayResult,
    check_outputs,
    diff,
    diff_rules,
    diff_settings,
    fastapi_spec,
    finish,
    flask_spec,
    load_spec,
    normalization_rules,
    parity,
    parity_settings,
    read_report,
    replay,
    replay_request,
)
from contract_tools.errors import (
    AppLoadError,
    ContractToolsError,
    ExitCode,
    LoadError,
    SpecError,
    SpecLoadError,
    UsageError,
)
from contract_tools.models import (
    DriftKey,
    Event,
    Exchange,
    FailOn,
    Finding,
    Level,
    Mode,
    OperationKey,
    Report,
    Reproduction,
    Request,
    Response,
    ResponsePath,
    SchemaChange,
)
from contract_tools.settings import DiffSettings, Outputs, ParitySettings

__version__ = "0.2.0"

__all__ = [
    "AppLoadError",
    "ContractToolsError",
    "DiffRule",
    "DiffSettings",
    "DriftKey",
    "Event",
    "Exchange",
    "ExitCode",
    "FailOn",
    "Finding",
    "FlaskSpec",
    "Level",
    "LoadError",
    "Mode",
    "OperationKey",
    "Outputs",
    "ParitySettings",
    "ReplayResult",
    "Report",
    "Reproduction",
    "Request",
    "Response",
    "ResponsePath",
    "SchemaChange",
    "SpecError",
    "SpecLoadError",
    "UsageError",
    "__version__",
    "check_outputs",
    "diff",
    "diff_rules",
    "diff_settings",
    "fastapi_spec",
    "finish",
    "flask_spec",
    "load_spec",
    "normalization_rules",
    "parity",
    "parity_settings",
    "read_report",
    "replay",
    "replay_request",
]
