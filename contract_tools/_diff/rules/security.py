"""Security requirements: who may call the operation, with which credentials and scopes."""

from __future__ import annotations

from collections.abc import Iterator

from contract_tools._diff.pair import OperationPair
from contract_tools._diff.registry import Direction, Hit, rule
from contract_tools.models import Level
from contract_tools.spec.canonical import SecurityAlternative

SECURITY_REQUIREMENT_ADDED = "security-requirement-added"
SECURITY_SCOPES_ADDED = "security-scopes-added"
SECURITY_REQUIREMENT_REMOVED = "security-requirement-removed"
SECURITY_SCHEME_CHANGED = "security-scheme-changed"


def _show(alt: SecurityAlternative) -> dict[str, list[str]]:
    return {name: sorted(scopes) for name, scopes in sorted(alt)}


def _satisfies(have: SecurityAlternative, need: SecurityAlternative) -> bool:
    """A client holding ``have`` also meets ``need`` (same schemes or fewer, scopes a subset)."""
    held = dict(have)
    return all(name in held and scopes <= held[name] for name, scopes in need)


def _open(alternatives: tuple[SecurityAlternative, ...]) -> bool:
    return not alternatives or frozenset() in alternatives


def _unmet(pair: OperationPair) -> list[tuple[SecurityAlternative, bool]]:
    """Base alternatives that no revision alternative accepts, and whether only scopes differ."""
    both = pair.both
    if both is None or _open(both[1].security):
        return []
    base, revision = both
    olds = base.security or (frozenset(),)
    unmet = []
    for old in olds:
        if any(_satisfies(old, new) for new in revision.security):
            continue
        old_names = {name for name, _ in old}
        scopes_only = any({name for name, _ in new} <= old_names for new in revision.security)
        unmet.append((old, scopes_only and bool(old)))
    return unmet


@rule(SECURITY_REQUIREMENT_ADDED, Level.ERROR, Direction.REQUEST)
def security_requirement_added(pair: OperationPair) -> Iterator[Hit]:
    """Clients without the new credentials are now answered 401 or 403."""
    for old, scopes_only in _unmet(pair):
        if not scopes_only:
            assert pair.revision is not None
            yield Hit(
                "security requirement added",
                {"base": _show(old), "revision": [_show(a) for a in pair.revision.security]},
            )


@rule(SECURITY_SCOPES_ADDED, Level.ERROR, Direction.REQUEST)
def security_scopes_added(pair: OperationPair) -> Iterator[Hit]:
    """Tokens issued with the old scopes are now refused (403)."""
    for old, scopes_only in _unmet(pair):
        if scopes_only:
            assert pair.revision is not None
            yield Hit(
                "security scopes added",
                {"base": _show(old), "revision": [_show(a) for a in pair.revision.security]},
            )


@rule(SECURITY_REQUIREMENT_REMOVED, Level.WARNING, Direction.REQUEST)
def security_requirement_removed(pair: OperationPair) -> Iterator[Hit]:
    """Nothing breaks for clients, but an operation lost its protection: check the port."""
    both = pair.both
    if both is not None and not _open(both[0].security) and _open(both[1].security):
        yield Hit(
            "security requirement removed: operation is now open",
            {"base": [_show(a) for a in both[0].security], "revision": []},
        )


@rule(SECURITY_SCHEME_CHANGED, Level.ERROR, Direction.REQUEST)
def security_scheme_changed(pair: OperationPair) -> Iterator[Hit]:
    """Clients send credentials the old way (header, query, cookie, scheme) and are refused."""
    both = pair.both
    if both is None:
        return
    base, revision = both
    for name, scheme in sorted(base.security_schemes.items()):
        new = revision.security_schemes.get(name)
        if new is not None and new != scheme:
            yield Hit(
                f"security scheme {name!r} changed",
                {"scheme": name, "base": scheme, "revision": new},
            )
