"""The rule registry: each rule is a check function registered with ``@rule``.

Checks return Hits (message and details) and never choose a level: the engine applies the
rule's default level or the user's override, so configuration can reclassify any rule.
"""

from __future__ import annotations

import enum
import importlib
import inspect
import pkgutil
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from contract_tools.models import Level

if TYPE_CHECKING:
    from contract_tools._diff.pair import OperationPair

_ID = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")


class Direction(str, enum.Enum):
    """Which side of the exchange a change affects; it decides what counts as tightening."""

    REQUEST = "request"
    RESPONSE = "response"

    def __str__(self) -> str:
        return self.value


@dataclass(frozen=True)
class Hit:
    """What a check found, before a level is attached."""

    message: str
    details: Mapping[str, Any] = field(default_factory=dict)


Check = Callable[["OperationPair"], Iterable[Hit]]


@dataclass(frozen=True)
class Rule:
    id: str
    level: Level
    direction: Direction
    description: str
    family: str
    check: Check = field(compare=False, repr=False)

    @property
    def summary(self) -> str:
        return " ".join(self.description.split("\n\n", 1)[0].split())


_RULES: dict[str, Rule] = {}


def rule(rule_id: str, level: Level, direction: Direction) -> Callable[[Check], Check]:
    """Register ``check`` under ``rule_id``; its docstring says why the change breaks clients."""

    def register(check: Check) -> Check:
        if not _ID.match(rule_id):
            raise ValueError(f"rule id {rule_id!r} is not kebab-case")
        if rule_id in _RULES:
            raise ValueError(f"rule id {rule_id!r} registered twice")
        doc = inspect.getdoc(check)
        if not doc:
            raise ValueError(f"rule {rule_id!r} needs a docstring saying why it matters")
        module = getattr(check, "__module__", "")
        _RULES[rule_id] = Rule(
            id=rule_id,
            level=level,
            direction=direction,
            description=doc,
            family=module.rsplit(".", 1)[-1],
            check=check,
        )
        return check

    return register


def _load_families() -> None:
    # Importing each family module runs its @rule decorators.
    from contract_tools._diff import rules as package

    for info in pkgutil.iter_modules(package.__path__):
        if not info.name.startswith("_"):
            importlib.import_module(f"{package.__name__}.{info.name}")


def all_rules() -> list[Rule]:
    """Every registered rule, ordered by family then id."""
    _load_families()
    return sorted(_RULES.values(), key=lambda r: (r.family, r.id))


def get_rule(rule_id: str) -> Rule:
    _load_families()
    return _RULES[rule_id]
