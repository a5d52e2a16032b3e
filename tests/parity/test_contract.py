"""PathContract: is a request path inside one side's declared contract?"""

from __future__ import annotations

from urllib.parse import quote

from flask import Flask
from hypothesis import given, settings
from hypothesis import strategies as st
from werkzeug.exceptions import HTTPException

from contract_tools._parity.contract import PathContract
from contract_tools.spec.flask import build_flask_spec


def contract(template: str, schemas: dict[str, dict[str, object]]) -> PathContract:
    parameters = [
        {"name": n, "in": "path", "required": True, "schema": s} for n, s in schemas.items()
    ]
    return PathContract.from_operation(template, {}, {"parameters": parameters})


def test_typed_values() -> None:
    c = contract(
        "/b/{id}/p/{price}", {"id": {"type": "integer", "minimum": 0}, "price": {"type": "number"}}
    )
    assert c.accepts("/b/5/p/1.5")
    assert c.accepts("/b/0/p/2")
    assert not c.accepts("/b/-1/p/1.5")
    assert not c.accepts("/b/x/p/1.5")
    assert not c.accepts("/b/5/p/abc")
    assert not c.accepts("/b/5")
    assert not c.accepts("/c/5/p/1.5")


def test_path_level_parameters_and_percent_decoding() -> None:
    c = PathContract.from_operation(
        "/f/{name}",
        {
            "parameters": [
                {"name": "name", "in": "path", "schema": {"type": "string", "pattern": "^a/b$"}}
            ]
        },
        {},
    )
    assert c.accepts("/f/a%2Fb")
    assert not c.accepts("/f/a%2Fc")


def test_an_unreadable_schema_is_not_a_reason_to_refuse() -> None:
    assert contract("/x/{v}", {"v": {"type": "string", "minLength": "many"}}).accepts("/x/a")


def make_app() -> Flask:
    app = Flask("contract")
    view = lambda **_: ""  # noqa: E731
    app.add_url_rule("/i/<int:v>", endpoint="i", view_func=view)
    app.add_url_rule("/s/<int(signed=True, max=50):v>", endpoint="s", view_func=view)
    app.add_url_rule("/f/<float:v>", endpoint="f", view_func=view)
    app.add_url_rule("/u/<uuid:v>", endpoint="u", view_func=view)
    app.add_url_rule("/l/<string(length=3):v>", endpoint="l", view_func=view)
    app.add_url_rule("/v<int:a>.<int:b>/x", endpoint="parts", view_func=view)
    return app


APP = make_app()
ADAPTER = APP.url_map.bind("localhost")
DOC = build_flask_spec(APP).document
CONTRACTS = {
    template: PathContract.from_operation(template, item, item["get"])
    for template, item in DOC["paths"].items()
}
PREFIXES = {"/i/": "/i/{v}", "/s/": "/s/{v}", "/f/": "/f/{v}", "/u/": "/u/{v}", "/l/": "/l/{v}"}


@settings(max_examples=400, deadline=None)
@given(
    prefix=st.sampled_from(sorted(PREFIXES)),
    segment=st.one_of(
        st.integers(-100, 10**6).map(str),
        st.floats(allow_nan=False, allow_infinity=False).map(str),
        st.uuids().map(str),
        st.text(alphabet="0123456789.-+eabc", max_size=6),
    ),
)
def test_agrees_with_werkzeug_on_canonical_segments(prefix: str, segment: str) -> None:
    """On what clients send, the draft's contract refuses exactly what Werkzeug will not route.

    Leading zeros and non-ASCII digits are left out: the contract reads integers as clients
    write them, which Werkzeug also accepts.
    """
    path = prefix + quote(segment, safe="")
    try:
        ADAPTER.match(prefix + segment)
        routed = True
    except HTTPException:
        routed = False
    canonical = not (segment.lstrip("-").startswith("0") and segment.lstrip("-") != "0")
    if canonical or not routed:
        assert CONTRACTS[PREFIXES[prefix]].accepts(path) == routed, (path, routed)


def test_partial_segments() -> None:
    parts = CONTRACTS["/v{a}.{b}/x"]
    assert parts.accepts("/v1.2/x")
    assert not parts.accepts("/v1.-2/x")
