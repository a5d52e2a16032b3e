"""Schemas merged from observed JSON: exactly what was seen, and every sample fits."""

from __future__ import annotations

from typing import Any

import jsonschema
from hypothesis import given, settings
from hypothesis import strategies as st

from contract_tools.spec.learned import infer_schema, learned_media


def test_objects_required_keys_items_null_and_numbers() -> None:
    samples = [
        {"id": 1, "price": 9.5, "tags": ["a"], "note": None, "at": "2024-01-15T08:00:00+00:00"},
        {"id": 2, "price": 10, "tags": [], "note": "x", "at": "2024-03-02T09:15:00Z"},
        {"id": 3, "price": 1, "tags": ["b", "c"], "at": "2024-03-09T11:05:00+00:00"},
    ]
    assert infer_schema(samples) == {
        "type": "object",
        "properties": {
            "at": {"type": "string", "format": "date-time"},
            "id": {"type": "integer"},
            "note": {"type": ["null", "string"]},
            "price": {"type": "number"},
            "tags": {"type": "array", "items": {"type": "string"}},
        },
        "required": ["at", "id", "price", "tags"],
    }


def test_formats_only_when_every_string_matches() -> None:
    uuids = ["0b6f1c1e-8a4f-4a8e-9d7b-2f0c5e6a1b01", "5d2e7a90-3c1b-4f6d-8e2a-7b9c0d1e2f03"]
    assert infer_schema(uuids) == {"type": "string", "format": "uuid"}
    assert infer_schema([*uuids, "not-a-uuid"]) == {"type": "string"}
    assert infer_schema(["2024-01-15", "Mon, 15 Jan 2024 08:00:00 GMT"]) == {"type": "string"}


def test_empty_arrays_say_nothing_of_their_items() -> None:
    assert infer_schema([[], []]) == {"type": "array"}
    assert infer_schema([]) == {}


def test_media_object_marks_what_was_learned() -> None:
    assert learned_media([{"a": 1}], 3) == {
        "schema": {"type": "object", "properties": {"a": {"type": "integer"}}, "required": ["a"]},
        "x-contract-tools-source": "learned",
        "x-contract-tools-learned": {"cases": 3},
    }
    assert learned_media(None, 2) == {
        "x-contract-tools-source": "learned",
        "x-contract-tools-learned": {"cases": 2},
    }


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda children: (
        st.lists(children, max_size=3)
        | st.dictionaries(st.sampled_from(["a", "b", "c"]), children, max_size=3)
    ),
    max_leaves=12,
)


@settings(max_examples=200, deadline=None)
@given(st.lists(json_values, min_size=1, max_size=5))
def test_every_sample_is_valid_against_the_merged_schema(samples: list[Any]) -> None:
    schema = infer_schema(samples)
    validator = jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )
    for sample in samples:
        assert validator.is_valid(sample), (schema, sample)
