"""The in-process WSGI target: a PEP 3333 environ from the raw request, crashes as outcomes."""

from __future__ import annotations

from typing import Any

from flask import Flask, request

from contract_tools._parity.session import target_for_app, target_for_factory
from contract_tools._parity.wsgi import WSGITarget, build_environ
from contract_tools.models import Request


def _echo_flask() -> Flask:
    app = Flask(__name__)

    @app.route("/<path:rest>", methods=["GET", "POST"])
    def echo(rest: str) -> Any:
        return {
            "path": request.environ["PATH_INFO"],
            "raw": request.environ["RAW_URI"],
            "headers": sorted(k for k, _ in request.headers),
            "body": request.get_data(as_text=True),
        }

    @app.get("/boom")
    def boom() -> Any:
        raise ZeroDivisionError("boom")

    return app


def test_environ_is_built_from_the_raw_request() -> None:
    req = Request.build(
        "POST",
        "//items/%C3%A9",
        query=[("a", "1")],
        headers=[("Host", "h:81"), ("X-A", "1"), ("x-a", "2"), ("Content-Type", "text/plain")],
        body=b"hi",
    )
    environ = build_environ(req)
    assert environ["PATH_INFO"] == "//items/\xc3\xa9"
    assert environ["QUERY_STRING"] == "a=1"
    assert (environ["SERVER_NAME"], environ["SERVER_PORT"]) == ("h", "81")
    assert environ["HTTP_X_A"] == "1,2"
    assert environ["CONTENT_TYPE"] == "text/plain"
    assert environ["wsgi.input"].read() == b"hi"


def test_wsgi_target_sends_double_slash_path_and_no_extra_headers() -> None:
    target = target_for_app(_echo_flask())
    with target:
        response = target.send(Request.build("GET", "//x/y", headers=[("Host", "localhost")]))
    assert response.status == 200
    assert response.json()[1] == {"path": "//x/y", "raw": "//x/y", "headers": ["Host"], "body": ""}


def test_wsgi_exception_is_a_crash_outcome() -> None:
    target = target_for_app(_echo_flask())
    with target:
        response = target.send(Request.build("GET", "/boom"))
    assert response.status == 500
    assert response.crash is not None and "ZeroDivisionError: boom" in response.crash


def test_plain_wsgi_app_raising_is_a_crash() -> None:
    def app(environ: dict[str, Any], start_response: Any) -> Any:
        raise RuntimeError("bare")

    target = WSGITarget("bare", lambda: app)
    response = target.send(Request.build("GET", "/"))
    assert response.status == 500
    assert response.crash is not None and "RuntimeError: bare" in response.crash


def test_wsgi_factory_target_isolates_state_changing_requests() -> None:
    built: list[Flask] = []

    def factory() -> Flask:
        app = _echo_flask()
        built.append(app)
        return app

    target = target_for_factory(factory)
    built.clear()
    with target:
        target.send(Request.build("GET", "/a"))
        target.send(Request.build("GET", "/b"))
        target.send(Request.build("POST", "/a"))
        target.send(Request.build("POST", "/a"))
        target.send_probe(Request.build("GET", "/a"))
        target.send_probe(Request.build("GET", "/b"))
        assert len(built) == 4  # shared, two POSTs, one kept instance for safe probes
        target.send_probe(Request.build("POST", "/a"))
    assert len(built) == 5  # a state-changing probe always gets its own app
    assert len({id(app) for app in built}) == 5


def _strict_flask() -> Flask:
    import sys
    import time

    app = Flask(__name__)

    @app.get("/hang")
    def hang() -> Any:
        time.sleep(5)
        return "late"

    @app.get("/exit")
    def leave() -> Any:
        sys.exit(0)

    @app.get("/etag/<value>")
    def etag(value: str) -> Any:
        return "", 200, {"ETag": value}

    @app.get("/cookie")
    def cookie() -> Any:
        return "", 200, {"Set-Cookie": "  =0  "}

    return app


def test_a_handler_that_never_returns_is_no_answer_within_the_timeout() -> None:
    target = WSGITarget("flask", _strict_flask, timeout=0.3)
    with target:
        hung = target.send(Request.build("GET", "/hang"))
        after = target.send(Request.build("GET", "/cookie"))
    assert (hung.status, hung.no_answer) == (0, "no answer within 0.3s")
    assert after.status == 200  # the next call runs on a new worker


def test_sys_exit_in_a_view_is_the_apps_crash_not_the_end_of_the_run() -> None:
    with WSGITarget("flask", _strict_flask) as target:
        response = target.send(Request.build("GET", "/exit"))
    assert response.status == 500 and response.crash is not None
    assert "SystemExit" in response.crash


def test_what_a_real_server_would_refuse_is_a_500_on_that_side() -> None:
    with WSGITarget("flask", _strict_flask) as target:
        wide = target.send(Request.build("GET", "/etag/%C4%80"))  # Ā: not latin-1
        fine = target.send(Request.build("GET", "/etag/abc"))
    assert (wide.status, wide.crash) == (
        500,
        "the app's answer cannot be sent: header ETag value 'Ā' is not latin-1: a server "
        "answers 500",
    )
    assert fine.status == 200 and fine.header("etag") == "abc"

    def odd_status(environ: Any, start_response: Any) -> list[bytes]:
        start_response("700 Odd", [])
        return [b""]

    odd = WSGITarget("bare", lambda: odd_status).send(Request.build("GET", "/"))
    assert (odd.status, odd.crash) == (
        500,
        "the app's answer cannot be sent: status 700 is outside 100-599: a server answers 500",
    )


def test_header_values_arrive_as_a_parser_reads_them() -> None:
    with WSGITarget("flask", _strict_flask) as target:
        response = target.send(Request.build("GET", "/cookie"))
    assert response.header("set-cookie") == "=0"


def test_a_control_character_in_a_header_value_is_a_500_as_gunicorn_answers() -> None:
    with WSGITarget("flask", _strict_flask) as target:
        response = target.send(Request.build("GET", "/etag/%0C"))
    assert (response.status, response.crash) == (
        500,
        "the app's answer cannot be sent: header ETag value '\\x0c' holds a control character: "
        "a server answers 500",
    )
