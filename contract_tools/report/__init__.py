"""Reporters: pure functions of a Report, one module per format, each registered by name.

``render(report, fmt, ...)`` is what the CLI and the pytest plugin call; ``formats()`` lists
the registered names (read when asked, so a format registered later is listed too). A format
module registers itself with ``@reporter("name")`` (see registry.py).
"""

from __future__ import annotations

from contract_tools.models import Level, Report
from contract_tools.report.registry import (
    Renderer,
    RenderOptions,
    formats,
    register,
    renderer,
    reporter,
)


def render(
    report: Report,
    fmt: str,
    *,
    fail_on: Level | None = Level.ERROR,
    html_report: str | None = None,
    verbose: bool = True,
) -> str:
    """Render ``report`` as ``fmt``; ``fail_on`` None means the gate is off, ``html_report``
    is where the Markdown points when it truncates, ``verbose`` False gives the short text a
    terminal shows (causes, one or two lines per finding)."""
    options = RenderOptions(fail_on=fail_on, html_report=html_report, verbose=verbose)
    return renderer(fmt)(report, options)


__all__ = [
    "RenderOptions",
    "Renderer",
    "formats",
    "register",
    "render",
    "renderer",
    "reporter",
]
