"""Documents in and out: safe YAML with bounded aliases and nesting, one error type."""

from __future__ import annotations

import json

import pytest

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
