"""Operations that appear, disappear, or change their path parameter names."""

from __future__ import annotations

from collections.abc import Iterator

from contract_tools._diff.pair import OperationPair
from contract_tools._diff.registry import Direction, Hit, rule
from contract_tools.models import Level

OPERATION_REMOVED = "operation-removed"
OPERATION_ADDED = "operation-added"
PATH_PARAMETER_RENAMED = "path-parameter-renamed"


@rule(OPERATION_REMOVED, Level.ERROR, Direction.REQUEST)
def operation_removed(pair: OperationPair) -> Iterator[Hit]:
    """Clients calling the operation get 404 or 405 instead of an answer."""
    if pair.base is not None and pair.revision is None and not pair.base.deprecated:
        yield Hit(f"{pair.base.label} was removed", {"path": pair.base.path})


@rule(OPERATION_ADDED, Level.INFO, Direction.REQUEST)
def operation_added(pair: OperationPair) -> Iterator[Hit]:
    """New operations break nobody; listed so that a port's extra surface is visible."""
    if pair.base is None and pair.revision is not None:
        yield Hit(f"{pair.revision.label} was added", {"path": pair.revision.path})


@rule(PATH_PARAMETER_RENAMED, Level.INFO, Direction.REQUEST)
def path_parameter_renamed(pair: OperationPair) -> Iterator[Hit]:
    """The URL clients send is unchanged; only generated client code and docs see the new name."""
    both = pair.both
    if both is None:
        return
    base, revision = both
    for index, (old, new) in enumerate(zip(base.path_params, revision.path_params, strict=False)):
        if old != new:
            yield Hit(
                f"path parameter {old!r} renamed to {new!r} ({revision.path})",
                {"location": f"path[{index}]", "base": old, "revision": new},
            )
