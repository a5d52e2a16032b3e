"""What a Flask view reads from the request, found in its source: query parameters and headers.

An unannotated view still says ``request.args.get("limit", type=int, default=10)``; reading
that gives the draft the parameter, its type and its default. It is inference, not proof: the
reads are collected from the view and from the plain functions it calls (a few levels deep,
outside installed packages), and a parameter read elsewhere (a ``before_request`` hook) is
missed. Bodies are left alone on purpose: ``get_json(silent=True)`` followed by a manual 400
cannot be told apart from an optional body, and a wrong guess there is a false alarm in diff.
"""

from __future__ import annotations

import ast
import functools
import inspect
import sysconfig
import tokenize
from collections.abc import Iterator
from dataclasses import dataclass, field
from types import FunctionType
from typing import Any

# Werkzeug's MultiDict.get(key, default=None, type=None): a value that ``type`` rejects silently
# becomes the default, where FastAPI answers 422. Worth saying in the draft.
_TYPES = {"int": "integer", "float": "number", "str": "string", "bool": "boolean"}
_MAX_DEPTH = 3
_INSTALLED = tuple(
    {sysconfig.get_paths()[key] for key in ("stdlib", "platstdlib", "purelib", "platlib")}
)


@dataclass(frozen=True)
class ReadParameter:
    """One request value a view reads: where, which name, and what the code says about it."""

    location: str  # "query" or "header"
    name: str
    required: bool
    schema: dict[str, Any] = field(default_factory=dict)
    falls_back: bool = False

    def to_openapi(self) -> dict[str, Any]:
        parameter: dict[str, Any] = {
            "name": self.name,
            "in": self.location,
            "required": self.required,
            "schema": dict(self.schema),
        }
        source: dict[str, Any] = {"inferred": "from the view's source"}
        if self.falls_back:
            source["invalid"] = "a value the type rejects falls back to the default (no 400)"
        parameter["x-contract-tools-source"] = source
        return parameter


def read_parameters(
    function: Any, path_arguments: frozenset[str] = frozenset()
) -> list[ReadParameter]:
    """Parameters ``function`` (and the plain functions it calls) read, in first-read order.

    ``path_arguments`` are the variables the rule routes with. One MethodView method often serves
    a list rule and an item rule (``if book_id is None: ...``); a branch that cannot run for
    this rule (its argument is always set, or never is) is not read.
    """
    found: dict[tuple[str, str], ReadParameter] = {}
    _visit(function, found, path_arguments, depth=0, seen=set())
    return list(found.values())


def _visit(
    function: Any,
    found: dict[tuple[str, str], ReadParameter],
    path_arguments: frozenset[str],
    depth: int,
    seen: set[int],
) -> None:
    function = inspect.unwrap(function)
    if not isinstance(function, FunctionType) or id(function) in seen or depth > _MAX_DEPTH:
        return
    seen.add(id(function))
    # Only the top-level view knows which of its parameters the rule fills in.
    optional = _none_default_parameters(function) if depth == 0 else frozenset()
    present, absent = path_arguments & optional, optional - path_arguments
    nodes = (node for tree in _parse(function) for node in _reachable(tree, present, absent))
    for node in nodes:
        read = _read(node)
        if read is not None:
            key = (read.location, read.name.lower() if read.location == "header" else read.name)
            found.setdefault(key, read)
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            callee = function.__globals__.get(node.func.id)
            if _is_project_function(callee):
                _visit(callee, found, frozenset(), depth + 1, seen)


def _none_default_parameters(function: FunctionType) -> frozenset[str]:
    try:
        parameters = inspect.signature(function).parameters.values()
    except (TypeError, ValueError):
        return frozenset()
    return frozenset(p.name for p in parameters if p.default is None)


def _reachable(tree: ast.AST, present: frozenset[str], absent: frozenset[str]) -> Iterator[ast.AST]:
    """Every node, except the branches of ``if X is None`` that cannot run for this rule."""
    stack = [tree]
    while stack:
        node = stack.pop()
        yield node
        if isinstance(node, ast.If):
            is_none = _none_test(node.test)
            if is_none is not None:
                name, when_none = is_none
                if name in present:  # never None here: the None-branch cannot run
                    stack.extend(reversed(node.orelse if when_none else node.body))
                    stack.append(node.test)
                    continue
                if name in absent:  # always None here: only the None-branch runs
                    stack.extend(reversed(node.body if when_none else node.orelse))
                    stack.append(node.test)
                    continue
        stack.extend(reversed(list(ast.iter_child_nodes(node))))


def _none_test(test: ast.AST) -> tuple[str, bool] | None:
    """``X is None`` -> (X, True); ``X is not None`` -> (X, False); anything else -> None."""
    if (
        isinstance(test, ast.Compare)
        and isinstance(test.left, ast.Name)
        and len(test.ops) == 1
        and isinstance(test.comparators[0], ast.Constant)
        and test.comparators[0].value is None
    ):
        if isinstance(test.ops[0], ast.Is):
            return test.left.id, True
        if isinstance(test.ops[0], ast.IsNot):
            return test.left.id, False
    return None


def _parse(function: FunctionType) -> list[ast.AST]:
    """The function's own node(s), found in its module's syntax tree (parsed once per file).

    inspect.getsource tokenises a block per call; parsing each file once and looking nodes up
    by first line keeps extraction of 10,000 views from costing seconds. Several lambdas on one
    line cannot be told apart: all of them are read.
    """
    code = function.__code__
    return _nodes_by_line(code.co_filename).get(code.co_firstlineno, [])


@functools.lru_cache(maxsize=256)
def _nodes_by_line(filename: str) -> dict[int, list[ast.AST]]:
    """Function and lambda nodes of a file by the line their code object starts on."""
    try:
        with tokenize.open(filename) as handle:
            tree = ast.parse(handle.read(), filename=filename)
    except (OSError, SyntaxError, ValueError, UnicodeDecodeError):
        return {}  # no source on disk (C code, REPL, eval): nothing is read
    found: dict[int, list[ast.AST]] = {}
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            # A decorated function's code starts at its first decorator.
            first = min([node.lineno, *(d.lineno for d in node.decorator_list)])
            found.setdefault(first, []).append(node)
        elif isinstance(node, ast.Lambda):
            found.setdefault(node.lineno, []).append(node)
    return found


def _is_project_function(obj: Any) -> bool:
    if not isinstance(obj, FunctionType):
        return False
    filename = getattr(obj.__code__, "co_filename", "")
    return bool(filename) and not filename.startswith(_INSTALLED)


def _request_attribute(node: ast.AST) -> str | None:
    """``request.args`` / ``flask.request.headers`` -> ``args`` / ``headers``."""
    if not isinstance(node, ast.Attribute):
        return None
    base = node.value
    if isinstance(base, ast.Name) and base.id == "request":
        return node.attr
    if isinstance(base, ast.Attribute) and base.attr == "request":
        return node.attr
    return None


_LOCATIONS = {"args": "query", "headers": "header"}


def _read(node: ast.AST) -> ReadParameter | None:
    # request.args["name"]: a missing key is a 400 (BadRequestKeyError), so it is required.
    if isinstance(node, ast.Subscript):
        location = _LOCATIONS.get(_request_attribute(node.value) or "")
        name = _literal(node.slice)
        if location and isinstance(name, str):
            return ReadParameter(location, name, required=True, schema={"type": "string"})
        return None
    if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
        return None
    location = _LOCATIONS.get(_request_attribute(node.func.value) or "")
    method = node.func.attr
    if location is None or method not in ("get", "getlist") or not node.args:
        return None
    name = _literal(node.args[0])
    if not isinstance(name, str):
        return None
    keywords = {k.arg: k.value for k in node.keywords if k.arg}
    type_node = keywords.get("type", node.args[2] if len(node.args) > 2 else None)
    default_node = keywords.get("default", node.args[1] if len(node.args) > 1 else None)
    type_name = type_node.id if isinstance(type_node, ast.Name) else None
    item: dict[str, Any] = {"type": _TYPES.get(type_name or "str", "string")}
    if method == "getlist":
        return ReadParameter(location, name, False, {"type": "array", "items": item})
    default = _literal(default_node) if default_node is not None else None
    if default is not None:
        item["default"] = default
    return ReadParameter(location, name, False, item, falls_back=type_node is not None)


def _literal(node: ast.AST | None) -> Any:
    """The value of a literal expression; None for anything computed at run time."""
    if node is None:
        return None
    try:
        return ast.literal_eval(node)
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        return None
