"""Shrinking one drift to a minimal request with Hypothesis's own shrinker.

The example to shrink is the smallest request exploration saw showing the drift. Exploration
keeps the Hypothesis choices of every request it drew, and the shrink run starts from that
request's choices (Hypothesis's reuse phase, fed a throwaway database): Hypothesis shrinks from
the known failing example at once, instead of replaying every draw before it. A boundary case is
not shrunk: it has no choices, and it changes one value of a minimal request already (shrinking
from a bigger drawn request instead cost a third of the example pair's run and saved at most a
few characters). Answers come from the run's cache, so nothing is sent twice; requests sent
while shrinking are counted apart from the explored cases.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from contract_tools._parity.case import Outcome
from contract_tools._parity.compare import Difference
from contract_tools._parity.exploration import Choices, hypothesis_run, reraise_ours
from contract_tools._parity.identity import Signature, drift_key
from contract_tools.models import DriftKey, Request

# Draws (condition calls) allowed per request a shrink may send: several choice sequences can
# render to one request, and those cost a draw but no send. Bounded, so that a shrink ends.
DRAWS_PER_SEND = 4


class _Shows(Exception):
    """The drift being shrunk showed: a failure for Hypothesis, which shrinks it."""


class _BudgetSpent(BaseException):
    """Ends a shrink run at once: Hypothesis lets a non-Exception through instead of shrinking
    it as a second failure."""


def size(request: Request) -> int:
    """How big a reproduction reads. The smaller is kept; on a tie the later one, since
    Hypothesis only moves to examples it ranks simpler (``/books/-1`` after ``/books/-2``)."""
    return (
        len(request.target) + len(request.body) + sum(len(k) + len(v) for k, v in request.headers)
    )


def shrink(
    sig: Signature,
    strategy: Any,
    *,
    cache: dict[Request, Outcome],
    choices: dict[Request, Choices],
    send: Callable[[Request], Outcome],
    max_examples: int,
    budget: int,
    op_seed: int,
) -> int:
    """Shrink ``sig`` in place (its example becomes the smallest request that still shows it);
    ``choices`` are the drawn requests' choices, in the order they were drawn. Returns how many
    requests were sent."""
    sent = 0
    calls = 0
    max_calls = max_examples + DRAWS_PER_SEND * budget
    key: DriftKey = sig.key

    def shows(outcome: Outcome) -> Difference | None:
        # The level too: a widening (warning) must not shrink into another request that
        # happens to share its paths but breaks the contract (error), or back.
        for diff in outcome.differences:
            if drift_key(key.operation, diff) == key and diff.level is sig.level:
                return diff
        return None

    # The smallest request exploration already saw showing it is the example to beat (free:
    # nothing is drawn or sent). A boundary case stays as it is: it changes one value of a
    # minimal request, and shrinking from a bigger drawn one cost a third of a run to save a
    # few characters, when it saved any.
    for request, outcome in cache.items():
        diff = shows(outcome)
        if diff is not None and size(request) < size(sig.request):
            sig.take(diff, request, outcome)
    start = choices.get(sig.request)
    if start is None:
        return 0

    def condition(request: Request) -> None:
        nonlocal sent, calls
        calls += 1
        if calls > max_calls:
            raise _BudgetSpent
        outcome = cache.get(request)
        if outcome is None:
            if sent >= budget:
                raise _BudgetSpent  # keep the smallest request seen so far
            sent += 1
            outcome = cache[request] = send(request)
        diff = shows(outcome)
        if diff is not None:
            if size(request) <= size(sig.request):
                sig.take(diff, request, outcome)
            raise _Shows

    try:
        hypothesis_run(strategy, condition, max_examples, op_seed, shrink=True, start=start)
    except _BudgetSpent:
        pass  # the budget ran out: the smallest request found so far stays the example
    except Exception as exc:
        # _Shows for the shrunk example (the expected end), or Hypothesis giving up (flaky,
        # unsatisfiable): either way the signature keeps its smallest request. Our own errors
        # (a server gone) end the run.
        reraise_ours(exc)
    return sent
