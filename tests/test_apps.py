"""APP references resolve like ``flask --app``; every failure is one AppLoadError line."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from contract_tools.apps import AppKind, AppRef, app_kind, is_app_reference, load_app
from contract_tools.errors import AppLoadError

_counter = itertools.count()


def write_module(tmp_path: Path, source: str) -> str:
    """A uniquely named module, so sys.modules caching never leaks between tests."""
    name = f"ct_app_{next(_counter)}"
    (tmp_path / f"{name}.py").write_text(source)
    return name


FLASK_SOURCE = """
from flask import Flask
app = Flask("plain")
def create_app(name="made"):
    return Flask(name)
def needs(x):
    return Flask(x)
def boom():
    raise RuntimeError("no database")
not_an_app = 42
"""


def test_attribute_and_factory_references(tmp_path: Path) -> None:
    mod = write_module(tmp_path, FLASK_SOURCE)
    assert load_app(f"{mod}:app", str(tmp_path)).name == "plain"
    assert load_app(f"{mod}:create_app()", str(tmp_path)).name == "made"
    assert load_app(f"{mod}:create_app('other')", str(tmp_path)).name == "other"
    assert load_app(f"{mod}:create_app(name='kw')", str(tmp_path)).name == "kw"
    assert load_app(mod, str(tmp_path)).name == "plain"


def test_factory_reference_builds_a_fresh_app_each_load(tmp_path: Path) -> None:
    mod = write_module(tmp_path, FLASK_SOURCE)
    ref = AppRef.parse(f"{mod}:create_app()", str(tmp_path))
    assert ref.factory
    assert ref.load() is not ref.load()
    assert not AppRef.parse(f"{mod}:app").factory


@pytest.mark.parametrize(
    ("suffix", "message"),
    [
        (":missing", "module '{mod}' has no attribute 'missing'"),
        (":not_an_app", "int object is neither a WSGI nor an ASGI app"),
        (":needs()", "factory 'needs' cannot be called so: missing a required argument: 'x'"),
        (":boom()", "factory 'boom' raised RuntimeError: no database"),
        (":create_app(open('x'))", "factory arguments must be Python literals"),
    ],
)
def test_bad_references_name_the_problem(tmp_path: Path, suffix: str, message: str) -> None:
    mod = write_module(tmp_path, FLASK_SOURCE)
    with pytest.raises(AppLoadError) as info:
        load_app(mod + suffix, str(tmp_path))
    assert str(info.value) == f"{mod}{suffix}: {message.format(mod=mod)}"


def test_missing_module_and_broken_import(tmp_path: Path) -> None:
    with pytest.raises(AppLoadError, match=r"^nowhere_xyz:app: no module named 'nowhere_xyz'$"):
        load_app("nowhere_xyz:app", str(tmp_path))
    mod = write_module(tmp_path, "import nowhere_abc\n")
    with pytest.raises(AppLoadError, match=rf"^{mod}:app: importing '{mod}' failed: No module"):
        load_app(f"{mod}:app", str(tmp_path))
    mod = write_module(tmp_path, "1/0\n")
    with pytest.raises(AppLoadError, match=r"raised ZeroDivisionError: division by zero$"):
        load_app(f"{mod}:app", str(tmp_path))


def test_not_a_reference() -> None:
    with pytest.raises(AppLoadError, match="is not an app reference"):
        AppRef.parse("spec.json:")
    assert is_app_reference("pkg.mod:app")
    assert is_app_reference("pkg.mod:create_app()")
    assert not is_app_reference("spec.json")
    assert not is_app_reference("http://localhost:8000/openapi.json")
    assert not is_app_reference("pkg.mod")


def test_app_kinds(tmp_path: Path) -> None:
    from fastapi import FastAPI
    from flask import Flask

    async def asgi(scope: object, receive: object, send: object) -> None:
        return None

    def wsgi(environ: object, start_response: object) -> list[bytes]:
        return []

    assert app_kind(Flask("x")) is AppKind.FLASK
    assert app_kind(FastAPI()) is AppKind.FASTAPI
    assert app_kind(asgi) is AppKind.ASGI
    assert app_kind(wsgi) is AppKind.WSGI


def test_a_factory_named_without_parentheses_gets_a_hint(tmp_path: Path) -> None:
    mod = write_module(tmp_path, FLASK_SOURCE)
    with pytest.raises(AppLoadError) as info:
        load_app(f"{mod}:create_app", str(tmp_path))
    assert str(info.value) == (
        f"{mod}:create_app: 'create_app' is a function that takes no request, not an app; "
        f"did you mean {mod}:create_app()?"
    )


def test_a_plain_function_is_not_a_wsgi_app() -> None:
    def helper(x: int) -> int:
        return x

    def wsgi(environ: object, start_response: object) -> list[bytes]:
        return []

    with pytest.raises(AppLoadError, match="neither a WSGI nor an ASGI app"):
        app_kind(helper)
    assert app_kind(wsgi) is AppKind.WSGI


@pytest.mark.parametrize(
    ("source", "reference", "message"),
    [
        ("import sys\nsys.exit(0)\n", "{mod}:app", "importing '{mod}' called sys.exit(0)"),
        (
            "import sys\ndef create_app():\n    sys.exit(4)\n",
            "{mod}:create_app()",
            "factory 'create_app' called sys.exit(4)",
        ),
    ],
)
def test_an_app_that_exits_while_loading_is_a_load_error(
    tmp_path: Path, source: str, reference: str, message: str
) -> None:
    mod = write_module(tmp_path, source)
    ref = reference.format(mod=mod)
    with pytest.raises(AppLoadError) as info:
        load_app(ref, str(tmp_path))
    assert str(info.value) == f"{ref}: {message.format(mod=mod)}"


RACE_SOURCE = """
from flask import Flask
calls = []
def create_app(message):
    calls.append(message)
    if len(calls) == 1:
        raise SystemError(message)
    return Flask("second")
"""


def test_a_build_hit_by_cpython_ast_race_is_tried_once_more(tmp_path: Path) -> None:
    # cpython#106905: 3.11's ast recursion counter is shared by threads.
    mod = write_module(tmp_path, RACE_SOURCE)
    race = "AST constructor recursion depth mismatch (before=60, after=78)"
    assert load_app(f"{mod}:create_app({race!r})", str(tmp_path)).name == "second"
    other = write_module(tmp_path, RACE_SOURCE)
    with pytest.raises(AppLoadError, match=r"factory 'create_app' raised SystemError: other$"):
        load_app(f"{other}:create_app('other')", str(tmp_path))
