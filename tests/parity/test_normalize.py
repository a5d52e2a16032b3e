from __future__ import annotations

import pytest

from contract_tools._parity.normalize import (
    FLASK_FASTAPI,
    IGNORED,
    JSON,
    Normalizer,
    is_framework_error_page,
)
from contract_tools.errors import UsageError
from contract_tools.models import Response

WERKZEUG_404 = (
    b"<!doctype html>\n<html lang=en>\n<title>404 Not Found</title>\n<h1>Not Found</h1>\n"
    b"<p>The requested URL was not found on the server.</p>\n"
)


def _views(a: Response, b: Response, **kw: object) -> tuple[object, object]:
    return Normalizer.preset(**kw).views(a, b)  # type: ignore[arg-type]


def test_every_rule_is_named_and_documented() -> None:
    assert [r.name for r in FLASK_FASTAPI] == [
        "header-name-case",
        "ignore-volatile-headers",
        "media-type-only",
        "json-parsed",
        "framework-error-pages",
        "crash-pages",
        "empty-body-untyped",
        "redirect-307-308",
        "redirect-location-only",
        "location-path-query",
        "allow-as-set",
    ]
    assert all(rule.description for rule in FLASK_FASTAPI)


def test_strict_turns_everything_off_and_rules_are_switchable() -> None:
    assert Normalizer.preset(strict=True).rules == ()
    assert "allow-as-set" not in Normalizer.preset(disable=["allow-as-set"]).names
    with pytest.raises(UsageError):
        Normalizer.preset(disable=["nope"])
    with pytest.raises(UsageError):
        Normalizer.preset("django")


def test_framework_error_pages_compare_by_status_only() -> None:
    flask = Response(404, (("Content-Type", "text/html; charset=utf-8"),), WERKZEUG_404)
    fastapi = Response(404, (("content-type", "application/json"),), b'{"detail":"Not Found"}')
    assert is_framework_error_page(flask) and is_framework_error_page(fastapi)
    left, right = Normalizer().views(flask, fastapi)
    assert (left.body_kind, right.body_kind) == (IGNORED, IGNORED)
    assert left.headers == right.headers == {}


def test_application_error_bodies_are_not_framework_pages() -> None:
    assert not is_framework_error_page(
        Response(404, (("Content-Type", "application/json"),), b'{"error":"not found"}')
    )
    assert not is_framework_error_page(
        Response(200, (("content-type", "application/json"),), b'{"detail":"x"}')
    )
    assert is_framework_error_page(
        Response(500, (("content-type", "text/plain; charset=utf-8"),), b"Internal Server Error")
    )


def test_json_parsed_and_volatile_headers() -> None:
    a = Response(
        200,
        (("Content-Type", "application/json"), ("Date", "x"), ("Content-Length", "9")),
        b'{"b":1,"a":"\\u00e9"}\n',
    )
    b = Response(
        200,
        (("content-type", "application/json"), ("server", "uvicorn")),
        '{"a":"é","b":1}'.encode(),
    )
    left, right = Normalizer().views(a, b)
    assert left.body_kind == right.body_kind == JSON
    assert left.body == right.body == {"a": "é", "b": 1}
    assert left.headers == right.headers == {"content-type": "application/json"}


def test_redirects_307_308_location_path_and_query() -> None:
    a = Response(
        308,
        (("Location", "http://localhost/items/?a=1"), ("Content-Type", "text/html")),
        b"<p>redirect</p>",
    )
    b = Response(307, (("location", "http://testserver/items/?a=1"),), b"")
    left, right = Normalizer().views(a, b)
    assert left.status == right.status == 307
    assert left.headers == right.headers == {"location": "/items/?a=1"}
    strict_left, strict_right = Normalizer.preset(strict=True).views(a, b)
    assert strict_left.status == 308 and strict_right.headers == {
        "location": "http://testserver/items/?a=1"
    }


def test_allow_as_set_without_head_options() -> None:
    a = Response(405, (("Allow", "POST, OPTIONS, GET, HEAD"),), b"x")
    b = Response(405, (("allow", "GET, POST"),), b"x")
    left, right = Normalizer().views(a, b)
    assert left.headers["allow"] == right.headers["allow"] == "GET, POST"


def test_empty_bodies_ignore_their_type() -> None:
    a = Response(204, (("Content-Type", "text/html; charset=utf-8"),), b"")
    left, right = Normalizer().views(a, Response(204))
    assert left.headers == right.headers == {}


def test_two_crashes_with_one_status_compare_by_status_only() -> None:
    ours = Response(500, (("Content-Type", "text/plain"),), b"Internal Server Error", crash="a")
    bare = Response(500, (), b"", crash="UnicodeEncodeError")
    left, right = Normalizer.preset().views(ours, bare)
    assert (left.body_kind, right.body_kind, left.headers, right.headers) == (
        "ignored",
        "ignored",
        {},
        {},
    )
    other = Response(502, (), b"", crash="bad gateway")
    left, right = Normalizer.preset().views(ours, other)
    assert left.body_kind != "ignored"
