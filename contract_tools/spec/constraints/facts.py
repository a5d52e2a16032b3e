"""What the checks say about one value: each clause of a valid request's formula applied to the
``Facts`` of the value it is about (kinds, bounds, lengths, enums, patterns, required), in a
``Table`` of every value read. A clause JSON Schema cannot hold becomes a note.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from contract_tools.spec.constraints.formulas import (
    ALL_KINDS,
    NO_DEFAULT,
    TEXT_LOCATIONS,
    All,
    AnyOf,
    Atom,
    Formula,
    Not,
    Read,
    Ref,
    clauses,
    literal_of,
    refs_of,
)

_CONVERTED = {"integer": frozenset({"integer"}), "number": frozenset({"integer", "float"})}


@dataclass
class Facts:
    """Everything the view's reads and checks say about one request value."""

    ref: Ref
    required: bool = False
    optional: bool = False  # read somewhere in a way that tolerates its absence
    default: Any = NO_DEFAULT
    convert: str | None = None
    falls_back: bool = False  # a conversion failure gives the default (type=int), not a 400
    many: bool = False
    kinds: frozenset[str] | None = None  # None: any kind
    minimum: float | None = None
    exclusive_minimum: float | None = None
    maximum: float | None = None
    exclusive_maximum: float | None = None
    min_length: int | None = None
    max_length: int | None = None
    enum: list[Any] | None = None
    not_enum: list[Any] = field(default_factory=list)
    patterns: list[str] = field(default_factory=list)
    chars: frozenset[str] | None = None  # ASCII class every character is in (isdigit ...)
    chars_nonempty: bool = False
    truthy: bool = False
    escaped: bool = False  # handed to code the draft cannot read: shape unknown

    @property
    def text(self) -> bool:
        return self.ref.location in TEXT_LOCATIONS and not self.ref.path[1:]

    def restrict(self, kinds: Iterable[str]) -> None:
        allowed = frozenset(kinds)
        self.kinds = allowed if self.kinds is None else self.kinds & allowed

    def exclude(self, kinds: Iterable[str]) -> None:
        self.kinds = (ALL_KINDS if self.kinds is None else self.kinds) - frozenset(kinds)


class Table:
    """Facts by value, in the order values were first read (the draft keeps that order)."""

    def __init__(self) -> None:
        self.facts: dict[Ref, Facts] = {}
        self.notes: list[str] = []

    def of(self, ref: Ref) -> Facts:
        found = self.facts.get(ref)
        if found is None:
            found = self.facts[ref] = Facts(ref)
        return found

    def read(self, read: Read, *, required: bool, tolerant: bool = False) -> None:
        """A read of ``read.ref``; ``required`` when a missing key is an error the client sees."""
        facts = self.of(read.ref)
        if read.convert and not facts.convert:
            facts.convert = read.convert
        if read.many:
            facts.many = True
        if read.default is not NO_DEFAULT:
            facts.optional = True
            if facts.default is NO_DEFAULT and read.default is not None:
                facts.default = read.default
        elif required and not tolerant:
            facts.required = True
        else:
            facts.optional = True

    def converted(self, read: Read, convert: str, *, falls_back: bool) -> None:
        """``int(x)`` and friends: a value they reject is an error unless it falls back."""
        facts = self.of(read.ref)
        facts.convert = facts.convert or convert
        if falls_back:
            facts.falls_back = True
        elif not facts.text:
            facts.restrict(_CONVERTED.get(convert, ALL_KINDS))

    def require(self, valid: Formula, note: str) -> None:
        """Record that every valid request satisfies ``valid`` (in negation normal form)."""
        for clause in clauses(valid):
            if not self._apply_clause(clause):
                self.notes.append(note)
                return

    def _apply_clause(self, clause: Formula) -> bool:
        if isinstance(clause, (Atom, Not)) and literal_of(clause) is not None:
            atom, positive = literal_of(clause)  # type: ignore[misc]
            return self._apply_literal(atom, positive)
        if isinstance(clause, AnyOf):
            return self._apply_disjunction(clause)
        return isinstance(clause, All) and not clause.operands

    def _apply_disjunction(self, clause: AnyOf) -> bool:
        """``absent or F`` and ``None or F`` are what properties and nullable types say."""
        if not clause.operands:
            return False
        refs = {ref for part in clause.operands for ref in refs_of(part)}
        if len(refs) != 1:
            return False
        (ref,) = refs
        extra_kinds: set[str] = set()
        rest: list[Formula] = []
        for part in clause.operands:
            literal = literal_of(part) if isinstance(part, (Atom, Not)) else None
            if literal is not None:
                atom, positive = literal
                if atom.kind == "present" and not positive:
                    continue  # "missing, or else F": F constrains the property when sent
                if atom.kind == "none" and positive:
                    if atom.read.default is None:
                        continue  # a .get() without default is None exactly when missing ...
                    extra_kinds.add("null")
                    continue
                if atom.kind == "kinds" and positive and not self.of(ref).text:
                    extra_kinds.update(atom.arg)
                    continue
            rest.append(part)
        facts = self.of(ref)
        if not rest:
            if extra_kinds:
                facts.restrict(extra_kinds)
            return True
        if len(rest) > 1:
            return False
        before = facts.kinds
        required = facts.required
        for inner in clauses(rest[0]):
            if not self._apply_clause(inner):
                return False
        facts.required = required  # the alternative allows the value to be missing or None
        if extra_kinds and facts.kinds is not None:
            facts.kinds = facts.kinds | (extra_kinds & (before or ALL_KINDS))
        return True

    def _apply_literal(self, atom: Atom, positive: bool) -> bool:
        facts = self.of(atom.read.ref)
        read = atom.read
        if read.convert and not facts.convert:
            facts.convert = read.convert
        kind, arg = atom.kind, atom.arg
        if kind == "present":
            if not positive:
                return False
            facts.required = True
            return True
        if kind == "none":
            if positive:
                return False
            if not facts.text:
                facts.exclude({"null"})
            if read.default is None or read.default is NO_DEFAULT:
                facts.required = True
            return True
        if kind == "kinds":
            if facts.text:
                return True  # text is text: isinstance(request.args.get("x"), str) says nothing
            if positive:
                facts.restrict(arg)
            else:
                facts.exclude(arg)
            self._require_unless_default_holds(read, atom, positive)
            return True
        if kind == "compare":
            op, value = arg
            if not positive:
                op = _FLIPPED[op]
            return self._compare(facts, read, op, value)
        if kind == "member":
            values = list(arg)
            if positive:
                facts.enum = (
                    values if facts.enum is None else [v for v in facts.enum if v in values]
                )
                self._require_unless_default_holds(read, atom, positive)
            else:
                facts.not_enum.extend(v for v in values if v not in facts.not_enum)
            return True
        if kind == "length":
            op, size = arg
            if not positive:
                op = _FLIPPED[op]
            if op == "!=":
                return False
            if not facts.text:
                facts.restrict({"string", "array", "object"})
            low, high = _bounds_of(op, size)
            if low is not None:
                facts.min_length = max(low, facts.min_length or 0)
            if high is not None:
                facts.max_length = high if facts.max_length is None else min(high, facts.max_length)
            self._require_unless_default_holds(read, atom, positive)
            return True
        if kind == "truthy":
            if not positive:
                return False
            facts.truthy = True
            self._require_unless_default_holds(read, atom, positive)
            return True
        if kind == "match":
            if not positive:
                return False
            if not facts.text:
                facts.restrict({"string"})
            if arg not in facts.patterns:
                facts.patterns.append(arg)
            self._require_unless_default_holds(read, atom, positive)
            return True
        if kind == "chars":
            if not positive:
                return False
            chars, nonempty = arg
            if not facts.text:
                facts.restrict({"string"})
            facts.chars = chars if facts.chars is None else facts.chars & chars
            facts.chars_nonempty = facts.chars_nonempty or nonempty
            self._require_unless_default_holds(read, atom, positive)
            return True
        return False

    def _compare(self, facts: Facts, read: Read, op: str, value: Any) -> bool:
        if op == "==":
            facts.enum = [value] if facts.enum is None else [v for v in facts.enum if v == value]
        elif op == "!=":
            if value not in facts.not_enum:
                facts.not_enum.append(value)
        elif isinstance(value, (int, float)) and not isinstance(value, bool):
            if not facts.text and not facts.convert:
                # Comparing anything else with a number raises: a 500, never a valid request.
                facts.restrict({"integer", "float"})
            if facts.text and not facts.convert:
                return False  # "5" < 3 raises TypeError: text is compared only once converted
            if op == ">":
                facts.exclusive_minimum = _tighter(facts.exclusive_minimum, value, max)
            elif op == ">=":
                facts.minimum = _tighter(facts.minimum, value, max)
            elif op == "<":
                facts.exclusive_maximum = _tighter(facts.exclusive_maximum, value, min)
            elif op == "<=":
                facts.maximum = _tighter(facts.maximum, value, min)
        else:
            return False
        self._require_unless_default_holds(read, Atom("compare", read, (op, value)), True)
        return True

    def _require_unless_default_holds(self, read: Read, atom: Atom, positive: bool) -> None:
        """A ``.get(k, d)`` is required exactly when ``d`` itself would be refused."""
        if read.default is NO_DEFAULT:
            return
        holds = _holds(atom, read.default)
        if holds is not None and holds != positive:
            self.of(read.ref).required = True


_FLIPPED = {"<": ">=", "<=": ">", ">": "<=", ">=": "<", "==": "!=", "!=": "=="}


def _bounds_of(op: str, size: int) -> tuple[int | None, int | None]:
    if op == "==":
        return size, size
    if op == "<":
        return None, size - 1
    if op == "<=":
        return None, size
    if op == ">":
        return size + 1, None
    return size, None  # >=


def _tighter(current: float | None, value: float, pick: Any) -> float:
    return value if current is None else pick(current, value)


def kind_of(value: Any) -> str | None:
    """The kind of a Python value as decoded from JSON (None for anything JSON cannot carry)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "float"
    if isinstance(value, str):
        return "string"
    if isinstance(value, (list, tuple)):
        return "array"
    if isinstance(value, dict):
        return "object"
    return None


def _holds(atom: Atom, value: Any) -> bool | None:
    """Does the literal hold for a concrete default value? None when it cannot be told."""
    try:
        if atom.kind == "kinds":
            return kind_of(value) in atom.arg
        if atom.kind == "truthy":
            return bool(value)
        if atom.kind == "member":
            return value in atom.arg
        if atom.kind == "compare":
            op, other = atom.arg
            return bool(
                {
                    "<": lambda: value < other,
                    "<=": lambda: value <= other,
                    ">": lambda: value > other,
                    ">=": lambda: value >= other,
                    "==": lambda: value == other,
                    "!=": lambda: value != other,
                }[op]()
            )
        if atom.kind == "length":
            op, size = atom.arg
            length = len(value)
            return {
                "<": length < size,
                "<=": length <= size,
                ">": length > size,
                ">=": length >= size,
                "==": length == size,
                "!=": length != size,
            }[op]
        if atom.kind in ("match", "chars"):
            return None if isinstance(value, str) else False
    except TypeError:
        return False  # the check itself would raise on the default: never accepted
    return None
