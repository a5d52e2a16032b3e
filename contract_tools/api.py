"""The public Python API, and the one door into the engines.

The CLI, the pytest plugin and users' own scripts call these functions and nothing below them::

    import contract_tools as ct

    settings = ct.parity_settings(baseline="legacy.app:create_app()", candidate="port.main:app",
                                  max_examples=50, seed=1, json="parity.json")
    report = ct.parity(settings)
    code = ct.finish(report, settings)          # accepted drift, reports, exit code

Settings are built once (``[tool.contract-tools]`` plus keyword overrides, spelled like the
config keys) and validated once; every function takes them as they are.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from contract_tools import _finish
from contract_tools._replay import (
    ReplayResult,
    read_report,
    replay,
    replay_request,
    replay_sequence,
)
from contract_tools.apps import AppKind, app_kind, load_app
from contract_tools.config import settings_for
from contract_tools.errors import AppLoadError, ExitCode, UsageError
from contract_tools.models import Event, Level, Report
from contract_tools.settings import DiffSettings, Outputs, ParitySettings

__all__ = [
    "DiffRule",
    "FlaskSpec",
    "ProbeRule",
    "ReplayResult",
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
    "probe_rules",
    "read_report",
    "replay",
    "replay_request",
    "replay_sequence",
]


# --- specs ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FlaskSpec:
    """A Flask app's draft: the document and what the extraction could not represent."""

    document: dict[str, Any]
    diagnostics: tuple[str, ...]
    operations: int


def flask_spec(
    app: str | Any,
    *,
    include_head: bool = False,
    include_options: bool = False,
    include_static: bool = False,
    server_name: str | None = None,
    app_dir: str = ".",
    validate: bool = True,
    learn: bool = False,
    learn_examples: int = 25,
    seed: int = 0,
) -> FlaskSpec:
    """A draft OpenAPI 3.1 document of a Flask app (a reference ``module:attr`` or the app).

    ``learn`` exercises the app in process (a fresh instance per state-changing request; never
    a live server) and adds the response schemas it saw, marked learned; it needs a reference.
    """
    from contract_tools.spec.flask import FlaskSpecOptions, build_flask_spec
    from contract_tools.spec.validate import validate_openapi

    name = app if isinstance(app, str) else type(app).__name__
    flask_app = load_app(app, app_dir) if isinstance(app, str) else app
    kind = app_kind(flask_app)
    if kind is not AppKind.FLASK:
        hint = "; use contract-tools fastapi-spec" if kind is AppKind.FASTAPI else ""
        raise AppLoadError(f"{name}: a {kind.value} app, not a Flask app{hint}")
    options = FlaskSpecOptions(
        include_head=include_head,
        include_options=include_options,
        include_static=include_static,
        server_name=server_name,
    )
    result = build_flask_spec(flask_app, options)
    document = result.document
    if learn:
        if not isinstance(app, str):
            raise UsageError("--learn needs an app reference (module:attr or module:factory())")
        from contract_tools._parity.learn import learn_responses

        document = learn_responses(
            app, document, app_dir=app_dir, max_examples=learn_examples, seed=seed
        )
    if validate:
        validate_openapi(document, f"draft spec of {name}")
    return FlaskSpec(document, tuple(result.diagnostics), result.operation_count)


def fastapi_spec(source: str | Any, *, app_dir: str = ".", timeout: float = 10.0) -> dict[str, Any]:
    """The validated OpenAPI document of a FastAPI/ASGI app (reference or object) or a URL."""
    from contract_tools.spec.fastapi import fastapi_spec as extract
    from contract_tools.spec.fastapi import fetch_spec_url
    from contract_tools.spec.validate import validate_openapi

    if isinstance(source, str) and source.startswith(("http://", "https://")):
        doc = fetch_spec_url(source, timeout=timeout)
    else:
        app = load_app(source, app_dir) if isinstance(source, str) else source
        kind = app_kind(app)
        if kind in (AppKind.FLASK, AppKind.WSGI):
            hint = "; use contract-tools flask-spec" if kind is AppKind.FLASK else ""
            raise AppLoadError(f"{source}: a {kind.value} app, not an ASGI app{hint}")
        doc = extract(app)
    validate_openapi(doc, str(source))
    return doc


def load_spec(text: str, app_dir: str = ".") -> dict[str, Any]:
    """A spec file (JSON/YAML), a URL or an app reference -> an OpenAPI document."""
    from contract_tools.spec.sources import load_spec as load

    return load(text, app_dir)


# --- settings ------------------------------------------------------------------------------------


def diff_settings(
    config: str | None = None, *, cwd: Path | None = None, **flags: Any
) -> DiffSettings:
    """``[tool.contract-tools.diff]`` (or ``config``) with ``flags`` on top, validated."""
    settings = settings_for("diff", config, cwd=cwd, **flags)
    assert isinstance(settings, DiffSettings)
    return settings


def parity_settings(
    config: str | None = None, *, cwd: Path | None = None, **flags: Any
) -> ParitySettings:
    """``[tool.contract-tools.parity]`` (or ``config``) with ``flags`` on top, validated."""
    settings = settings_for("parity", config, cwd=cwd, **flags)
    assert isinstance(settings, ParitySettings)
    return settings


def check_outputs(settings: Outputs) -> None:
    """Fail now (not after a long run) on a bad report path, format or accepted-drift file."""
    _finish.prepare(settings)


# --- diff ----------------------------------------------------------------------------------------


def diff(settings: DiffSettings) -> Report:
    """The contract difference between ``settings.base`` and ``settings.revision``."""
    from contract_tools._diff.engine import diff_specs

    missing = [name.upper() for name in ("base", "revision") if not getattr(settings, name)]
    if missing:
        them, arguments = ("them", "arguments") if len(missing) == 2 else ("it", "an argument")
        raise UsageError(
            f"diff: missing {' and '.join(missing)}: give {them} as {arguments} or set "
            f"{them} in the tool.contract-tools.diff table (pyproject.toml or --config FILE)"
        )
    assert settings.base is not None and settings.revision is not None
    levels = _levels(settings.levels)
    check_outputs(settings)
    base_doc = load_spec(settings.base, settings.app_dir)
    revision_doc = load_spec(settings.revision, settings.app_dir)
    ignored = set(settings.ignore)
    findings = [f for f in diff_specs(base_doc, revision_doc, levels=levels) if f.id not in ignored]
    return Report.of("diff", findings, base=settings.base, revision=settings.revision)


def _levels(configured: dict[str, str] | Any) -> dict[str, Level]:
    """``[tool.contract-tools.diff.levels]``, checked against the registry so a typo is named."""
    known = {rule.id for rule in diff_rules()}
    unknown = sorted(set(configured) - known)
    if unknown:
        raise UsageError(
            f"tool.contract-tools.diff.levels: unknown rule id {unknown[0]!r} "
            "(contract-tools rules lists them)"
        )
    return {rule_id: Level.parse(level) for rule_id, level in configured.items()}


@dataclass(frozen=True)
class DiffRule:
    """One contract diff rule: id, default level, direction, family and why it matters."""

    id: str
    level: Level
    direction: str
    family: str
    description: str

    @property
    def summary(self) -> str:
        return " ".join(self.description.split("\n\n", 1)[0].split())


def diff_rules() -> list[DiffRule]:
    """Every diff rule, ordered by family then id."""
    from contract_tools._diff.registry import all_rules

    return [DiffRule(r.id, r.level, str(r.direction), r.family, r.description) for r in all_rules()]


# --- parity --------------------------------------------------------------------------------------


def parity(settings: ParitySettings, on_event: Callable[[Event], None] | None = None) -> Report:
    """Send the same generated requests to both sides and report where the answers differ."""
    from contract_tools._parity.runner import run_parity
    from contract_tools._parity.session import Session

    if not settings.baseline or not settings.candidate:
        raise UsageError(
            "parity: missing BASELINE and CANDIDATE: give them as arguments or set them "
            "in the tool.contract-tools.parity table (pyproject.toml or --config FILE)"
        )
    check_outputs(settings)
    session = Session.open(
        settings.baseline,
        settings.candidate,
        spec_files=settings.spec,
        app_dir=settings.app_dir,
        timeout=settings.timeout,
        load_spec=lambda text: load_spec(text, settings.app_dir),
    )
    return run_parity(session, settings, on_event)


def normalization_rules() -> list[tuple[str, str]]:
    """(name, why) of every rule of the flask-fastapi normalisation preset."""
    from contract_tools._parity.normalize import FLASK_FASTAPI

    return [(rule.name, rule.description) for rule in FLASK_FASTAPI]


@dataclass(frozen=True)
class ProbeRule:
    """One framework probe: its name, whether it is sent per operation or once per path, and
    what it sends and why (its docstring)."""

    name: str
    scope: str
    family: str
    description: str

    @property
    def summary(self) -> str:
        return " ".join(self.description.split("\n\n", 1)[0].split())


def probe_rules() -> list[ProbeRule]:
    """Every framework probe parity sends before generation, in the order it sends them."""
    from contract_tools._parity.probes import PROBES

    return [ProbeRule(p.name, p.scope, p.family, p.description) for p in PROBES]


# --- finishing -----------------------------------------------------------------------------------


def finish(
    report: Report,
    settings: Outputs,
    *,
    stdout: TextIO | None = None,
    on_message: Callable[[str], None] | None = None,
    today: dt.date | None = None,
    summary_line: bool = False,
    verbose: bool = False,
    on_report: Callable[[Report], None] | None = None,
) -> ExitCode:
    """Apply the accepted-drift file, write every report, return the exit code (0 or 1).

    The primary report goes to ``stdout`` short (causes, one or two lines per finding) unless
    ``verbose``; report files are always complete. ``on_report`` receives the report as
    written (accepted drift applied, causes grouped again)."""
    return _finish.finish(
        report,
        settings,
        stdout=stdout,
        say=on_message,
        today=today,
        summary_line=summary_line,
        verbose=verbose,
        on_report=on_report,
    )
