"""Framework probes: the requests no spec declares, where Flask/Werkzeug and FastAPI/Starlette
answer differently by default (docs/FLASK_VS_FASTAPI.md says which difference each one shows).

Each probe is a named rule, documented by its docstring (``contract-tools probes`` lists the
first paragraph), that turns one operation's ``Subject`` (a request inside the operation's
contract and what the specs declare around it) into zero or more requests. Probes are pure and
deterministic: the same subject always gives the same requests. A probe of ``PATH`` scope is
about the path, not one operation (OPTIONS, an undeclared method): it is sent once per path and
filed under the method it sends (``OPTIONS /books/{id}``). One module per family; importing
this package registers them all, in the order ``contract-tools probes`` lists them.
"""

from __future__ import annotations

from contract_tools._parity.probes import bodies, methods, requests
from contract_tools._parity.probes.base import (
    ALL,
    NONE,
    OPERATION,
    PATH,
    PROBES,
    Probe,
    ProbeRequest,
    Subject,
    by_name,
    select,
)

# Listed (and sent) family by family, each in definition order, whatever the import order.
FAMILIES = ("methods", "requests", "bodies")
PROBES.sort(key=lambda p: FAMILIES.index(p.family))

__all__ = [
    "ALL",
    "FAMILIES",
    "NONE",
    "OPERATION",
    "PATH",
    "PROBES",
    "Probe",
    "ProbeRequest",
    "Subject",
    "bodies",
    "by_name",
    "methods",
    "requests",
    "select",
]
