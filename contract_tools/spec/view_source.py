"""What a Flask view does with the request, read from its source: reads, checks and answers.

An unannotated view still says ``request.args.get("limit", type=int, default=10)``, ``data =
request.get_json(silent=True)``, ``if not isinstance(data, dict): abort(400)`` and ``return
jsonify(book), 201``. The view's syntax tree is walked once, with a small symbolic evaluation:
names are followed through assignments, and calls into the app's own package (wherever it is
installed) are walked with their arguments bound, a few levels deep. It is inference, not proof:
what cannot be followed (a library that reads the body, a loop over ``request.args``) is
recorded as such, so the draft can say what it cannot see instead of guessing.

Nothing here imports or runs user code: globals are looked up, never called. The framework's
own objects (``flask.abort``, ``flask.request`` ...) are recognised by identity through an
``Idioms`` table that ``spec/flask.py`` fills in.
"""

from __future__ import annotations

import ast
import builtins
import numbers
import types
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from contract_tools.spec import constraints as c
from contract_tools.spec.constraints import NO_DEFAULT, Read, Ref
from contract_tools.spec.source_code import OwnCode, function_nodes, qualified_name, unwrap

_MAX_DEPTH = 3
# Walking a helper is cheap; a view that fans out into hundreds of helpers is not worth more.
_MAX_CALLS = 64
_TYPES = {"int": "integer", "float": "number", "str": "string", "bool": "boolean"}
_BAD_REQUEST = frozenset({400, 422})
_SAFE_SINKS = frozenset({"print", "repr", "str", "len", "isinstance", "bool", "type", "id"})
_REQUEST_LOCATIONS = {
    "args": "query",
    "headers": "header",
    "form": "form",
    "files": "files",
    "values": "query",
}


@dataclass(frozen=True)
class Idioms:
    """The framework's objects by identity: ``{id(flask.abort): "abort", ...}``."""

    names: Mapping[int, str]
    http_exception: type | None = None
    # Exception classes the app registered error handlers for (class -> handler function).
    handled: Mapping[type, Any] = field(default_factory=dict)

    def name_of(self, obj: Any) -> str | None:
        return self.names.get(id(obj))


# -- symbolic values -----------------------------------------------------------------------------


class _Unknown:
    def __repr__(self) -> str:
        return "UNKNOWN"


UNKNOWN: Any = _Unknown()


@dataclass(frozen=True)
class Const:
    value: Any


@dataclass(frozen=True)
class Obj:
    """A Python object a name resolves to: a function, class, module or framework idiom."""

    obj: Any


@dataclass(frozen=True)
class Instance:
    """An instance of a known class (``UserSchema()``), for ``schema.load(...)``."""

    cls: Any


@dataclass(frozen=True)
class Kind:
    """A value of a known Python type with unknown content (``str``, ``dict`` ...)."""

    name: str
    keys: tuple[str, ...] = ()  # a dict literal's constant keys (response headers)


@dataclass(frozen=True)
class Length:
    read: Read


@dataclass(frozen=True)
class RequestProxy:
    pass


@dataclass(frozen=True)
class Lambda:
    node: Any  # ast.Lambda or a nested FunctionDef
    frame: Any  # the Frame it was defined in


@dataclass(frozen=True)
class Resp:
    """A response-like value: status (None: 200 unless told), media type ("" = no body)."""

    status: int | None = None
    media: str | None = None
    location: bool = False


@dataclass(frozen=True)
class Tup:
    items: tuple[Any, ...]


@dataclass(frozen=True)
class Alts:
    values: tuple[Any, ...]


@dataclass(frozen=True)
class Model:
    """A body validated by a model: pydantic class or marshmallow schema (class or instance)."""

    cls: Any
    read: Read
    library: str


# -- what a view does ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Outcome:
    """One way the view answers: a status (None: the framework's 200), media, Location."""

    status: int | None
    media: str | None = None  # "" no body; None unknown
    location: bool = False
    aborted: bool = False  # abort(code)/raise NotFound(): the error handler writes the body
    exception: Any = None  # an exception class an app error handler answers
    source: str = "view"


@dataclass
class BodyUse:
    """How the view obtained the body: ``get_json()``, ``silent=True``, ``request.form`` ..."""

    location: str
    required: bool
    media: tuple[str, ...] = ()


@dataclass
class ViewReading:
    """Everything read from one view: values, checks, answers, and what could not be seen."""

    table: c.Table = field(default_factory=c.Table)
    bodies: dict[str, BodyUse] = field(default_factory=dict)
    models: list[Model] = field(default_factory=list)
    outcomes: list[Outcome] = field(default_factory=list)
    opaque_query: list[str] = field(default_factory=list)
    opaque_body: list[str] = field(default_factory=list)
    readable: bool = False  # the view's own source was found
    failure: str | None = None  # reading stopped on an error: nothing of this view is drafted

    def outcome(self, outcome: Outcome) -> None:
        if outcome not in self.outcomes:
            self.outcomes.append(outcome)


@dataclass(frozen=True)
class ReadParameter:
    """One query or header value a view reads, as an OpenAPI parameter."""

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
            "x-contract-tools-source": "view",
        }
        if self.falls_back:
            parameter["x-contract-tools-fallback"] = (
                "a value the type rejects falls back to the default (no 400)"
            )
        return parameter


def read_view(
    function: Any,
    path_arguments: frozenset[str] = frozenset(),
    idioms: Idioms | None = None,
) -> ViewReading:
    """Walk ``function`` (a view or a MethodView method) and what it calls in its own package.

    ``path_arguments`` are the variables the rule routes with: one MethodView method often
    serves a list rule and an item rule (``if book_id is None: ...``), and a branch that cannot
    run for this rule (its argument is always set, or never is) is not read.
    """
    reading = ViewReading()
    function = unwrap(function)
    own = OwnCode.of(function)
    if own is None or not function_nodes(function):
        return reading
    reading.readable = True
    walker = _Walker(reading, own, idioms or Idioms({}))
    try:
        walker.view(function, path_arguments)
    except Exception as exc:  # user objects are strange; a draft must never fail on one view
        failed = ViewReading()
        failed.failure = f"{qualified_name(function)}: {type(exc).__name__}: {exc}"[:300]
        return failed
    return reading


def read_parameters(
    function: Any, path_arguments: frozenset[str] = frozenset()
) -> list[ReadParameter]:
    """Query parameters and headers ``function`` reads, in first-read order."""
    return parameters_of(read_view(function, path_arguments))


def parameters_of(reading: ViewReading) -> list[ReadParameter]:
    found: dict[tuple[str, str], ReadParameter] = {}
    for ref, facts in reading.table.facts.items():
        if ref.location not in ("query", "header") or len(ref.path) != 1:
            continue
        name = str(ref.path[0])
        key = (ref.location, name.lower() if ref.location == "header" else name)
        if key in found:
            continue
        item = c.schema_of(facts)
        schema = {"type": "array", "items": item} if facts.many else item
        if facts.many:
            item.pop("default", None)
        required = facts.required and not facts.many
        found[key] = ReadParameter(ref.location, name, required, schema, facts.falls_back)
    return list(found.values())


# -- the walker ----------------------------------------------------------------------------------


@dataclass
class Frame:
    function: types.FunctionType
    env: dict[str, Any]
    depth: int
    present: frozenset[str] = frozenset()  # path arguments never None for this rule
    absent: frozenset[str] = frozenset()  # path arguments always None for this rule
    guarded: frozenset[Ref] = frozenset()  # keys known to be present here
    tolerant: bool = False  # inside a try whose handler swallows the error
    returns: list[Any] = field(default_factory=list)

    def lookup(self, name: str) -> Any:
        if name in self.env:
            return self.env[name]
        code = self.function.__code__
        if name in code.co_freevars and self.function.__closure__:
            cell = self.function.__closure__[code.co_freevars.index(name)]
            try:
                return _wrap(cell.cell_contents)
            except ValueError:  # an empty cell
                return UNKNOWN
        if name in self.function.__globals__:
            return _wrap(self.function.__globals__[name])
        if hasattr(builtins, name):
            return Obj(getattr(builtins, name))
        return UNKNOWN


_SCALARS = (str, int, float, bool, bytes)


def _wrap(obj: Any) -> Any:
    # type(), not isinstance(): a LocalProxy (flask.request) answers isinstance by looking up
    # the proxied object, which costs a context lookup per name.
    kind = type(obj)
    if obj is None or kind in _SCALARS:
        return Const(obj)
    if kind is tuple and all(type(v) in _SCALARS for v in obj):
        return Const(obj)
    if kind is frozenset and all(type(v) in _SCALARS for v in obj):
        return Const(tuple(sorted(obj, key=repr)))
    return Obj(obj)


@dataclass
class _Flow:
    """How a block ends: always leaves (return/raise/abort), and with which status if known."""

    ends: bool = False
    status: int | None = None


class _Walker:
    def __init__(self, reading: ViewReading, own: OwnCode, idioms: Idioms) -> None:
        self.reading = reading
        self.own = own
        self.idioms = idioms
        self.calls = 0
        self.stack: list[int] = []

    # -- functions -------------------------------------------------------------------------

    def view(self, function: types.FunctionType, path_arguments: frozenset[str]) -> None:
        optional = _none_default_parameters(function)
        frame = Frame(
            function,
            {},
            0,
            present=path_arguments & optional,
            absent=optional - path_arguments,
        )
        self.stack.append(id(function))
        for node in function_nodes(function):
            self._bind_defaults(node, frame)
            self._body(node, frame)
        self.stack.pop()
        for value in frame.returns:
            for outcome in self._answers(value):
                self.reading.outcome(outcome)

    def call_function(
        self, function: Any, args: list[Any], kwargs: dict[str, Any], depth: int
    ) -> Any:
        """Walk an own-package function with its arguments bound; its return value."""
        function = unwrap(function)
        if (
            not self.own.owns(function)
            or depth > _MAX_DEPTH
            or id(function) in self.stack
            or self.calls >= _MAX_CALLS
        ):
            return None
        nodes = function_nodes(function)
        if not nodes:
            return None
        self.calls += 1
        frame = Frame(function, {}, depth)
        self.stack.append(id(function))
        try:
            for node in nodes:
                self._bind(node, frame, args, kwargs)
                self._body(node, frame)
        finally:
            self.stack.pop()
        return _join(frame.returns)

    def _bind_defaults(self, node: Any, frame: Frame) -> None:
        arguments = getattr(node, "args", None)
        if arguments is None:
            return
        for arg in [*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs]:
            frame.env.setdefault(arg.arg, UNKNOWN)

    def _bind(self, node: Any, frame: Frame, args: list[Any], kwargs: dict[str, Any]) -> None:
        arguments = node.args
        positional = [*arguments.posonlyargs, *arguments.args]
        defaults = arguments.defaults
        first_default = len(positional) - len(defaults)
        for index, arg in enumerate(positional):
            if index < len(args):
                frame.env[arg.arg] = args[index]
            elif arg.arg in kwargs:
                frame.env[arg.arg] = kwargs[arg.arg]
            elif index >= first_default:
                frame.env[arg.arg] = self.expr(defaults[index - first_default], frame)
            else:
                frame.env[arg.arg] = UNKNOWN
        for arg, default in zip(arguments.kwonlyargs, arguments.kw_defaults, strict=True):
            if arg.arg in kwargs:
                frame.env[arg.arg] = kwargs[arg.arg]
            elif default is not None:
                frame.env[arg.arg] = self.expr(default, frame)
            else:
                frame.env[arg.arg] = UNKNOWN

    def _body(self, node: Any, frame: Frame) -> None:
        if isinstance(node, ast.Lambda):
            frame.returns.append(self.expr(node.body, frame))
            return
        self.block(node.body, frame)

    # -- statements -----------------------------------------------------------------------

    def block(self, statements: list[ast.stmt], frame: Frame) -> _Flow:
        reach: list[c.Formula] = []  # conditions under which execution got this far
        for statement in statements:
            flow = self.statement(statement, frame, reach)
            if flow.ends:
                if flow.status in _BAD_REQUEST and reach:
                    self._guard(_conjoin(reach), flow.status, statement, frame)
                return flow
        return _Flow()

    def statement(self, node: ast.stmt, frame: Frame, reach: list[c.Formula]) -> _Flow:
        if isinstance(node, ast.If):
            return self._if(node, frame, reach)
        if isinstance(node, ast.Return):
            value = self.expr(node.value, frame) if node.value is not None else Const(None)
            frame.returns.append(value)
            return _Flow(True, _status_of(value))
        if isinstance(node, ast.Raise):
            return self._raise(node, frame)
        if isinstance(node, ast.Assign):
            value = self.expr(node.value, frame)
            for target in node.targets:
                self._assign(target, value, frame)
            return _Flow()
        if isinstance(node, ast.AnnAssign):
            if node.value is not None:
                self._assign(node.target, self.expr(node.value, frame), frame)
            return _Flow()
        if isinstance(node, ast.AugAssign):
            self.expr(node.value, frame)
            if isinstance(node.target, ast.Name):
                frame.env[node.target.id] = UNKNOWN
            return _Flow()
        if isinstance(node, ast.Expr):
            return self._expression_statement(node.value, frame)
        if isinstance(node, ast.Try) or type(node).__name__ == "TryStar":
            return self._try(node, frame)
        if isinstance(node, (ast.For, ast.AsyncFor)):
            iterated = self.expr(node.iter, frame)
            self._assign(node.target, self._item_of(iterated, frame), frame)
            self.block(node.body, frame)
            self.block(node.orelse, frame)
            return _Flow()
        if isinstance(node, ast.While):
            self.condition(node.test, frame)
            self.block(node.body, frame)
            self.block(node.orelse, frame)
            return _Flow()
        if isinstance(node, (ast.With, ast.AsyncWith)):
            for item in node.items:
                value = self.expr(item.context_expr, frame)
                if item.optional_vars is not None:
                    self._assign(item.optional_vars, value, frame)
            return self.block(node.body, frame)
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            frame.env[node.name] = Lambda(node, frame)
            return _Flow()
        if isinstance(node, ast.Match):
            self.expr(node.subject, frame)
            for case in node.cases:
                self.block(case.body, frame)
            return _Flow()
        return _Flow()

    def _expression_statement(self, node: ast.expr, frame: Frame) -> _Flow:
        value = self.expr(node, frame)
        if isinstance(value, _Stop):
            return _Flow(True, value.status)
        return _Flow()

    def _assign(self, target: ast.expr, value: Any, frame: Frame) -> None:
        if isinstance(target, ast.Name):
            frame.env[target.id] = value
        elif isinstance(target, (ast.Tuple, ast.List)):
            items = value.items if isinstance(value, Tup) else ()
            for index, element in enumerate(target.elts):
                item = items[index] if index < len(items) else UNKNOWN
                self._assign(element, item, frame)
        elif isinstance(target, ast.Attribute):
            base = self.expr(target.value, frame)
            if isinstance(target.value, ast.Name) and isinstance(base, Resp):
                frame.env[target.value.id] = _response_attribute(base, target.attr, value)
            else:
                self._escape(value, "stored on an object", frame)
        elif isinstance(target, ast.Subscript):
            self._subscript_store(target, value, frame)

    def _subscript_store(self, target: ast.Subscript, value: Any, frame: Frame) -> None:
        # resp.headers["Location"] = url
        holder = target.value
        if (
            isinstance(holder, ast.Attribute)
            and holder.attr == "headers"
            and isinstance(holder.value, ast.Name)
        ):
            base = frame.env.get(holder.value.id)
            key = self.expr(target.slice, frame)
            if isinstance(base, Resp) and isinstance(key, Const) and _is_location(key.value):
                frame.env[holder.value.id] = Resp(base.status, base.media, True)
                return
        self.expr(target.value, frame)
        self.expr(target.slice, frame)
        self._escape(value, "stored in a container", frame)

    def _if(self, node: ast.If, frame: Frame, reach: list[c.Formula]) -> _Flow:
        pruned = _none_test(node.test)
        if pruned is not None:
            name, when_none = pruned
            if name in frame.present:
                return self.block(node.orelse if when_none else node.body, frame)
            if name in frame.absent:
                return self.block(node.body if when_none else node.orelse, frame)
        test = self.condition(node.test, frame)
        body_frame = _guarded(frame, _present_refs(test))
        body = self.block(node.body, body_frame)
        _merge_env(frame, body_frame)
        else_frame = _guarded(frame, _present_refs(c.negate(test)))
        orelse = self.block(node.orelse, else_frame)
        _merge_env(frame, else_frame)
        if body.status in _BAD_REQUEST and orelse.status != body.status:
            self._guard(_conjoin([*reach, test]), body.status, node, frame)
        if orelse.status in _BAD_REQUEST and body.status != orelse.status:
            self._guard(_conjoin([*reach, c.Not(test)]), orelse.status, node, frame)
        if body.ends and orelse.ends:
            return _Flow(True, body.status if body.status == orelse.status else None)
        if body.ends and body.status not in _BAD_REQUEST:
            reach.append(c.Not(test))  # the rest of this block runs only when test was false
        elif orelse.ends and orelse.status not in _BAD_REQUEST and node.orelse:
            reach.append(test)
        return _Flow()

    def _guard(self, condition: c.Formula, status: int | None, node: ast.AST, frame: Frame) -> None:
        """A bad-request answer when ``condition`` holds: valid requests satisfy its negation."""
        text = ast.unparse(node.test if isinstance(node, ast.If) else node)
        if len(text) > 100:
            text = text[:97] + "..."
        where = f"{qualified_name(frame.function)}:{getattr(node, 'lineno', 0)}"
        note = f"{where}: {status} when {text}"
        valid = c.negate(condition)
        if not c.mentions_request(condition):
            self.reading.table.notes.append(note)
            return
        self.reading.table.require(valid, note)

    def _raise(self, node: ast.Raise, frame: Frame) -> _Flow:
        if node.exc is None:
            return _Flow(True)
        exc = node.exc
        target = exc.func if isinstance(exc, ast.Call) else exc
        if isinstance(exc, ast.Call):
            for arg in exc.args:
                self.expr(arg, frame)
        value = self.expr(target, frame)
        cls = value.obj if isinstance(value, Obj) else None
        status = self._exception_status(cls, frame)
        return _Flow(True, status)

    def _exception_status(self, cls: Any, frame: Frame | None) -> int | None:
        if not isinstance(cls, type):
            return None
        http = self.idioms.http_exception
        code = getattr(cls, "code", None)
        if http is not None and issubclass(cls, http) and isinstance(code, int):
            self.reading.outcome(Outcome(code, aborted=True))
            return code
        for handled in cls.__mro__:
            if handled in self.idioms.handled:
                self.reading.outcome(Outcome(None, exception=handled, source="handler"))
                return None
        return None

    def _try(self, node: Any, frame: Frame) -> _Flow:
        handlers = [self._handler_flow(h, frame) for h in node.handlers]
        catches = [_caught(h, frame) for h in node.handlers]
        # A handler that carries on (or answers a success) makes a failed read harmless.
        swallowing = [
            flow
            for flow, caught in zip(handlers, catches, strict=True)
            if caught and not (flow.ends and (flow.status is None or flow.status >= 400))
        ]
        inner = Frame(
            frame.function,
            frame.env,
            frame.depth,
            frame.present,
            frame.absent,
            frame.guarded,
            frame.tolerant or bool(swallowing),
            frame.returns,
        )
        body = self.block(node.body, inner)
        self.block(node.orelse, frame)
        final = self.block(getattr(node, "finalbody", []), frame)
        if final.ends:
            return final
        if body.ends and all(h.ends for h in handlers):
            statuses = {body.status, *(h.status for h in handlers)}
            return _Flow(True, statuses.pop() if len(statuses) == 1 else None)
        return _Flow()

    def _handler_flow(self, handler: ast.ExceptHandler, frame: Frame) -> _Flow:
        if handler.name:
            frame.env[handler.name] = UNKNOWN
        return self.block(handler.body, frame)

    # -- expressions ----------------------------------------------------------------------

    def expr(self, node: ast.expr | None, frame: Frame) -> Any:
        if node is None:
            return UNKNOWN
        if isinstance(node, ast.Constant):
            return Const(node.value)
        if isinstance(node, ast.Name):
            return frame.lookup(node.id)
        if isinstance(node, ast.Attribute):
            return self._attribute(node, frame)
        if isinstance(node, ast.Subscript):
            return self._subscript(node, frame)
        if isinstance(node, ast.Call):
            return self.call(node, frame)
        if isinstance(node, ast.Tuple):
            return Tup(tuple(self.expr(e, frame) for e in node.elts))
        if isinstance(node, (ast.List, ast.Set)) and all(
            isinstance(e, ast.Constant) for e in node.elts
        ):
            return Const(tuple(e.value for e in node.elts))  # type: ignore[attr-defined]
        if isinstance(node, (ast.List, ast.ListComp, ast.Set, ast.SetComp, ast.GeneratorExp)):
            self._children(node, frame)
            return Kind("list")
        if isinstance(node, (ast.Dict, ast.DictComp)):
            self._children(node, frame)
            keys = tuple(
                k.value
                for k in getattr(node, "keys", ())
                if isinstance(k, ast.Constant) and isinstance(k.value, str)
            )
            return Kind("dict", keys)
        if isinstance(node, ast.JoinedStr):
            self._children(node, frame)
            return Kind("str")
        if isinstance(node, ast.BoolOp):
            return self._bool_value(node, frame)
        if isinstance(node, ast.IfExp):
            test = self.condition(node.test, frame)
            body = self.expr(node.body, _guarded(frame, _present_refs(test)))
            orelse = self.expr(node.orelse, _guarded(frame, _present_refs(c.negate(test))))
            return _join([body, orelse])
        if isinstance(node, ast.Lambda):
            return Lambda(node, frame)
        if isinstance(node, ast.Compare) or (
            isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not)
        ):
            self.condition(node, frame)
            return UNKNOWN
        if isinstance(node, ast.UnaryOp):
            operand = self.expr(node.operand, frame)
            if isinstance(operand, Const) and isinstance(operand.value, (int, float)):
                return Const(-operand.value if isinstance(node.op, ast.USub) else operand.value)
            return UNKNOWN
        if isinstance(node, ast.NamedExpr):
            value = self.expr(node.value, frame)
            frame.env[node.target.id] = value
            return value
        if isinstance(node, ast.BinOp):
            left = self.expr(node.left, frame)
            self.expr(node.right, frame)
            if isinstance(left, (Const, Kind)) and isinstance(node.op, ast.Mod):
                return Kind("str")  # "%s" % x
            return UNKNOWN
        if isinstance(node, ast.Await):
            return self.expr(node.value, frame)
        if isinstance(node, ast.Starred):
            value = self.expr(node.value, frame)
            self._escape(value, "unpacked", frame)
            return UNKNOWN
        self._children(node, frame)
        return UNKNOWN

    def _children(self, node: ast.AST, frame: Frame) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.expr):
                self.expr(child, frame)
            elif isinstance(child, ast.comprehension):
                iterated = self.expr(child.iter, frame)
                self._assign(child.target, self._item_of(iterated, frame), frame)
                for test in child.ifs:
                    self.condition(test, frame)

    def _bool_value(self, node: ast.BoolOp, frame: Frame) -> Any:
        values = []
        guards: frozenset[Ref] = frozenset()
        for operand in node.values:
            sub = _guarded(frame, guards)
            values.append(self.expr(operand, sub))
            if isinstance(node.op, ast.And):
                guards = guards | _present_refs(self._formula_of_value(values[-1], operand, sub))
        if isinstance(node.op, ast.Or) and isinstance(values[0], Read) and len(values) == 2:
            fallback = values[1]
            # get_json(silent=True) or {}: missing or falsy gives the fallback
            if isinstance(fallback, (Kind, Const)):
                default = (
                    fallback.value if isinstance(fallback, Const) else _EMPTY.get(fallback.name)
                )
                return Read(values[0].ref, default, values[0].convert)
        return _join(values) if isinstance(node.op, ast.Or) else values[-1]

    def _formula_of_value(self, value: Any, node: ast.expr, frame: Frame) -> c.Formula:
        return self.condition(node, frame, evaluate=False, value=value)

    def _attribute(self, node: ast.Attribute, frame: Frame) -> Any:
        base = self.expr(node.value, frame)
        attr = node.attr
        if _is_request(base, node.value, self.idioms):
            return self._request_attribute(attr, node, frame)
        if isinstance(base, Obj):
            obj = base.obj
            if isinstance(obj, (types.ModuleType, type)):
                try:
                    found = _static_attribute(obj, attr)
                except AttributeError:
                    return UNKNOWN
                return _wrap(found)
            return UNKNOWN
        if isinstance(base, Read) and attr in ("data", "json") and base.ref.location == "json":
            return base
        return UNKNOWN

    def _request_attribute(self, attr: str, node: ast.AST, frame: Frame) -> Any:
        location = _REQUEST_LOCATIONS.get(attr)
        if location is not None:
            if location in ("form", "files"):
                self._body_use(location, required=False)
            return Read(Ref(location))
        if attr == "json":
            self._body_use("json", required=True)
            self._json_errors()
            return Read(Ref("json"))
        if attr == "data":
            self._body_use("data", required=False)
            return Read(Ref("data"), default=b"")
        if attr in ("query_string", "full_path"):
            self._opaque_query(f"request.{attr}", frame)
            return UNKNOWN
        if attr in ("get_json", "get_data"):
            return Obj(_RequestMethod(attr))
        return UNKNOWN

    def _subscript(self, node: ast.Subscript, frame: Frame) -> Any:
        base = self.expr(node.value, frame)
        key = self.expr(node.slice, frame)
        if isinstance(base, Read):
            if isinstance(key, Const) and isinstance(key.value, (str, int)):
                read = Read(base.ref.child(key.value))
                guarded = read.ref in frame.guarded
                self.reading.table.read(read, required=not guarded, tolerant=frame.tolerant)
                at_root = not base.ref.path and base.ref.location in ("query", "form", "files")
                if at_root and not guarded and not frame.tolerant:
                    # a missing key is Werkzeug's BadRequestKeyError: a 400
                    self.reading.outcome(Outcome(400, aborted=True))
                return read
            self._escape(base, "read with a computed key", frame)
            return UNKNOWN
        if isinstance(base, Tup) and isinstance(key, Const) and isinstance(key.value, int):
            try:
                return base.items[key.value]
            except IndexError:
                return UNKNOWN
        return UNKNOWN

    # -- calls ----------------------------------------------------------------------------

    def call(self, node: ast.Call, frame: Frame) -> Any:
        func = node.func
        if isinstance(func, ast.Attribute):
            base = self.expr(func.value, frame)
            method = self._method(base, func, node, frame)
            if method is not _NOT_HANDLED:
                return method
            callee = self._attribute_of_value(base, func.attr)
        else:
            callee = self.expr(func, frame)
        args = [self.expr(a, frame) for a in node.args]
        kwargs = {k.arg: self.expr(k.value, frame) for k in node.keywords if k.arg}
        for keyword in node.keywords:
            if keyword.arg is None:  # **data
                self._escape(self.expr(keyword.value, frame), "unpacked with **", frame, callee)
        return self._call_value(callee, args, kwargs, node, frame)

    def _attribute_of_value(self, base: Any, attr: str) -> Any:
        if isinstance(base, Obj) and _model_library(base.obj) is not None:
            return _BoundMethod(Instance(base.obj), attr)
        if isinstance(base, Obj) and isinstance(base.obj, (types.ModuleType, type)):
            try:
                return _wrap(_static_attribute(base.obj, attr))
            except AttributeError:
                return UNKNOWN
        if isinstance(base, Instance):
            return _BoundMethod(base, attr)
        return UNKNOWN

    def _method(self, base: Any, func: ast.Attribute, node: ast.Call, frame: Frame) -> Any:
        name = func.attr
        if isinstance(base, Read):
            return self._read_method(base, name, node, frame)
        if isinstance(base, Resp) and name in ("set_cookie", "delete_cookie"):
            return Const(None)
        if isinstance(base, Obj) and isinstance(base.obj, _RequestMethod):
            return self._request_method(base.obj.name, node, frame)
        if _is_request(base, func.value, self.idioms) and name in ("get_json", "get_data"):
            return self._request_method(name, node, frame)
        return _NOT_HANDLED

    def _request_method(self, name: str, node: ast.Call, frame: Frame) -> Any:
        kwargs = {k.arg: self.expr(k.value, frame) for k in node.keywords if k.arg}
        if name == "get_data":
            self._body_use("data", required=False)
            return Read(Ref("data"), default=b"")
        args = [self.expr(a, frame) for a in node.args]
        force = _flag(kwargs.get("force"), args, 0)
        silent = _flag(kwargs.get("silent"), args, 1)
        self._body_use("json", required=not silent, force=force)
        if not silent:
            self._json_errors(force)
        return Read(Ref("json"), default=None if silent else NO_DEFAULT)

    def _json_errors(self, force: bool = False) -> None:
        """get_json() without silent: malformed JSON is a 400, another Content-Type a 415."""
        self.reading.outcome(Outcome(400, aborted=True))
        if not force:
            self.reading.outcome(Outcome(415, aborted=True))

    def _read_method(self, base: Read, name: str, node: ast.Call, frame: Frame) -> Any:
        args = [self.expr(a, frame) for a in node.args]
        kwargs = {k.arg: self.expr(k.value, frame) for k in node.keywords if k.arg}
        text = base.ref.location in c.TEXT_LOCATIONS
        if name in ("get", "getlist", "pop") and args:
            key = args[0]
            if not (isinstance(key, Const) and isinstance(key.value, (str, int))):
                self._escape(base, f".{name}() with a computed key", frame)
                return UNKNOWN
            ref = base.ref.child(key.value)
            if name == "getlist":
                type_value = kwargs.get("type", args[1] if len(args) > 1 else None)
                convert = _conversion(type_value)
                # Werkzeug drops the values ``type`` rejects: a shorter list, never a 400.
                read = Read(ref, default=(), convert=convert, many=True)
                self.reading.table.read(read, required=False)
                return read
            if name == "pop" and len(args) < 2:
                read = Read(ref)
                required = ref not in frame.guarded
                self.reading.table.read(read, required=required, tolerant=frame.tolerant)
                return read
            default_value = kwargs.get("default", args[1] if len(args) > 1 else Const(None))
            type_value = kwargs.get("type", args[2] if len(args) > 2 else None)
            default = default_value.value if isinstance(default_value, Const) else None
            convert = _conversion(type_value) if text else None
            read = Read(ref, default=default, convert=convert)
            self.reading.table.read(read, required=False)
            if type_value is not None and text:
                self.reading.table.converted(read, convert or "string", falls_back=True)
            return read
        if name in ("to_dict", "items", "keys", "values", "copy", "lists", "update"):
            self._escape(base, f".{name}()", frame)
            return UNKNOWN
        if name in ("strip", "lower", "upper", "casefold", "lstrip", "rstrip", "title"):
            return UNKNOWN
        if name in c.STRING_PREDICATES:
            return UNKNOWN  # only meaningful as a condition; see condition()
        if name == "decode" and base.ref.location == "data":
            return base
        self._escape(base, f".{name}()", frame)
        return UNKNOWN

    def _call_value(
        self, callee: Any, args: list[Any], kwargs: dict[str, Any], node: ast.Call, frame: Frame
    ) -> Any:
        if isinstance(callee, _BoundMethod):
            return self._model_method(callee, args, frame)
        if isinstance(callee, Lambda):
            return self._call_local(callee, args, kwargs, frame)
        if not isinstance(callee, Obj):
            for value in [*args, *kwargs.values()]:
                self._escape(value, "passed to code the draft cannot read", frame)
            return UNKNOWN
        obj = callee.obj
        idiom = self.idioms.name_of(obj)
        if idiom is not None:
            return self._idiom(idiom, args, kwargs, frame)
        if id(obj) in _CONVERSIONS and args and isinstance(args[0], Read):
            read = args[0]
            convert = _CONVERSIONS[id(obj)]
            if convert:
                self.reading.table.converted(read, convert, falls_back=frame.tolerant)
            return Read(read.ref, read.default, convert or read.convert)
        if obj is len and args and isinstance(args[0], Read):
            return Length(args[0])
        json_of_data = args and isinstance(args[0], Read) and args[0].ref.location == "data"
        if id(obj) in _JSON_LOADS and json_of_data:
            self._body_use("json", required=True, force=True, parsed=True)
            return Read(Ref("json"))
        if isinstance(obj, type):
            model = self._model(obj, args, kwargs, frame)
            if model is not None:
                return model
            status = None
            http = self.idioms.http_exception
            if http is not None and issubclass(obj, http):
                return Instance(obj)
            for value in [*args, *kwargs.values()]:
                self._escape(value, f"passed to {obj.__name__}", frame)
            return Instance(obj) if status is None else UNKNOWN
        if isinstance(obj, types.FunctionType) and self.own.owns(unwrap(obj)):
            before = len(self.reading.outcomes)
            returned = self.call_function(obj, args, kwargs, frame.depth + 1)
            if returned is None:
                for value in [*args, *kwargs.values()]:
                    self._escape(value, f"passed to {obj.__name__}", frame)
                return UNKNOWN
            stop = self._always_stops(obj, before)
            if stop is not None:
                return stop
            return returned
        name = _plain_name(obj)
        if id(obj) in _REGEX_FUNCTIONS:
            return UNKNOWN  # a match object; as a condition see _call_condition
        if name in _SAFE_SINKS or _plain_module(obj) == "logging":
            return Kind("str") if name in ("str", "repr") else UNKNOWN
        for value in [*args, *kwargs.values()]:
            self._escape(value, f"passed to {name or 'a callable'}", frame)
        return UNKNOWN

    def _always_stops(self, function: Any, before: int) -> Any:
        """A helper with no return that ends in abort (``json_error(409, ...)``): it stops."""
        function = unwrap(function)
        nodes = function_nodes(function)
        if len(nodes) != 1 or isinstance(nodes[0], ast.Lambda):
            return None
        body = nodes[0].body
        if any(isinstance(n, ast.Return) for n in ast.walk(nodes[0])):
            return None
        last = body[-1] if body else None
        if not isinstance(last, (ast.Expr, ast.Raise)):
            return None
        new = self.reading.outcomes[before:]
        statuses = {o.status for o in new}
        return _Stop(statuses.pop() if len(statuses) == 1 else None)

    def _call_local(
        self, callee: Lambda, args: list[Any], kwargs: dict[str, Any], frame: Frame
    ) -> Any:
        node = callee.node
        defining: Frame = callee.frame
        # A lambda or nested def is code of the function that defined it, one level below it;
        # the stack stops one that calls itself (pgAdmin has such local recursions).
        if defining.depth >= _MAX_DEPTH or id(node) in self.stack or self.calls >= _MAX_CALLS:
            return UNKNOWN
        self.calls += 1
        inner = Frame(defining.function, dict(defining.env), defining.depth + 1, returns=[])
        self._bind(node, inner, args, kwargs)
        self.stack.append(id(node))
        try:
            if isinstance(node, ast.Lambda):
                return self.expr(node.body, inner)
            self.block(node.body, inner)
        finally:
            self.stack.pop()
        return _join(inner.returns)

    def _idiom(self, idiom: str, args: list[Any], kwargs: dict[str, Any], frame: Frame) -> Any:
        if idiom == "abort":
            first = args[0] if args else kwargs.get("status")
            if isinstance(first, Const) and isinstance(first.value, int):
                self.reading.outcome(Outcome(first.value, aborted=True))
                return _Stop(first.value)
            if isinstance(first, Resp):
                outcome = Outcome(first.status or 200, first.media, first.location)
                self.reading.outcome(outcome)
                return _Stop(outcome.status)
            return _Stop(None)
        if idiom == "jsonify":
            return Resp(None, "application/json")
        if idiom == "make_response":
            return _make_response(args)
        if idiom == "response":
            return _response_class(args, kwargs)
        if idiom == "redirect":
            code = kwargs.get("code", args[1] if len(args) > 1 else Const(302))
            status = code.value if isinstance(code, Const) and isinstance(code.value, int) else None
            return Resp(status, "", True)
        if idiom == "render_template":
            return Kind("str")
        if idiom == "send_file":
            return Resp(None, None)
        if idiom == "request":
            return UNKNOWN
        return UNKNOWN

    # -- models (pydantic, marshmallow), never imported here: recognised by their classes ---

    def _model(self, cls: type, args: list[Any], kwargs: dict[str, Any], frame: Frame) -> Any:
        library = _model_library(cls)
        if library is None:
            return None
        if library == "marshmallow":
            return Instance(cls)
        # Model(**data): the ** argument was seen in call(); find which Read it was.
        return Instance(cls)

    def _model_method(self, bound: _BoundMethod, args: list[Any], frame: Frame) -> Any:
        cls = bound.instance.cls
        library = _model_library(cls)
        method = bound.name
        if (
            library is not None
            and args
            and isinstance(args[0], Read)
            and (
                (library == "marshmallow" and method in ("load", "validate"))
                or (library == "pydantic" and method in ("model_validate", "parse_obj"))
            )
        ):
            self.reading.models.append(Model(cls, args[0], library))
            self._model_error(library)
            return Kind("dict") if library == "marshmallow" else Instance(cls)
        for value in args:
            self._escape(value, f"passed to {cls.__name__}.{method}", frame)
        return UNKNOWN

    def _model_error(self, library: str) -> None:
        """A refused body raises the library's ValidationError: an app handler may answer it."""
        import sys

        module = sys.modules.get(library)  # loaded by the app itself, never imported here
        error = getattr(module, "ValidationError", None) if module is not None else None
        if isinstance(error, type):
            self._exception_status(error, None)

    # -- conditions -------------------------------------------------------------------------

    def condition(
        self, node: ast.expr, frame: Frame, *, evaluate: bool = True, value: Any = None
    ) -> c.Formula:
        """The formula a test expression stands for; its reads are recorded on the way."""
        if isinstance(node, ast.BoolOp):
            parts: list[c.Formula] = []
            guards: frozenset[Ref] = frozenset()
            for operand in node.values:
                sub = _guarded(frame, guards)
                part = self.condition(operand, sub, evaluate=evaluate)
                parts.append(part)
                if isinstance(node.op, ast.And):
                    guards = guards | _present_refs(part)
                else:
                    guards = guards | _present_refs(c.negate(part))
            return c.All(tuple(parts)) if isinstance(node.op, ast.And) else c.AnyOf(tuple(parts))
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            return c.Not(self.condition(node.operand, frame, evaluate=evaluate))
        if isinstance(node, ast.Compare):
            return self._compare(node, frame)
        if isinstance(node, ast.Call):
            formula = self._call_condition(node, frame)
            if formula is not None:
                return formula
        if value is None:
            value = self.expr(node, frame)
        if isinstance(value, Read):
            return c.Atom("truthy", value)
        if isinstance(value, _Predicate):
            return value.formula
        return c.Opaque(ast.unparse(node))

    def _compare(self, node: ast.Compare, frame: Frame) -> c.Formula:
        if (
            len(node.ops) == 1
            and isinstance(node.ops[0], (ast.Is, ast.IsNot))
            and isinstance(node.left, ast.Call)
            and isinstance(node.comparators[0], ast.Constant)
            and node.comparators[0].value is None
        ):
            # re.fullmatch(p, x) is not None
            matched = self._call_condition(node.left, frame)
            if matched is not None:
                return matched if isinstance(node.ops[0], ast.IsNot) else c.Not(matched)
        operands = [self.expr(node.left, frame)]
        operands += [self.expr(e, frame) for e in node.comparators]
        parts: list[c.Formula] = []
        for index, op in enumerate(node.ops):
            left, right = operands[index], operands[index + 1]
            parts.append(_comparison(left, op, right) or c.Opaque(ast.unparse(node)))
        return parts[0] if len(parts) == 1 else c.All(tuple(parts))

    def _call_condition(self, node: ast.Call, frame: Frame) -> c.Formula | None:
        func = node.func
        # x.isdigit(), re.fullmatch(p, x) ...
        if isinstance(func, ast.Attribute) and func.attr in c.STRING_PREDICATES and not node.args:
            base = self.expr(func.value, frame)
            if isinstance(base, Read):
                return c.Atom("chars", base, c.STRING_PREDICATES[func.attr])
        callee = self.expr(func, frame)
        if isinstance(callee, Obj):
            obj = callee.obj
            if obj is isinstance and len(node.args) == 2:
                value = self.expr(node.args[0], frame)
                kinds = _kinds_of(self.expr(node.args[1], frame))
                if isinstance(value, Read) and kinds is not None:
                    return c.Atom("kinds", value, kinds)
                return None
            how = _REGEX_FUNCTIONS.get(id(obj))
            if how is not None and len(node.args) >= 2 and not node.keywords:
                pattern = self.expr(node.args[0], frame)
                value = self.expr(node.args[1], frame)
                if isinstance(value, Read) and isinstance(pattern, Const):
                    regex = c.regex_for(str(pattern.value), how)
                    if regex is not None and len(node.args) == 2:
                        return c.Atom("match", value, regex)
                return None
            if obj is bool and len(node.args) == 1:
                value = self.expr(node.args[0], frame)
                if isinstance(value, Read):
                    return c.Atom("truthy", value)
            if id(obj) in _FINITE and node.args:
                value = self.expr(node.args[0], frame)
                if isinstance(value, Read):
                    return c.TRUE  # JSON numbers are finite; only non-standard input is not
            if isinstance(obj, types.FunctionType) and self.own.owns(unwrap(obj)):
                args = [self.expr(a, frame) for a in node.args]
                if any(isinstance(a, Read) for a in args):
                    formula = self._predicate(unwrap(obj), args, frame)
                    if formula is not None:
                        return formula
        if isinstance(callee, Lambda):
            args = [self.expr(a, frame) for a in node.args]
            if any(isinstance(a, Read) for a in args):
                return self._local_predicate(callee, args, frame)
        return None

    def _predicate(self, function: Any, args: list[Any], frame: Frame) -> c.Formula | None:
        """A check function (``is_int(value)``) as a formula over its arguments."""
        nodes = function_nodes(function)
        if len(nodes) != 1 or frame.depth >= _MAX_DEPTH or id(function) in self.stack:
            return None
        inner = Frame(function, {}, frame.depth + 1)
        self.stack.append(id(function))
        try:
            self._bind(nodes[0], inner, args, {})
            return self._predicate_body(nodes[0], inner)
        finally:
            self.stack.pop()

    def _local_predicate(self, callee: Lambda, args: list[Any], frame: Frame) -> c.Formula:
        defining: Frame = callee.frame
        if defining.depth >= _MAX_DEPTH or id(callee.node) in self.stack:
            return c.Opaque("a check the draft cannot read")
        inner = Frame(defining.function, dict(defining.env), defining.depth + 1)
        self._bind(callee.node, inner, args, {})
        self.stack.append(id(callee.node))
        try:
            formula = self._predicate_body(callee.node, inner)
        finally:
            self.stack.pop()
        return formula if formula is not None else c.Opaque("a check the draft cannot read")

    def _predicate_body(self, node: Any, frame: Frame) -> c.Formula | None:
        if isinstance(node, ast.Lambda):
            return self.condition(node.body, frame)
        conjuncts: list[c.Formula] = []
        for statement in node.body:
            if isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Constant):
                continue  # docstring
            if isinstance(statement, ast.Return) and statement.value is not None:
                returned = statement.value
                if isinstance(returned, ast.Constant) and isinstance(returned.value, bool):
                    final: c.Formula = c.TRUE if returned.value else c.FALSE
                else:
                    final = self.condition(returned, frame)
                return c.All((*conjuncts, final)) if conjuncts else final
            if (
                isinstance(statement, ast.If)
                and not statement.orelse
                and len(statement.body) == 1
                and isinstance(statement.body[0], ast.Return)
                and isinstance(statement.body[0].value, ast.Constant)
                and isinstance(statement.body[0].value.value, bool)
            ):
                test = self.condition(statement.test, frame)
                if statement.body[0].value.value:
                    rest = self._predicate_body(
                        ast.FunctionDef(
                            name="rest",
                            args=node.args,
                            body=node.body[node.body.index(statement) + 1 :],
                            decorator_list=[],
                        ),
                        frame,
                    )
                    if rest is None:
                        return None
                    tail = c.AnyOf((test, rest))
                    return c.All((*conjuncts, tail)) if conjuncts else tail
                conjuncts.append(c.Not(test))
                continue
            if isinstance(statement, ast.Assign):
                self.statement(statement, frame, [])
                continue
            return None
        return None

    # -- what the walk records --------------------------------------------------------------

    def _body_use(
        self, location: str, *, required: bool, force: bool = False, parsed: bool = False
    ) -> None:
        media = {
            "json": ("application/json",),
            "form": ("application/x-www-form-urlencoded",),
            "files": ("multipart/form-data",),
            "data": (),
        }[location]
        current = self.reading.bodies.get(location)
        if current is None:
            self.reading.bodies[location] = BodyUse(location, required, media)
        elif required:
            current.required = True
        if location == "json" and parsed:
            self.reading.bodies.pop("data", None)

    def _opaque_query(self, why: str, frame: Frame) -> None:
        text = f"{why} in {qualified_name(frame.function)}"
        if text not in self.reading.opaque_query:
            self.reading.opaque_query.append(text)

    def _escape(self, value: Any, how: str, frame: Frame, callee: Any = None) -> None:
        """A request value handed to code the draft cannot read: its shape is not known."""
        values = value.values if isinstance(value, Alts) else (value,)
        for item in values:
            if isinstance(callee, Obj) and isinstance(callee.obj, type):
                library = _model_library(callee.obj)
                if library == "pydantic" and isinstance(item, Read):
                    self.reading.models.append(Model(callee.obj, item, library))
                    self._model_error(library)
                    continue
            if not isinstance(item, Read):
                continue
            ref = item.ref
            if ref.location == "query" and not ref.path:
                self._opaque_query(f"request.args {how}", frame)
            elif ref.location in ("json", "form", "files", "data"):
                self.reading.table.of(ref).escaped = True
                if not ref.path:
                    text = f"request body {how} in {qualified_name(frame.function)}"
                    if text not in self.reading.opaque_body:
                        self.reading.opaque_body.append(text)

    def _item_of(self, iterated: Any, frame: Frame) -> Any:
        if not isinstance(iterated, Read):
            return UNKNOWN
        if not iterated.ref.path and iterated.ref.location in ("query", "json", "form"):
            self._escape(iterated, "iterated", frame)
            return UNKNOWN
        return Read(iterated.ref.child("*"))

    def _answers(self, value: Any) -> Iterator[Outcome]:
        for item in value.values if isinstance(value, Alts) else (value,):
            outcome = _answer(item)
            if outcome is not None:
                yield outcome


# -- helpers ------------------------------------------------------------------------------------


class _NotHandled:
    pass


_NOT_HANDLED: Any = _NotHandled()


@dataclass(frozen=True)
class _RequestMethod:
    name: str


@dataclass(frozen=True)
class _BoundMethod:
    instance: Instance
    name: str


@dataclass(frozen=True)
class _Stop:
    """The value of a call that never returns (abort): ends the block with this status."""

    status: int | None


@dataclass(frozen=True)
class _Predicate:
    formula: c.Formula


_EMPTY = {"dict": {}, "list": [], "str": ""}
_CONVERSIONS: dict[int, str | None] = {
    id(int): "integer",
    id(float): "number",
    id(str): None,
    id(bool): None,
}


def _module_functions(module: str, *names: str) -> dict[int, str]:
    import importlib

    found: dict[int, str] = {}
    try:
        loaded = importlib.import_module(module)
    except ImportError:  # pragma: no cover - stdlib
        return found
    for name in names:
        found[id(getattr(loaded, name))] = name
    return found


_REGEX_FUNCTIONS = _module_functions("re", "fullmatch", "match", "search")
_FINITE = _module_functions("math", "isfinite")
_JSON_LOADS = _module_functions("json", "loads")


_CALLABLE_TYPES = (
    types.FunctionType,
    types.BuiltinFunctionType,
    types.MethodType,
    types.BuiltinMethodType,
)


def _plain_name(obj: Any) -> str:
    """A function's or class's name; "" for anything else (a LocalProxy would evaluate itself,
    and may raise outside a request)."""
    if type(obj) in _CALLABLE_TYPES or isinstance(obj, type):
        return str(obj.__name__)
    return ""


def _plain_module(obj: Any) -> str:
    if type(obj) in _CALLABLE_TYPES or isinstance(obj, type):
        return str(getattr(obj, "__module__", "") or "")
    return ""


def _static_attribute(obj: Any, attr: str) -> Any:
    """A module's or class's attribute without running descriptors or ``__getattr__``."""
    import inspect

    return inspect.getattr_static(obj, attr)


def _is_request(value: Any, node: ast.AST, idioms: Idioms) -> bool:
    if isinstance(value, RequestProxy):
        return True
    if isinstance(value, Obj) and idioms.name_of(value.obj) == "request":
        return True
    # Without an idioms table (reading a lone function), recognise the spelling.
    if isinstance(node, ast.Name) and node.id == "request" and not idioms.names:
        return True
    return isinstance(node, ast.Attribute) and node.attr == "request" and not idioms.names


def _flag(value: Any, args: list[Any], index: int) -> bool:
    if value is None and len(args) > index:
        value = args[index]
    return isinstance(value, Const) and bool(value.value)


def _conversion(value: Any) -> str | None:
    if isinstance(value, Obj) and any(value.obj is t for t in (int, float, str, bool)):
        return _TYPES[value.obj.__name__]
    return None


def _kinds_of(value: Any) -> frozenset[str] | None:
    """``isinstance(x, (int, float))`` -> the JSON kinds those classes admit."""
    items = value.items if isinstance(value, Tup) else (value,)
    kinds: set[str] = set()
    for item in items:
        if not isinstance(item, Obj):
            return None
        cls = item.obj
        if cls is type(None):
            kinds.add("null")
        elif cls is bool:
            kinds.add("boolean")
        elif cls is int or cls is numbers.Integral:
            kinds.update({"integer", "boolean"})
        elif cls is float:
            kinds.add("float")
        elif cls in (numbers.Number, numbers.Real):
            kinds.update({"integer", "boolean", "float"})
        elif cls is str:
            kinds.add("string")
        elif cls is list:
            kinds.add("array")
        elif cls is dict:
            kinds.add("object")
        elif cls in (tuple, set, bytes):
            continue  # JSON never decodes to these
        else:
            import collections.abc as abc

            if cls in (abc.Mapping, abc.MutableMapping):
                kinds.add("object")
            elif cls in (abc.Sequence, abc.MutableSequence):
                kinds.update({"array", "string"})
            else:
                return None
    return frozenset(kinds)


_OPERATORS = {
    ast.Lt: "<",
    ast.LtE: "<=",
    ast.Gt: ">",
    ast.GtE: ">=",
    ast.Eq: "==",
    ast.NotEq: "!=",
}
_REVERSED = {"<": ">", "<=": ">=", ">": "<", ">=": "<=", "==": "==", "!=": "!="}


def _comparison(left: Any, op: ast.cmpop, right: Any) -> c.Formula | None:
    if isinstance(op, (ast.In, ast.NotIn)):
        formula: c.Formula | None = None
        if isinstance(left, Const) and isinstance(right, Read) and isinstance(left.value, str):
            formula = c.Atom("present", Read(right.ref.child(left.value)))
        elif isinstance(left, Read) and isinstance(right, (Const, Tup)):
            if isinstance(right, Tup):
                if not all(isinstance(item, Const) for item in right.items):
                    return None
                right = Const(tuple(item.value for item in right.items))
            values = right.value
            if isinstance(values, (tuple, list, frozenset, set)):
                formula = c.Atom("member", left, tuple(values))
        if formula is None:
            return None
        return c.Not(formula) if isinstance(op, ast.NotIn) else formula
    if isinstance(op, (ast.Is, ast.IsNot)):
        if isinstance(left, Read) and isinstance(right, Const) and right.value is None:
            atom = c.Atom("none", left)
            return c.Not(atom) if isinstance(op, ast.IsNot) else atom
        return None
    symbol = _OPERATORS.get(type(op))
    if symbol is None:
        return None
    if isinstance(right, (Read, Length)) and isinstance(left, Const):
        left, right, symbol = right, left, _REVERSED[symbol]
    if not isinstance(right, Const):
        return None
    if isinstance(left, Length) and isinstance(right.value, int):
        return c.Atom("length", left.read, (symbol, right.value))
    if isinstance(left, Read) and isinstance(right.value, (int, float, str, bool)):
        if symbol in ("==", "!=") and right.value is None:
            return None
        return c.Atom("compare", left, (symbol, right.value))
    return None


def _present_refs(formula: c.Formula) -> frozenset[Ref]:
    """Keys surely present when ``formula`` holds (``"x" in data``, ``isinstance(d.get(k))``)."""
    if isinstance(formula, c.Atom):
        if formula.kind == "present":
            return frozenset({formula.read.ref})
        return frozenset()
    if isinstance(formula, c.All):
        found: frozenset[Ref] = frozenset()
        for part in formula.operands:
            found = found | _present_refs(part)
        return found
    if isinstance(formula, c.Not) and isinstance(formula.operand, c.AnyOf):
        return _present_refs(c.negate(formula.operand))
    return frozenset()


def _guarded(frame: Frame, refs: frozenset[Ref]) -> Frame:
    if not refs:
        return frame
    return Frame(
        frame.function,
        frame.env,
        frame.depth,
        frame.present,
        frame.absent,
        frame.guarded | refs,
        frame.tolerant,
        frame.returns,
    )


def _merge_env(frame: Frame, branch: Frame) -> None:
    if branch.env is not frame.env:
        frame.env.update(branch.env)


def _conjoin(parts: list[c.Formula]) -> c.Formula:
    return parts[0] if len(parts) == 1 else c.All(tuple(parts))


def _join(values: list[Any]) -> Any:
    """The value of a function with these returns: one value, or the alternatives."""
    flat: list[Any] = []
    for value in values:
        for item in value.values if isinstance(value, Alts) else (value,):
            if item not in flat:
                flat.append(item)
    if not flat:
        return Const(None)
    if len(flat) == 1:
        return flat[0]
    return Alts(tuple(flat))


def _none_default_parameters(function: types.FunctionType) -> frozenset[str]:
    """Parameters whose default is None, read off the code object (inspect.signature is slow)."""
    code = function.__code__
    positional = code.co_varnames[: code.co_argcount]
    defaults = function.__defaults__ or ()
    found = {
        name
        for name, default in zip(
            positional[len(positional) - len(defaults) :], defaults, strict=True
        )
        if default is None
    }
    found.update(k for k, v in (function.__kwdefaults__ or {}).items() if v is None)
    return frozenset(found)


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


def _caught(handler: ast.ExceptHandler, frame: Frame) -> bool:
    """Does the handler catch what a missing key or a failed conversion raises?"""
    if handler.type is None:
        return True
    names = handler.type.elts if isinstance(handler.type, ast.Tuple) else [handler.type]
    for name in names:
        text = ast.unparse(name).rsplit(".", 1)[-1]
        if text in (
            "Exception",
            "KeyError",
            "ValueError",
            "TypeError",
            "BadRequestKeyError",
            "LookupError",
            "BaseException",
        ):
            return True
    return False


def _status_of(value: Any) -> int | None:
    outcome = _answer(value)
    return outcome.status if outcome is not None else None


def _answer(value: Any) -> Outcome | None:
    """What a returned value answers: status (200 unless said), media type, Location."""
    if isinstance(value, Alts):
        return None
    if isinstance(value, Tup) and value.items:
        body = _answer(value.items[0]) or Outcome(None, None)
        status, location = body.status, body.location
        for item in value.items[1:]:
            if isinstance(item, Const) and isinstance(item.value, int):
                status = item.value
            elif isinstance(item, Kind) and item.name == "dict":
                location = location or any(_is_location(k) for k in item.keys)
        media = body.media
        if status == 204 or (isinstance(value.items[0], Const) and value.items[0].value == ""):
            media = ""
        return Outcome(status or 200, media, location)
    if isinstance(value, Resp):
        media = "" if value.status == 204 else value.media
        return Outcome(value.status or 200, media, value.location)
    if isinstance(value, Const):
        if isinstance(value.value, str):
            return Outcome(200, "text/html" if value.value else "")
        if isinstance(value.value, bytes):
            return Outcome(200, "text/html" if value.value else "")
        return None
    if isinstance(value, Kind):
        if value.name == "str":
            return Outcome(200, "text/html")
        if value.name in ("dict", "list"):
            return Outcome(200, "application/json")
    return None


def _make_response(args: list[Any]) -> Any:
    if not args:
        return Resp(None, "")
    body = args[0]
    if isinstance(body, Tup):
        args = list(body.items) + args[1:]
        body = args[0]
    outcome = _answer(body)
    status = outcome.status if outcome else None
    media = outcome.media if outcome else None
    location = outcome.location if outcome else False
    if outcome is not None and outcome.status == 200 and not isinstance(body, Resp):
        status = None
    if isinstance(body, Resp):
        status = body.status
    for item in args[1:]:
        if isinstance(item, Const) and isinstance(item.value, int):
            status = item.value
        elif isinstance(item, Kind) and item.name == "dict":
            location = location or any(_is_location(k) for k in item.keys)
    return Resp(status, media, location)


def _response_class(args: list[Any], kwargs: dict[str, Any]) -> Any:
    status = kwargs.get("status", args[1] if len(args) > 1 else None)
    code = status.value if isinstance(status, Const) and isinstance(status.value, int) else None
    mimetype = kwargs.get("mimetype", args[3] if len(args) > 3 else None)
    content_type = kwargs.get("content_type", args[4] if len(args) > 4 else None)
    media: str | None = "text/html"
    for given in (content_type, mimetype):
        if given is None:
            continue
        if isinstance(given, Const) and isinstance(given.value, str):
            media = given.value.split(";")[0].strip().lower()
        else:
            media = None
    body = args[0] if args else kwargs.get("response")
    if body is None or (isinstance(body, Const) and body.value in ("", b"", None)):
        media = ""
    headers = kwargs.get("headers", args[2] if len(args) > 2 else None)
    location = isinstance(headers, Kind) and any(_is_location(k) for k in headers.keys)
    return Resp(code, media, location)


def _response_attribute(base: Resp, attr: str, value: Any) -> Resp:
    if attr == "status_code":
        if isinstance(value, Const) and isinstance(value.value, int):
            return Resp(value.value, base.media, base.location)
        return Resp(-1, base.media, base.location)
    if attr in ("location",):
        return Resp(base.status, base.media, True)
    if attr in ("mimetype", "content_type"):
        if isinstance(value, Const) and isinstance(value.value, str):
            return Resp(base.status, value.value.split(";")[0].strip().lower(), base.location)
        return Resp(base.status, None, base.location)
    return base


def _is_location(key: Any) -> bool:
    return isinstance(key, str) and key.lower() == "location"


def _model_library(cls: Any) -> str | None:
    """pydantic BaseModel or marshmallow Schema, told by the modules of the class's bases."""
    if not isinstance(cls, type):
        return None
    for base in cls.__mro__:
        module = getattr(base, "__module__", "") or ""
        if base.__name__ == "BaseModel" and module.startswith("pydantic"):
            return "pydantic"
        if base.__name__ == "Schema" and module.startswith("marshmallow"):
            return "marshmallow"
    return None
