"""The parity loop: generate, send to both, compare, cancel noise, shrink, deduplicate.

Per operation a Hypothesis exploration runs ``max_examples`` cases without failing; every new
drift signature (operation, finding id, paths) is then shrunk by Hypothesis's own shrinker. The
shrink run replays the exploration (same strategy, same seed, answers from the per-request cache,
so nothing is re-sent) until the signature's first request, raises there, and Hypothesis shrinks
from that known failing example. (``hypothesis.find`` had to re-discover a failure from scratch
inside the budget and often kept the first, huge example.) Requests sent while shrinking are
counted in the summary as ``shrink_cases``, apart from the explored ``cases``.
Progress is reported through a callback; the engine never prints.
"""

from __future__ import annotations

import random
import time
import zlib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from contract_tools.errors import SpecLoadError, UsageError
from contract_tools.models import Finding, Level, Report
from contract_tools.parity.compare import BODY, CRASH, HEADER, STATUS, Difference, compare
from contract_tools.parity.contract import PathContract
from contract_tools.parity.drifts import DriftStore
from contract_tools.parity.exchange import Request, Response
from contract_tools.parity.generate import (
    BASELINE,
    CANDIDATE,
    MODES,
    Operation,
    build_strategy,
    coverage_requests,
    match_key,
    merge_operations,
    select,
)
from contract_tools.parity.noise import NoiseBook, probe
from contract_tools.parity.normalize import Normalizer
from contract_tools.parity.targets import Target, URLTarget

MISSING = "missing"
FINDING_IDS = {
    STATUS: "status-mismatch",
    BODY: "body-mismatch",
    HEADER: "header-mismatch",
    MISSING: "missing-operation",
    CRASH: "crash",
}
_NO_ROUTE = (404, 405)
REDACTED = "REDACTED"


@dataclass(frozen=True)
class ParityOptions:
    max_examples: int = 100
    seed: int | None = None
    mode: str = "all"
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    headers: tuple[tuple[str, str], ...] = ()
    strict: bool = False
    preset: str = "flask-fastapi"
    disable: tuple[str, ...] = ()  # normalisation rules switched off by name
    ignore_paths: tuple[tuple[str, str], ...] = ()  # (operation or "*", JSON path pattern)
    shrink: bool = True
    # Requests sent (cache misses) per drift while shrinking: enough to minimise, bounded so a
    # run ends. Cached answers cost no request; their draws are bounded by _DRAWS_PER_SEND.
    shrink_budget: int = 150
    # (K, N): this run covers the K-th of N deterministic slices of the operations (CI matrix).
    shard: tuple[int, int] | None = None
    # Where shrunk drift requests are kept and replayed first next run (directory or redis://).
    database: str | None = None
    # Schemathesis's deterministic boundary cases first, at most max_examples per operation.
    coverage: bool = True


@dataclass(frozen=True)
class Event:
    """Progress: ``start``, ``operation``, ``case``, ``skipped``, ``done``."""

    kind: str
    operation: str = ""
    index: int = 0
    total: int = 0
    cases: int = 0
    budget: int = 0
    findings: int = 0


ProgressCallback = Callable[[Event], None]


@dataclass
class _Signature:
    operation: str
    kind: str
    level: Level
    paths: tuple[str, ...]
    message: str
    count: int = 0
    request: Request | None = None
    baseline: Response | None = None
    candidate: Response | None = None


@dataclass
class _Outcome:
    baseline: Response
    candidate: Response
    differences: list[Difference] = field(default_factory=list)


def resolve_specs(
    baseline: Target, candidate: Target, spec_files: Iterable[str] = ()
) -> dict[str, dict[str, Any] | None]:
    """Each side's spec: ``--spec`` once (both sides), twice (baseline, candidate), or the apps."""
    from contract_tools.spec.sources import load_spec

    files = list(spec_files)
    if len(files) > 2:
        raise UsageError("--spec may be given once (both sides) or twice (baseline, candidate)")
    if len(files) == 1:
        doc = load_spec(files[0])
        return {BASELINE: doc, CANDIDATE: doc}
    if len(files) == 2:
        return {BASELINE: load_spec(files[0]), CANDIDATE: load_spec(files[1])}
    specs = {BASELINE: spec_of(baseline), CANDIDATE: spec_of(candidate)}
    if not any(specs.values()):
        raise UsageError("neither side gives an OpenAPI document: pass one with --spec FILE")
    return specs


def spec_of(target: Target) -> dict[str, Any] | None:
    """A Flask app's draft, a FastAPI app's own document, a server's /openapi.json, or None."""
    from contract_tools.apps import AppKind, app_kind

    if isinstance(target, URLTarget):
        from contract_tools.spec.fastapi import fetch_spec_url

        try:
            return fetch_spec_url(target.base_url + "/openapi.json")
        except SpecLoadError:
            return None
    app = target.app_for_spec()
    if app is None:
        return None
    kind = app_kind(app)
    if kind is AppKind.FLASK:
        from contract_tools.spec.flask import build_flask_spec

        return build_flask_spec(app).document
    if kind in (AppKind.FASTAPI, AppKind.ASGI):
        from contract_tools.spec.fastapi import fastapi_spec

        try:
            return fastapi_spec(app)
        except SpecLoadError:
            if kind is AppKind.FASTAPI:
                raise
            return None
    return None


def run_parity(
    baseline: Target,
    candidate: Target,
    specs: Mapping[str, dict[str, Any] | None],
    options: ParityOptions | None = None,
    on_event: ProgressCallback | None = None,
) -> Report:
    """Run the whole comparison and return the parity Report (targets are opened and closed)."""
    return _Run(baseline, candidate, specs, options or ParityOptions(), on_event).run()


class _Run:
    def __init__(
        self,
        baseline: Target,
        candidate: Target,
        specs: Mapping[str, dict[str, Any] | None],
        options: ParityOptions,
        on_event: ProgressCallback | None,
    ) -> None:
        if options.mode not in MODES:
            raise UsageError(f"--mode must be one of {', '.join(MODES)}, not {options.mode!r}")
        if options.max_examples < 1:
            raise UsageError("--max-examples must be at least 1")
        if options.shard is not None and not 1 <= options.shard[0] <= options.shard[1]:
            raise UsageError(f"--shard must be K/N with 1 <= K <= N, not {options.shard}")
        self.baseline = baseline
        self.candidate = candidate
        self.specs = specs
        self.options = options
        self.emit = on_event or (lambda event: None)
        self.seed = options.seed if options.seed is not None else random.randrange(2**32)
        self.normalizer = Normalizer.preset(
            options.preset, strict=options.strict, disable=options.disable
        )
        self.noise = NoiseBook(options.ignore_paths)
        self.signatures: dict[tuple[str, str, tuple[str, ...]], _Signature] = {}
        self.skipped: list[dict[str, Any]] = []
        self.cases = 0
        self.shrink_cases = 0  # requests sent while shrinking, not part of ``cases``
        self._contracts: dict[str, PathContract | None] = {}
        self.store = DriftStore.at(options.database) if options.database else None

    def run(self) -> Report:
        started = time.perf_counter()
        operations = select(
            merge_operations(self.specs), self.options.include, self.options.exclude
        )
        if self.options.include and not operations:
            raise UsageError("--include matched no operation")
        if self.options.shard is not None:
            # By position in the sorted union: every operation in exactly one of N shards.
            k, n = self.options.shard
            operations = [op for i, op in enumerate(operations) if i % n == k - 1]
        self.emit(Event("start", total=len(operations), budget=self.options.max_examples))
        with self.baseline, self.candidate:
            for index, op in enumerate(operations):
                self.emit(
                    Event("operation", op.key, index, len(operations), 0, self.options.max_examples)
                )
                self._operation(op, index, len(operations))
        findings = self._findings()
        duration = time.perf_counter() - started
        self.emit(Event("done", total=len(operations), cases=self.cases, findings=len(findings)))
        return Report(
            command="parity",
            findings=tuple(
                sorted(findings, key=lambda f: (f.operation, -f.level, f.id, f.message))
            ),
            meta={
                "baseline": self.baseline.name,
                "candidate": self.candidate.name,
                "summary": {
                    "operations": len(operations),
                    "cases": self.cases,
                    "shrink_cases": self.shrink_cases,
                    "findings": len(findings),
                    "seed": self.seed,
                    "duration_s": round(duration, 3),
                },
                "mode": self.options.mode,
                "max_examples": self.options.max_examples,
                "normalization": list(self.normalizer.names),
            },
            noise=self.noise.to_report(),
            skipped=tuple(self.skipped),
        )

    # -- one operation ---------------------------------------------------------------------

    def _operation(self, op: Operation, index: int, total: int) -> None:
        if not op.sources:
            reason = "; ".join(f"{side}: {why}" for side, why in op.errors.items())
            self._skip(op, reason or "no schema")
            return
        # --mode all is a positive and a negative run, each with its own budget: drawn from one
        # pool, invalid inputs crowded out the rare valid body a drift needs (review found the
        # example's 201 -> 200 missed in --mode all).
        modes = ("positive", "negative") if self.options.mode == "all" else (self.options.mode,)
        strategies: dict[str, Any] = {}
        reason = "no side declares a generatable schema"
        for mode in modes:
            try:
                strategies[mode] = build_strategy(op, mode)
            except Exception as exc:
                reason = f"{type(exc).__name__}: {exc}"
        if not strategies:
            self._skip(op, reason)
            return
        cache: dict[Request, _Outcome] = {}
        new: dict[tuple[str, str, tuple[str, ...]], str] = {}  # signature -> mode that found it
        budget = self.options.max_examples * len(strategies)
        done = 0
        current = next(iter(strategies))

        def explore(request: Request) -> None:
            nonlocal done
            if request in cache:
                return
            outcome = self._case(op, request)
            cache[request] = outcome
            done += 1
            self.cases += 1
            for diff in outcome.differences:
                sig = self._record(op, diff, request, outcome)
                if sig.count == 1:
                    new.setdefault((sig.operation, FINDING_IDS[sig.kind], sig.paths), current)
            self.emit(Event("case", op.key, index, total, done, budget, len(self.signatures)))

        if self.store is not None:
            # Drifts found by earlier runs first; one that no longer shows was fixed.
            for stored in self.store.requests(op.key):
                explore(stored)
                if not cache[stored].differences:
                    self.store.forget(op.key, stored)
        failure: BaseException | None = None
        for mode, strategy in strategies.items():
            current = mode
            if self.options.coverage:
                for boundary in coverage_requests(op, mode, self.options.max_examples):
                    explore(boundary)
            try:
                _hypothesis_run(strategy, explore, self.options.max_examples, self._seed(op, mode))
            except Exception as exc:
                failure = exc
            except BaseException as exc:  # FailureGroup and other groups are not Exceptions
                if isinstance(exc, (KeyboardInterrupt, SystemExit)):
                    raise
                failure = exc
        if done == 0 and failure is not None:
            self._skip(op, _reason(failure))
            return
        for key, mode in new.items():
            if self.options.shrink:
                self._shrink(op, strategies[mode], key, cache, self._seed(op, mode))
            shrunk = self.signatures[key].request
            if self.store is not None and shrunk is not None:
                self.store.save(op.key, shrunk)

    def _seed(self, op: Operation, mode: str) -> int:
        """One seed per operation and mode: a run repeats exactly, and shrinking replays it."""
        label = op.key if mode == self.options.mode else f"{op.key}:{mode}"
        return zlib.crc32(f"{self.seed}:{label}".encode())

    def _case(self, op: Operation, request: Request) -> _Outcome:
        if self.options.headers:
            request = request.with_headers(self.options.headers)
        base = self.baseline.send(request)
        cand = self.candidate.send(request)
        outcome = _Outcome(base, cand)
        differences = self._differences(op, base, cand, request)
        if not differences:
            return outcome
        # Only a disagreement needs the second baseline answer: it tells noise from drift.
        learned = probe(self.baseline, request, base, self.normalizer)
        if learned:
            self.noise.learn(op.key, learned)
            if STATUS in learned:
                return outcome  # the baseline disagrees with itself: nothing to compare against
            differences = self._differences(op, base, cand, request)
        outcome.differences = differences
        return outcome

    def _differences(
        self, op: Operation, base: Response, cand: Response, request: Request
    ) -> list[Difference]:
        missing = self._missing(op, base, cand)
        differences = (
            [missing]
            if missing is not None
            else compare(base, cand, self.normalizer, self.noise.filter(op.key))
        )
        return [self._widening(op, base, cand, request, d) for d in differences]

    def _widening(
        self, op: Operation, base: Response, cand: Response, request: Request, diff: Difference
    ) -> Difference:
        """A request outside the legacy contract that the legacy app refused breaks no client
        that keeps to that contract, whatever the port answers short of crashing: a warning."""
        if (
            diff.kind in (STATUS, MISSING)
            and diff.level is Level.ERROR
            and 400 <= base.status < 500
            and cand.status < 500
            and not self._baseline_allows(op, request)
        ):
            what = (
                "the candidate accepts a request outside the baseline's contract (a widening)"
                if cand.status < 400
                else "both refuse a request outside the baseline's contract, with other statuses"
            )
            return replace(diff, level=Level.WARNING, message=f"{diff.message}: {what}")
        return diff

    def _baseline_allows(self, op: Operation, request: Request) -> bool:
        if op.key not in self._contracts:
            self._contracts[op.key] = _path_contract(self.specs.get(BASELINE), op)
        contract = self._contracts[op.key]
        return contract is not None and contract.accepts(request.path)

    def _missing(self, op: Operation, base: Response, cand: Response) -> Difference | None:
        """A side whose spec lacks the operation answers 404/405 where the other does not."""
        declared = op.declared_by
        for side, mine, other in ((CANDIDATE, cand, base), (BASELINE, base, cand)):
            if (
                side not in declared
                and self.specs.get(side)
                and mine.status in _NO_ROUTE
                and other.status != mine.status
            ):
                return Difference(
                    MISSING,
                    Level.ERROR,
                    (STATUS,),
                    f"only the {BASELINE if side == CANDIDATE else CANDIDATE} has {op.key}: "
                    f"the {side} answered {mine.status}",
                )
        return None

    def _record(
        self, op: Operation, diff: Difference, request: Request, outcome: _Outcome
    ) -> _Signature:
        key = (op.key, FINDING_IDS[diff.kind], tuple(sorted(diff.paths)))
        sig = self.signatures.get(key)
        if sig is None:
            sig = self.signatures[key] = _Signature(
                op.key,
                diff.kind,
                diff.level,
                key[2],
                diff.message,
                request=request,
                baseline=outcome.baseline,
                candidate=outcome.candidate,
            )
        elif diff.level > sig.level:
            # The same difference inside the legacy contract outranks its out-of-contract cousin:
            # the finding takes that level and that example, or a real error would pass the gate.
            sig.level, sig.message = diff.level, diff.message
            sig.request, sig.baseline, sig.candidate = request, outcome.baseline, outcome.candidate
        sig.count += 1
        return sig

    def _shrink(
        self,
        op: Operation,
        strategy: Any,
        key: tuple[str, str, tuple[str, ...]],
        cache: dict[Request, _Outcome],
        op_seed: int,
    ) -> None:
        """Shrink one signature, starting from the exploration's example for it."""
        sig = self.signatures[key]
        sent = 0
        calls = 0
        # Hypothesis tries smaller choice sequences; several can render to one request, and
        # those cost a draw but no send. Bounded too, so that a shrink always ends.
        max_calls = self.options.max_examples + _DRAWS_PER_SEND * self.options.shrink_budget

        def condition(request: Request) -> None:
            nonlocal sent, calls
            calls += 1
            if calls > max_calls:
                raise _BudgetSpent
            outcome = cache.get(request)
            if outcome is None:
                if sent >= self.options.shrink_budget:
                    raise _BudgetSpent  # keep the smallest request seen so far
                sent += 1
                self.shrink_cases += 1
                outcome = cache[request] = self._case(op, request)
            for diff in outcome.differences:
                # The level too: a widening (warning) must not shrink into another request
                # that happens to share its paths but breaks the contract (error), or back.
                if (
                    op.key,
                    FINDING_IDS[diff.kind],
                    tuple(sorted(diff.paths)),
                ) == key and diff.level is sig.level:
                    if sig.request is None or _size(request) <= _size(sig.request):
                        sig.message = diff.message
                        sig.request, sig.baseline, sig.candidate = (
                            request,
                            outcome.baseline,
                            outcome.candidate,
                        )
                    raise _Shows
            return None

        try:
            _hypothesis_shrink(strategy, condition, self.options.max_examples, op_seed)
        except _BudgetSpent:
            pass  # the budget ran out: the smallest request found so far stays the example
        except Exception:
            # _Shows for the shrunk example (the expected end), or Hypothesis giving up
            # (flaky, unsatisfiable): either way the signature keeps its smallest request.
            pass

    def _skip(self, op: Operation, reason: str) -> None:
        self.skipped.append({"operation": op.key, "reason": reason})
        self.emit(Event("skipped", op.key))

    # -- findings --------------------------------------------------------------------------

    def _findings(self) -> list[Finding]:
        """Signatures -> findings, re-filtered with the noise learned by the end of the run."""
        merged: dict[tuple[str, str, tuple[str, ...]], Finding] = {}
        for (operation, finding_id, paths), sig in self.signatures.items():
            ignored = self.noise.filter(operation)
            kept = (
                paths if sig.kind in (CRASH, MISSING) else tuple(p for p in paths if not ignored(p))
            )
            if not kept:
                continue
            key = (operation, finding_id, kept)
            if key in merged:
                previous = merged[key]
                merged[key] = Finding(
                    previous.id,
                    max(previous.level, sig.level),
                    operation,
                    previous.message,
                    previous.details,
                    previous.count + sig.count,
                )
                continue
            merged[key] = Finding(
                id=finding_id,
                level=sig.level,
                operation=operation,
                message=sig.message,
                details=self._details(sig, kept),
                count=sig.count,
            )
        return list(merged.values())

    def _details(self, sig: _Signature, paths: tuple[str, ...]) -> dict[str, Any]:
        assert sig.request is not None and sig.baseline is not None and sig.candidate is not None
        # --header values are usually credentials and reports travel (CI artifacts, PR
        # comments): they are written as REDACTED; `contract-tools replay --header` adds them back.
        request = (
            sig.request.with_headers((name, REDACTED) for name, _ in self.options.headers)
            if self.options.headers
            else sig.request
        )
        return {
            "request": request.to_dict(),
            "baseline": sig.baseline.to_dict(),
            "candidate": sig.candidate.to_dict(),
            "paths": list(paths),
            "curl": {
                "baseline": request.curl(self.baseline.base_url),
                "candidate": request.curl(self.candidate.base_url),
            },
            "pytest": pytest_snippet(
                self.baseline.name,
                self.candidate.name,
                request,
                FINDING_IDS[sig.kind],
                sig.operation,
                strict=self.options.strict,
                disable=self.options.disable,
                ignore=self.noise.patterns(sig.operation),
            ),
        }


def _path_contract(document: Mapping[str, Any] | None, op: Operation) -> PathContract | None:
    """The baseline's path contract for ``op`` (matched with parameter names ignored)."""
    for template, item in ((document or {}).get("paths") or {}).items():
        if not isinstance(item, Mapping) or match_key(op.method, template) != match_key(
            op.method, op.path
        ):
            continue
        operation = item.get(op.method.lower())
        if isinstance(operation, Mapping):
            return PathContract.from_operation(template, item, operation)
    return None


def _reason(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0] if text else ''}".rstrip(": ")


def _settings(max_examples: int, shrink: bool) -> Any:
    from hypothesis import HealthCheck, Phase, settings

    phases = [Phase.explicit, Phase.generate] + ([Phase.shrink] if shrink else [])
    return settings(
        max_examples=max_examples,
        database=None,
        deadline=None,
        phases=phases,
        suppress_health_check=list(HealthCheck),
        derandomize=False,
        print_blob=False,
        report_multiple_bugs=False,
    )


def _hypothesis_run(strategy: Any, body: Callable[[Request], None], n: int, op_seed: int) -> None:
    from hypothesis import given, seed

    @seed(op_seed)
    @_settings(n, shrink=False)
    @given(strategy)
    def explore(request: Request) -> None:
        body(request)

    explore()


def _hypothesis_shrink(
    strategy: Any, condition: Callable[[Request], None], n: int, op_seed: int
) -> None:
    """The exploration again (same strategy, seed and settings, so the same draws in the same
    order) with shrinking on: ``condition`` raises at the signature's first request, so
    Hypothesis's shrinker starts from that known failing example instead of searching anew."""
    from hypothesis import given, seed

    @seed(op_seed)
    @_settings(n, shrink=True)
    @given(strategy)
    def replay_and_shrink(request: Request) -> None:
        condition(request)

    replay_and_shrink()


class _Shows(Exception):
    """The signature being shrunk showed: a failure for Hypothesis, which shrinks it."""


class _BudgetSpent(BaseException):
    """Ends a shrink run at once: Hypothesis lets a non-Exception through instead of shrinking
    it as a second failure."""


# Draws (condition calls) allowed per request a shrink may send; see ``_Run._shrink``.
_DRAWS_PER_SEND = 4


def _size(request: Request) -> int:
    """How big a reproduction reads. The smaller is kept; on a tie the later one, since
    Hypothesis only moves to examples it ranks simpler (``/books/-1`` after ``/books/-2``)."""
    return (
        len(request.target) + len(request.body) + sum(len(k) + len(v) for k, v in request.headers)
    )


def pytest_snippet(
    baseline: str,
    candidate: str,
    request: Request,
    finding_id: str,
    operation: str,
    *,
    strict: bool = False,
    disable: Iterable[str] = (),
    ignore: Iterable[str] = (),
) -> str:
    """A test that replays the minimal request against both sides and fails while they differ.

    It compares as the run did (same normalisation, the operation's noise and ignored paths), so
    it turns green once the port is fixed instead of failing forever on a timestamp.
    """
    name = "".join(c if c.isalnum() else "_" for c in f"{operation}_{finding_id}".lower())
    name = "_".join(part for part in name.split("_") if part)
    options = ""
    if strict:
        options += ", strict=True"
    if list(disable):
        options += f", disable={sorted(disable)!r}"
    if list(ignore):
        options += f", ignore={list(ignore)!r}"
    return (
        "from contract_tools.parity.exchange import Request\n"
        "from contract_tools.parity.runner import replay\n\n\n"
        f"def test_{name}():\n"
        f"    request = Request.build(\n"
        f"        {request.method!r},\n"
        f"        {request.path!r},\n"
        f"        query={list(request.query)!r},\n"
        f"        headers={list(request.headers)!r},\n"
        f"        body={request.body!r},\n"
        f"    )\n"
        f"    assert replay({baseline!r}, {candidate!r}, request{options}) == []\n"
    )


def replay(
    baseline: str,
    candidate: str,
    request: Request,
    *,
    strict: bool = False,
    disable: Iterable[str] = (),
    ignore: Iterable[str] = (),
    app_dir: str | None = None,
) -> list[Difference]:
    """Send one request to both targets (references or URLs) and compare as a run does."""
    from contract_tools.parity.compare import path_matcher
    from contract_tools.parity.targets import make_target

    normalizer = Normalizer.preset(strict=strict, disable=tuple(disable))
    ignored = path_matcher(list(ignore))
    base, cand = make_target(baseline, app_dir=app_dir), make_target(candidate, app_dir=app_dir)
    with base, cand:
        answers = base.send(request), cand.send(request)
    return compare(*answers, normalizer, ignored)
