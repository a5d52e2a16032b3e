"""What a read of the request is: ``request.args.get("limit", type=int, default=10)``,
``request.json``, ``get_json(silent=True)``, ``data["name"]``, ``data.get("x", d)``, a body
validated by a model; which bodies the view takes; and what escapes the draft (a request value
handed to a library, iterated, or read with a computed key), so the draft can say so.
"""

from __future__ import annotations

import ast
from typing import Any

from contract_tools.spec import constraints as c
from contract_tools.spec.constraints import NO_DEFAULT, Read, Ref
from contract_tools.spec.source_code import qualified_name
from contract_tools.spec.view.frame import Frame, WalkerBase
from contract_tools.spec.view.reading import BodyUse, Idioms, Model, Outcome
from contract_tools.spec.view.values import (
    UNKNOWN,
    Alts,
    BoundMethod,
    Const,
    Instance,
    Kind,
    Obj,
    RequestMethod,
    RequestProxy,
)

_TYPES = {"int": "integer", "float": "number", "str": "string", "bool": "boolean"}
_REQUEST_LOCATIONS = {
    "args": "query",
    "headers": "header",
    "form": "form",
    "files": "files",
    "values": "query",
}


class Reads(WalkerBase):
    """Reads of the request, the bodies taken, models, and escapes."""

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
            return Obj(RequestMethod(attr))
        return UNKNOWN

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

    def _model(self, cls: type, args: list[Any], kwargs: dict[str, Any], frame: Frame) -> Any:
        library = model_library(cls)
        if library is None:
            return None
        if library == "marshmallow":
            return Instance(cls)
        # Model(**data): the ** argument was seen in call(); find which Read it was.
        return Instance(cls)

    def _model_method(self, bound: BoundMethod, args: list[Any], frame: Frame) -> Any:
        cls = bound.instance.cls
        library = model_library(cls)
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
                library = model_library(callee.obj)
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


def is_request(value: Any, node: ast.AST, idioms: Idioms) -> bool:
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


def model_library(cls: Any) -> str | None:
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
