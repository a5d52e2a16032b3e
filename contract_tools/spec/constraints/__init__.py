"""What a view's checks say about one request value: conditions turned into JSON Schema.

A view that answers 400 when ``not isinstance(data.get("age"), int) or data["age"] < 0`` says,
read the other way round, that a valid body has an integer ``age`` of at least 0. Conditions are
kept as small formulas over the values read (``Read``), negated into negation normal form, and
each clause about one value becomes schema keywords on it. A clause JSON Schema cannot hold
(two values in one disjunction, a database lookup) is kept as a note, never guessed.

Kinds are those of a decoded JSON value as Python sees it: ``float`` is a number with a
fraction or an exponent (``isinstance(1, float)`` is False), ``boolean`` is also an ``int``.

The vocabulary, one module per concept: ``formulas`` (what a condition is), ``facts`` (what the
conditions say about one value), ``schema`` (facts -> JSON Schema) and ``text`` (conditions on
strings: predicates and regexes).
"""

from __future__ import annotations

from contract_tools.spec.constraints.facts import Facts, Table, kind_of
from contract_tools.spec.constraints.formulas import (
    ALL_KINDS,
    FALSE,
    NO_DEFAULT,
    TEXT_LOCATIONS,
    TRUE,
    All,
    AnyOf,
    Atom,
    Formula,
    Not,
    Opaque,
    Read,
    Ref,
    clauses,
    mentions_request,
    negate,
    nnf,
)
from contract_tools.spec.constraints.schema import schema_of
from contract_tools.spec.constraints.text import STRING_PREDICATES, regex_for

__all__ = [
    "ALL_KINDS",
    "FALSE",
    "NO_DEFAULT",
    "STRING_PREDICATES",
    "TEXT_LOCATIONS",
    "TRUE",
    "All",
    "AnyOf",
    "Atom",
    "Facts",
    "Formula",
    "Not",
    "Opaque",
    "Read",
    "Ref",
    "Table",
    "clauses",
    "kind_of",
    "mentions_request",
    "negate",
    "nnf",
    "regex_for",
    "schema_of",
]
