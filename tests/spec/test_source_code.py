"""Which functions are the app's own: its package, wherever that package is installed."""

from __future__ import annotations

import importlib
import shutil
import sys
import sysconfig
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from contract_tools.spec.flask import build_flask_spec
from contract_tools.spec.source_code import OwnCode, function_nodes

# mlflow's shape: the view calls a decorated handler in another module of its own package,
# and the handler reads the query string. The package lives in site-packages.
_VIEWS = """
from flask import Flask, request
from .handlers import get_artifact_handler

def create_app():
    app = Flask(__name__)

    @app.route("/get-artifact")
    def serve_artifacts():
        return get_artifact_handler()

    return app
"""
_HANDLERS = """
import functools
import json
from flask import request

def catch_errors(func):
    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        return func(*args, **kwargs)
    return wrapper

@catch_errors
def get_artifact_handler():
    run_id = request.args.get("run_id") or request.args.get("run_uuid")
    path = request.args["path"]
    return json.dumps({"run": run_id, "path": path})
"""


@pytest.fixture
def installed_package() -> Iterator[Any]:
    """A small app package written into this interpreter's site-packages, then removed."""
    name = f"ct_installed_app_{uuid.uuid4().hex[:8]}"
    root = Path(sysconfig.get_paths()["purelib"]) / name
    root.mkdir()
    try:
        (root / "__init__.py").write_text(_VIEWS)
        (root / "handlers.py").write_text(_HANDLERS)
        importlib.invalidate_caches()
        yield importlib.import_module(name)
    finally:
        shutil.rmtree(root)
        for module in [m for m in sys.modules if m == name or m.startswith(name + ".")]:
            del sys.modules[module]


def test_helpers_of_an_installed_app_package_are_followed(installed_package: Any) -> None:
    document = build_flask_spec(installed_package.create_app()).document
    parameters = document["paths"]["/get-artifact"]["get"]["parameters"]
    assert [(p["name"], p["required"]) for p in parameters] == [
        ("run_id", False),
        ("run_uuid", False),
        ("path", True),
    ]


def test_own_code_is_the_views_package_not_its_location(installed_package: Any) -> None:
    view = installed_package.create_app().view_functions["serve_artifacts"]
    own = OwnCode.of(view)
    assert own is not None
    assert own.package == installed_package.__name__
    assert own.owns(installed_package.handlers.get_artifact_handler.__wrapped__)
    assert not own.owns(json_dumps())
    assert not own.owns(len)


def json_dumps() -> Any:
    import json

    return json.dumps


def test_a_top_level_module_owns_its_directory() -> None:
    own = OwnCode.of(test_a_top_level_module_owns_its_directory)
    assert own == OwnCode("tests", None)


def test_functions_without_source_have_no_nodes() -> None:
    assert function_nodes(eval("lambda: 1")) == []
