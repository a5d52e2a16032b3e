"""What a shared state already differs in before any sequence runs.

On one shared state (a shared instance, two live servers), a list also holds what the single
requests created on both sides. Those items were never paired: each side made its own ids and
stamped its own clock. A faithful port's lists then differ at those items' fields in every
sequence that reads them. The reads played before any sequence show it first: where two lists
of the same length differ inside their items, that is the state's own difference. It is said
once and learned as noise for that read, never reported as a sequence's drift; a list that is
longer on one side is not covered (``stateful._diverged`` warns about it).
"""

from __future__ import annotations

from contract_tools._parity.compare import differing_paths
from contract_tools._parity.normalize import Normalizer
from contract_tools.models import EVERY, Response, ResponsePath


def standing_differences(
    baseline: Response, candidate: Response, normalizer: Normalizer
) -> set[ResponsePath]:
    """Paths inside list items where two lists of one length differ (empty: none, or not two
    such lists)."""
    if baseline.status != candidate.status or list_length(baseline) is None:
        return set()
    if list_length(baseline) != list_length(candidate):
        return set()
    return {
        path
        for path in differing_paths(baseline, candidate, normalizer)
        if EVERY in path.keys and path.keys[-1] != EVERY
    }


def list_length(response: Response) -> int | None:
    """The length of the list an answer holds: the body, or its one list-valued key."""
    ok, value = response.json()
    if not ok:
        return None
    if isinstance(value, list):
        return len(value)
    if isinstance(value, dict):
        lists = [v for v in value.values() if isinstance(v, list)]
        return len(lists[0]) if len(lists) == 1 else None
    return None


def diverged(operation: str, baseline: Response, candidate: Response) -> str | None:
    """The warning for a shared state that visibly differs at a plan's first step (a list of
    another length), or None."""
    lengths = list_length(baseline), list_length(candidate)
    if None in lengths or lengths[0] == lengths[1]:
        return None
    return (
        f"{operation}: at the first step of a sequence the baseline listed {lengths[0]} "
        f"item(s), the candidate {lengths[1]}: the two sides' shared state has diverged, "
        "so later steps may differ for that reason (use factory references or reset both)"
    )
