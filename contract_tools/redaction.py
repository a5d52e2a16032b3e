"""Credentials out of everything written or printed: every value given with ``--header`` (and
each cookie value inside a ``Cookie`` header) is replaced by ``REDACTED`` wherever it appears
in a report: request headers, response headers and bodies (an app that echoes headers, an error
page), curl lines, pytest tests, messages. Reports travel as CI artifacts and PR comments.

Values are matched as sent, percent-encoded and JSON-escaped. A value shorter than four
characters is only replaced where it was sent (the request's own header): searched in bodies,
``1`` or ``on`` would blank out half a report.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import replace
from urllib.parse import quote

from contract_tools.models import (
    Exchange,
    Finding,
    Report,
    Reproduction,
    Request,
    Response,
    SequenceStep,
)

REDACTED = "REDACTED"
_SHORTEST_SEARCHED = 4


def secrets_of(headers: Iterable[tuple[str, str]]) -> tuple[str, ...]:
    """The values to hide: each header value, and each cookie value of a Cookie header."""
    found: list[str] = []
    for name, value in headers:
        if value:
            found.append(value)
        if name.lower() == "cookie":
            for part in value.split(";"):
                _, sep, cookie = part.partition("=")
                if sep and cookie.strip():
                    found.append(cookie.strip())
    # Longest first, so a value containing another is replaced whole.
    return tuple(sorted(set(found), key=lambda s: (-len(s), s)))


class Redactor:
    """Replaces secrets in text and bytes, counting what it replaced."""

    def __init__(self, secrets: Iterable[str], names: Iterable[str] = ()) -> None:
        self.names = {n.lower() for n in names}
        self.forms: list[tuple[str, bytes]] = []
        for secret in secrets:
            if len(secret) < _SHORTEST_SEARCHED:
                continue
            for form in dict.fromkeys((secret, quote(secret, safe=""), json.dumps(secret)[1:-1])):
                self.forms.append((form, form.encode("utf-8")))
        self.count = 0

    def text(self, value: str) -> str:
        for form, _ in self.forms:
            if form in value:
                self.count += value.count(form)
                value = value.replace(form, REDACTED)
        return value

    def bytes(self, value: bytes) -> bytes:
        for _, form in self.forms:
            if form in value:
                self.count += value.count(form)
                value = value.replace(form, REDACTED.encode())
        return value

    def headers(self, pairs: tuple[tuple[str, str], ...]) -> tuple[tuple[str, str], ...]:
        out = []
        for name, value in pairs:
            if name.lower() in self.names and value != REDACTED:
                self.count += 1
                out.append((name, REDACTED))
            else:
                out.append((name, self.text(value)))
        return tuple(out)

    def request(self, request: Request) -> Request:
        return replace(
            request,
            headers=self.headers(request.headers),
            body=self.bytes(request.body),
            path=self.text(request.path),
            query=tuple((k, self.text(v)) for k, v in request.query),
        )

    def response(self, response: Response) -> Response:
        return replace(
            response,
            headers=tuple((k, self.text(v)) for k, v in response.headers),
            body=self.bytes(response.body),
            crash=self.text(response.crash) if response.crash else None,
        )

    def exchange(self, exchange: Exchange) -> Exchange:
        return Exchange(
            self.request(exchange.request),
            self.response(exchange.baseline),
            self.response(exchange.candidate),
        )

    def finding(self, finding: Finding) -> Finding:
        reproduction = finding.reproduction
        if reproduction is not None:
            reproduction = Reproduction(
                tuple((side, self.text(line)) for side, line in reproduction.curl),
                self.text(reproduction.pytest),
            )
        return replace(
            finding,
            message=self.text(finding.message),
            exchange=self.exchange(finding.exchange) if finding.exchange else None,
            reproduction=reproduction,
            sequence=tuple(
                SequenceStep(
                    step.operation,
                    self.exchange(step.exchange),
                    self.request(step.candidate_request) if step.candidate_request else None,
                )
                for step in finding.sequence
            ),
        )


def redact(report: Report, headers: Iterable[tuple[str, str]]) -> Report:
    """``report`` with every given header value replaced; ``meta["redacted"]`` says how many
    places were changed, so a reader knows the report was redacted."""
    pairs = tuple(headers)
    if not pairs:
        return report
    redactor = Redactor(secrets_of(pairs), (name for name, _ in pairs))
    findings = tuple(redactor.finding(f) for f in report.findings)
    meta = dict(report.meta)
    earlier = meta.get("seen_before")
    if isinstance(earlier, list):
        meta["seen_before"] = [
            redactor.finding(Finding.from_dict(item)).to_dict() for item in earlier
        ]
    if redactor.count:
        meta["redacted"] = redactor.count
    return replace(report, findings=findings, meta=meta)
