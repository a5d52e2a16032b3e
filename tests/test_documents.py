"""Documents in and out: safe YAML with bounded aliases and nesting, one error type."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from contract_tools.documents import (
    MAX_DEPTH,
    DocumentError,
    check_depth,
    dump_json,
    dump_yaml,
    load_json,
    load_yaml,
)

BOMB = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [" + ", ".join([f"*{chr(97 + i)}"] * 9) + "]\n"
    for i in range(12)
)


def test_an_alias_bomb_is_refused_at_once() -> None:
    with pytest.raises(DocumentError) as info:
        load_yaml(BOMB)
    assert info.value.problem == "more than 100 YAML aliases (an alias bomb?)"
    assert info.value.where("spec.yaml") == "spec.yaml:13:12"  # the 101st alias


def test_a_few_aliases_are_fine() -> None:
    assert load_yaml("a: &x {k: 1}\nb: *x\n") == {"a": {"k": 1}, "b": {"k": 1}}


def test_deep_nesting_is_refused_before_anything_recurses() -> None:
    deep = "[" * (MAX_DEPTH + 5) + "]" * (MAX_DEPTH + 5)
    with pytest.raises(DocumentError, match=f"nested deeper than {MAX_DEPTH} levels"):
        load_yaml(deep)
    with pytest.raises(DocumentError, match=f"nested deeper than {MAX_DEPTH} levels"):
        load_json(deep)
    check_depth(json.loads("[" * 50 + "]" * 50))


def test_dates_can_stay_text() -> None:
    assert load_yaml("d: 2026-01-31", dates=False) == {"d": "2026-01-31"}
    assert str(load_yaml("d: 2026-01-31")["d"]) == "2026-01-31"


def test_errors_carry_where() -> None:
    with pytest.raises(DocumentError) as info:
        load_json('{"a": }')
    assert (info.value.problem, info.value.where("x.json")) == (
        "invalid JSON: Expecting value",
        "x.json:1:7",
    )


def test_dumps_keep_order_and_unicode() -> None:
    doc = {"z": 1, "a": "é"}
    assert dump_yaml(doc) == "z: 1\na: é\n"
    assert dump_json(doc) == '{\n  "z": 1,\n  "a": "é"\n}\n'


LAUGHS = "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [" + ", ".join([f"*{chr(97 + i)}"] * 10) + "]\n"
    for i in range(8)
)


def test_few_aliases_that_expand_a_billion_times_are_refused() -> None:
    # The classic bomb has 80 aliases, under the count; what they expand to is what is bounded.
    assert LAUGHS.count("*") == 80
    with pytest.raises(DocumentError) as info:
        load_yaml(LAUGHS)
    assert info.value.problem == "YAML aliases expand to more than 100000 nodes (an alias bomb?)"
    assert info.value.where("spec.yaml") == "spec.yaml:5:4"  # e: the first past the bound


def test_an_alias_inside_the_node_it_names_is_a_cycle() -> None:
    with pytest.raises(DocumentError) as info:
        load_yaml("paths: &p\n  /a: *p\n")
    assert (info.value.problem, info.value.where("s.yaml")) == (
        "a YAML alias refers to a node that contains it (a cycle)",
        "s.yaml:1:8",  # the node the alias names
    )


def test_aliases_cannot_nest_past_the_depth_bound() -> None:
    levels = "a0: &a0 [[[[[[[[[[x]]]]]]]]]]\n" + "".join(
        f"a{i + 1}: &a{i + 1} [[[[[[[[[[*a{i}]]]]]]]]]]\n" for i in range(25)
    )
    with pytest.raises(
        DocumentError, match=r"^nested deeper than 200 levels \(aliases expanded\)$"
    ):
        load_yaml(levels)


def test_yaml_as_json_keeps_to_what_json_can_say() -> None:
    assert load_yaml("200: {d: 2026-01-31}\n", as_json=True) == {"200": {"d": "2026-01-31"}}
    with pytest.raises(DocumentError) as info:
        load_yaml("properties:\n  on: {type: string}\n", as_json=True)
    assert (info.value.problem, info.value.where("s.yaml")) == (
        "the key True is not a string (YAML reads on/off/yes/no as booleans: quote it)",
        "s.yaml:2:3",
    )
    with pytest.raises(DocumentError, match=r"^invalid YAML: could not determine a constructor"):
        load_yaml("a: !!binary aGVsbG8=\n", as_json=True)


def test_numbers_past_pythons_limits_and_lone_surrogates_are_refused() -> None:
    digits = "9" * 5000
    with pytest.raises(DocumentError, match=r"^invalid JSON: Exceeds the limit \(4300 digits\)"):
        load_json(f'{{"a": {digits}}}')
    with pytest.raises(DocumentError, match=r"^invalid YAML: Exceeds the limit \(4300 digits\)"):
        load_yaml(f"a: {digits}\n")
    message = "a string holds a lone surrogate (\\ud800), which UTF-8 cannot carry"
    with pytest.raises(DocumentError) as info:
        load_json('{"\\ud800": 1}')
    assert info.value.problem == message
    with pytest.raises(DocumentError) as info:
        load_yaml('a: "\\ud800"\n')
    assert info.value.problem == message
    assert load_json('{"a": "\\ud83d\\ude00"}') == {"a": "\U0001f600"}  # a pair is one character


def _documents(numbers: st.SearchStrategy[object]) -> st.SearchStrategy[object]:
    return st.recursive(
        st.none() | st.booleans() | numbers | st.text(),
        lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
        max_leaves=20,
    )


INTEGERS = st.integers(min_value=-(2**63), max_value=2**64 - 1)
FLOATS = st.floats(allow_nan=False, allow_infinity=False)


@given(_documents(INTEGERS))
def test_dump_json_writes_what_the_standard_encoder_writes(data: object) -> None:
    """orjson (fast) in place of json.dumps(indent=2) (pure Python): the very same text."""
    assert dump_json(data) == json.dumps(data, indent=2, ensure_ascii=False) + "\n"


@given(_documents(INTEGERS | FLOATS))
def test_floats_are_written_as_the_same_numbers(data: object) -> None:
    """Floats are the one place the text may differ (orjson writes 1e-6 and 0.00001 where
    Python writes 1e-06 and 1e-05): the same numbers, read back exactly."""
    assert json.loads(dump_json(data)) == data


def test_a_float_may_be_spelled_otherwise() -> None:
    assert (
        dump_json([1.9495330209379946e-06, 1e-05]) == "[\n  1.9495330209379946e-6,\n  0.00001\n]\n"
    )


def test_what_orjson_refuses_goes_through_the_standard_encoder() -> None:
    assert dump_json({"n": 2**70}) == '{\n  "n": 1180591620717411303424\n}\n'
    assert dump_json({1: "a"}) == '{\n  "1": "a"\n}\n'
