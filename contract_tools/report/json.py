"""JSON report: the stable, documented machine-readable shape (and what ``replay`` reads back).

Each finding is ``Finding.to_dict()``: models.py owns the shape, so what this report writes and
what ``Finding.from_dict`` (replay, tests) reads back cannot disagree. Everything except
``summary``, ``findings``, ``noise`` and ``skipped`` is copied from ``Report.meta``'s top-level
keys, in their order, after ``command``. ``summary`` is ``meta["summary"]`` (when given) with the
finding counts merged in. ``noise`` and ``skipped`` come from ``Report.noise`` / ``Report.skipped``
and are present for parity (or whenever non-empty).

parity::

    {"command": "parity", "baseline": str, "candidate": str, "mode": str, ...,
     "operations": [{"operation": str, "cases": int, "time_s": float}],
     "serve"?: {"baseline"|"candidate": {"variable": str, "url": str, "command": str}},
     "summary": {"operations": int, "cases": int, "shrink_cases": int, "findings": int,
                 "seed": int, "duration_s": float, "error": int, "warning": int, "info": int,
                 "accepted"?: int, "expired"?: int, "stale"?: int},
     "causes": [{"id": "C1", "title": str, "level": str, "operations": [str],
                 "findings": [int]}],
     "findings": [{"id": str, "level": "error"|"warning"|"info",
                   "operation": "METHOD /path/{param}", "message": str, "count": int,
                   "cause": "C1",
                   "details": {
                       "request": {"method": str, "path": str, "query": [[name, value]],
                                   "headers": [[name, value]], "body": str,
                                   "body_base64"?: str},
                       "baseline": {"status": int, "headers": [[name, value]], "body": str,
                                    "body_base64"?: str, "crash"?: str},
                       "candidate": {...},
                       "paths": ["status" | "header:<name>" | "$.json.path[*]"],
                       "about"?: "status 201 -> 200" | "crash on candidate" | ...,
                       "curl": {"baseline": str, "candidate": str}, "pytest": str}}],
     "noise": [{"operation": str, "shape"?: str, "paths": [str]}],
     "skipped": [{"operation": str, "reason": str}]}

``causes[].findings`` are finding numbers from 1, as ``replay --finding`` reads them; findings
come cause by cause. ``body`` is UTF-8 text cut at ``models.REPORT_BODY_LIMIT`` characters (a
binary body reads ``(binary: N bytes, sha256 …)``); ``body_base64`` (present when the text is
cut or not UTF-8) holds the exact bytes. A finding's identity (what the accepted-drift file
stores) is its operation, id and subject: ``about`` when present, else ``paths``.

diff::

    {"command": "diff", "base": str, "revision": str,
     "summary": {"findings": int, "error": int, "warning": int, "info": int},
     "findings": [{"id", "level", "operation", "message", "count",
                   "details": {"direction": "request"|"response",
                               "in"?, "name"?, "status"?, "media_type"?, "header"?, "scheme"?,
                               "location"?: str, "base"?: any, "revision"?: any,
                               "paths"?: ["in=query name=limit location=$"]}}]}

When an accepted-drift file was applied (``gate.GateResult.report``), the meta key
``accepted_drift`` appears too: ``{"file", "accepted", "expired", "stale", "outdated"}``, each a
list of entries (``accepted`` and ``expired`` ones with the finding's ``message``; ``outdated``:
entries of a shape only an older version wrote, to re-accept).
"""

from __future__ import annotations

import json
from typing import Any

from contract_tools.models import Report
from contract_tools.report.registry import RenderOptions, reporter
from contract_tools.report.text import jsonable


def to_document(report: Report) -> dict[str, Any]:
    """The report as plain JSON-ready data, in the documented key order (``Report.to_dict``)."""
    return report.to_dict()


@reporter("json")
def render(report: Report, options: RenderOptions) -> str:
    # The options change nothing: the data is the same whichever gate reads it.
    del options
    return json.dumps(to_document(report), indent=2, ensure_ascii=False, default=jsonable) + "\n"
