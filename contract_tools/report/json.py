"""JSON report: the stable, documented machine-readable shape (and what ``replay`` reads back).

Each finding is ``Finding.to_dict()``: models.py owns the shape, so what this report writes and
what ``Finding.from_dict`` (replay, tests) reads back cannot disagree. Everything except
``summary``, ``findings``, ``noise`` and ``skipped`` is copied from ``Report.meta``'s top-level
keys, in their order, after ``command``. ``summary`` is ``meta["summary"]`` (when given) with the
finding counts merged in. ``noise`` and ``skipped`` come from ``Report.noise`` / ``Report.skipped``
and are present for parity (or whenever non-empty).

parity::

    {"command": "parity", "baseline": str, "candidate": str, "mode": str, ...,
     "summary": {"operations": int, "cases": int, "shrink_cases": int, "findings": int,
                 "seed": int, "duration_s": float, "error": int, "warning": int, "info": int},
     "findings": [{"id": str, "level": "error"|"warning"|"info",
                   "operation": "METHOD /path/{param}", "message": str, "count": int,
                   "details": {
                       "request": {"method": str, "path": str, "query": [[name, value]],
                                   "headers": [[name, value]], "body": str,
                                   "body_base64"?: str},
                       "baseline": {"status": int, "headers": [[name, value]], "body": str,
                                    "body_base64"?: str, "crash"?: str},
                       "candidate": {...},
                       "paths": ["status" | "header:<name>" | "$.json.path[*]"],
                       "curl": {"baseline": str, "candidate": str}, "pytest": str}}],
     "noise": [{"operation": str, "paths": [str]}],
     "skipped": [{"operation": str, "reason": str}]}

``body`` is UTF-8 text cut at ``models.REPORT_BODY_LIMIT`` characters; ``body_base64`` (present
when the text is cut or not UTF-8) holds the exact bytes.

diff::

    {"command": "diff", "base": str, "revision": str,
     "summary": {"findings": int, "error": int, "warning": int, "info": int},
     "findings": [{"id", "level", "operation", "message", "count",
                   "details": {"direction": "request"|"response",
                               "in"?, "name"?, "status"?, "media_type"?, "header"?, "scheme"?,
                               "location"?: str, "base"?: any, "revision"?: any,
                               "paths"?: ["in=query name=limit location=$"]}}]}

When an accepted-drift baseline was applied (``gate.GateResult.report``), the meta key
``accepted_drift`` appears too: ``{"file", "accepted", "expired", "stale"}``, each a list of
baseline entries.
"""

from __future__ import annotations

import json
from typing import Any

from contract_tools.models import Level, Report
from contract_tools.report.registry import RenderOptions, reporter
from contract_tools.report.text import jsonable

# Keys the reporter builds itself; a meta key of the same name would be ambiguous, so it is dropped.
_BUILT = frozenset({"command", "summary", "findings", "noise", "skipped"})


def to_document(report: Report) -> dict[str, Any]:
    """The report as plain JSON-ready data, in the documented key order."""
    doc: dict[str, Any] = {"command": report.command}
    for key, value in report.meta.items():
        if key not in _BUILT:
            doc[key] = value
    summary: dict[str, Any] = dict(report.meta.get("summary") or {})
    summary["findings"] = len(report.findings)
    counts = report.counts()
    summary.update((str(level), counts[str(level)]) for level in sorted(Level, reverse=True))
    doc["summary"] = summary
    doc["findings"] = [finding.to_dict() for finding in report.findings]
    if report.command == "parity" or report.noise or report.skipped:
        doc["noise"] = [dict(entry) for entry in report.noise]
        doc["skipped"] = [dict(entry) for entry in report.skipped]
    return doc


@reporter("json")
def render(report: Report, options: RenderOptions) -> str:
    # The options change nothing: the data is the same whichever gate reads it.
    del options
    return json.dumps(to_document(report), indent=2, ensure_ascii=False, default=jsonable) + "\n"
