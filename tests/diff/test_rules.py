"""Every rule on its own base/revision pair, and the registry's own guarantees."""

from __future__ import annotations

from typing import Any

import pytest

from contract_tools._diff.engine import diff_specs
from contract_tools._diff.registry import Direction, all_rules, rule
from contract_tools.models import Level
from contract_tools.spec.validate import validate_openapi
from tests.diff.cases import CASES, base_spec, build_pair

RULE_IDS = sorted(r.id for r in all_rules())


def test_every_registered_rule_has_a_pair() -> None:
    assert sorted(set(RULE_IDS) - set(CASES)) == []
    assert sorted(set(CASES) - set(RULE_IDS)) == []


def test_rule_count() -> None:
    assert len(RULE_IDS) == 65  # the issue asked for at least 40


@pytest.mark.parametrize("rule_id", RULE_IDS)
def test_rule_pair_gives_exact_ids(rule_id: str) -> None:
    base, revision, expected = build_pair(rule_id)
    assert rule_id in expected
    assert {f.id for f in diff_specs(base, revision)} == expected


@pytest.mark.parametrize("rule_id", RULE_IDS)
def test_rule_pairs_are_valid_openapi(rule_id: str) -> None:
    base, revision, _ = build_pair(rule_id)
    validate_openapi(base, "base")
    validate_openapi(revision, "revision")


def test_base_against_itself_is_silent() -> None:
    assert diff_specs(base_spec(), base_spec()) == []


def test_findings_name_operation_with_base_parameter_names() -> None:
    base, revision, _ = build_pair("path-parameter-renamed")
    revision["paths"]["/items/{id}"]["post"]["parameters"][0]["schema"] = {"type": "boolean"}
    findings = diff_specs(base, revision)
    assert {(f.id, f.operation) for f in findings} == {
        ("path-parameter-renamed", "POST /items/{item_id}"),
        ("path-parameter-type-changed", "POST /items/{item_id}"),
    }


def test_details_carry_location_and_both_sides() -> None:
    base, revision, _ = build_pair("request-body-type-changed")
    (finding,) = diff_specs(base, revision)
    assert finding.level is Level.ERROR
    assert finding.message == "request body (application/json) at $.code: type string -> integer"
    assert finding.to_dict()["details"] == {
        "direction": "request",
        "media_type": "application/json",
        "location": "$.code",
        "base": ["string"],
        "revision": ["integer"],
        "paths": ["media_type=application/json location=$.code"],
    }


def test_two_findings_of_one_rule_on_one_operation_have_distinct_keys() -> None:
    """An accepted-drift entry for one removed property must not accept another one."""

    def spec(*names: str) -> dict[str, Any]:
        schema = {"type": "object", "properties": {n: {"type": "string"} for n in names}}
        ok = {"description": "ok", "content": {"application/json": {"schema": schema}}}
        return {
            "openapi": "3.1.0",
            "info": {"title": "t", "version": "1"},
            "paths": {"/a": {"get": {"responses": {"200": ok}}}},
        }

    findings = diff_specs(spec("a", "b", "c"), spec("c"))
    assert [f.id for f in findings] == ["response-body-optional-property-removed"] * 2
    assert len({f.key for f in findings}) == 2


def test_levels_are_overridable_outside_the_checks() -> None:
    base, revision, _ = build_pair("operation-removed")
    (default,) = diff_specs(base, revision)
    (overridden,) = diff_specs(base, revision, levels={"operation-removed": Level.INFO})
    assert (default.level, overridden.level) == (Level.ERROR, Level.INFO)


def test_request_tightening_is_error_and_response_widening_is_error() -> None:
    levels = {r.id: (r.level, r.direction) for r in all_rules()}
    assert levels["request-body-enum-narrowed"] == (Level.ERROR, Direction.REQUEST)
    assert levels["request-parameter-enum-widened"] == (Level.INFO, Direction.REQUEST)
    assert levels["response-body-enum-widened"] == (Level.ERROR, Direction.RESPONSE)


def test_response_enum_narrowed_is_not_reported() -> None:
    base = base_spec()
    revision = base_spec()
    revision["components"]["schemas"]["Out"]["properties"]["status"]["enum"] = ["on"]
    assert diff_specs(base, revision) == []


def test_type_widening_in_a_request_is_not_reported() -> None:
    base = base_spec()
    revision = base_spec()
    revision["components"]["schemas"]["In"]["properties"]["size"]["type"] = "number"
    revision["paths"]["/items/{item_id}"]["post"]["parameters"][0]["schema"] = {"type": "string"}
    assert diff_specs(base, revision) == []


def test_registry_rejects_bad_rules() -> None:
    def check(pair: object) -> list[object]:
        """Why."""
        return []

    with pytest.raises(ValueError, match="kebab-case"):
        rule("Not_Kebab", Level.INFO, Direction.REQUEST)(check)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="registered twice"):
        rule("operation-removed", Level.INFO, Direction.REQUEST)(check)  # type: ignore[arg-type]

    def undocumented(pair: object) -> list[object]:
        return []

    with pytest.raises(ValueError, match="docstring"):
        rule("undocumented-rule", Level.INFO, Direction.REQUEST)(undocumented)  # type: ignore[arg-type]


def test_every_rule_has_a_why() -> None:
    for registered in all_rules():
        assert registered.summary.endswith(".") or registered.summary.endswith(","), registered.id


def test_default_response_stands_for_any_status() -> None:
    base = base_spec()
    responses = base["paths"]["/items/{item_id}"]["post"]["responses"]
    responses["default"] = responses.pop("404")
    revision = base_spec()
    revision["paths"]["/items/{item_id}"]["post"]["responses"]["409"] = {"description": "c"}
    assert diff_specs(base, revision) == []


def test_draft_without_a_body_says_nothing_about_bodies() -> None:
    def spec(body: bool, draft: bool) -> dict[str, Any]:
        op: dict[str, Any] = {"responses": {"default": {"description": "any"}}}
        if body:
            op["requestBody"] = {
                "required": True,
                "content": {"application/json": {"schema": {"type": "object"}}},
            }
        doc: dict[str, Any] = {
            "openapi": "3.1.0",
            "info": {"title": "t", "version": "1"},
            "paths": {"/a": {"post": op}},
        }
        if draft:
            doc["x-contract-tools-draft"] = {"unknown": ["requestBody"]}
        return doc

    def ids(base: dict[str, Any], revision: dict[str, Any]) -> set[str]:
        return {f.id for f in diff_specs(base, revision)}

    assert ids(spec(body=False, draft=True), spec(body=True, draft=False)) == set()
    assert ids(spec(body=True, draft=False), spec(body=False, draft=True)) == set()
    assert ids(spec(body=False, draft=False), spec(body=True, draft=False)) == {
        "request-body-became-required"
    }
    assert ids(spec(body=True, draft=False), spec(body=False, draft=False)) == {
        "request-body-removed"
    }
