"""JSON and YAML documents in and out, safely: the one place pyyaml (and orjson) are used.

- Safe loading only (no arbitrary objects), and bounds on aliases: a YAML "billion laughs"
  document parses in microseconds into a few shared nodes, then explodes in whatever walks it
  (a canonicaliser, a diff). More than ``MAX_ALIASES`` aliases is refused, and so are aliases
  that would expand the document by more than ``MAX_ALIAS_EXPANSION`` nodes (nine levels of
  ten aliases each are only 90 aliases) or that refer to a node containing them (a cycle).
- Nesting deeper than ``MAX_DEPTH`` is refused before anything recurses over it, aliases
  expanded.
- ``load_yaml(as_json=True)`` reads YAML as JSON's superset and nothing more, as OpenAPI asks:
  dates stay text, ``!!binary``/``!!set``/``!!omap`` are refused, integer keys (a YAML
  ``200:`` status) become their text, and other non-text keys (``on:`` is a boolean in YAML 1.1)
  are refused with where they are.
- A string no UTF-8 writer can carry (a lone surrogate, ``"\\ud800"``) is refused on loading,
  not when a report is printed.
- Errors are ``DocumentError`` with a line and column when the parser knows them; callers turn
  them into their own one-line error.
"""

from __future__ import annotations

import json
import re
from typing import Any

import orjson
import yaml

MAX_ALIASES = 100
MAX_ALIAS_EXPANSION = 100_000
MAX_DEPTH = 200
# The escapes that give a lone surrogate after decoding; the (rare) texts that hold one are
# then walked, the others never.
_SURROGATE_ESCAPE = re.compile(r"\\(?:u[dD][89a-fA-F]|U0000[dD][89a-fA-F])")


class DocumentError(ValueError):
    """Not a usable document: ``problem``, at ``line``/``column`` (1-based) when known.

    ``syntax`` is true when the text is not JSON (or YAML) at all, false when it parsed but
    broke a bound or a rule of the format.
    """

    def __init__(
        self,
        problem: str,
        line: int | None = None,
        column: int | None = None,
        *,
        syntax: bool = False,
    ) -> None:
        super().__init__(problem)
        self.problem = problem
        self.line = line
        self.column = column
        self.syntax = syntax

    def where(self, source: str) -> str:
        if self.line is None:
            return source
        return f"{source}:{self.line}:{self.column}"


def _at(mark: Any) -> tuple[int | None, int | None]:
    return (mark.line + 1, mark.column + 1) if mark is not None else (None, None)


class _BoundedLoader(yaml.SafeLoader):
    """SafeLoader that counts aliases and nesting while composing the node graph, and measures
    what the aliases expand to before anything is constructed from it."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._aliases = 0
        self._depth = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            self._aliases += 1
            if self._aliases > MAX_ALIASES:
                raise DocumentError(
                    f"more than {MAX_ALIASES} YAML aliases (an alias bomb?)",
                    *_at(self.peek_event().start_mark),
                )
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                raise DocumentError(
                    f"nested deeper than {MAX_DEPTH} levels", *_at(self.peek_event().start_mark)
                )
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def get_single_data(self) -> Any:
        node = self.get_single_node()
        if node is None:
            return None
        _check_expansion(node)
        return self.construct_document(node)


def _check_expansion(root: Any) -> None:
    """The node graph's size and depth with every alias expanded, in one pass over its distinct
    nodes (iterative: sizes are counted, never expanded); a node reached again while it is being
    measured contains itself."""
    size: dict[int, int] = {}
    depth: dict[int, int] = {}
    active: set[int] = set()
    stack: list[tuple[Any, bool]] = [(root, False)]
    distinct = 0
    while stack:
        node, done = stack.pop()
        key = id(node)
        children = _children(node)
        if done:
            active.discard(key)
            size[key] = 1 + sum(size[id(child)] for child in children)
            depth[key] = 1 + max((depth[id(child)] for child in children), default=0)
            if depth[key] > MAX_DEPTH:
                raise DocumentError(
                    f"nested deeper than {MAX_DEPTH} levels (aliases expanded)",
                    *_at(node.start_mark),
                )
            if size[key] - distinct > MAX_ALIAS_EXPANSION:
                raise DocumentError(
                    f"YAML aliases expand to more than {MAX_ALIAS_EXPANSION} nodes "
                    "(an alias bomb?)",
                    *_at(node.start_mark),
                )
            continue
        if key in size:
            continue
        if key in active:
            raise DocumentError(
                "a YAML alias refers to a node that contains it (a cycle)", *_at(node.start_mark)
            )
        active.add(key)
        distinct += 1
        stack.append((node, True))
        stack.extend((child, False) for child in children if id(child) not in size)


def _children(node: Any) -> list[Any]:
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    return []


class _PlainDatesLoader(_BoundedLoader):
    """Without implicit timestamps: a bad date is then reported for its own entry."""


_PlainDatesLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}

_JSON_TAGS = frozenset(
    f"tag:yaml.org,2002:{name}" for name in ("null", "bool", "int", "float", "str", "seq", "map")
)


class _JsonLoader(_PlainDatesLoader):
    """YAML that means what a JSON document could: the data model OpenAPI documents share."""

    def construct_mapping(self, node: Any, deep: bool = False) -> Any:
        mapping = super().construct_mapping(node, deep=deep)
        if all(type(key) is str for key in mapping):
            return mapping
        out: dict[str, Any] = {}
        for key, value in mapping.items():
            if type(key) is str:
                out[key] = value
            elif type(key) is int:
                out[str(key)] = value  # a status code written 200: means "200"
            else:
                hint = " (YAML reads on/off/yes/no as booleans: quote it)" if key in (0, 1) else ""
                raise DocumentError(
                    f"the key {key!r} is not a string{hint}", *_at(node.start_mark)
                ) from None
        return out


_JsonLoader.yaml_constructors = {
    tag: constructor
    for tag, constructor in yaml.SafeLoader.yaml_constructors.items()
    if tag is None or tag in _JSON_TAGS
}


def load_yaml(text: str, *, dates: bool = True, as_json: bool = False) -> Any:
    """YAML (a superset of JSON) -> data; ``dates=False`` keeps dates as strings; ``as_json=True``
    reads only what JSON can say (dates as strings, text keys, no binary/set/omap)."""
    kind = _JsonLoader if as_json else _BoundedLoader if dates else _PlainDatesLoader
    loader = kind(text)
    try:
        data = loader.get_single_data()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "syntax error"
        raise DocumentError(f"invalid YAML: {problem}", *_at(mark), syntax=True) from None
    except yaml.YAMLError as exc:
        raise DocumentError(f"invalid YAML: {exc}", syntax=True) from None
    except (ValueError, TypeError, OverflowError) as exc:
        if isinstance(exc, DocumentError):
            raise
        # int() of a 5,000-digit scalar, say: Python's own limits, met while constructing.
        raise DocumentError(f"invalid YAML: {_first_line(str(exc))}") from None
    except RecursionError:
        raise DocumentError(f"nested deeper than {MAX_DEPTH} levels") from None
    finally:
        loader.dispose()
    _check_surrogates(text, data)
    return data


def load_json(text: str) -> Any:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise DocumentError(
            f"invalid JSON: {exc.msg}", exc.lineno, exc.colno, syntax=True
        ) from None
    except ValueError as exc:
        # A number past Python's integer-text limit (4,300 digits): not a usable document.
        raise DocumentError(f"invalid JSON: {_first_line(str(exc))}") from None
    except RecursionError:
        raise DocumentError(f"nested deeper than {MAX_DEPTH} levels") from None
    check_depth(data)
    _check_surrogates(text, data)
    return data


def check_depth(data: Any, limit: int = MAX_DEPTH) -> None:
    """Refuse a document nested deeper than ``limit``, without recursing.

    A node reached again (objects an app shares between places) is walked again only when it is
    reached deeper than before, so shared parts cost once and a node that contains itself ends
    as too deep.
    """
    deepest: dict[int, int] = {}
    stack: list[tuple[Any, int]] = [(data, 0)]
    while stack:
        node, depth = stack.pop()
        if depth > limit:
            raise DocumentError(f"nested deeper than {limit} levels")
        kind = type(node)
        if kind is dict or kind is list or isinstance(node, (dict, list)):
            if deepest.get(id(node), -1) >= depth:
                continue
            deepest[id(node)] = depth
            values = node.values() if isinstance(node, dict) else node
            stack.extend((value, depth + 1) for value in values if isinstance(value, (dict, list)))


def _check_surrogates(text: str, data: Any) -> None:
    if not _SURROGATE_ESCAPE.search(text):
        return
    stack = [data]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            stack.extend(node.keys())
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
        elif isinstance(node, str):
            try:
                node.encode("utf-8")
            except UnicodeEncodeError as exc:
                code = ord(node[exc.start])
                raise DocumentError(
                    f"a string holds a lone surrogate (\\u{code:04x}), which UTF-8 cannot carry"
                ) from None


def _first_line(text: str) -> str:
    lines = text.strip().splitlines()
    return lines[0] if lines else "invalid"


def dump_yaml(data: Any, *, width: int = 100) -> str:
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=width)


_ORJSON_OPTIONS = orjson.OPT_INDENT_2


def dump_json(data: Any) -> str:
    """Indented JSON, keys in their order, UTF-8 as is.

    orjson writes the same text as ``json.dumps(indent=2, ensure_ascii=False)`` for the
    documents this tool writes, several times faster (CPython's indenting encoder is pure
    Python: 1.2 s of the 23 MB draft of 10,000 rules). Two differences: some floats are
    spelled otherwise (``1e-6`` and ``0.00001`` where Python writes ``1e-06`` and ``1e-05``: the
    same numbers, read back exactly), and NaN and Infinity, which JSON cannot hold, become null.
    What orjson refuses (integers past 64 bits, non-string keys, lone surrogates) goes through
    json.dumps, as before.
    """
    try:
        encoded = orjson.dumps(data, option=_ORJSON_OPTIONS)
    except (orjson.JSONEncodeError, TypeError):
        return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    return encoded.decode("utf-8") + "\n"
