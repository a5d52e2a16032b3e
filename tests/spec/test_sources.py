"""load_spec: files, URLs and app references, and one-line errors for bad input."""

from __future__ import annotations

import json
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import pytest

from contract_tools.errors import SpecLoadError
from contract_tools.spec.sources import load_spec

MINIMAL = {"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "paths": {}}


def _write(tmp_path: Path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_json_and_yaml_files_load(tmp_path: Path) -> None:
    as_json = _write(tmp_path, "a.json", json.dumps(MINIMAL))
    as_yaml = _write(
        tmp_path, "a.yaml", "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths: {}\n"
    )
    assert load_spec(as_json) == MINIMAL
    assert load_spec(as_yaml) == MINIMAL


def test_invalid_json_names_line_and_column(tmp_path: Path) -> None:
    path = _write(tmp_path, "bad.json", '{\n  "openapi": "3.1.0",\n  "paths": {,}\n}')
    with pytest.raises(SpecLoadError) as info:
        load_spec(path)
    assert str(info.value) == (
        f"{path}:3:13: invalid JSON: Expecting property name enclosed in double quotes"
    )


def test_invalid_yaml_names_line_and_column(tmp_path: Path) -> None:
    path = _write(tmp_path, "bad.yaml", "openapi: 3.1.0\npaths:\n  /a: [1, 2\n")
    with pytest.raises(SpecLoadError) as info:
        load_spec(path)
    message = str(info.value)
    assert message.startswith(f"{path}:4:1: invalid YAML: ")
    assert "\n" not in message


@pytest.mark.parametrize(
    ("doc", "expected"),
    [
        ({"hello": "world"}, "not an OpenAPI 3 document (no 'openapi: 3.x' key)"),
        ({"swagger": "2.0", "paths": {}}, "Swagger 2.0 is not supported; convert it to OpenAPI 3"),
        ({"openapi": "3.1.0", "info": {}}, "not an OpenAPI document (no 'paths' mapping)"),
        (
            {
                "openapi": "3.1.0",
                "paths": {"/a": {"get": {"responses": {"200": {"$ref": "#/components/x"}}}}},
            },
            "/paths/~1a/get/responses/200: unresolvable $ref '#/components/x'",
        ),
    ],
)
def test_not_openapi_is_one_line(tmp_path: Path, doc: dict[str, object], expected: str) -> None:
    path = _write(tmp_path, "doc.json", json.dumps(doc))
    with pytest.raises(SpecLoadError) as info:
        load_spec(path)
    assert str(info.value) == f"{path}: {expected}"


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(SpecLoadError, match=r"nope\.json: no such file$"):
        load_spec(str(tmp_path / "nope.json"))


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        if self.path == "/openapi.json":
            body, status = json.dumps(MINIMAL).encode(), 200
        elif self.path == "/html":
            body, status = b"<html><body>: nope: {</body>", 200
        else:
            body, status = b"missing", 404
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = HTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


def test_url_loads(server: str) -> None:
    assert load_spec(f"{server}/openapi.json") == MINIMAL


def test_url_http_error(server: str) -> None:
    with pytest.raises(SpecLoadError, match=r"/missing: HTTP 404 Not Found$"):
        load_spec(f"{server}/missing")


def test_url_body_not_json_or_yaml(server: str) -> None:
    with pytest.raises(SpecLoadError, match=r"/html: body is neither JSON nor YAML"):
        load_spec(f"{server}/html")


def test_url_unreachable() -> None:
    with pytest.raises(SpecLoadError, match=r"^http://127\.0\.0\.1:1/x: cannot connect"):
        load_spec("http://127.0.0.1:1/x")


def test_app_reference_for_fastapi(tmp_path: Path) -> None:
    (tmp_path / "port_app_for_sources.py").write_text(
        "from fastapi import FastAPI\napp = FastAPI()\n@app.get('/a/{x}')\ndef a(x: int): ...\n"
    )
    try:
        doc = load_spec("port_app_for_sources:app", app_dir=str(tmp_path))
    finally:
        sys.modules.pop("port_app_for_sources", None)
    assert list(doc["paths"]) == ["/a/{x}"]
