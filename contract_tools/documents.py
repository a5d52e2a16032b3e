"""JSON and YAML documents in and out, safely: the one place pyyaml is used.

- Safe loading only (no arbitrary objects), and a bound on aliases: a YAML "billion laughs"
  document parses in microseconds into a few shared nodes, then explodes in whatever walks it
  (a canonicaliser, a diff). More than ``MAX_ALIASES`` aliases is refused.
- Nesting deeper than ``MAX_DEPTH`` is refused before anything recurses over it.
- Errors are ``DocumentError`` with a line and column when the parser knows them; callers turn
  them into their own one-line error.
"""

from __future__ import annotations

import json
from typing import Any

import yaml

MAX_ALIASES = 100
MAX_DEPTH = 200


class DocumentError(ValueError):
    """Not a usable document: ``problem``, at ``line``/``column`` (1-based) when known."""

    def __init__(self, problem: str, line: int | None = None, column: int | None = None) -> None:
        super().__init__(problem)
        self.problem = problem
        self.line = line
        self.column = column

    def where(self, source: str) -> str:
        if self.line is None:
            return source
        return f"{source}:{self.line}:{self.column}"


class _BoundedLoader(yaml.SafeLoader):
    """SafeLoader that counts aliases and nesting while composing the node graph."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._aliases = 0
        self._depth = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            self._aliases += 1
            if self._aliases > MAX_ALIASES:
                mark = self.peek_event().start_mark
                raise DocumentError(
                    f"more than {MAX_ALIASES} YAML aliases (an alias bomb?)",
                    mark.line + 1,
                    mark.column + 1,
                )
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                mark = self.peek_event().start_mark
                raise DocumentError(
                    f"nested deeper than {MAX_DEPTH} levels", mark.line + 1, mark.column + 1
                )
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


class _PlainDatesLoader(_BoundedLoader):
    """Without implicit timestamps: a bad date is then reported for its own entry."""


_PlainDatesLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def load_yaml(text: str, *, dates: bool = True) -> Any:
    """YAML (a superset of JSON) -> data; ``dates=False`` keeps dates as strings."""
    loader = (_BoundedLoader if dates else _PlainDatesLoader)(text)
    try:
        return loader.get_single_data()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "syntax error"
        if mark is None:
            raise DocumentError(f"invalid YAML: {problem}") from None
        raise DocumentError(f"invalid YAML: {problem}", mark.line + 1, mark.column + 1) from None
    except yaml.YAMLError as exc:
        raise DocumentError(f"invalid YAML: {exc}") from None
    except RecursionError:
        raise DocumentError(f"nested deeper than {MAX_DEPTH} levels") from None
    finally:
        loader.dispose()


def load_json(text: str) -> Any:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise DocumentError(f"invalid JSON: {exc.msg}", exc.lineno, exc.colno) from None
    except RecursionError:
        raise DocumentError(f"nested deeper than {MAX_DEPTH} levels") from None
    check_depth(data)
    return data


def check_depth(data: Any, limit: int = MAX_DEPTH) -> None:
    """Refuse a document nested deeper than ``limit``, without recursing."""
    stack: list[tuple[Any, int]] = [(data, 0)]
    while stack:
        node, depth = stack.pop()
        if depth > limit:
            raise DocumentError(f"nested deeper than {limit} levels")
        if isinstance(node, dict):
            stack.extend((value, depth + 1) for value in node.values())
        elif isinstance(node, list):
            stack.extend((value, depth + 1) for value in node)


def dump_yaml(data: Any, *, width: int = 100) -> str:
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=width)


def dump_json(data: Any) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
