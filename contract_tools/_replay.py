"""Replay behind the API: a written report read back, and its findings sent to both sides again.

``api`` re-exports these; the CLI's ``replay`` command and the pytest tests parity writes call
them there.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from contract_tools.errors import LoadError, UsageError
from contract_tools.models import Finding, Report, Request


@dataclass(frozen=True)
class ReplayResult:
    """One finding sent again: ``still reproduces``, ``changed`` or ``no longer reproduces``."""

    number: int
    finding: Finding
    verdict: str
    now: str | None = None  # the drift seen now, when it changed

    @property
    def reproduces(self) -> bool:
        return self.verdict != "no longer reproduces"


def read_report(path: str) -> Report:
    """A parity JSON report written by ``--json``; a one-line error for anything else."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise LoadError(f"{path}: cannot read the report: {exc}") from None
    try:
        doc = json.loads(text)
    except ValueError as exc:
        raise LoadError(f"{path}: not a JSON report: {exc}") from None
    if (
        not isinstance(doc, dict)
        or doc.get("command") != "parity"
        or not isinstance(doc.get("findings"), list)
    ):
        raise UsageError(
            f"{path}: not a parity report (write one with contract-tools parity --json)"
        )
    try:
        return Report.from_dict(doc)
    except ValueError as exc:
        raise UsageError(f"{path}: {exc}") from None


def replay(
    report: Report,
    *,
    findings: Sequence[int] = (),
    baseline: str | None = None,
    candidate: str | None = None,
    headers: Iterable[tuple[str, str]] = (),
    app_dir: str = ".",
    timeout: float = 30.0,
) -> list[ReplayResult]:
    """Send the recorded request of each chosen finding (numbered from 1, all when none) to
    both sides again, comparing as the run did."""
    from contract_tools._parity.replay import replay_findings

    for number in findings:
        if not 1 <= number <= len(report.findings):
            raise UsageError(
                f"--finding {number}: the report has {len(report.findings)} finding(s), "
                "numbered from 1"
            )
    chosen = sorted(set(findings)) if findings else range(1, len(report.findings) + 1)
    selected = [(n, report.findings[n - 1]) for n in chosen]
    for number, finding in selected:
        if finding.exchange is None:
            raise UsageError(f"finding #{number} has no recorded request")
    base_ref = baseline or report.meta.get("baseline")
    cand_ref = candidate or report.meta.get("candidate")
    if not isinstance(base_ref, str) or not isinstance(cand_ref, str):
        raise UsageError(
            "the report records no baseline/candidate: pass --baseline and --candidate"
        )
    if not selected:
        return []
    names = report.meta.get("normalization")
    results = replay_findings(
        selected,
        baseline=base_ref,
        candidate=cand_ref,
        normalization=[str(n) for n in names] if isinstance(names, list) else None,
        noise=report.noise,
        headers=headers,
        app_dir=app_dir,
        timeout=timeout,
    )
    return [
        ReplayResult(r.number, r.finding, r.verdict.value, str(r.now) if r.now else None)
        for r in results
    ]


def replay_request(
    baseline: str,
    candidate: str,
    request: Request,
    *,
    strict: bool = False,
    disable: Iterable[str] = (),
    ignore: Iterable[str] = (),
    app_dir: str | None = None,
) -> list[str]:
    """One request to both sides, compared as a run does: the differences, as messages (an
    empty list when they agree). The pytest tests parity writes call this."""
    from contract_tools._parity.replay import replay_request as send

    differences = send(
        baseline, candidate, request, strict=strict, disable=disable, ignore=ignore, app_dir=app_dir
    )
    return [d.message for d in differences]


def replay_sequence(
    baseline: str,
    candidate: str,
    steps: Sequence[tuple[Request, Mapping[str, tuple[int, str]]]],
    *,
    strict: bool = False,
    disable: Iterable[str] = (),
    ignore: Iterable[str] = (),
    app_dir: str | None = None,
) -> list[str]:
    """A sequence played on a fresh state of each side, its last step compared as a run does:
    the differences, as ``step N: message`` (an empty list when they agree). Each step is a
    request and the values of its path that an earlier answer made
    (``{value: (step, "body:/id")}``): each side fills them from its own answers, and the
    earlier steps only make the state the last one needs. The pytest tests parity writes for
    sequence findings call this."""
    from contract_tools._parity.sequence_reproduction import replay_sequence as play

    differences = play(
        baseline, candidate, steps, strict=strict, disable=disable, ignore=ignore, app_dir=app_dir
    )
    return [f"step {len(steps)}: {d.message}" for d in differences]
