"""The stateful phase inside a parity run: its budget from the settings, its drifts as Findings.

``runner`` calls ``run_stateful`` once, after the single-request phase, with what that phase
built (the judge, the noise book, the operations selected) and a test for the drifts it already
reported. Each sequence drift becomes a Finding whose ``sequence`` holds every step up to the one
that differs (both sides' requests where they differ), whose ``step`` names it, and whose
reproduction is a curl script per side and a pytest test replaying the sequence.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from contract_tools._parity.case import Judge, Outcome
from contract_tools._parity.compare import Difference
from contract_tools._parity.generate import MergedOperation
from contract_tools._parity.links import infer_links
from contract_tools._parity.noise import NoiseBook, request_shape
from contract_tools._parity.normalize import Normalizer
from contract_tools._parity.sequence_drifts import Budget, SequenceDrift
from contract_tools._parity.sequence_reproduction import bindings_of, curl_script, pytest_sequence
from contract_tools._parity.session import Session
from contract_tools._parity.stateful import StatefulPhase
from contract_tools.models import (
    DriftKey,
    Event,
    Exchange,
    Finding,
    Level,
    Reproduction,
    Request,
    ResponsePath,
    SequenceStep,
)
from contract_tools.settings import ParitySettings

# Plans a shrink may play per drift: each plays up to max_steps requests on each side.
SHRINK_SEQUENCES_PER_DRIFT = 40


@dataclass
class StatefulResult:
    findings: list[Finding] = field(default_factory=list)
    meta: dict[str, Any] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


def run_stateful(
    session: Session,
    settings: ParitySettings,
    *,
    operations: Sequence[MergedOperation],
    judge: Judge,
    noise: NoiseBook,
    normalizer: Normalizer,
    seed: int,
    known: Callable[[DriftKey], Level | None],
    single: Callable[[str, Difference, Request, Outcome], object],
    redact: Callable[[Request], Request],
    emit: Callable[[Event], None],
) -> StatefulResult:
    """Run the sequences (the session is open) and build their findings."""
    usable = [op for op in operations if op.sources]
    links = infer_links(usable, session.specs)
    label = "sequences"
    budget = Budget(
        max_sequences=settings.max_sequences,
        max_steps=settings.max_steps,
        shrink=settings.shrink,
        shrink_sequences=SHRINK_SEQUENCES_PER_DRIFT,
        skeletons=settings.coverage,
    )
    # Events of their own kinds: "operation" and "case" events count operations.
    emit(Event("sequences", label, budget=budget.max_sequences))

    def progress(sent: int, drifts: int) -> None:
        emit(Event("sequence", label, cases=sent, budget=budget.max_sequences, findings=drifts))

    phase = StatefulPhase(
        session.baseline,
        session.candidate,
        judge,
        noise,
        normalizer,
        known=known,
        on_single=single,
        on_sequence=progress,
    )
    # One seed for the phase, derived from the run's: the same seed gives the same plans.
    phase.run(usable, links, budget, seed=(seed * 31 + 13) % 2**32)
    result = StatefulResult(warnings=list(phase.warnings))
    for drift, paths in phase.final():
        result.findings.append(_finding(drift, paths, session, settings, noise, redact))
    result.meta = {
        "state": "fresh per sequence" if phase.fresh else "shared",
        "sequences": phase.sequences,
        "shrink_sequences": phase.shrink_sequences,
        "steps": phase.steps,
        "max_steps": settings.max_steps,
        "max_sequences": settings.max_sequences,
        "links": len(links),
        **({"failure": phase.failure} if phase.failure else {}),
    }
    return result


def _finding(
    drift: SequenceDrift,
    paths: tuple[ResponsePath, ...],
    session: Session,
    settings: ParitySettings,
    noise: NoiseBook,
    redact: Callable[[Request], Request],
) -> Finding:
    run = drift.run
    upto = drift.step
    operations = [step.operation for step in run.plan[:upto]]
    steps = []
    for index in range(upto):
        base_request = redact(run.baseline.requests[index])
        cand_request = redact(run.candidate.requests[index])
        steps.append(
            SequenceStep(
                operations[index],
                Exchange(
                    base_request, run.baseline.responses[index], run.candidate.responses[index]
                ),
                cand_request if cand_request != base_request else None,
            )
        )
    # What the run did not compare at each step (noise is per operation and request shape).
    ignore = sorted(
        {
            p
            for index, op in enumerate(operations)
            for p in noise.patterns(
                op, request_shape(run.baseline.requests[index], run.baseline.responses[index])
            )
        }
    )
    reproduction = Reproduction(
        curl=(
            (
                "baseline",
                curl_script(run.baseline, operations, session.baseline.base_url, upto, redact),
            ),
            (
                "candidate",
                curl_script(run.candidate, operations, session.candidate.base_url, upto, redact),
            ),
        ),
        pytest=pytest_sequence(
            session.baseline.name,
            session.candidate.name,
            [redact(r) for r in run.baseline.requests[:upto]],
            bindings_of(run.baseline, upto),
            drift.key.id,
            drift.key.operation,
            strict=settings.strict,
            disable=settings.disabled_rules,
            ignore=ignore,
        ),
    )
    path = " -> ".join(operations)
    return Finding(
        id=drift.key.id,
        level=drift.level,
        operation=drift.key.operation,
        message=f"{drift.message} (step {upto} of the sequence {path})",
        count=drift.count,
        paths=paths,
        exchange=steps[-1].exchange,
        reproduction=reproduction,
        sequence=tuple(steps),
        step=upto,
        about=drift.about or None,
    )
