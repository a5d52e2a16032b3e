"""``contract-tools rules``: the diff rules, their levels and why each change breaks clients."""

from __future__ import annotations

import json

import typer

EPILOG = "Example: contract-tools rules --format json > rules.json"


def register(app: typer.Typer) -> None:
    app.command("rules", epilog=EPILOG)(rules)


def rules(
    fmt: str = typer.Option("text", "--format", help="text or json."),
    verbose: bool = typer.Option(False, "-v", "--verbose", help="Print whole docstrings."),
) -> None:
    """List the contract diff rules: id, default level, direction and why it matters."""
    from contract_tools import api
    from contract_tools.cli.common import handle_errors
    from contract_tools.errors import UsageError

    with handle_errors() as stdout:
        if fmt not in ("text", "json"):
            raise UsageError(f"--format: unknown format {fmt!r} (expected text or json)")
        registered = api.diff_rules()
        if fmt == "json":
            doc = [
                {
                    "id": r.id,
                    "level": str(r.level),
                    "direction": str(r.direction),
                    "family": r.family,
                    "description": r.description,
                }
                for r in registered
            ]
            typer.echo(json.dumps(doc, indent=2), file=stdout)
            return
        width = max(len(r.id) for r in registered)
        family = None
        for r in registered:
            if r.family != family:
                family = r.family
                typer.echo(f"{'' if r is registered[0] else chr(10)}{family}:", file=stdout)
            text = r.description.replace("\n", " ") if verbose else r.summary
            typer.echo(
                f"  {r.id:<{width}}  {r.level!s:<7}  {r.direction!s:<8}  {text}", file=stdout
            )
        typer.echo(f"\n{len(registered)} rules", file=stdout)
