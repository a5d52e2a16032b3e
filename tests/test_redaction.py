"""Credentials given with --header are replaced wherever they appear, bodies included."""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st

from contract_tools.models import (
    Exchange,
    Finding,
    Level,
    Report,
    Reproduction,
    Request,
    Response,
    ResponsePath,
)
from contract_tools.redaction import REDACTED, redact, secrets_of

TOKEN = "Bearer s3cret-t0ken"


def echoing_finding(secret: str = TOKEN) -> Finding:
    request = Request.build("GET", "/headers", headers=[("Authorization", secret)])
    echoed = json.dumps({"headers": {"Authorization": secret}}).encode()
    return Finding(
        "body-mismatch",
        Level.ERROR,
        "GET /headers",
        "body differs at $.headers",
        paths=(ResponsePath.parse("$.headers"),),
        exchange=Exchange(
            request,
            Response(200, (("Content-Type", "application/json"),), echoed),
            Response(500, body=b"<pre>Authorization: " + secret.encode() + b"</pre>", crash="x"),
        ),
        reproduction=Reproduction(
            (("baseline", f"curl -H 'Authorization: {secret}' http://a/headers"),),
            f"headers={[('Authorization', secret)]!r}",
        ),
    )


def test_every_place_a_credential_appears_is_redacted() -> None:
    report = Report("parity", (echoing_finding(),))
    clean = redact(report, [("Authorization", TOKEN)])
    text = json.dumps(clean.to_dict())
    assert "s3cret" not in text
    assert clean.meta["redacted"] == 5
    [finding] = clean.findings
    assert finding.exchange is not None
    assert finding.exchange.request.header("authorization") == REDACTED
    assert finding.exchange.baseline.json()[1] == {"headers": {"Authorization": REDACTED}}


def test_nothing_to_hide_changes_nothing() -> None:
    report = Report("parity", (echoing_finding(),))
    assert redact(report, []) is report


def test_cookie_values_are_secrets_too_and_short_values_stay_where_they_were_sent() -> None:
    assert secrets_of([("Cookie", "session=abcd1234; theme=dark")]) == (
        "session=abcd1234; theme=dark",
        "abcd1234",
        "dark",
    )
    short = redact(Report("parity", (echoing_finding("on"),)), [("X-Flag", "on")])
    # "on" is not searched in bodies (it is everywhere), only in the header it was sent in.
    assert short.findings[0].exchange is not None
    assert short.findings[0].exchange.baseline.body == b'{"headers": {"Authorization": "on"}}'


# A marker no report structure holds, then anything: the secret can only come from the evidence.
secrets = st.text(min_size=3, max_size=20).map(lambda s: "#@" + s).filter(lambda s: s == s.strip())


@given(secrets)
def test_no_form_of_a_secret_survives(secret: str) -> None:
    report = Report("parity", (echoing_finding(secret),))
    text = json.dumps(redact(report, [("Authorization", secret)]).to_dict(), ensure_ascii=False)
    assert secret not in text
