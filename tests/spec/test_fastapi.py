"""fastapi_spec and validate_openapi."""

from __future__ import annotations

import pytest
from fastapi import APIRouter, FastAPI
from starlette.applications import Starlette
from starlette.responses import JSONResponse
from starlette.routing import Route

from contract_tools.errors import SpecError, SpecLoadError
from contract_tools.spec.fastapi import fastapi_spec
from contract_tools.spec.validate import validate_openapi


def test_included_routers_and_validation() -> None:
    router = APIRouter()

    @router.get("/inner/{x}")
    def inner(x: int) -> dict[str, int]:
        return {"x": x}

    app = FastAPI()
    app.include_router(router, prefix="/r")
    doc = fastapi_spec(app)
    assert list(doc["paths"]) == ["/r/inner/{x}"]
    validate_openapi(doc, "app")


def test_root_path_becomes_servers_and_the_app_cache_is_untouched() -> None:
    app = FastAPI(servers=None)
    app.root_path = "/api"
    doc = fastapi_spec(app)
    assert doc["servers"] == [{"url": "/api"}]
    assert "servers" not in app.openapi()


def test_declared_servers_win() -> None:
    app = FastAPI(servers=[{"url": "https://example.com"}])
    app.root_path = "/api"
    assert fastapi_spec(app)["servers"] == [{"url": "https://example.com"}]


def test_plain_asgi_app_serving_a_document() -> None:
    doc = {"openapi": "3.1.0", "info": {"title": "s", "version": "1"}, "paths": {}}

    async def openapi(request: object) -> JSONResponse:
        return JSONResponse(doc)

    assert fastapi_spec(Starlette(routes=[Route("/openapi.json", openapi)])) == doc


def test_plain_asgi_app_without_a_document() -> None:
    with pytest.raises(SpecLoadError, match=r"answered /openapi.json with HTTP 404"):
        fastapi_spec(Starlette())


def test_validate_openapi_one_line() -> None:
    bad = {
        "openapi": "3.1.0",
        "info": {"title": "x", "version": "1"},
        "paths": {"/a": {"get": {"responses": {"200": {"description": 1}}}}},
    }
    with pytest.raises(SpecError) as info:
        validate_openapi(bad, "doc")
    assert str(info.value) == (
        "doc: invalid OpenAPI at $.paths['/a'].get.responses[200].description: "
        '1 is not of type "string"'
    )


def test_validate_openapi_version() -> None:
    with pytest.raises(SpecError, match=r"^doc: unsupported or missing OpenAPI version None"):
        validate_openapi({"paths": {}}, "doc")
