"""``contract-tools replay``: send a parity report's recorded requests again: still drifting?"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from contract_tools.cli.common import ExitCode, handle_errors, parse_header
from contract_tools.errors import LoadError, UsageError

if TYPE_CHECKING:
    from contract_tools.parity.exchange import Request, Response

EPILOG = (
    "Example: contract-tools parity BASE CAND --json parity.json; "
    "contract-tools replay parity.json --finding 2"
)


def register(app: typer.Typer) -> None:
    app.command("replay", epilog=EPILOG)(replay)


def replay(
    report_file: str = typer.Argument(
        ..., metavar="REPORT", help="A JSON report written by `contract-tools parity --json`."
    ),
    finding: list[int] = typer.Option(
        [], "--finding", help="Replay only finding N (numbered from 1 in report order); repeat."
    ),
    baseline: str | None = typer.Option(
        None, "--baseline", help="Replay against this app instead of the report's baseline."
    ),
    candidate: str | None = typer.Option(
        None, "--candidate", help="Replay against this app instead of the report's candidate."
    ),
    header: list[str] = typer.Option(
        [],
        "--header",
        help="'Name: value' for every request: reports keep parity's --header values REDACTED.",
    ),
    app_dir: str = typer.Option(".", "--app-dir", help="Directory put first on the import path."),
    timeout: float = typer.Option(30.0, "--timeout", help="Seconds to wait for one answer."),
) -> None:
    """Send each recorded finding's request to both apps again and say whether it reproduces."""
    from contract_tools.parity.targets import make_target

    with handle_errors():
        doc = read_report(report_file)
        selected = select_findings(doc["findings"], finding)
        base_ref = baseline or doc.get("baseline")
        cand_ref = candidate or doc.get("candidate")
        if not isinstance(base_ref, str) or not isinstance(cand_ref, str):
            raise UsageError(
                f"{report_file}: no baseline/candidate recorded: pass --baseline and --candidate"
            )
        extra = [parse_header(h) for h in header]
        requests = [
            (number, item, recorded_request(number, item).with_headers(extra))
            for number, item in selected
        ]
        checker = _Checker(doc)
        reproduced = 0
        with (
            make_target(base_ref, app_dir=app_dir, timeout=timeout) as base_target,
            make_target(cand_ref, app_dir=app_dir, timeout=timeout) as cand_target,
        ):
            for number, item, request in requests:
                paths = checker.reproduces(
                    item, base_target.send(request), cand_target.send(request)
                )
                head = f"#{number} {item.get('operation', '?')} {item.get('id', '?')}"
                if paths is None:
                    typer.echo(f"{head}: no longer reproduces")
                else:
                    reproduced += 1
                    typer.echo(f"{head}: still reproduces ({', '.join(paths)})")
        if not selected:
            typer.echo("no findings to replay")
    raise typer.Exit(ExitCode.GATE_FAILED if reproduced else ExitCode.OK)


def read_report(path: str) -> dict[str, Any]:
    """A parity JSON report: unreadable or not JSON -> LoadError; another shape -> UsageError."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise LoadError(f"{path}: cannot read the report: {exc}") from None
    try:
        doc = json.loads(text)
    except ValueError as exc:
        raise LoadError(f"{path}: not a JSON report: {exc}") from None
    if (
        not isinstance(doc, dict)
        or doc.get("command") != "parity"
        or not isinstance(doc.get("findings"), list)
    ):
        raise UsageError(
            f"{path}: not a parity report (write one with contract-tools parity --json)"
        )
    return doc


def select_findings(
    findings: Sequence[Any], numbers: Sequence[int]
) -> list[tuple[int, Mapping[str, Any]]]:
    """(number, finding) for the chosen numbers (1-based), or every finding when none is given."""
    for number in numbers:
        if not 1 <= number <= len(findings):
            raise UsageError(
                f"--finding {number}: the report has {len(findings)} finding(s), numbered from 1"
            )
    chosen = sorted(set(numbers)) if numbers else range(1, len(findings) + 1)
    result = []
    for number in chosen:
        item = findings[number - 1]
        if not isinstance(item, Mapping):
            raise UsageError(f"finding #{number} is not a finding object")
        result.append((number, item))
    return result


def recorded_request(number: int, finding: Mapping[str, Any]) -> Request:
    """The finding's details.request (``body_base64``, when present, carries the exact bytes)."""
    from contract_tools.parity.exchange import Request

    details = finding.get("details")
    data = details.get("request") if isinstance(details, Mapping) else None
    if not isinstance(data, Mapping):
        raise UsageError(f"finding #{number} has no recorded request")
    try:
        return Request.from_dict(data)
    except ValueError as exc:
        raise UsageError(f"finding #{number}: {exc}") from None


class _Checker:
    """Compares as the run did: its normalisation rules and the noise it learned."""

    def __init__(self, doc: Mapping[str, Any]) -> None:
        from contract_tools.parity.noise import NoiseBook
        from contract_tools.parity.normalize import FLASK_FASTAPI, Normalizer

        names = doc.get("normalization")
        if isinstance(names, list):
            # The rules the run applied; an empty list was a --strict run.
            self.normalizer = Normalizer(tuple(r for r in FLASK_FASTAPI if r.name in names))
        else:
            self.normalizer = Normalizer.preset()
        self.noise = NoiseBook()
        for entry in doc.get("noise") or ():
            if isinstance(entry, Mapping) and isinstance(entry.get("paths"), list):
                self.noise.learn(str(entry.get("operation")), map(str, entry["paths"]))

    def reproduces(
        self, finding: Mapping[str, Any], base: Response, cand: Response
    ) -> list[str] | None:
        """The differing paths of the same kind of drift, or None when it is gone."""
        from contract_tools.parity.compare import STATUS, compare
        from contract_tools.parity.runner import FINDING_IDS, MISSING

        operation = str(finding.get("operation", ""))
        finding_id = finding.get("id")
        details = finding.get("details")
        recorded = set(details.get("paths") or ()) if isinstance(details, Mapping) else set()
        paths: set[str] = set()
        for diff in compare(base, cand, self.normalizer, self.noise.filter(operation)):
            # The runner reports a status difference on an undeclared route as missing-operation.
            same_kind = FINDING_IDS[diff.kind] == finding_id or (
                finding_id == FINDING_IDS[MISSING] and diff.kind == STATUS
            )
            if same_kind and (not recorded or recorded & set(diff.paths)):
                paths.update(diff.paths)
        return sorted(paths) if paths else None
