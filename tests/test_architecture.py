"""The house rules of docs/ARCHITECTURE.md, checked on the source: imports point down, and each
third-party library lives in the one place that owns it."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "contract_tools"

# Lower number = lower layer. A module may import its own layer or any lower one.
LAYERS = {
    "models": 0,
    "errors": 0,
    "fileio": 0,
    "config": 1,
    "apps": 2,
    "spec": 2,
    "diff": 3,
    "parity": 3,
    "gate": 4,
    "report": 4,
    "cli": 5,
    "pytest_plugin": 5,
    "__init__": 5,
    "__main__": 6,
}
# Engines never import each other; reporters and the gate see only the Report and what's below.
FORBIDDEN_PAIRS = {("diff", "parity"), ("parity", "diff"), ("report", "gate"), ("gate", "report")}
# Third-party import -> the only modules (relative to the package) allowed to import it.
OWNERS = {
    "typer": ("cli/",),
    "rich": ("cli/",),
    "schemathesis": ("parity/generate.py", "parity/runner.py"),
    "hypothesis": (
        "parity/generate.py",
        "parity/runner.py",
        "parity/drifts.py",
        "parity/learn.py",
    ),
    "deepdiff": ("parity/compare.py",),
    "flask": ("spec/flask.py", "spec/converters.py"),
    "werkzeug": ("spec/flask.py", "spec/converters.py"),
    "jinja2": ("report/html.py",),
    "openapi_spec_validator": ("spec/validate.py",),
    "jsonschema_rs": ("spec/validate.py",),
}


def modules() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py"))


def top_part(path: Path) -> str:
    relative = path.relative_to(PACKAGE)
    return relative.parts[0].removesuffix(".py")


def imported(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    names: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.append(node.module)
    return names


@pytest.mark.parametrize("path", modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_imports_point_down(path: Path) -> None:
    here = top_part(path)
    assert here in LAYERS, f"{here} has no layer in this test: add it to docs and LAYERS"
    for name in imported(path):
        if not name.startswith("contract_tools."):
            continue
        there = name.split(".")[1]
        if there == here or there in ("__version__",):
            continue
        assert there in LAYERS, name
        assert (here, there) not in FORBIDDEN_PAIRS, f"{path.name} imports {name}"
        assert LAYERS[there] <= LAYERS[here], f"{path.name} ({here}) imports up: {name}"


@pytest.mark.parametrize("path", modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_third_party_libraries_stay_in_their_module(path: Path) -> None:
    relative = str(path.relative_to(PACKAGE))
    for name in imported(path):
        root = name.split(".")[0]
        owners = OWNERS.get(root)
        if owners is None:
            continue
        assert relative.startswith(owners), f"{relative} imports {root}; owners: {owners}"


def test_models_and_errors_are_stdlib_only() -> None:
    import sys

    for name in ("models.py", "errors.py", "fileio.py"):
        for module in imported(PACKAGE / name):
            root = module.split(".")[0]
            assert root in sys.stdlib_module_names or root in ("__future__", "contract_tools"), (
                name,
                module,
            )
