"""What a view's checks say about one request value: conditions turned into JSON Schema.

A view that answers 400 when ``not isinstance(data.get("age"), int) or data["age"] < 0`` says,
read the other way round, that a valid body has an integer ``age`` of at least 0. Conditions are
kept as small formulas over the values read (``Read``), negated into negation normal form, and
each clause about one value becomes schema keywords on it. A clause JSON Schema cannot hold
(two values in one disjunction, a database lookup) is kept as a note, never guessed.

Kinds are those of a decoded JSON value as Python sees it: ``float`` is a number with a
fraction or an exponent (``isinstance(1, float)`` is False), ``boolean`` is also an ``int``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any


class _NoDefault:
    def __repr__(self) -> str:
        return "NO_DEFAULT"


NO_DEFAULT: Any = _NoDefault()
ALL_KINDS = frozenset({"null", "boolean", "integer", "float", "string", "array", "object"})
# Query strings, headers and form fields arrive as text; None stands for "not sent".
TEXT_LOCATIONS = frozenset({"query", "header", "form"})
_KIND_ORDER = ("null", "boolean", "integer", "number", "string", "array", "object")
_CONVERTED = {"integer": frozenset({"integer"}), "number": frozenset({"integer", "float"})}


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


# -- formulas -----------------------------------------------------------------------------------


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


# -- what is known about one value ----------------------------------------------------------------


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
        if isinstance(clause, (Atom, Not)) and _literal(clause) is not None:
            atom, positive = _literal(clause)  # type: ignore[misc]
            return self._apply_literal(atom, positive)
        if isinstance(clause, AnyOf):
            return self._apply_disjunction(clause)
        return isinstance(clause, All) and not clause.operands

    def _apply_disjunction(self, clause: AnyOf) -> bool:
        """``absent or F`` and ``None or F`` are what properties and nullable types say."""
        if not clause.operands:
            return False
        refs = {ref for part in clause.operands for ref in _refs(part)}
        if len(refs) != 1:
            return False
        (ref,) = refs
        extra_kinds: set[str] = set()
        rest: list[Formula] = []
        for part in clause.operands:
            literal = _literal(part) if isinstance(part, (Atom, Not)) else None
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


def _literal(formula: Formula) -> tuple[Atom, bool] | None:
    if isinstance(formula, Atom):
        return formula, True
    if isinstance(formula, Not) and isinstance(formula.operand, Atom):
        return formula.operand, False
    return None


def _refs(formula: Formula) -> set[Ref]:
    if isinstance(formula, Atom):
        return {formula.read.ref}
    if isinstance(formula, Not):
        return _refs(formula.operand)
    if isinstance(formula, (All, AnyOf)):
        return {ref for part in formula.operands for ref in _refs(part)}
    return {Ref("?", ("opaque",))}  # never the same as a real value


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


# -- facts -> schema ----------------------------------------------------------------------------


def schema_of(facts: Facts) -> dict[str, Any]:
    """JSON Schema keywords for one value (children are the caller's business)."""
    schema: dict[str, Any] = {}
    kinds = _kinds(facts)
    if kinds is not None:
        if not kinds:
            return {}  # contradictory checks (two branches' rules merged): say nothing
        types = _types(kinds)
        schema["type"] = types[0] if len(types) == 1 else types
        if "float" in kinds and "integer" not in kinds:
            schema["not"] = {"type": "integer"}
    numeric = kinds is None or bool(kinds & {"integer", "float"})
    if numeric:
        for key, value in (
            ("minimum", facts.minimum),
            ("exclusiveMinimum", facts.exclusive_minimum),
            ("maximum", facts.maximum),
            ("exclusiveMaximum", facts.exclusive_maximum),
        ):
            if value is not None:
                schema[key] = value
    pattern = _chars_pattern(facts)
    folded = pattern is not None and facts.min_length is not None
    if not (folded and facts.min_length == facts.max_length):
        _lengths(schema, facts, kinds)
    patterns = [*([pattern] if pattern else []), *facts.patterns]
    if patterns:
        schema["pattern"] = patterns[0]
        if patterns[1:]:
            schema["allOf"] = [{"pattern": p} for p in patterns[1:]]
    if facts.enum is not None:
        schema["enum"] = list(facts.enum)
    forbidden = list(facts.not_enum)
    if facts.truthy:
        for value in _falsy(facts, kinds, schema):
            # 0 == False in Python; JSON Schema (and this list) tells them apart.
            if not any(_same(value, f) for f in forbidden):
                forbidden.append(value)
    if forbidden and "enum" not in schema:
        # Python's equality makes 0 == 0.0 == False; JSON Schema's enum tells false from 0.
        if "not" in schema:  # already "not an integer": both conditions hold
            schema["allOf"] = [*schema.get("allOf", []), {"not": {"enum": forbidden}}]
        else:
            schema["not"] = {"enum": forbidden}
    elif forbidden:
        schema["enum"] = [v for v in schema["enum"] if not any(_same(v, f) for f in forbidden)]
    if facts.default is not NO_DEFAULT and _json_value(facts.default):
        schema["default"] = facts.default
    return schema


def _kinds(facts: Facts) -> frozenset[str] | None:
    if facts.text:
        if facts.convert in ("integer", "number", "boolean"):
            return frozenset({facts.convert if facts.convert != "number" else "float", "integer"})
        return frozenset({"string"})
    if facts.kinds is None:
        return None
    return facts.kinds


def _types(kinds: frozenset[str]) -> list[str]:
    names = set()
    for kind in kinds:
        names.add("number" if kind == "float" else kind)
    if "number" in names:
        names.discard("integer")
    return [name for name in _KIND_ORDER if name in names]


def _lengths(schema: dict[str, Any], facts: Facts, kinds: frozenset[str] | None) -> None:
    if facts.min_length is None and facts.max_length is None:
        return
    families = [
        ("string", "minLength", "maxLength"),
        ("array", "minItems", "maxItems"),
        ("object", "minProperties", "maxProperties"),
    ]
    for kind, low, high in families:
        if kinds is not None and kind not in kinds:
            continue
        if facts.min_length is not None and facts.min_length > 0:
            schema[low] = facts.min_length
        if facts.max_length is not None:
            schema[high] = facts.max_length


def _chars_pattern(facts: Facts) -> str | None:
    """``isascii() and isalpha()`` -> ``^[A-Za-z]+$``; a fixed length is folded in."""
    if facts.chars is None:
        return None
    body = _char_class(facts.chars)
    low, high = facts.min_length, facts.max_length
    if low is not None and low == high:
        # The pattern says the length; schema_of leaves out the keywords that would repeat it.
        return f"^{body}{{{low}}}$(?!\\n)"
    return f"^{body}{'+' if facts.chars_nonempty else '*'}$(?!\\n)"


def _char_class(chars: frozenset[str]) -> str:
    codes = sorted(ord(c) for c in chars)
    ranges: list[tuple[int, int]] = []
    for code in codes:
        if ranges and ranges[-1][1] == code - 1:
            ranges[-1] = (ranges[-1][0], code)
        else:
            ranges.append((code, code))
    parts = []
    for low, high in ranges:
        parts.append(_class_char(low) if low == high else f"{_class_char(low)}-{_class_char(high)}")
    return "[" + "".join(parts) + "]"


def _class_char(code: int) -> str:
    char = chr(code)
    if char.isalnum():
        return char
    return f"\\x{code:02x}"


def _falsy(facts: Facts, kinds: frozenset[str] | None, schema: dict[str, Any]) -> list[Any]:
    """Falsy values the kinds allow that no other keyword already refuses."""
    if kinds is not None and kinds <= {"string"}:
        schema["minLength"] = max(1, schema.get("minLength", 0))
        return []
    if kinds is not None and kinds <= {"array"}:
        schema["minItems"] = max(1, schema.get("minItems", 0))
        return []
    values: list[Any] = []
    every = kinds or ALL_KINDS
    for kind, falsy in (
        ("null", None),
        ("boolean", False),
        ("integer", 0),
        ("string", ""),
        ("array", []),
        ("object", {}),
    ):
        if kind in every or (kind == "integer" and "float" in every):
            values.append(falsy)
    return values


def _same(a: Any, b: Any) -> bool:
    return type(a) is type(b) and a == b


def _json_value(value: Any) -> bool:
    if isinstance(value, float) and not math.isfinite(value):
        return False
    if isinstance(value, (str, int, float, bool)) or value is None:
        return True
    if isinstance(value, (list, tuple)):
        return all(_json_value(v) for v in value)
    if isinstance(value, dict):
        return all(isinstance(k, str) and _json_value(v) for k, v in value.items())
    return False


# -- string predicates ---------------------------------------------------------------------------

_ASCII = frozenset(chr(c) for c in range(128))
_DIGITS = frozenset("0123456789")
_LETTERS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
# str methods -> (ASCII characters they accept, needs at least one character). Unicode letters
# and digits also pass isalpha/isdigit; the draft keeps to ASCII, which is stricter, never looser.
STRING_PREDICATES: dict[str, tuple[frozenset[str], bool]] = {
    "isascii": (_ASCII, False),
    "isdigit": (_DIGITS, True),
    "isdecimal": (_DIGITS, True),
    "isnumeric": (_DIGITS, True),
    "isalpha": (_LETTERS, True),
    "isalnum": (_LETTERS | _DIGITS, True),
}


def regex_for(pattern: str, how: str) -> str | None:
    """``re.fullmatch/match/search(pattern, x)`` as a JSON Schema pattern."""
    try:
        re.compile(pattern)
    except re.error:
        return None
    if how == "fullmatch":
        return f"^(?:{pattern})$(?!\\n)" if not _atomic(pattern) else f"^{pattern}$(?!\\n)"
    if how == "match":
        return f"^(?:{pattern})" if not _atomic(pattern) else f"^{pattern}"
    return pattern


def _atomic(regex: str) -> bool:
    """True when no top-level ``|`` would bind differently once anchors are added."""
    depth, escaped, in_class = 0, False, False
    for char in regex:
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == "|" and depth == 0:
            return False
    return not regex.startswith("^")
