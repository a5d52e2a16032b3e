"""The shop app's draft, built and validated once per module."""

from __future__ import annotations

from typing import Any

import pytest

from contract_tools.spec.flask import (
    build_flask_spec,
)
from contract_tools.spec.validate import validate_openapi
from tests.spec.flask.shop import make_app


@pytest.fixture(scope="module")
def document() -> dict[str, Any]:
    result = build_flask_spec(make_app())
    validate_openapi(result.document, "test app")
    return result.document
