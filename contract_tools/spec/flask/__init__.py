"""Flask ``url_map`` -> draft OpenAPI 3.1 document that agrees with how Werkzeug routes.

Only public Werkzeug/Flask API is used: each rule's text is re-parsed here and its converters
are built through ``url_map.converters`` exactly as ``Rule.get_converter`` does, so private
attributes (``rule._trace``, ``rule._converters``) that move between releases are never read.

One module per concept: ``rules`` (which rules and methods; path templates and parameters),
``operations`` (one operation: parameters, body and responses from the view's code),
``servers`` (subdomain and host rules) and ``document`` (the whole draft, placed path by path).
"""

from __future__ import annotations

from contract_tools.spec.flask.document import (
    UNREPRESENTABLE,
    FlaskSpecOptions,
    FlaskSpecResult,
    build_flask_spec,
)
from contract_tools.spec.flask.operations import DRAFT, RULE_EXTENSION

__all__ = [
    "DRAFT",
    "RULE_EXTENSION",
    "UNREPRESENTABLE",
    "FlaskSpecOptions",
    "FlaskSpecResult",
    "build_flask_spec",
]
