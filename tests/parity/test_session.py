"""A session: references to targets, both opened first, each side's spec resolved."""

from __future__ import annotations

import pytest

from contract_tools._parity.asgi import ASGITarget
from contract_tools._parity.live import URLTarget
from contract_tools._parity.session import Session, make_target, resolve_specs, spec_of
from contract_tools._parity.wsgi import WSGITarget
from contract_tools.errors import AppLoadError, UsageError

FLASK = "tests.parity.apps.bookshop_flask:create_app()"
FASTAPI = "tests.parity.apps.bookshop_fastapi:create_app()"


def test_references_become_targets_of_their_kind() -> None:
    flask, fastapi = make_target(FLASK), make_target(FASTAPI)
    assert isinstance(flask, WSGITarget) and flask.fresh_per_case
    assert isinstance(fastapi, ASGITarget) and fastapi.fresh_per_case
    assert isinstance(make_target("http://127.0.0.1:9"), URLTarget)
    with pytest.raises(UsageError, match="'ftp://x' is not an http"):
        URLTarget("ftp://x")


def test_each_side_gives_its_own_spec() -> None:
    flask, fastapi = make_target(FLASK), make_target(FASTAPI)
    specs = resolve_specs(flask, fastapi)
    assert specs["baseline"] is not None and "x-contract-tools-draft" in specs["baseline"]
    assert specs["candidate"] is not None and specs["candidate"]["openapi"].startswith("3.1")
    assert spec_of(URLTarget("http://127.0.0.1:9")) is None  # nothing there to ask
    with pytest.raises(UsageError, match="--spec may be given once"):
        resolve_specs(flask, fastapi, ["a", "b", "c"])


def test_a_side_that_does_not_load_closes_the_one_that_did() -> None:
    closed: list[str] = []

    class Tracked(WSGITarget):
        def close(self) -> None:
            closed.append(self.name)
            super().close()

    base = Tracked(FLASK, lambda: make_target(FLASK).app_for_spec())
    with pytest.raises(AppLoadError, match="cannot connect"):
        Session.open(base, URLTarget("http://127.0.0.1:9", timeout=1))
    assert closed == [FLASK]
