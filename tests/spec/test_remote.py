"""Specs read over HTTP have a size cap and one deadline for the whole read (issue 9: an
endless body reached 3.3 GB; a body trickling a byte a second hung past --timeout)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from contract_tools.errors import SpecLoadError
from contract_tools.spec.fastapi import MAX_SPEC_BYTES, fetch_spec_url
from tests.spec.faults import fault_server


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    with fault_server() as url:
        yield url


def test_a_spec_within_the_limits_loads(server: str) -> None:
    assert fetch_spec_url(f"{server}/spec", timeout=5) == {"openapi": "3.1.0", "paths": {}}


def test_a_body_trickling_past_the_deadline_is_one_line(server: str) -> None:
    with pytest.raises(SpecLoadError) as info:
        fetch_spec_url(f"{server}/trickle", timeout=1)
    assert str(info.value) == f"{server}/trickle: the answer did not complete within 1 s"


def test_an_answer_that_never_starts_is_no_answer(server: str) -> None:
    with pytest.raises(SpecLoadError) as info:
        fetch_spec_url(f"{server}/silent", timeout=0.5)
    assert str(info.value) == f"{server}/silent: no answer within 0.5 s"


def test_an_endless_body_stops_at_the_cap(server: str) -> None:
    with pytest.raises(SpecLoadError) as info:
        fetch_spec_url(f"{server}/endless", timeout=30, max_bytes=1024 * 1024)
    assert str(info.value) == (
        f"{server}/endless: the document is larger than 1 MB, the limit on a spec read over HTTP"
    )


def test_a_declared_size_past_the_cap_is_refused_before_reading(server: str) -> None:
    with pytest.raises(SpecLoadError) as info:
        fetch_spec_url(f"{server}/declared-huge", timeout=30)
    assert str(info.value) == (
        f"{server}/declared-huge: the document is larger than 64 MB, the limit on a spec read "
        "over HTTP"
    )
    assert MAX_SPEC_BYTES == 64 * 1024 * 1024
