"""The parity run: every operation explored, each new drift shrunk, findings built.

The loop only orchestrates; each step is its own module: ``exploration`` (what is sent),
``case`` (one request to both sides, compared), ``identity`` (which differences are one drift),
``shrinking`` (a minimal request per drift), ``reproduction`` (curl and pytest), ``store``
(drifts kept between runs). Progress is reported through a callback; the engine never prints.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable

from contract_tools._parity.case import Judge
from contract_tools._parity.exploration import modes_of
from contract_tools._parity.generate import (
    BASELINE,
    CANDIDATE,
    MergedOperation,
    merge_operations,
)
from contract_tools._parity.harvest import ValuePool
from contract_tools._parity.identity import Signature, Signatures
from contract_tools._parity.noise import NoiseBook
from contract_tools._parity.normalize import Normalizer
from contract_tools._parity.probe_phase import PathIndex, ProbePhase
from contract_tools._parity.probes import select as select_probes
from contract_tools._parity.reproduction import REDACTED, curl, live_url, pytest_snippet, serving
from contract_tools._parity.safety import (
    UNSAFE_PROBES,
    check_safety,
    nothing_compared,
    remote_targets,
)
from contract_tools._parity.selection import select, unmatched
from contract_tools._parity.session import Session
from contract_tools._parity.stateful_run import StatefulResult, run_stateful
from contract_tools._parity.store import DriftStore
from contract_tools._parity.unit import Shared, Unit, merge
from contract_tools._parity.workers import run_units
from contract_tools.causes import with_causes
from contract_tools.errors import UsageError
from contract_tools.models import (
    DriftKey,
    Event,
    Level,
    Mode,
    Report,
    Reproduction,
    Request,
    sort_findings,
)
from contract_tools.settings import ParitySettings

ProgressCallback = Callable[[Event], None]


def run_parity(
    session: Session, settings: ParitySettings, on_event: ProgressCallback | None = None
) -> Report:
    """Run the whole comparison and return the parity Report (the session is closed after)."""
    return _Run(session, settings, on_event).run()


class _Run:
    def __init__(
        self, session: Session, settings: ParitySettings, on_event: ProgressCallback | None
    ) -> None:
        self.session = session
        self.settings = settings
        self.emit = on_event or (lambda event: None)
        self.seed = settings.seed if settings.seed is not None else random.randrange(2**32)
        self.normalizer = Normalizer.preset(
            settings.preset, strict=settings.strict, disable=settings.disabled_rules
        )
        self.noise = NoiseBook(settings.ignore_pairs)
        self.judge = Judge(
            session.baseline,
            session.candidate,
            session.specs,
            self.normalizer,
            self.noise,
            settings.header_pairs,
        )
        self.signatures = Signatures()
        # Drifts only the drift store's requests showed: reported apart, never mixed into the
        # seeded run's findings, so a seed repeats its run on every machine.
        self.earlier = Signatures()
        self.skipped: list[dict[str, str]] = []
        self.warnings: list[str] = []
        self.cases = 0
        self.compared = 0  # cases where both sides answered
        self.shrink_cases = 0  # requests sent while shrinking, not part of ``cases``
        self.store = DriftStore.at(settings.database) if settings.database else None
        try:
            self.probes = select_probes(settings.probes)
        except ValueError as exc:
            raise UsageError(f"--probes: {exc}") from None
        self.probe_cases = 0  # requests the probe phase sent, not part of ``cases``
        self.workers = 1  # processes that explored the operations (1: this one)
        # Values both sides answered with, and the specs' examples, for later requests.
        self.pool = ValuePool()
        for side in (BASELINE, CANDIDATE):
            self.pool.add_examples(session.specs.get(side))
        self.paths = PathIndex((), ())

    def run(self) -> Report:
        started = time.perf_counter()
        operations = self._operations()
        budget = self.settings.max_examples
        self.emit(Event("start", total=len(operations), budget=budget))
        for warning in self.warnings:
            self.emit(Event("warning", message=warning))
        stateful: StatefulResult | None = None
        with self.session:
            # Every operation's run, for JUnit and reports.
            timings = self._explore(self._units(operations))
            if self.settings.stateful and (self.settings.shard or (1, 1))[0] == 1:
                # Sequences span operations: one shard (the first) runs them.
                stateful = run_stateful(
                    self.session,
                    self.settings,
                    operations=operations,
                    judge=self.judge,
                    noise=self.noise,
                    normalizer=self.normalizer,
                    seed=self.seed,
                    known=self._reported_level,
                    single=self.signatures.record,
                    redact=self._redact,
                    emit=self.emit,
                )
        # Closing never raises (a lifespan shutdown that failed): said once, findings kept.
        for target in (self.session.baseline, self.session.candidate):
            self.warnings.extend(dict.fromkeys(getattr(target, "close_problems", ())))
        if stateful is not None:
            self.warnings.extend(stateful.warnings)
        findings = self.signatures.findings(self.noise.filter, self._reproduce, self._redact)
        findings += stateful.findings if stateful is not None else []
        if self.compared == 0:
            findings.append(nothing_compared(len(operations), len(self.skipped), self.cases))
        seen_before = self.earlier.findings(self.noise.filter, self._reproduce, self._redact)
        duration = time.perf_counter() - started
        self.emit(Event("done", total=len(operations), cases=self.cases, findings=len(findings)))
        report = Report(
            command="parity",
            findings=sort_findings(findings),
            meta={
                "baseline": self.session.baseline.name,
                "candidate": self.session.candidate.name,
                "summary": {
                    "operations": len(operations),
                    "cases": self.cases,
                    "shrink_cases": self.shrink_cases,
                    "probe_cases": self.probe_cases,
                    "findings": len(findings),
                    "sequences": stateful.meta["sequences"] if stateful is not None else 0,
                    "seed": self.seed,
                    "duration_s": round(duration, 3),
                },
                "mode": self.settings.mode.value,
                "max_examples": self.settings.max_examples,
                "workers": self.workers,
                "normalization": list(self.normalizer.names),
                **({"warnings": self.warnings} if self.warnings else {}),
                **(
                    {"seen_before": [f.to_dict() for f in sort_findings(seen_before)]}
                    if self.store is not None
                    else {}
                ),
                "operations": timings,
                **serving(self.session.baseline, self.session.candidate),
                "probes": [p.name for p in self.probes],
                **({"stateful": stateful.meta} if stateful is not None else {}),
            },
            noise=self.noise.to_report(),
            skipped=tuple(self.skipped),
        )
        return with_causes(report)

    def _operations(self) -> list[MergedOperation]:
        settings = self.settings
        every = merge_operations(self.session.specs)
        operations = select(every, settings.include, settings.exclude)
        if settings.include and not operations:
            raise UsageError("--include matched no operation")
        for flag, patterns in (("--include", settings.include), ("--exclude", settings.exclude)):
            for pattern in unmatched(every, patterns):
                self.warnings.append(f"{flag} {pattern!r} matches no operation")
        # Before sharding: a path's probes go with its first selected operation in every shard.
        self.paths = PathIndex(every, operations)
        if settings.shard is not None:
            # By position in the sorted union: every operation in exactly one of N shards.
            k, n = settings.shard
            operations = [op for i, op in enumerate(operations) if i % n == k - 1]
        check_safety(self.session, operations, settings.allow_unsafe)
        if not settings.allow_unsafe and remote_targets(self.session):
            dropped = [p.name for p in self.probes if p.name in UNSAFE_PROBES]
            self.probes = [p for p in self.probes if p.name not in UNSAFE_PROBES]
            if dropped:
                self.warnings.append(
                    f"probe {', '.join(dropped)} left out: it sends DELETE/PATCH/PUT/POST to a "
                    "server that is not this machine (--allow-unsafe to send it)"
                )
        return operations

    # -- the phases ----------------------------------------------------------------------

    def _units(self, operations: list[MergedOperation]) -> list[tuple[MergedOperation, Unit]]:
        """The probe phase of every operation, here and in operation order; then one unit per
        operation, each with the drift store's requests for it (the store stays here)."""
        units = []
        for index, op in enumerate(operations):
            if op.sources and self.probes:
                self.probe_cases += self._probe(op)
            stored: tuple[tuple[Mode, tuple[Request, ...]], ...] = ()
            if self.store is not None and op.sources:
                stored = tuple(
                    (mode, tuple(self.store.requests(op.key, mode.value)))
                    for mode in modes_of(self.settings.mode)
                )
            units.append((op, Unit(index, op.key, stored)))
        return units

    def _explore(self, units: list[tuple[MergedOperation, Unit]]) -> list[dict[str, object]]:
        """Every operation explored from what the probe phase left (in workers when asked);
        the results merged in operation order. Returns the timings."""
        shared = Shared(self.settings, self.seed, self.pool, self.noise.learned_items())
        drifts = len(self.signatures)
        results, self.workers = run_units(units, shared, self.session, self.emit, drifts=drifts)
        merged = merge(results)
        self.signatures.by_key.update(merged.signatures.by_key)
        self.earlier = merged.earlier
        self.noise.restore(merged.noise)
        self.cases += merged.cases
        self.compared += merged.compared
        self.shrink_cases += merged.shrink_cases
        self.skipped += merged.skipped
        self.warnings.extend(w for w in dict.fromkeys(merged.warnings) if w not in self.warnings)
        if self.store is not None:
            for operation, mode, request in merged.save:
                self.store.save(operation, mode.value, request)
            for operation, mode, request in merged.forget:
                self.store.forget(operation, mode.value, request)
        return merged.timings

    def _probe(self, op: MergedOperation) -> int:
        """The probe phase: deterministic requests no spec declares; never shrunk or stored
        (they are minimal already, and a stored one would come back as a generated case)."""
        phase = ProbePhase(
            self.probes,
            self.paths,
            send=self.judge,
            record=lambda operation, diff, request, outcome, probe: self.signatures.record(
                operation, diff, request, outcome, probe
            ),
            seen=lambda outcome: self.pool.take(outcome.baseline, outcome.candidate),
        )
        return phase.run(op, self.pool.values())

    def _reported_level(self, key: DriftKey) -> Level | None:
        sig = self.signatures.by_key.get(key)
        return sig.level if sig is not None else None

    # -- findings --------------------------------------------------------------------------

    def _redact(self, request: Request) -> Request:
        # --header values are usually credentials and reports travel (CI artifacts, PR
        # comments): they are written as REDACTED; `contract-tools replay --header` adds them back.
        headers = self.settings.header_pairs
        return request.with_headers((name, REDACTED) for name, _ in headers) if headers else request

    def _reproduce(self, sig: Signature, request: Request) -> Reproduction:
        session, settings = self.session, self.settings
        return Reproduction(
            curl=(
                ("baseline", curl(request, live_url(session.baseline), side="baseline")),
                ("candidate", curl(request, live_url(session.candidate), side="candidate")),
            ),
            pytest=pytest_snippet(
                session.baseline.name,
                session.candidate.name,
                request,
                sig.key.id,
                sig.key.operation,
                strict=settings.strict,
                disable=settings.disabled_rules,
                ignore=self.noise.patterns(sig.key.operation, sig.shape),
            ),
        )
