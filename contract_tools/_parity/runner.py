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

from contract_tools._parity.case import Judge, Outcome
from contract_tools._parity.exploration import explore, failure_reason, operation_seed
from contract_tools._parity.generate import MergedOperation, merge_operations, select
from contract_tools._parity.identity import Signature, Signatures
from contract_tools._parity.noise import NoiseBook
from contract_tools._parity.normalize import Normalizer
from contract_tools._parity.reproduction import REDACTED, curl, pytest_snippet
from contract_tools._parity.session import Session
from contract_tools._parity.shrinking import shrink
from contract_tools._parity.stateful_run import StatefulResult, run_stateful
from contract_tools._parity.store import DriftStore
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
        self.skipped: list[dict[str, str]] = []
        self.cases = 0
        self.shrink_cases = 0  # requests sent while shrinking, not part of ``cases``
        self.store = DriftStore.at(settings.database) if settings.database else None

    def run(self) -> Report:
        started = time.perf_counter()
        operations = self._operations()
        budget = self.settings.max_examples
        self.emit(Event("start", total=len(operations), budget=budget))
        stateful: StatefulResult | None = None
        with self.session:
            for index, op in enumerate(operations):
                self.emit(Event("operation", op.key, index, len(operations), 0, budget))
                self._operation(op, index, len(operations))
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
        findings = self.signatures.findings(self.noise.filter, self._reproduce, self._redact)
        findings += stateful.findings if stateful is not None else []
        duration = time.perf_counter() - started
        self.emit(Event("done", total=len(operations), cases=self.cases, findings=len(findings)))
        return Report(
            command="parity",
            findings=sort_findings(findings),
            meta={
                "baseline": self.session.baseline.name,
                "candidate": self.session.candidate.name,
                "summary": {
                    "operations": len(operations),
                    "cases": self.cases,
                    "shrink_cases": self.shrink_cases,
                    "findings": len(findings),
                    "sequences": stateful.meta["sequences"] if stateful is not None else 0,
                    "seed": self.seed,
                    "duration_s": round(duration, 3),
                },
                "mode": self.settings.mode.value,
                "max_examples": self.settings.max_examples,
                "normalization": list(self.normalizer.names),
                **({"stateful": stateful.meta} if stateful is not None else {}),
                **({"warnings": stateful.warnings} if stateful and stateful.warnings else {}),
            },
            noise=self.noise.to_report(),
            skipped=tuple(self.skipped),
        )

    def _operations(self) -> list[MergedOperation]:
        settings = self.settings
        operations = select(
            merge_operations(self.session.specs), settings.include, settings.exclude
        )
        if settings.include and not operations:
            raise UsageError("--include matched no operation")
        if settings.shard is not None:
            # By position in the sorted union: every operation in exactly one of N shards.
            k, n = settings.shard
            operations = [op for i, op in enumerate(operations) if i % n == k - 1]
        return operations

    # -- one operation ---------------------------------------------------------------------

    def _operation(self, op: MergedOperation, index: int, total: int) -> None:
        if not op.sources:
            reason = "; ".join(f"{side}: {why}" for side, why in op.errors.items())
            self._skip(op, reason or "no schema")
            return
        settings = self.settings
        budget = settings.max_examples * (2 if settings.mode is Mode.ALL else 1)
        stored = self.store.requests(op.key) if self.store is not None else []

        new: dict[DriftKey, Mode] = {}  # each drift first seen here -> the mode that found it
        sent = 0

        def seen(request: Request, outcome: Outcome, mode: Mode) -> None:
            nonlocal sent
            sent += 1
            self.cases += 1
            for diff in outcome.differences:
                sig = self.signatures.record(op.key, diff, request, outcome)
                if sig.count == 1:
                    new.setdefault(sig.key, mode)
            self.emit(Event("case", op.key, index, total, sent, budget, len(self.signatures)))

        result = explore(
            op,
            mode=settings.mode,
            max_examples=settings.max_examples,
            coverage=settings.coverage,
            seed=lambda mode: operation_seed(self.seed, op, mode, settings.mode),
            stored=stored,
            on_case=seen,
            send=self.judge,
        )
        if result.skip_reason is not None:
            self._skip(op, result.skip_reason)
            return
        if self.store is not None:
            # A stored drift that no longer shows was fixed: forget it.
            for request in stored:
                if not result.cache[request].differences:
                    self.store.forget(op.key, request)
        if result.sent == 0 and result.failure is not None:
            self._skip(op, failure_reason(result.failure))
            return
        for key, mode in new.items():
            sig = self.signatures[key]
            if settings.shrink:
                self.shrink_cases += shrink(
                    sig,
                    result.strategies[mode],
                    cache=result.cache,
                    send=lambda request: self.judge(op, request),
                    max_examples=settings.max_examples,
                    budget=settings.shrink_budget,
                    op_seed=operation_seed(self.seed, op, mode, settings.mode),
                )
            if self.store is not None:
                self.store.save(op.key, sig.request)

    def _reported_level(self, key: DriftKey) -> Level | None:
        sig = self.signatures.by_key.get(key)
        return sig.level if sig is not None else None

    def _skip(self, op: MergedOperation, reason: str) -> None:
        self.skipped.append({"operation": op.key, "reason": reason})
        self.emit(Event("skipped", op.key))

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
                ("baseline", curl(request, session.baseline.base_url)),
                ("candidate", curl(request, session.candidate.base_url)),
            ),
            pytest=pytest_snippet(
                session.baseline.name,
                session.candidate.name,
                request,
                sig.key.id,
                sig.key.operation,
                strict=settings.strict,
                disable=settings.disabled_rules,
                ignore=self.noise.patterns(sig.key.operation),
            ),
        )
