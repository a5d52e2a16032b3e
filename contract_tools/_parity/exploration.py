"""Exploring one operation: boundary cases first, then Hypothesis draws.

``--mode all`` is a positive and a negative run, each with its own budget: drawn from one pool,
invalid inputs crowded out the rare valid body a drift needs (the example's 201 -> 200 was
missed that way). Every request is sent once per run (a cache keyed by the request, holding
the answers of the cases that differ and only "agreed" for the others), and each drawn request
keeps the Hypothesis choices it came from while it shows a difference: the shrinker starts from
them and never sends a request twice.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol, TypeVar

from contract_tools._parity.case import Outcome
from contract_tools._parity.generate import MergedOperation, build_strategy, coverage_requests
from contract_tools.errors import ContractToolsError
from contract_tools.models import Mode, Request, Response

T = TypeVar("T")

# A Hypothesis choice sequence (hypothesis.internal.conjecture.choice.ChoiceT values).
Choices = tuple[Any, ...]

Send = Callable[[MergedOperation, Request], Outcome]

# What the cache keeps of a case where both sides agreed: that it was sent, and no difference.
AGREED = Outcome(Response(0), Response(0))
Judged = Callable[[Request, Outcome], None]


class Flight(Protocol):
    """Requests sent while the next are drawn, judged in order (``window.Window``)."""

    def __contains__(self, request: object) -> bool: ...
    def submit(self, request: Request) -> None: ...
    def drain(self) -> None: ...
    def close(self) -> None: ...


@dataclass
class Exploration:
    """What exploring one operation produced, for shrinking and the drift store."""

    strategies: dict[Mode, Any] = field(default_factory=dict)
    cache: dict[Request, Outcome] = field(default_factory=dict)
    # The Hypothesis choices of each drawn request that showed a difference (boundary cases
    # have none): the shrinker starts there instead of replaying every draw before it.
    choices: dict[Request, Choices] = field(default_factory=dict)
    sent: int = 0
    failure: BaseException | None = None
    skip_reason: str | None = None


def modes_of(mode: Mode) -> tuple[Mode, ...]:
    return (Mode.POSITIVE, Mode.NEGATIVE) if mode is Mode.ALL else (mode,)


def operation_seed(run_seed: int, op: MergedOperation, mode: Mode, run_mode: Mode) -> int:
    """One seed per operation and mode: a run repeats exactly, and shrinking replays it."""
    label = op.key if mode is run_mode else f"{op.key}:{mode.value}"
    return zlib.crc32(f"{run_seed}:{label}".encode())


def strategies_for(op: MergedOperation, mode: Mode) -> tuple[dict[Mode, Any], str]:
    """A strategy per mode, or the reason none could be built."""
    strategies: dict[Mode, Any] = {}
    reason = "no side declares a generatable schema"
    for each in modes_of(mode):
        try:
            strategies[each] = build_strategy(op, each.value)
        except Exception as exc:  # schemathesis raises several kinds for schemas it cannot use
            reason = f"{type(exc).__name__}: {exc}"
    return strategies, reason


def explore(
    op: MergedOperation,
    *,
    mode: Mode,
    max_examples: int,
    coverage: bool,
    seed: Callable[[Mode], int],
    on_case: Callable[[Request, Outcome, Mode], None],
    send: Send,
    window: Callable[[Judged], Flight] | None = None,
) -> Exploration:
    """Run the exploration of ``op``; ``on_case`` sees every new (request, outcome), in the
    order the requests were made. With ``window`` (live servers: ``window.Window``) several
    requests are in flight while the next are drawn."""
    result = Exploration()
    result.strategies, reason = strategies_for(op, mode)
    if not result.strategies:
        result.skip_reason = reason
        return result
    current = next(iter(result.strategies))

    def judged(request: Request, outcome: Outcome) -> None:
        result.sent += 1
        on_case(request, outcome, current)
        if outcome.differences:
            result.cache[request] = outcome
        else:
            # Kept only as sent: shrinking and the drift store ask an agreeing case nothing
            # more, and its answers and choices held all of a long run's memory.
            result.cache[request] = AGREED
            result.choices.pop(request, None)

    flight = window(judged) if window is not None else None

    def case(request: Request, drawn: bool = False) -> None:
        if request in result.cache or (flight is not None and request in flight):
            return
        if drawn:  # boundary cases are built, not drawn: they have no choices
            result.choices[request] = drawn_choices()
        if flight is None:
            judged(request, send(op, request))
        else:
            flight.submit(request)

    def drawn_case(request: Request) -> None:
        case(request, drawn=True)

    try:
        for current, strategy in result.strategies.items():
            if coverage:
                for boundary in coverage_requests(op, current.value, max_examples):
                    case(boundary)
            try:
                if flight is not None:
                    # Every answer so far judged before the first draw: the values generation
                    # mixes in are read then (harvest.Snapshot), as when sent one at a time.
                    flight.drain()
                hypothesis_run(strategy, drawn_case, max_examples, seed(current), shrink=False)
                if flight is not None:
                    flight.drain()
            except BaseException as exc:  # FailureGroup and other groups are not Exceptions
                reraise_ours(exc)
                result.failure = exc
    finally:
        if flight is not None:
            flight.close()
    return result


def drawn_choices() -> Choices:
    """The choices Hypothesis made for the example being run (call from inside a test body)."""
    from hypothesis.control import current_build_context

    return current_build_context().data.choices


def reraise_ours(exc: BaseException) -> None:
    """A failure that must end the run, not one operation: our own errors (a target that lost
    its server raises AppLoadError to abort) and interrupts, also inside exception groups."""
    if isinstance(exc, (ContractToolsError, KeyboardInterrupt, SystemExit)):
        raise exc
    # An exception group (a builtin from Python 3.11, a backport on 3.10) holds the others.
    for inner in getattr(exc, "exceptions", None) or ():
        if isinstance(inner, BaseException):
            reraise_ours(inner)


def hypothesis_run(
    strategy: Any,
    body: Callable[[T], None],
    n: int,
    op_seed: int,
    *,
    shrink: bool,
    start: Choices | None = None,
) -> None:
    """``body`` over ``n`` draws of ``strategy`` (requests, or the stateful phase's plans) with
    a fixed seed; shrinking when asked.

    Exploration and shrinking use the same seed and settings, so the same draws come in the
    same order: the shrinker starts from the example exploration found. With ``start`` (the
    choices of that example, ``drawn_choices``) the shrinker starts from it at once: one draw
    instead of replaying every draw exploration made before it.
    """
    from hypothesis import HealthCheck, Phase, given, settings
    from hypothesis import seed as with_seed

    phases = [Phase.explicit, Phase.generate] + ([Phase.shrink] if shrink else [])
    database = None
    if shrink and start is not None:
        phases, database = [Phase.reuse, Phase.shrink], _starting_at(start)

    @with_seed(op_seed)
    @settings(
        max_examples=n,
        database=database,
        deadline=None,
        phases=phases,
        suppress_health_check=list(HealthCheck),
        derandomize=False,
        print_blob=False,
        report_multiple_bugs=False,
    )
    @given(strategy)
    def run(drawn: T) -> None:
        body(drawn)

    if database is not None:
        # @seed turns the database off (a seeded run should not replay saved failures); here
        # the database holds only the example to start from, so it goes back on, after it.
        run._hypothesis_internal_use_settings = settings(
            run._hypothesis_internal_use_settings,
            database=database,
        )
        run._hypothesis_internal_database_key = _START_KEY
    run()


_START_KEY = b"contract-tools"


def _starting_at(start: Choices) -> Any:
    """A throwaway database holding ``start`` where Hypothesis's reuse phase reads it.

    Under the secondary key, not the primary one: a primary example that still fails is taken
    as already shrunk and the run ends there (Hypothesis's fast path for a re-run), whereas a
    secondary one is replayed and then shrunk.
    """
    from hypothesis.database import InMemoryExampleDatabase, choices_to_bytes

    database = InMemoryExampleDatabase()
    database.save(_START_KEY + b".secondary", choices_to_bytes(start))
    return database


def hypothesis_home(path: str) -> None:
    """Where Hypothesis keeps what it caches in this process (a worker's: never the cwd)."""
    from hypothesis.configuration import set_hypothesis_home_dir

    set_hypothesis_home_dir(path)


def failure_reason(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0] if text else ''}".rstrip(": ")
