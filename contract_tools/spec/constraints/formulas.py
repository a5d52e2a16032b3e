"""What a condition is: a small formula over the request values a view reads (``Read``, at a
``Ref``): atoms (present, kinds, none, compare, member, length, truthy, match, chars), opaque
conditions the draft cannot see, and ``Not``/``All``/``AnyOf``, in negation normal form.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any


class _NoDefault:
    def __repr__(self) -> str:
        return "NO_DEFAULT"


NO_DEFAULT: Any = _NoDefault()
ALL_KINDS = frozenset({"null", "boolean", "integer", "float", "string", "array", "object"})
# Query strings, headers and form fields arrive as text; None stands for "not sent".
TEXT_LOCATIONS = frozenset({"query", "header", "form"})


@dataclass(frozen=True)
class Ref:
    """One place in the request: a location and a key path inside it (``*`` = every item)."""

    location: str  # query, header, json, form, files, data
    path: tuple[str | int, ...] = ()

    def child(self, key: str | int) -> Ref:
        return Ref(self.location, (*self.path, key))


@dataclass(frozen=True)
class Read:
    """A value the view reads, and how: what a missing key gives, and any conversion."""

    ref: Ref
    default: Any = NO_DEFAULT  # NO_DEFAULT: a missing key raises (KeyError, 400, 415 ...)
    convert: str | None = None  # "integer"/"number"/"string"/"boolean" (int(x), type=int)
    many: bool = False  # getlist


@dataclass(frozen=True)
class Atom:
    """present | kinds | none | compare | member | length | truthy | match | chars."""

    kind: str
    read: Read
    arg: Any = None


@dataclass(frozen=True)
class Opaque:
    """A condition on something the draft cannot see (a database row, the clock ...)."""

    text: str


@dataclass(frozen=True)
class Not:
    operand: Formula


@dataclass(frozen=True)
class All:
    operands: tuple[Formula, ...]


@dataclass(frozen=True)
class AnyOf:
    operands: tuple[Formula, ...]


Formula = Atom | Opaque | Not | All | AnyOf
TRUE = All(())
FALSE = AnyOf(())


def negate(formula: Formula) -> Formula:
    return nnf(formula, negated=True)


def nnf(formula: Formula, negated: bool = False) -> Formula:
    """Negation normal form: ``Not`` only directly around atoms and opaque conditions."""
    if isinstance(formula, Not):
        return nnf(formula.operand, not negated)
    if isinstance(formula, (All, AnyOf)):
        parts = tuple(nnf(part, negated) for part in formula.operands)
        flip = isinstance(formula, All) == negated
        return AnyOf(parts) if flip else All(parts)
    return Not(formula) if negated else formula


def mentions_request(formula: Formula) -> bool:
    if isinstance(formula, Atom):
        return True
    if isinstance(formula, Not):
        return mentions_request(formula.operand)
    if isinstance(formula, (All, AnyOf)):
        return any(mentions_request(part) for part in formula.operands)
    return False


def clauses(valid: Formula) -> Iterator[Formula]:
    """The conjuncts of a formula in negation normal form (nested conjunctions flattened)."""
    if isinstance(valid, All):
        for part in valid.operands:
            yield from clauses(part)
    else:
        yield valid


def literal_of(formula: Formula) -> tuple[Atom, bool] | None:
    if isinstance(formula, Atom):
        return formula, True
    if isinstance(formula, Not) and isinstance(formula.operand, Atom):
        return formula.operand, False
    return None


def refs_of(formula: Formula) -> set[Ref]:
    if isinstance(formula, Atom):
        return {formula.read.ref}
    if isinstance(formula, Not):
        return refs_of(formula.operand)
    if isinstance(formula, (All, AnyOf)):
        return {ref for part in formula.operands for ref in refs_of(part)}
    return {Ref("?", ("opaque",))}  # never the same as a real value
