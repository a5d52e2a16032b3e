"""httpbin (a real Flask app) served through a2wsgi inside an ASGI server: the same app, two
deployments. Parity between them must only report what really differs on the wire."""

from __future__ import annotations

from a2wsgi import WSGIMiddleware
from httpbin import app as httpbin_app

app = WSGIMiddleware(httpbin_app)
