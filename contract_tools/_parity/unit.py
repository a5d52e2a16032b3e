"""One unit of the exploration phase: one operation explored, its new drifts shrunk.

A unit starts from what every unit of the run starts from (``Shared``: the settings, the run's
seed, the value pool and the noise learned by the probe phase) and from nothing another unit
did: values it harvests and noise it learns stay in it. So a run's findings do not depend on
how many processes ran the units, or in which order they finished (``workers.py``), and
``merge`` puts the results together in operation order.

The drift store is the parent's: a unit gets the requests stored for its operation (read
before it runs) and says which to save and which to forget; it never opens the store.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from contract_tools._parity.case import Judge, Outcome
from contract_tools._parity.exploration import explore, failure_reason, modes_of, operation_seed
from contract_tools._parity.generate import MergedOperation
from contract_tools._parity.harvest import ValuePool
from contract_tools._parity.identity import Signature, Signatures, drift_key
from contract_tools._parity.noise import Learned, NoiseBook
from contract_tools._parity.normalize import Normalizer
from contract_tools._parity.shrinking import shrink
from contract_tools._parity.store import store_order
from contract_tools._parity.targets import Target
from contract_tools._parity.window import window_for
from contract_tools.models import DriftKey, Mode, Request
from contract_tools.settings import ParitySettings

# (requests sent so far, drifts this unit has seen): live progress of an in-process unit.
OnCase = Callable[[int, int], None]


@dataclass(frozen=True)
class Shared:
    """What every unit of a run starts from: the same whatever the number of workers."""

    settings: ParitySettings
    seed: int
    pool: ValuePool  # the values harvested by the probe phase (and the specs' examples)
    noise: Learned  # the noise the probe phase learned


@dataclass(frozen=True)
class Unit:
    """One operation to explore: its position in the run and its stored drift requests."""

    index: int
    operation: str
    stored: tuple[tuple[Mode, tuple[Request, ...]], ...] = ()


@dataclass
class UnitResult:
    """What a unit found; picklable (it comes back from a worker process)."""

    index: int
    operation: str
    signatures: dict[DriftKey, Signature] = field(default_factory=dict)
    earlier: dict[DriftKey, Signature] = field(default_factory=dict)  # seen-before drifts
    noise: Learned = field(default_factory=dict)
    cases: int = 0
    compared: int = 0
    shrink_cases: int = 0
    time_s: float = 0.0
    skipped: str | None = None
    save: list[tuple[Mode, Request]] = field(default_factory=list)
    forget: list[tuple[Mode, Request]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # a worker's targets closing badly


@dataclass
class Merged:
    """Every unit's result, in operation order."""

    signatures: Signatures = field(default_factory=Signatures)
    earlier: Signatures = field(default_factory=Signatures)
    noise: Learned = field(default_factory=dict)
    cases: int = 0
    compared: int = 0
    shrink_cases: int = 0
    skipped: list[dict[str, str]] = field(default_factory=list)
    timings: list[dict[str, object]] = field(default_factory=list)
    save: list[tuple[str, Mode, Request]] = field(default_factory=list)
    forget: list[tuple[str, Mode, Request]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def merge(results: Iterable[UnitResult]) -> Merged:
    """Results -> one, by operation order whatever the order they came in: drifts by key in
    that order (units explore different operations, so no key is in two), noise united."""
    merged = Merged()
    for result in sorted(results, key=lambda r: r.index):
        merged.signatures.by_key.update(result.signatures)
        merged.earlier.by_key.update(result.earlier)
        for place, paths in result.noise.items():
            merged.noise.setdefault(place, set()).update(paths)
        merged.cases += result.cases
        merged.compared += result.compared
        merged.shrink_cases += result.shrink_cases
        if result.skipped is not None:
            merged.skipped.append({"operation": result.operation, "reason": result.skipped})
        merged.timings.append(
            {"operation": result.operation, "cases": result.cases, "time_s": result.time_s}
        )
        merged.save += [(result.operation, mode, request) for mode, request in result.save]
        merged.forget += [(result.operation, mode, request) for mode, request in result.forget]
        merged.warnings += result.warnings
    return merged


def judge_for(
    baseline: Target,
    candidate: Target,
    specs: Mapping[str, dict[str, Any] | None],
    settings: ParitySettings,
    noise: NoiseBook,
) -> Judge:
    normalizer = Normalizer.preset(
        settings.preset, strict=settings.strict, disable=settings.disabled_rules
    )
    return Judge(baseline, candidate, specs, normalizer, noise, settings.header_pairs)


def run_unit(
    op: MergedOperation,
    unit: Unit,
    shared: Shared,
    judge_of: Callable[[NoiseBook], Judge],
    on_case: OnCase | None = None,
) -> UnitResult:
    """Explore ``op`` from ``shared``; ``judge_of(noise)`` sends to both sides."""
    began = time.perf_counter()
    result = UnitResult(unit.index, unit.operation)
    if not op.sources:
        reason = "; ".join(f"{side}: {why}" for side, why in op.errors.items())
        result.skipped = reason or "no schema"
        return result
    settings = shared.settings
    noise = NoiseBook(settings.ignore_pairs)
    noise.restore(shared.noise)
    judge = judge_of(noise)
    pool = shared.pool.copy()
    before = op.values
    op.values = pool if settings.harvest else None
    try:
        _explore(op, unit, shared, judge, pool, result, on_case or (lambda sent, drifts: None))
    finally:
        op.values = before
    result.noise = noise.learned_items()
    result.time_s = round(time.perf_counter() - began, 3)
    return result


def _explore(
    op: MergedOperation,
    unit: Unit,
    shared: Shared,
    judge: Judge,
    pool: ValuePool,
    result: UnitResult,
    on_case: OnCase,
) -> None:
    settings = shared.settings
    signatures, earlier = Signatures(), Signatures()
    new: dict[DriftKey, Mode] = {}  # each drift first seen here -> the mode that found it

    def seen(request: Request, outcome: Outcome, mode: Mode) -> None:
        result.cases += 1
        if outcome.baseline.no_answer is None and outcome.candidate.no_answer is None:
            result.compared += 1
        pool.take(outcome.baseline, outcome.candidate)
        for diff in outcome.differences:
            sig = signatures.record(op.key, diff, request, outcome)
            if sig.count == 1:
                new.setdefault(sig.key, mode)
        on_case(result.cases, len(signatures))

    def seed(mode: Mode) -> int:
        return operation_seed(shared.seed, op, mode, settings.mode)

    explored = explore(
        op,
        mode=settings.mode,
        max_examples=settings.max_examples,
        coverage=settings.coverage,
        seed=seed,
        on_case=seen,
        send=judge,
        window=window_for(judge, op, settings.concurrency),
    )
    result.signatures = signatures.by_key
    if explored.skip_reason is not None:
        result.skipped = explored.skip_reason
        return
    if explored.sent == 0 and explored.failure is not None:
        result.skipped = failure_reason(explored.failure)
        return
    for key, mode in new.items():
        sig = signatures[key]
        if settings.shrink:
            result.shrink_cases += shrink(
                sig,
                explored.strategies[mode],
                cache=explored.cache,
                choices=explored.choices,
                send=lambda request: judge(op, request),
                max_examples=settings.max_examples,
                budget=settings.shrink_budget,
                op_seed=seed(mode),
            )
        if settings.database:
            result.save.append((mode, sig.request))
    if not settings.database:
        return
    # The drift store's requests after the seeded exploration (the ones just saved too): a
    # drift they show that the run did not find is reported apart; one that no longer shows
    # was fixed and is forgotten.
    stored = dict(unit.stored)
    for mode in modes_of(settings.mode):
        saved = [request for each, request in result.save if each is mode]
        for request in store_order([*stored.get(mode, ()), *saved]):
            outcome = explored.cache.get(request) or judge(op, request)
            if not outcome.differences:
                result.forget.append((mode, request))
            for diff in outcome.differences:
                if drift_key(op.key, diff) not in signatures.by_key:
                    earlier.record(op.key, diff, request, outcome)
    result.earlier = earlier.by_key
