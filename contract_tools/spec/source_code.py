"""Where a function's source is, and which functions belong to the app being drafted.

Source is read with ``ast`` from the files Python already loaded; nothing here imports or runs
user code. Each file is parsed once and its function nodes are looked up by the line their code
object starts on, which keeps reading 10,000 views to one parse per module.
"""

from __future__ import annotations

import functools
import inspect
import os
import sysconfig
import tokenize
import types
from dataclasses import dataclass
from typing import Any

# A top-level module installed straight into site-packages owns no directory: its neighbours
# there are other distributions.
_INSTALL_DIRECTORIES = frozenset(
    os.path.abspath(sysconfig.get_paths()[key])
    for key in ("stdlib", "platstdlib", "purelib", "platlib")
)


def unwrap(function: Any) -> Any:
    """The innermost function behind ``functools.wraps`` decorators (stops on a broken chain)."""
    try:
        return inspect.unwrap(function)
    except ValueError:  # a cycle of __wrapped__
        return function


def function_nodes(function: types.FunctionType) -> list[Any]:
    """The function's own node(s) in its module's syntax tree.

    Several lambdas on one line cannot be told apart: all of them are returned.
    """
    code = function.__code__
    return _nodes_by_line(code.co_filename).get(code.co_firstlineno, [])


@functools.lru_cache(maxsize=512)
def _nodes_by_line(filename: str) -> dict[int, list[Any]]:
    """Function and lambda nodes of a file by the line their code object starts on."""
    import ast

    try:
        with tokenize.open(filename) as handle:
            tree = ast.parse(handle.read(), filename=filename)
    except (OSError, SyntaxError, ValueError, UnicodeDecodeError):
        return {}  # no source on disk (C code, REPL, eval): nothing is read
    found: dict[int, list[Any]] = {}
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            # A decorated function's code starts at its first decorator.
            first = min([node.lineno, *(d.lineno for d in node.decorator_list)])
            found.setdefault(first, []).append(node)
        elif isinstance(node, ast.Lambda):
            found.setdefault(node.lineno, []).append(node)
    return found


@dataclass(frozen=True)
class OwnCode:
    """The code of the app being drafted: the package that defines a view, wherever installed.

    mlflow's views live in site-packages like every library they call, so "outside
    site-packages" cannot tell them apart; the package name can. A view in a top-level module
    (``app.py`` beside ``helpers.py``) owns the modules of its directory instead.
    """

    package: str
    directory: str | None

    @classmethod
    def of(cls, function: Any) -> OwnCode | None:
        function = unwrap(function)
        module = getattr(function, "__module__", None)
        if not isinstance(function, types.FunctionType) or not module or module == "__main__":
            return None
        package, _, rest = module.partition(".")
        directory = None
        if not rest and not function.__code__.co_filename.endswith("__init__.py"):
            directory = os.path.dirname(os.path.abspath(function.__code__.co_filename))
            if directory in _INSTALL_DIRECTORIES:
                directory = None
        return cls(package, directory)

    def owns(self, function: Any) -> bool:
        if not isinstance(function, types.FunctionType):
            return False
        module = getattr(function, "__module__", None) or ""
        if module.partition(".")[0] == self.package and module != "__main__":
            return True
        if self.directory is None:
            return False
        filename = function.__code__.co_filename
        return os.path.dirname(os.path.abspath(filename)) == self.directory


def qualified_name(function: Any) -> str:
    """``module.function`` for messages that tell a reader where to look."""
    module = getattr(function, "__module__", "?")
    return f"{module}.{getattr(function, '__qualname__', getattr(function, '__name__', '?'))}"
