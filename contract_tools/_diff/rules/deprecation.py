"""Deprecation: announcing removal, and removing what was announced."""

from __future__ import annotations

from collections.abc import Iterator

from contract_tools._diff.pair import OperationPair
from contract_tools._diff.registry import Direction, Hit, rule
from contract_tools.models import Level

OPERATION_DEPRECATED = "operation-deprecated"
OPERATION_UNDEPRECATED = "operation-undeprecated"
DEPRECATED_OPERATION_REMOVED = "deprecated-operation-removed"
PARAMETER_DEPRECATED = "parameter-deprecated"


@rule(OPERATION_DEPRECATED, Level.INFO, Direction.REQUEST)
def operation_deprecated(pair: OperationPair) -> Iterator[Hit]:
    """Nothing breaks yet, but clients should plan to stop calling the operation."""
    both = pair.both
    if both and not both[0].deprecated and both[1].deprecated:
        yield Hit(f"{both[0].label} is now deprecated", {"base": False, "revision": True})


@rule(OPERATION_UNDEPRECATED, Level.INFO, Direction.REQUEST)
def operation_undeprecated(pair: OperationPair) -> Iterator[Hit]:
    """A deprecation was withdrawn: clients that migrated away may come back."""
    both = pair.both
    if both and both[0].deprecated and not both[1].deprecated:
        yield Hit(f"{both[0].label} is no longer deprecated", {"base": True, "revision": False})


@rule(DEPRECATED_OPERATION_REMOVED, Level.WARNING, Direction.REQUEST)
def deprecated_operation_removed(pair: OperationPair) -> Iterator[Hit]:
    """Clients were warned, but any that still call it now get 404 or 405."""
    if pair.base is not None and pair.revision is None and pair.base.deprecated:
        yield Hit(f"deprecated {pair.base.label} was removed", {"path": pair.base.path})


@rule(PARAMETER_DEPRECATED, Level.INFO, Direction.REQUEST)
def parameter_deprecated(pair: OperationPair) -> Iterator[Hit]:
    """Clients still sending the parameter should plan to stop; nothing breaks yet."""
    for old, new in pair.common_parameters():
        if new.deprecated and not old.deprecated:
            yield Hit(
                f"{old.location} parameter {old.name!r} is now deprecated",
                {"in": old.location, "name": old.name},
            )
