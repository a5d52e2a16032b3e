"""Reporters: pure functions of a Report, one module per format, each with ``render()``."""

from __future__ import annotations

import importlib

from contract_tools.errors import UsageError
from contract_tools.models import Level, Report

# format name -> module under contract_tools.report; imported on demand so that the JSON report
# never pays for jinja2.
_MODULES = {
    "text": "text",
    "json": "json",
    "markdown": "markdown",
    "junit": "junit",
    "html": "html",
}

FORMATS = tuple(_MODULES)


def render(
    report: Report,
    fmt: str,
    *,
    fail_on: Level | None = Level.ERROR,
    html_report: str | None = None,
) -> str:
    """Render ``report`` as ``fmt``; ``html_report`` is where the Markdown points when truncated."""
    name = _MODULES.get(fmt)
    if name is None:
        raise UsageError(f"unknown report format {fmt!r} (expected one of: {', '.join(FORMATS)})")
    module = importlib.import_module(f"contract_tools.report.{name}")
    if fmt == "markdown":
        return str(module.render(report, fail_on=fail_on, html_report=html_report))
    return str(module.render(report, fail_on=fail_on))


__all__ = ["FORMATS", "render"]
