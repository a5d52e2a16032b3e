"""counterparts: the bijection between the ids each side made, and answers rewritten with it."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from contract_tools._parity.compare import compare
from contract_tools._parity.counterparts import MIN_EMBEDDED, Counterparts
from contract_tools._parity.normalize import Normalizer
from contract_tools.models import Response

BASE_ID = "4f1c0e9a-1111-4a4a-9b9b-000000000001"
CAND_ID = "9a2fed2d-2222-4b4b-8c8c-000000000002"


def _json(body: Any, *headers: tuple[str, str], status: int = 200) -> Response:
    return Response(
        status, (("Content-Type", "application/json"), *headers), json.dumps(body).encode()
    )


def test_a_pair_is_learned_once_and_never_rewritten() -> None:
    pairs = Counterparts()
    assert pairs.learn(BASE_ID, CAND_ID) is True
    assert pairs.learn(BASE_ID, CAND_ID) is True  # the same pair again agrees
    # Either value already paired with another: the first pairing stands.
    assert pairs.learn("other-baseline-value", CAND_ID) is False
    assert pairs.learn(BASE_ID, "other-candidate-value") is False
    assert pairs.pairs() == [(BASE_ID, CAND_ID)]


def test_only_ids_of_one_type_pair() -> None:
    pairs = Counterparts()
    assert pairs.learn(1, "1") is False
    assert pairs.learn(True, False) is False
    assert pairs.learn(None, 3) is False
    assert pairs.learn("", "x") is False
    assert pairs.learn(13, 14) is True
    assert len(pairs) == 1


def test_values_are_replaced_nested_in_lists_and_inside_long_strings() -> None:
    pairs = Counterparts()
    pairs.learn(BASE_ID, CAND_ID)
    pairs.learn(13, 14)
    pairs.learn("ab", "cd")  # too short to be looked for inside other strings
    answer = {
        "id": CAND_ID,
        "items": [{"id": CAND_ID, "owner_id": 14, "stock": 14}, {"id": "x", "owner_id": 15}],
        "href": f"/notes/{CAND_ID}/archive",
        "code": "cd",
        "text": "abcd",
    }
    assert pairs.to_baseline(answer) == {
        "id": BASE_ID,
        # A number is an id only under an id-like key: a stock of 14 stays 14.
        "items": [{"id": BASE_ID, "owner_id": 13, "stock": 14}, {"id": "x", "owner_id": 15}],
        "href": f"/notes/{BASE_ID}/archive",
        "code": "ab",
        "text": "abcd",
    }


def test_an_answer_is_rewritten_in_headers_and_body_and_untouched_without_pairs() -> None:
    answer = _json({"id": CAND_ID}, ("Location", f"/notes/{CAND_ID}"), status=201)
    assert Counterparts().response_to_baseline(answer) is answer
    pairs = Counterparts()
    pairs.learn(BASE_ID, CAND_ID)
    rewritten = pairs.response_to_baseline(answer)
    assert rewritten.header("location") == f"/notes/{BASE_ID}"
    assert rewritten.json() == (True, {"id": BASE_ID})
    assert rewritten.status == 201
    # An answer holding none of the values stays the same object (its bytes untouched).
    other = _json({"id": "unrelated"})
    assert pairs.response_to_baseline(other) is other


def test_pairs_are_learned_from_id_fields_and_location_segments() -> None:
    pairs = Counterparts()
    pairs.learn_answers(
        _json({"id": BASE_ID, "note": {"owner_id": 7}, "title": "a"}, ("Location", "/n/x1")),
        _json({"id": CAND_ID, "note": {"owner_id": 8}, "title": "b"}, ("Location", "/n/y1")),
    )
    assert sorted(pairs.pairs(), key=str) == sorted(
        [(BASE_ID, CAND_ID), (7, 8), ("x1", "y1")], key=str
    )


_TOKENS = st.text(alphabet="abcdef", min_size=MIN_EMBEDDED, max_size=12)
_JSON = st.recursive(
    st.none() | st.booleans() | st.integers(-5, 5) | st.text(alphabet="xyz/", max_size=6),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.sampled_from("kqr"), inner),
    max_leaves=8,
)


@st.composite
def _mapped(draw: Any) -> tuple[Counterparts, list[str]]:
    # Baseline values over "abcdef", candidate values over "ghijkl": disjoint, as two
    # apps' random ids are.
    base = draw(st.lists(_TOKENS, min_size=1, max_size=3, unique=True))
    pairs = Counterparts()
    for value in base:
        pairs.learn(value, value.translate(str.maketrans("abcdef", "ghijkl")))
    return pairs, base


@given(_mapped(), _JSON, st.data())
def test_substitution_is_an_involution(
    mapping: tuple[Counterparts, list[str]], noise: Any, data: st.DataObject
) -> None:
    """Spelling a baseline answer with the candidate's ids and back gives it again."""
    pairs, base = mapping
    value = {"ids": base, "href": "/notes/" + data.draw(st.sampled_from(base)), "rest": noise}
    assert pairs.to_baseline(pairs.to_candidate(value)) == value


@given(_mapped(), _JSON)
def test_an_answer_never_differs_from_itself_under_any_mapping(
    mapping: tuple[Counterparts, list[str]], noise: Any
) -> None:
    pairs, base = mapping
    baseline = _json({"ids": base, "first": base[0], "rest": noise}, ("Location", f"/n/{base[0]}"))
    candidate = _json(
        pairs.to_candidate({"ids": base, "first": base[0], "rest": noise}),
        ("Location", pairs.to_candidate(f"/n/{base[0]}")),
    )
    assert compare(baseline, pairs.response_to_baseline(candidate), Normalizer()) == []
