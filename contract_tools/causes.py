"""Root causes: a parity report's findings grouped by what they share, across operations.

A pure function of the findings (no request is sent), so it lives beside the models and runs
again whenever the findings change (after the accepted-drift file removed some). One CORS
difference is one cause however many operations show it; a port that answers 422 where Flask
answered 400 is one cause, not one per operation. Each finding belongs to exactly one cause; a
finding that shares nothing is a cause of its own.

What findings share, in the order it is looked for:

- ``missing-operation``: routes not ported (per side that lacks them);
- ``crash``: the side that crashed and the exception's type;
- ``header-mismatch``: every ``Access-Control-*`` header missing on the same side is one CORS
  cause; any other header by its name and the shapes of both values (digits and quoted
  strings erased, so ETags of different resources match);
- ``status-mismatch``: the status pair, whether the request was outside the legacy contract
  (its level is a warning then), and the shapes of both error bodies (Starlette's
  ``{"detail": [...]}``, Flask's HTML page, ``{"error"}``);
- ``body-mismatch``: the error-body shapes when both sides refused, else the set of paths.

Stdlib only; the JSON report writes ``causes`` and each finding's ``cause`` id.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from contract_tools.models import Finding, Level, Report, Response


@dataclass(frozen=True)
class Cause:
    """One root cause: a title a person reads in one line, the worst level of its findings,
    the operations it touches and its findings (numbered from 1, as ``replay --finding``)."""

    id: str
    title: str
    level: Level
    operations: tuple[str, ...]
    findings: tuple[int, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "level": str(self.level),
            "operations": list(self.operations),
            "findings": list(self.findings),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Cause:
        return cls(
            id=str(data.get("id", "")),
            title=str(data.get("title", "")),
            level=Level.parse(str(data.get("level", "info"))),
            operations=tuple(str(op) for op in data.get("operations") or ()),
            findings=tuple(int(n) for n in data.get("findings") or ()),
        )


def with_causes(report: Report) -> Report:
    """The report with its findings grouped: causes worst first (then the most operations),
    the findings reordered cause by cause (so a cause's findings have consecutive numbers),
    each finding's ``cause`` set. Any other command's report is returned as it is."""
    if report.command != "parity":
        return report
    groups: dict[tuple[str, ...], list[Finding]] = {}
    titles: dict[tuple[str, ...], str] = {}
    for finding in report.findings:
        key, title = cause_of(finding)
        groups.setdefault(key, []).append(finding)
        titles.setdefault(key, title)
    for key, members in groups.items():
        if key[0] == "cors":
            titles[key] = _cors_title(members, key[1] == "True")
    ordered = sorted(
        groups.items(),
        key=lambda item: (
            -max(f.level for f in item[1]),
            -len({f.operation for f in item[1]}),
            titles[item[0]],
        ),
    )
    findings: list[Finding] = []
    causes: list[Cause] = []
    for number, (key, members) in enumerate(ordered, 1):
        cause_id = f"C{number}"
        first = len(findings) + 1
        findings.extend(replace(f, cause=cause_id) for f in members)
        causes.append(
            Cause(
                id=cause_id,
                title=titles[key],
                level=max(f.level for f in members),
                operations=tuple(dict.fromkeys(f.operation for f in members)),
                findings=tuple(range(first, len(findings) + 1)),
            )
        )
    return replace(report, findings=tuple(findings), causes=tuple(causes))


def cause_of(finding: Finding) -> tuple[tuple[str, ...], str]:
    """(what the finding shares with others of its cause, the cause's title)."""
    exchange = finding.exchange
    if exchange is None or finding.change is not None:
        return ("single", str(finding.key)), f"{finding.id}: {finding.message}"
    base, cand = exchange.baseline, exchange.candidate
    about = finding.about or ""
    if finding.id == "missing-operation":
        side = about.removeprefix("missing on ")
        other = "baseline" if side == "candidate" else "candidate"
        return ("missing", side), (
            f"Routes not ported: only the {other} has them (the {side} answers 404/405)"
        )
    if finding.id == "crash":
        side = about.removeprefix("crash on ")
        line = exception_line(base if side == "baseline" else cand)
        kind = line.split(":", 1)[0]
        return ("crash", side, kind), f"The {side} crashes: {line}"
    if finding.id == "header-mismatch" and len(finding.paths) == 1:
        return _header(finding, base, cand)
    if finding.id == "status-mismatch":
        pair = about.removeprefix("status ")
        outside = finding.level < Level.ERROR
        shapes = (error_shape(base), error_shape(cand))
        where = " on input outside the legacy contract" if outside else ""
        return ("status", about, str(outside), *shapes), (
            f"Status {pair}{where}{_shapes_text(shapes)}"
        )
    if finding.id == "body-mismatch":
        shapes = (error_shape(base), error_shape(cand))
        if all(shapes) and shapes[0] != shapes[1]:
            return ("error-body", str(base.status), *shapes), (
                f"Error bodies differ on {base.status}: {shapes[0]} (baseline) vs "
                f"{shapes[1]} (candidate)"
            )
        paths = tuple(sorted(str(p) for p in finding.paths))
        return ("body", *paths), f"Body differs at {_list(paths)}"
    return ("single", str(finding.key)), f"{finding.id}: {finding.message}"


def _header(finding: Finding, base: Response, cand: Response) -> tuple[tuple[str, ...], str]:
    name = str(finding.paths[0].keys[0])
    left, right = base.header(name), cand.header(name)
    shown = _header_name(name)
    if _is_cors(name, left, right):
        request = finding.exchange.request if finding.exchange is not None else None
        origin = request is not None and request.header("origin") is not None
        return ("cors", str(origin)), ""  # titled from all its findings: _cors_title
    if left is None or right is None:
        side = "baseline" if right is None else "candidate"
        return ("header", name, side), f"Header {shown} sent only by the {side}"
    a, b = value_shape(_as_set(name, left)), value_shape(_as_set(name, right))
    return ("header", name, a, b), f"Header {shown}: {a!r} (baseline) vs {b!r} (candidate)"


def _is_cors(name: str, left: str | None, right: str | None) -> bool:
    """An ``Access-Control-*`` header, or the ``Vary: Origin`` CORS middleware adds, that one
    side sends and the other does not."""
    if (left is None) == (right is None):
        return False
    return name.startswith("access-control-") or (
        name == "vary" and "origin" in (left or right or "").lower()
    )


def _cors_title(members: Sequence[Finding], origin: bool) -> str:
    """``CORS: the candidate omits Access-Control-Allow-Origin ... when the request has no
    Origin``: which headers each side sends alone, said once for every operation."""
    alone: dict[str, set[str]] = {"baseline": set(), "candidate": set()}
    for finding in members:
        name = str(finding.paths[0].keys[0])
        assert finding.exchange is not None  # cause_of checked
        side = "candidate" if finding.exchange.baseline.header(name) is None else "baseline"
        alone[side].add(_header_name(name))
    when = "for a request with an Origin" if origin else "when the request has no Origin"
    parts = []
    if alone["baseline"]:
        parts.append(f"the candidate omits {', '.join(sorted(alone['baseline']))}")
    if alone["candidate"]:
        parts.append(f"the baseline omits {', '.join(sorted(alone['candidate']))}")
    return f"CORS: {'; '.join(parts)} {when}"


_DIGITS = re.compile(r"\d+")
_QUOTED = re.compile(r'"[^"]*"')


def value_shape(value: str) -> str:
    """A header value without what varies per resource: ``W/"a1"`` -> ``W/"…"``."""
    shape = _QUOTED.sub('"…"', _DIGITS.sub("0", value))
    return shape if len(shape) <= 60 else shape[:57] + "..."


def error_shape(response: Response) -> str:
    """The shape of an error body (status >= 400), '' for any other answer."""
    if response.status < 400:
        return ""
    if not response.body:
        return "an empty body"
    parsed, value = response.json()
    if parsed and isinstance(value, Mapping):
        if list(value) == ["detail"]:
            inner = value["detail"]
            return '{"detail": [...]}' if isinstance(inner, list) else '{"detail": "..."}'
        return "{" + ", ".join(f'"{k}"' for k in sorted(map(str, value))[:4]) + "}"
    if parsed:
        return "JSON " + type(value).__name__
    media = response.media_type or ""
    return "an HTML page" if "html" in media else "a text body"


def _shapes_text(shapes: tuple[str, str]) -> str:
    base, cand = shapes
    if base and cand and base != cand:
        return f", {base} (baseline) vs {cand} (candidate)"
    if cand and not base:
        return f", the candidate answers {cand}"
    return ""


def exception_line(response: Response) -> str:
    """The app's exception line (``ZeroDivisionError: division by zero``), else the status."""
    lines = [line.strip() for line in (response.crash or "").splitlines() if line.strip()]
    return lines[-1] if lines else f"answered {response.status}"


# Headers whose value is a set of tokens: Flask builds Allow from a set, so its order changes
# from one process to the next (hash randomisation) and one cause would split in two.
_SET_VALUED = frozenset({"allow", "access-control-allow-methods", "access-control-allow-headers"})


def _as_set(name: str, value: str) -> str:
    if name.lower() not in _SET_VALUED:
        return value
    return ", ".join(sorted({t.strip().upper() for t in value.split(",") if t.strip()}))


def _header_name(name: str) -> str:
    return "-".join(part.capitalize() for part in name.split("-"))


def _list(paths: Sequence[str]) -> str:
    shown = ", ".join(paths[:4])
    return shown + (f" (+{len(paths) - 4} more)" if len(paths) > 4 else "")
