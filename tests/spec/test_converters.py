"""Werkzeug's matcher and the emitted schema must agree on every path segment.

String-typed schemas (float, fixed_digits int, string, path, uuid, any, custom) must agree
exactly: Werkzeug matches segment ``s`` if and only if ``s`` validates against the schema.

Integer schemas describe values, as FastAPI's do, so agreement is stated on values both ways:
every segment Werkzeug accepts converts to a schema-valid integer, and every schema-valid integer,
written as OpenAPI's simple style writes it (``str(v)``), routes to that same value.
"""

from __future__ import annotations

import enum
from typing import Any, ClassVar
from urllib.parse import unquote

import jsonschema
import pytest
from flask import Flask
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from werkzeug.exceptions import HTTPException
from werkzeug.routing import BaseConverter, Map, ValidationError
from werkzeug.routing.exceptions import RequestRedirect

from contract_tools.spec.converters import (
    EXTENSION,
    ConverterSpec,
    anchored,
    converter_schema,
    register_converter,
    unregister_converter,
)
from contract_tools.spec.flask import build_flask_spec


class Color(enum.Enum):
    RED = "red"
    BLUE = "blue"
    GREEN = "green"


class ColorConverter(BaseConverter):
    regex = "[a-z]+"

    def to_python(self, value: str) -> Color:
        try:
            return Color(value)
        except ValueError:
            raise ValidationError() from None


class IsbnConverter(BaseConverter):
    regex = r"97[89]\d{10}"


class PrefixConverter(BaseConverter):
    """Sets its regex per instance, from a rule argument."""

    def __init__(self, map: Map, prefix: str) -> None:
        super().__init__(map)
        self.regex = prefix + r"-\d{2,3}"


class HookedConverter(BaseConverter):
    regex = "[A-Z]{3}"
    openapi_schema: ClassVar[dict[str, str]] = {"type": "string", "pattern": "^[A-Z]{3}$(?!\\n)"}


class RegisteredConverter(BaseConverter):
    regex = "x+"


class StringAnnotated(BaseConverter):
    regex = "[0-9a-f]+"

    def to_python(self, value: str) -> NotImportable:  # type: ignore[name-defined]  # noqa: F821
        return value


CONVERTERS = {
    "color": ColorConverter,
    "isbn": IsbnConverter,
    "prefix": PrefixConverter,
    "hooked": HookedConverter,
    "registered": RegisteredConverter,
    "strann": StringAnnotated,
}

# Every converter kind with the argument combinations Werkzeug supports.
CASES = [
    "int",
    "int(signed=True)",
    "int(min=3)",
    "int(max=20)",
    "int(min=3, max=20)",
    "int(signed=True, min=2, max=50)",
    "int(fixed_digits=4)",
    "int(fixed_digits=3, signed=True)",
    "int(fixed_digits=2, max=50)",
    "float",
    "float(signed=True)",
    "float(min=1.5, max=9.0)",
    "uuid",
    "path",
    "default",
    "string",
    "string(length=2)",
    "string(minlength=2)",
    "string(maxlength=3)",
    "string(minlength=2, maxlength=4)",
    'any(b, a, "c,d")',
    "any(1,2)",
    "color",
    "isbn",
    "prefix(ab)",
    "hooked",
    "registered",
    "strann",
]

_ALPHABET = "0123456789-+._eE/ a%2F\n" + "\u0661\u0662\u06f3\u0966"

segments = st.one_of(
    st.text(alphabet=_ALPHABET, max_size=12),
    st.text(max_size=20),
    st.text(alphabet="0123456789", min_size=40, max_size=300),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.integers(min_value=0, max_value=9999).map(lambda n: f"{n:04d}"),
    st.floats(allow_nan=False, allow_infinity=False).map(repr),
    st.tuples(st.integers(0, 999), st.integers(0, 999)).map(lambda t: f"{t[0]}.{t[1]}"),
    st.uuids().map(str),
    st.uuids().map(lambda u: str(u).upper()),
    st.uuids().map(lambda u: u.hex),
    st.sampled_from(["", "a", "b", "c,d", "1,2", "red", "purple", "9781234567897", "ab-12"]),
    st.sampled_from(["ABC", "xxx", "a%2Fb", "a/b", "a/", "5\n", "5%0A", "+5", "-0", "1e5", ".5"]),
)


@pytest.fixture(scope="module", autouse=True)
def _registered() -> Any:
    register_converter(RegisteredConverter, {"type": "string", "pattern": "^x+$(?!\\n)"})
    yield
    unregister_converter(RegisteredConverter)


def _setup(case: str) -> tuple[Any, dict[str, Any]]:
    app = Flask(__name__)
    app.url_map.converters.update(CONVERTERS)
    app.add_url_rule(f"/x/<{case}:value>", endpoint="target", view_func=lambda value: "")
    document = build_flask_spec(app).document
    (parameter,) = document["paths"]["/x/{value}"]["get"]["parameters"]
    return app.url_map.bind("localhost"), parameter["schema"]


def _werkzeug(adapter: Any, segment: str) -> tuple[bool, Any]:
    """Route ``/x/<segment>`` as a server would: percent-decoded PATH_INFO."""
    try:
        endpoint, values = adapter.match("/x/" + unquote(segment))
    except (HTTPException, RequestRedirect):
        return False, None
    return endpoint == "target", values["value"]


def _schema_accepts(schema: dict[str, Any], value: Any) -> bool:
    plain = {k: v for k, v in schema.items() if k != EXTENSION}
    if not jsonschema.Draft202012Validator(plain).is_valid(value):
        return False
    # Numeric bounds cannot live on a string schema; they are part of the emitted extension.
    bounds = schema.get(EXTENSION, {})
    if plain["type"] == "string" and bounds.get("name") in ("int", "float"):
        number = float(value)
        if "min" in bounds and number < bounds["min"]:
            return False
        if "max" in bounds and number > bounds["max"]:
            return False
    return True


@pytest.mark.parametrize("case", CASES)
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(raw=segments)
def test_werkzeug_and_schema_agree_on_every_segment(case: str, raw: str) -> None:
    adapter, schema = _setup(case)
    matched, value = _werkzeug(adapter, raw)
    segment = unquote(raw)
    if schema.get("type") == "integer":
        if matched:
            assert _schema_accepts(schema, value), (segment, value, schema)
        elif (number := _int_or_none(segment)) is not None and segment == str(number):
            # A canonical integer Werkzeug refuses must be outside the schema too.
            assert not _schema_accepts(schema, number), (segment, schema)
    else:
        assert matched == _schema_accepts(schema, segment), (segment, schema)


def _int_or_none(text: str) -> int | None:
    try:
        return int(text)
    except ValueError:
        return None


INTEGER_CASES = [c for c in CASES if c.startswith("int") and "fixed_digits" not in c]


@pytest.mark.parametrize("case", INTEGER_CASES)
@settings(max_examples=200, deadline=None)
@given(data=st.data())
def test_every_schema_valid_integer_routes_to_itself(case: str, data: st.DataObject) -> None:
    adapter, schema = _setup(case)
    value = data.draw(st.integers(min_value=schema.get("minimum"), max_value=schema.get("maximum")))
    assert _werkzeug(adapter, str(value)) == (True, value)


def test_schemas_per_kind_are_exact() -> None:
    expected = {
        "int": {"type": "integer", "minimum": 0},
        "int(signed=True)": {"type": "integer"},
        "int(signed=True, min=2, max=50)": {"type": "integer", "minimum": 2, "maximum": 50},
        "int(fixed_digits=4)": {
            "type": "string",
            "minLength": 4,
            "maxLength": 4,
            "pattern": "^(?=.{4}$(?!\\n))\\d+$(?!\\n)",
        },
        "float": {"type": "string", "pattern": "^\\d+\\.\\d+$(?!\\n)"},
        "float(signed=True)": {"type": "string", "pattern": "^-?\\d+\\.\\d+$(?!\\n)"},
        "path": {"type": "string", "pattern": "^[^/].*?$(?!\\n)"},
        "string(length=2)": {
            "type": "string",
            "minLength": 2,
            "maxLength": 2,
            "pattern": "^[^/]{2}$(?!\\n)",
        },
        'any(b, a, "c,d")': {"type": "string", "enum": ["b", "a", "c,d"]},
        "any(1,2)": {"type": "string", "enum": ["1,2"]},
        "color": {"type": "string", "enum": ["red", "blue", "green"]},
        "isbn": {"type": "string", "pattern": "^97[89]\\d{10}$(?!\\n)"},
        "prefix(ab)": {"type": "string", "pattern": "^ab-\\d{2,3}$(?!\\n)"},
        "hooked": {"type": "string", "pattern": "^[A-Z]{3}$(?!\\n)"},
        "registered": {"type": "string", "pattern": "^x+$(?!\\n)"},
        "strann": {"type": "string", "pattern": "^[0-9a-f]+$(?!\\n)"},
    }
    for case, schema in expected.items():
        _, emitted = _setup(case)
        assert {k: v for k, v in emitted.items() if k != EXTENSION} == schema, case


def test_extension_keeps_converter_name_and_arguments() -> None:
    _, schema = _setup("int(signed=True, min=2, max=50)")
    assert schema[EXTENSION] == {
        "name": "int",
        "arguments": "signed=True, min=2, max=50",
        "min": 2,
        "max": 50,
        "signed": True,
    }
    _, schema = _setup("uuid")
    assert schema[EXTENSION] == {"name": "uuid"}


def test_anchored_groups_alternations_only() -> None:
    assert anchored(r"\d+") == r"^\d+$(?!\n)"
    assert anchored("a|b") == r"^(?:a|b)$(?!\n)"
    assert anchored("(?:a|b)c") == r"^(?:a|b)c$(?!\n)"
    assert anchored("[|]x") == r"^[|]x$(?!\n)"


def test_hook_must_be_a_mapping() -> None:
    class Broken(BaseConverter):
        openapi_schema = "not a schema"

    with pytest.raises(TypeError, match=r"Broken\.openapi_schema must be a mapping"):
        converter_schema(Broken(Map()), ConverterSpec("broken", None))


def test_register_rejects_non_converters() -> None:
    with pytest.raises(TypeError, match="not a werkzeug BaseConverter subclass"):
        register_converter(int, {})


def test_custom_to_python_without_hook_is_a_diagnostic() -> None:
    class Strict(BaseConverter):
        regex = "[a-z]+"

        def to_python(self, value: str) -> str:
            if value == "no":
                raise ValidationError()
            return value

    diagnostics: list[str] = []
    schema = converter_schema(Strict(Map()), ConverterSpec("strict", None), diagnostics)
    assert schema["pattern"] == "^[a-z]+$(?!\\n)"
    assert diagnostics == [
        "converter Strict: to_python may reject values its regex matches; "
        "set 'openapi_schema' on the class for an exact schema"
    ]
