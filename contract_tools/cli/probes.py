"""``contract-tools probes``: the framework probes parity sends before generation."""

from __future__ import annotations

import json

import typer

EPILOG = "Example: contract-tools probes -v (then: parity A B --probes head,options)"


def register(app: typer.Typer) -> None:
    app.command("probes", epilog=EPILOG)(probes)


def probes(
    fmt: str = typer.Option("text", "--format", help="text or json."),
    verbose: bool = typer.Option(False, "-v", "--verbose", help="Print whole docstrings."),
) -> None:
    """List the framework probes: name, scope (per operation or once per path), what each
    sends and which Flask/FastAPI difference it shows. Select them with parity --probes."""
    from contract_tools import api
    from contract_tools.cli.common import handle_errors
    from contract_tools.errors import UsageError

    with handle_errors() as stdout:
        if fmt not in ("text", "json"):
            raise UsageError(f"--format: unknown format {fmt!r} (expected text or json)")
        rules = api.probe_rules()
        if fmt == "json":
            doc = [
                {
                    "name": r.name,
                    "scope": r.scope,
                    "family": r.family,
                    "description": r.description,
                }
                for r in rules
            ]
            typer.echo(json.dumps(doc, indent=2), file=stdout)
            return
        width = max(len(r.name) for r in rules)
        family = None
        for r in rules:
            if r.family != family:
                family = r.family
                typer.echo(f"{'' if r is rules[0] else chr(10)}{family}:", file=stdout)
            text = " ".join(r.description.split()) if verbose else r.summary
            typer.echo(f"  {r.name:<{width}}  {r.scope:<9}  {text}", file=stdout)
        typer.echo(
            f"\n{len(rules)} probes (parity --probes NAME,NAME or --probes none)", file=stdout
        )
