"""Facts about one value as JSON Schema: falsy values by kind, character classes as patterns."""

from __future__ import annotations

from contract_tools.spec import constraints as c
from contract_tools.spec.constraints import Facts, Ref


def test_truthy_by_kind() -> None:
    text = Facts(Ref("json", ("s",)), kinds=frozenset({"string"}), truthy=True)
    anything = Facts(Ref("json", ("x",)), truthy=True)
    assert c.schema_of(text) == {"type": "string", "minLength": 1}
    assert c.schema_of(anything) == {"not": {"enum": [None, False, 0, "", [], {}]}}


def test_ascii_classes_fold_a_fixed_length_into_the_pattern() -> None:
    ascii_letters = c.STRING_PREDICATES["isalpha"][0] & c.STRING_PREDICATES["isascii"][0]
    facts = Facts(
        Ref("json", ("country",)),
        kinds=frozenset({"string"}),
        chars=ascii_letters,
        chars_nonempty=True,
        min_length=2,
        max_length=2,
    )
    assert c.schema_of(facts) == {"type": "string", "pattern": "^[A-Za-z]{2}$(?!\\n)"}
    assert c.schema_of(facts) == {"type": "string", "pattern": "^[A-Za-z]{2}$(?!\\n)"}
