"""Canonical form of an OpenAPI 3.0/3.1 document, so that equivalent contracts compare equal.

What is normalised, and why: writers differ in form, not in contract.
- ``nullable: true`` (3.0), ``type: [X, "null"]`` (3.1) and ``anyOf: [X, {type: null}]``
  (Pydantic v2) all become ``type: [X, "null"]``.
- ``$ref`` is resolved everywhere; a schema that refers to itself gets ``{"$recursive": ref}``
  at the point where it re-enters, so the result stays finite.
- ``allOf`` members are merged; ``oneOf`` reads as ``anyOf``; ``const`` as a one-value ``enum``.
- Annotations (``title``, ``description``, examples, ``x-*``) are dropped; key order never mattered.
- Path templates are matched as ``/items/{}``: a renamed path parameter is the same endpoint.
- FastAPI artefacts are flagged: the automatic 422 ``HTTPValidationError`` response, and
  ``schema: {}`` where no response model was declared (uncontracted).

One module per concept: ``schemas`` (schemas and ``$ref``), ``operations`` (the comparable
operations a diff pairs) and ``writers`` (what FastAPI and flask-spec add that is not contract).
"""

from __future__ import annotations

from contract_tools.spec.canonical.operations import (
    HTTP_METHODS,
    CanonicalSpec,
    Operation,
    Parameter,
    RequestBody,
    Response,
    SecurityAlternative,
    canonicalize,
    path_key,
    path_param_names,
)
from contract_tools.spec.canonical.schemas import RECURSIVE, fingerprint
from contract_tools.spec.canonical.writers import DRAFT, LEARNED, SOURCE

__all__ = [
    "DRAFT",
    "HTTP_METHODS",
    "LEARNED",
    "RECURSIVE",
    "SOURCE",
    "CanonicalSpec",
    "Operation",
    "Parameter",
    "RequestBody",
    "Response",
    "SecurityAlternative",
    "canonicalize",
    "fingerprint",
    "path_key",
    "path_param_names",
]
