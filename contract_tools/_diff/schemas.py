"""Compare two canonical JSON Schemas in one direction and list the changes that matter.

Direction is the whole idea: a request schema must accept everything the base accepted
(tightening breaks clients); a response schema must produce nothing the base did not
promise (widening breaks clients).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from contract_tools.spec.canonical import RECURSIVE

_MAX_DEPTH = 48


@dataclass(frozen=True)
class Change:
    kind: str
    location: str
    base: Any = None
    revision: Any = None


def compare_schemas(
    base: dict[str, Any], revision: dict[str, Any], *, request: bool, textual: bool = False
) -> list[Change]:
    """Changes from ``base`` to ``revision``; ``textual`` for parameters (values sent as text)."""
    out: list[Change] = []
    if base != revision:
        _compare(base, revision, "$", request, out, 0, textual)
    return out


def _compare(
    b: dict[str, Any],
    r: dict[str, Any],
    loc: str,
    request: bool,
    out: list[Change],
    depth: int,
    textual: bool = False,
) -> None:
    if b == r or depth > _MAX_DEPTH:
        return
    # A recursion marker or an empty (uncontracted) schema gives nothing further to compare.
    if RECURSIVE in b or RECURSIVE in r or not b or not r:
        return
    if not _compare_types(b, r, loc, request, out, textual):
        return  # a different kind of value: its details would only repeat the same news
    _compare_unions(b, r, loc, request, out)
    _compare_enums(b, r, loc, request, out)
    if request:
        _compare_bounds(b, r, loc, out)
        _compare_pattern(b, r, loc, out)
        if b.get("additionalProperties") is not False and r.get("additionalProperties") is False:
            out.append(Change("additional-properties-disallowed", loc, True, False))
    if "format" in b and b.get("format") != r.get("format"):
        out.append(Change("format-changed", loc, b.get("format"), r.get("format")))
    if "default" in b and b.get("default") != r.get("default"):
        out.append(Change("default-changed", loc, b.get("default"), r.get("default")))
    _compare_properties(b, r, loc, request, out, depth)
    for key, suffix in (("items", "[*]"), ("additionalProperties", ".*")):
        sub_b, sub_r = b.get(key), r.get(key)
        if isinstance(sub_b, dict) and isinstance(sub_r, dict):
            _compare(sub_b, sub_r, loc + suffix, request, out, depth + 1)


_SCALARS = frozenset({"integer", "number", "boolean", "string"})


def _covers(outer: set[str], inner: set[str], textual: bool = False) -> bool:
    """True when every value of the ``inner`` types is also of an ``outer`` type.

    ``textual``: parameters travel as text, so a string parameter accepts what an integer did.
    """
    return all(
        t in outer
        or (t == "integer" and "number" in outer)
        or (textual and t in _SCALARS and "string" in outer)
        for t in inner
    )


def _compare_types(
    b: dict[str, Any], r: dict[str, Any], loc: str, request: bool, out: list[Change], textual: bool
) -> bool:
    if "type" not in b or "type" not in r:
        return True
    bt, rt = set(b["type"]), set(r["type"])
    b_null, r_null = "null" in bt, "null" in rt
    bt.discard("null")
    rt.discard("null")
    keep_going = True
    if bt and rt:
        ok = _covers(rt, bt, textual) if request else _covers(bt, rt)
        if not ok:
            out.append(Change("type-changed", loc, sorted(bt), sorted(rt)))
            keep_going = _covers(rt, bt) or _covers(bt, rt)
    if request and b_null and not r_null:
        out.append(Change("nullable-removed", loc, True, False))
    if not request and r_null and not b_null:
        out.append(Change("became-nullable", loc, False, True))
    return keep_going


def _compare_unions(
    b: dict[str, Any], r: dict[str, Any], loc: str, request: bool, out: list[Change]
) -> None:
    if "anyOf" not in b and "anyOf" not in r:
        return
    alts_b = b.get("anyOf", [b])
    alts_r = r.get("anyOf", [r])
    # Each alternative the accepting side must still accept has to survive unchanged.
    must, may = (alts_b, alts_r) if request else (alts_r, alts_b)
    missing = [alt for alt in must if not any(alt == other for other in may)]
    if missing:
        out.append(Change("type-changed", loc, alts_b, alts_r))


def _enum_keys(values: list[Any]) -> dict[str, Any]:
    return {repr(v): v for v in values}


def _compare_enums(
    b: dict[str, Any], r: dict[str, Any], loc: str, request: bool, out: list[Change]
) -> None:
    be, re_ = b.get("enum"), r.get("enum")
    if be is None and re_ is None:
        return
    if request:
        if re_ is None:
            return
        if be is None:
            out.append(Change("enum-narrowed", loc, None, re_))
            return
        kb, kr = _enum_keys(be), _enum_keys(re_)
        if "type" in b and "type" in r:
            kb.pop("None", None)  # null is the type comparison's news (nullable-removed)
        removed = [kb[k] for k in kb if k not in kr]
        if removed:
            out.append(Change("enum-narrowed", loc, be, re_))
        elif len(kr) > len(kb):
            out.append(Change("enum-widened", loc, be, re_))
    else:
        if be is None:
            return
        if re_ is None:
            out.append(Change("enum-widened", loc, be, None))
            return
        kb, kr = _enum_keys(be), _enum_keys(re_)
        if "type" in b and "type" in r:
            kr.pop("None", None)  # reported as became-nullable
        if any(k not in kb for k in kr):
            out.append(Change("enum-widened", loc, be, re_))


def _bound(
    schema: dict[str, Any], plain: str, exclusive: str, upper: bool
) -> tuple[float, int] | None:
    """The effective bound as (value, strictness) so that tuples order by tightness."""
    candidates = []
    if isinstance(schema.get(plain), (int, float)):
        candidates.append((schema[plain], 0))
    if isinstance(schema.get(exclusive), (int, float)):
        candidates.append((schema[exclusive], 1))
    if not candidates:
        return None
    if upper:
        # Lower value is tighter; at equal values the exclusive one is tighter.
        return min(candidates, key=lambda c: (c[0], -c[1]))
    return max(candidates, key=lambda c: (c[0], c[1]))


def _compare_bounds(b: dict[str, Any], r: dict[str, Any], loc: str, out: list[Change]) -> None:
    bu, ru = (
        _bound(b, "maximum", "exclusiveMaximum", True),
        _bound(r, "maximum", "exclusiveMaximum", True),
    )
    if ru is not None and (bu is None or (ru[0], -ru[1]) < (bu[0], -bu[1])):
        out.append(Change("max-decreased", loc, bu and bu[0], ru[0]))
    bl, rl = (
        _bound(b, "minimum", "exclusiveMinimum", False),
        _bound(r, "minimum", "exclusiveMinimum", False),
    )
    if rl is not None and (bl is None or rl > bl):
        out.append(Change("min-increased", loc, bl and bl[0], rl[0]))
    for key in ("maxLength", "maxItems", "maxProperties"):
        if key in r and (key not in b or r[key] < b[key]):
            out.append(Change("max-length-decreased", loc, b.get(key), r[key]))
    for key in ("minLength", "minItems", "minProperties"):
        if r.get(key, 0) > b.get(key, 0):
            out.append(Change("min-length-increased", loc, b.get(key), r[key]))


def _compare_pattern(b: dict[str, Any], r: dict[str, Any], loc: str, out: list[Change]) -> None:
    if "pattern" not in r or b.get("pattern") == r["pattern"]:
        return
    kind = "pattern-added" if "pattern" not in b else "pattern-changed"
    out.append(Change(kind, loc, b.get("pattern"), r["pattern"]))


def _child(loc: str, name: str) -> str:
    return f"{loc}.{name}" if name.isidentifier() else f"{loc}[{name!r}]"


def _compare_properties(
    b: dict[str, Any], r: dict[str, Any], loc: str, request: bool, out: list[Change], depth: int
) -> None:
    bp, rp = b.get("properties", {}), r.get("properties", {})
    if not bp and not rp:
        return
    breq, rreq = set(b.get("required", ())), set(r.get("required", ()))
    for name in sorted(bp.keys() | rp.keys()):
        where = _child(loc, name)
        if name not in rp:
            if request or name in breq:
                out.append(Change("property-removed", where))
            else:
                out.append(Change("optional-property-removed", where))
        elif name not in bp:
            if request and name in rreq:
                out.append(Change("required-property-added", where))
            else:
                out.append(Change("property-added", where))
        else:
            if request and name in rreq and name not in breq:
                out.append(Change("property-became-required", where))
            if not request and name in breq and name not in rreq:
                out.append(Change("property-became-optional", where))
            _compare(bp[name], rp[name], where, request, out, depth + 1)
