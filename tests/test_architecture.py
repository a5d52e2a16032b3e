"""The house rules of docs/ARCHITECTURE.md, checked on the source: imports point down, entry
points go through the API, each third-party library lives in the one place that owns it, and
engines never print or exit."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "contract_tools"

# Lower number = lower layer. A module may import its own layer or any lower one.
LAYERS = {
    "models": 0,
    "keys": 0,
    "causes": 0,
    "evidence": 0,
    "response_path": 0,
    "errors": 0,
    "fileio": 0,
    "config": 1,
    "settings": 1,
    "redaction": 1,
    "documents": 1,
    "apps": 2,
    "spec": 2,
    "_diff": 3,
    "_parity": 3,
    "gate": 4,
    "report": 4,
    "_finish": 5,
    "_replay": 5,
    "api": 5,
    "cli": 6,
    "pytest_plugin": 6,
    "__init__": 6,
    "__main__": 7,
}
# Engines never import each other; reporters and the gate see only the Report and what's below.
FORBIDDEN_PAIRS = {
    ("_diff", "_parity"),
    ("_parity", "_diff"),
    ("report", "gate"),
    ("gate", "report"),
}
# Entry points parse, call the API, render and exit: the engines are the API's business.
ENTRY_POINTS = ("cli", "pytest_plugin")
BEHIND_THE_API = ("_parity", "_diff", "spec", "gate", "apps", "_finish", "_replay")
ENGINES = ("_parity", "_diff", "spec")
# Third-party import -> the only modules (relative to the package) allowed to import it. Every
# third-party import must have an owner here: a new library is a decision, taken in one place.
OWNERS = {
    "typer": ("cli/",),
    "rich": ("cli/",),
    "pytest": ("pytest_plugin.py",),
    "schemathesis": ("_parity/generate.py", "_parity/step_generation.py"),
    "hypothesis": (
        "_parity/generate.py",
        "_parity/exploration.py",
        "_parity/store.py",
        "_parity/learn.py",
        "_parity/sequences.py",
        "_parity/step_generation.py",
    ),
    "requests": ("_parity/generate.py",),
    "redis": ("_parity/store.py",),
    "deepdiff": ("_parity/compare.py",),
    "jsonschema": ("_parity/contract.py",),
    "httpx": ("spec/fastapi.py", "_parity/live.py"),
    "flask": ("spec/flask/", "spec/converters.py"),
    "werkzeug": ("spec/flask/", "spec/converters.py"),
    "jinja2": ("report/html.py",),
    "markupsafe": ("report/html.py",),
    "openapi_spec_validator": ("spec/validate.py",),
    "jsonschema_rs": ("spec/validate.py",),
    "yaml": ("documents.py",),
    "orjson": ("documents.py",),
}


def modules() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py"))


def relative(path: Path) -> str:
    return str(path.relative_to(PACKAGE))


def top_part(path: Path) -> str:
    return path.relative_to(PACKAGE).parts[0].removesuffix(".py")


def imported(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    names: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.append(node.module)
            if node.module == "contract_tools":
                names.extend(f"contract_tools.{alias.name}" for alias in node.names)
    return names


@pytest.mark.parametrize("path", modules(), ids=relative)
def test_imports_point_down(path: Path) -> None:
    here = top_part(path)
    assert here in LAYERS, f"{here} has no layer in this test: add it to docs and LAYERS"
    for name in imported(path):
        if not name.startswith("contract_tools."):
            continue
        there = name.split(".")[1]
        if there == here or there == "__version__":
            continue
        assert there in LAYERS, name
        assert (here, there) not in FORBIDDEN_PAIRS, f"{path.name} imports {name}"
        assert LAYERS[there] <= LAYERS[here], f"{path.name} ({here}) imports up: {name}"


@pytest.mark.parametrize(
    "path", [p for p in modules() if top_part(p) in ENTRY_POINTS], ids=relative
)
def test_entry_points_go_through_the_api(path: Path) -> None:
    for name in imported(path):
        parts = name.split(".")
        if parts[0] == "contract_tools" and len(parts) > 1:
            assert parts[1] not in BEHIND_THE_API, f"{relative(path)} bypasses api.py: {name}"


@pytest.mark.parametrize("path", modules(), ids=relative)
def test_third_party_libraries_have_one_owner(path: Path) -> None:
    where = relative(path)
    for name in imported(path):
        root = name.split(".")[0]
        if root in sys.stdlib_module_names or root in ("__future__", "contract_tools"):
            continue
        owners = OWNERS.get(root)
        assert owners is not None, f"{where} imports {root}, which has no owner module in OWNERS"
        assert where.startswith(owners), f"{where} imports {root}; owners: {owners}"


def _prints_or_exits(tree: ast.AST) -> list[str]:
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            if isinstance(func, ast.Name) and func.id in ("print", "exit", "quit"):
                found.append((node.lineno, f"{func.id}() at line {node.lineno}"))
            elif isinstance(func, ast.Attribute) and func.attr in ("exit", "_exit"):
                if isinstance(func.value, ast.Name) and func.value.id in ("sys", "os"):
                    found.append(
                        (node.lineno, f"{func.value.id}.{func.attr}() at line {node.lineno}")
                    )
            elif isinstance(func, ast.Attribute) and func.attr == "write":
                target = func.value
                if (
                    isinstance(target, ast.Attribute)
                    and isinstance(target.value, ast.Name)
                    and target.value.id == "sys"
                    and target.attr in ("stdout", "stderr")
                ):
                    found.append((node.lineno, f"sys.{target.attr}.write() at line {node.lineno}"))
        elif isinstance(node, ast.Raise) and node.exc is not None:
            exc = node.exc.func if isinstance(node.exc, ast.Call) else node.exc
            if isinstance(exc, ast.Name) and exc.id == "SystemExit":
                found.append((node.lineno, f"raise SystemExit at line {node.lineno}"))
    return [text for _, text in sorted(found)]


@pytest.mark.parametrize("path", [p for p in modules() if top_part(p) in ENGINES], ids=relative)
def test_engines_never_print_or_exit(path: Path) -> None:
    tree = ast.parse(path.read_text(), filename=str(path))
    assert _prints_or_exits(tree) == [], relative(path)


def test_the_print_check_sees_what_it_looks_for() -> None:
    source = "import sys\nprint(1)\nsys.exit(2)\nsys.stdout.write('x')\nraise SystemExit(3)\n"
    assert _prints_or_exits(ast.parse(source)) == [
        "print() at line 2",
        "sys.exit() at line 3",
        "sys.stdout.write() at line 4",
        "raise SystemExit at line 5",
    ]


def test_no_module_is_over_400_lines() -> None:
    long = {relative(p): n for p in modules() if (n := len(p.read_text().splitlines())) > 400}
    assert long == {}


def test_models_and_errors_are_stdlib_only() -> None:
    for name in ("models.py", "evidence.py", "response_path.py", "errors.py", "fileio.py"):
        for module in imported(PACKAGE / name):
            root = module.split(".")[0]
            assert root in sys.stdlib_module_names or root in ("__future__", "contract_tools"), (
                name,
                module,
            )
