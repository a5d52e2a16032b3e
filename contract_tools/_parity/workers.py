"""The exploration phase's units (``unit.py``), in process or in worker processes.

Workers are spawned (never forked: the parent's targets may hold ASGI loop threads) and build
their own targets from the references the parent's were built from, so no app is pickled;
the specs the parent resolved go with them, so both read the same operations.

- Factory references (``module:factory()``): every unit may run in a worker; each builds a
  fresh app for every state-changing case, so no unit sees another's state.
- Two live servers: their state is shared by every operation. Operations that only read
  (GET, HEAD, OPTIONS) run first, in workers when asked; then the others, in this process and
  in operation order. One worker keeps that order, so the state each operation sees does not
  depend on N.
- A shared instance handed in as an object, one worker, or one unit: in process.

Results come back in any order (progress is emitted as units finish) and ``unit.merge`` orders
them, so a seed gives the same findings with 1, 2 or 4 workers. Hypothesis mixes the literal
constants of every local module loaded in a process into its draws: a worker imports the
parent's local modules first.
"""

from __future__ import annotations

import importlib
import multiprocessing
import os
import signal
import sys
import sysconfig
import tempfile
from collections.abc import Callable, Mapping
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from contract_tools._parity.case import Judge
from contract_tools._parity.exploration import hypothesis_home
from contract_tools._parity.generate import MergedOperation, merge_operations
from contract_tools._parity.noise import NoiseBook
from contract_tools._parity.session import Session, make_target
from contract_tools._parity.targets import SAFE_METHODS
from contract_tools._parity.unit import Shared, Unit, UnitResult, judge_for, run_unit
from contract_tools.errors import AppLoadError, ContractToolsError, UsageError
from contract_tools.models import Event
from contract_tools.settings import ParitySettings

Emit = Callable[[Event], None]


WORKERS_VARIABLE = "CONTRACT_TOOLS_WORKERS"


def default_workers() -> int:
    """``$CONTRACT_TOOLS_WORKERS`` when set (a CI runner that already runs jobs side by side,
    a test suite under xdist), else the usable cores."""
    text = os.environ.get(WORKERS_VARIABLE, "").strip()
    if not text:
        return usable_cores()
    try:
        count = int(text)
    except ValueError:
        count = 0
    if count < 1:
        raise UsageError(f"${WORKERS_VARIABLE}={text!r}: expected a whole number of at least 1")
    return count


def usable_cores() -> int:
    """The cores this process may run on (a container's or taskset's limit, not the host's)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # macOS, Windows
        return os.cpu_count() or 1


def live_references(session: Session) -> tuple[str, str] | None:
    """The two URLs, when both targets are live servers."""
    both = session.baseline.waits_on_network and session.candidate.waits_on_network
    return _references(session) if both else None


def references(session: Session) -> tuple[str, str] | None:
    """The references both targets were made from, when both build an app per case."""
    both = session.baseline.fresh_per_case and session.candidate.fresh_per_case
    return _references(session) if both else None


def _references(session: Session) -> tuple[str, str] | None:
    refs = [getattr(t, "reference", None) for t in (session.baseline, session.candidate)]
    if isinstance(refs[0], str) and isinstance(refs[1], str):
        return refs[0], refs[1]
    return None


@dataclass(frozen=True)
class Setup:
    """What a worker process needs to rebuild the parent's session."""

    baseline: str
    candidate: str
    specs: Mapping[str, dict[str, Any] | None]
    app_dir: str
    timeout: float
    modules: tuple[str, ...]
    home: str = ""  # Hypothesis's directory in the workers: nothing written into the cwd


@dataclass(frozen=True)
class Failure:
    """One of our errors in a worker (an app that did not load): raised again in the parent
    as the same type with the same message, so the CLI says the same line, same exit code."""

    kind: type[ContractToolsError]
    message: str


def run_units(
    units: list[tuple[MergedOperation, Unit]],
    shared: Shared,
    session: Session,
    emit: Emit,
    *,
    drifts: int = 0,
) -> tuple[list[UnitResult], int]:
    """Every unit's result, in operation order, and how many processes explored (1: this
    one); ``drifts``: how many were found before (for the progress events)."""
    settings = shared.settings
    count = min(settings.workers or default_workers(), len(units))
    total = len(units)
    live = live_references(session)
    if live is not None:
        return _live(units, shared, session, emit, drifts, count, live)
    refs = references(session)
    if count <= 1 or refs is None:
        return _in_process(units, shared, session, emit, drifts, total), 1
    setup = _setup_for(refs, session, settings)
    return _in_workers(units, shared, setup, count, emit, drifts, total), count


def _live(
    units: list[tuple[MergedOperation, Unit]],
    shared: Shared,
    session: Session,
    emit: Emit,
    drifts: int,
    count: int,
    refs: tuple[str, str],
) -> tuple[list[UnitResult], int]:
    """Two live servers: every operation that only reads first, side by side in workers when
    there are several; then the ones that may change state, here, in operation order.

    A server's state is shared by every operation, so reads may overlap each other but not a
    write. With one worker the order is the same (reads, then writes), so the server state each
    operation sees, and the findings of a seed, do not depend on N.
    """
    total = len(units)
    reads = [pair for pair in units if pair[0].method.upper() in SAFE_METHODS]
    writes = [pair for pair in units if pair[0].method.upper() not in SAFE_METHODS]
    workers = min(count, len(reads))
    if workers > 1:
        setup = _setup_for(refs, session, shared.settings)
        first = _in_workers(reads, shared, setup, workers, emit, drifts, total)
    else:
        first = _in_process(reads, shared, session, emit, drifts, total)
    drifts += sum(len(result.signatures) for result in first)
    then = _in_process(writes, shared, session, emit, drifts, total)
    return sorted(first + then, key=lambda result: result.index), max(workers, 1)


def _setup_for(refs: tuple[str, str], session: Session, settings: ParitySettings) -> Setup:
    return Setup(
        refs[0],
        refs[1],
        dict(session.specs),
        settings.app_dir,
        settings.timeout,
        local_modules(),
    )


def _in_process(
    units: list[tuple[MergedOperation, Unit]],
    shared: Shared,
    session: Session,
    emit: Emit,
    drifts: int,
    total: int,
) -> list[UnitResult]:
    budget = shared.settings.max_examples

    def judge_of(noise: NoiseBook) -> Judge:
        return judge_for(session.baseline, session.candidate, session.specs, shared.settings, noise)

    results = []
    for op, unit in units:
        emit(Event("operation", op.key, unit.index, total, 0, budget))

        def on_case(sent: int, found: int, unit: Unit = unit, before: int = drifts) -> None:
            emit(Event("case", unit.operation, unit.index, total, sent, budget, before + found))

        result = run_unit(op, unit, shared, judge_of, on_case)
        drifts += len(result.signatures)
        if result.skipped is not None:
            emit(Event("skipped", op.key))
        results.append(result)
    return results


def _in_workers(
    units: list[tuple[MergedOperation, Unit]],
    shared: Shared,
    setup: Setup,
    count: int,
    emit: Emit,
    drifts: int,
    total: int,
) -> list[UnitResult]:
    budget = shared.settings.max_examples
    done: dict[int, UnitResult] = {}
    home = tempfile.TemporaryDirectory(prefix="contract-tools-workers-")
    executor = ProcessPoolExecutor(
        max_workers=count,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=_start_worker,
        initargs=(replace(setup, home=home.name),),
    )
    try:
        # The costliest first (a fresh app per state-changing case), so that no worker is left
        # with a long unit while the other idles; the results are put in operation order after.
        pending: set[Future[UnitResult | Failure]] = {
            executor.submit(_run_in_worker, unit, shared)
            for _, unit in sorted(units, key=lambda pair: _cost_rank(pair[0]))
        }
        while pending:
            finished, pending = wait(pending, return_when=FIRST_COMPLETED)
            for future in finished:
                try:
                    result = future.result()
                except BrokenProcessPool:
                    raise AppLoadError(_BROKEN) from None
                if isinstance(result, Failure):
                    raise result.kind(result.message)
                done[result.index] = result
                # Progress as units finish: it counts, and the findings do not depend on it.
                emit(Event("operation", result.operation, result.index, total, 0, budget))
                drifts += len(result.signatures)
                cases = result.cases
                emit(Event("case", result.operation, result.index, total, cases, budget, drifts))
                if result.skipped is not None:
                    emit(Event("skipped", result.operation))
    except BaseException:
        # An interrupt, SIGTERM (the CLI raises it as one) or a failed unit: nothing more runs.
        _stop(executor)
        raise
    finally:
        executor.shutdown(wait=True)
        home.cleanup()
    return [done[unit.index] for _, unit in units]


_BROKEN = (
    "a worker process ended abruptly (killed, out of memory, or it could not start: a script "
    "that calls contract_tools.parity must do it under `if __name__ == '__main__':`, since "
    "workers import the script); --workers 1 explores in this process"
)


def _cost_rank(op: MergedOperation) -> bool:
    """False (first) for an operation whose cases may change state: a factory target builds a
    fresh app for each, several times the cost of a safe case."""
    return op.method.upper() in SAFE_METHODS


def _stop(executor: ProcessPoolExecutor) -> None:
    """Cancel what has not started and end what has: a unit can run for minutes."""
    processes = list((getattr(executor, "_processes", None) or {}).values())
    executor.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        if process.is_alive():
            process.terminate()
    for process in processes:
        process.join(timeout=5)


def local_modules() -> tuple[str, ...]:
    """Modules loaded here whose constants Hypothesis would read (not the standard library,
    not installed packages, not tests): a worker imports them to draw what this process draws."""
    stdlib = {sysconfig.get_paths()[key] for key in ("stdlib", "platstdlib")}
    names = []
    for name, module in list(sys.modules.items()):
        file = getattr(module, "__file__", None)
        if not isinstance(file, str) or name in ("__main__", "__mp_main__"):
            continue
        path = Path(file)
        if "site-packages" in path.parts or any(file.startswith(p) for p in stdlib):
            continue
        if {"test", "tests"} & set(path.parts) or path.stem.startswith("test_"):
            continue
        names.append(name)
    return tuple(sorted(names))


# --- the worker side ------------------------------------------------------------------------

_setup: Setup | None = None
_operations: dict[str, MergedOperation] = {}


def _start_worker(setup: Setup) -> None:
    global _setup
    # The parent handles interrupts and ends the workers; an app printing must not write on
    # the standard output, which belongs to the report.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    sys.stdout = sys.stderr
    if setup.home:
        hypothesis_home(setup.home)
    for name in setup.modules:
        try:
            importlib.import_module(name)
        except Exception:  # a module that only imports in its own process: its constants unread
            continue
    _setup = setup


def _run_in_worker(unit: Unit, shared: Shared) -> UnitResult | Failure:
    """One unit with a session of its own (targets from the references, opened and closed)."""
    assert _setup is not None
    try:
        if not _operations:
            _operations.update((op.key, op) for op in merge_operations(_setup.specs))
        targets = [
            make_target(reference, app_dir=_setup.app_dir, timeout=_setup.timeout)
            for reference in (_setup.baseline, _setup.candidate)
        ]
        try:
            for target in targets:
                target.open()

            def judge_of(noise: NoiseBook) -> Judge:
                assert _setup is not None
                return judge_for(targets[0], targets[1], _setup.specs, shared.settings, noise)

            result = run_unit(_operations[unit.operation], unit, shared, judge_of)
        finally:
            for target in targets:
                target.close()
        result.warnings = [p for t in targets for p in getattr(t, "close_problems", ())]
        return result
    except ContractToolsError as exc:
        return Failure(type(exc), str(exc))
