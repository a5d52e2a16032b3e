"""What checks that answer 400 say about one value, turned around into JSON Schema keywords."""

from __future__ import annotations

from contract_tools.spec import constraints as c
from contract_tools.spec.constraints import NO_DEFAULT, Atom, Read, Ref, Table

AGE = Read(Ref("json", ("age",)), default=None)
NAME = Read(Ref("json", ("name",)))


def valid(*guards: c.Formula) -> Table:
    """The table after each guard answered 400: valid requests satisfy every negation."""
    table = Table()
    for guard in guards:
        table.require(c.negate(guard), "note")
    return table


def test_a_get_without_default_refused_when_none_is_required() -> None:
    table = valid(c.Not(Atom("kinds", AGE, frozenset({"integer"}))))
    facts = table.of(AGE.ref)
    assert facts.required
    assert c.schema_of(facts) == {"type": "integer"}


def test_none_or_a_type_is_optional_and_nullable() -> None:
    # if age is not None and not isinstance(age, int): 400
    table = valid(
        c.All((c.Not(Atom("none", AGE)), c.Not(Atom("kinds", AGE, frozenset({"integer"})))))
    )
    facts = table.of(AGE.ref)
    assert not facts.required
    assert c.schema_of(facts) == {"type": "integer"}


def test_bounds_lengths_and_enums() -> None:
    table = valid(
        Atom("compare", NAME, ("<", 3)),
        Atom("length", Read(Ref("json", ("code",))), ("!=", 2)),
        c.Not(Atom("member", Read(Ref("json", ("kind",))), ("a", "b"))),
    )
    # comparing with a number: an integer or a float, never a string (that would raise)
    assert c.schema_of(table.of(NAME.ref)) == {"type": "number", "minimum": 3}
    assert c.schema_of(table.of(Ref("json", ("code",)))) == {
        "type": ["string", "array", "object"],
        "minLength": 2,
        "maxLength": 2,
        "minItems": 2,
        "maxItems": 2,
        "minProperties": 2,
        "maxProperties": 2,
    }
    assert c.schema_of(table.of(Ref("json", ("kind",)))) == {"enum": ["a", "b"]}


def test_a_disjunction_over_two_values_is_a_note_not_a_guess() -> None:
    table = valid(c.All((Atom("truthy", AGE), Atom("truthy", NAME))))
    assert table.notes == ["note"]
    assert c.schema_of(table.of(AGE.ref)) == {}


def test_text_values_are_compared_only_once_converted() -> None:
    limit = Read(Ref("query", ("limit",)), default=10, convert="integer")
    table = Table()
    table.read(limit, required=False)
    table.require(c.negate(Atom("compare", limit, (">", 100))), "note")
    assert c.schema_of(table.of(limit.ref)) == {"type": "integer", "maximum": 100, "default": 10}
    raw = Read(Ref("query", ("q",)), default=NO_DEFAULT)
    assert valid(Atom("compare", raw, (">", 1))).notes == ["note"]
