"""``contract-tools flask-spec``: a Flask app's url_map as a draft OpenAPI 3.1 document."""

from __future__ import annotations

import typer

from contract_tools import api
from contract_tools.cli.common import DocFormat, dump_document, emit, err_console, handle_errors

EPILOG = (
    "Example: contract-tools flask-spec 'examples.legacy_flask:create_app()' "
    "-o legacy.json --format json"
)


def register(app: typer.Typer) -> None:
    app.command("flask-spec", epilog=EPILOG)(flask_spec)


def flask_spec(
    app_ref: str = typer.Argument(
        ..., metavar="APP", help="Flask app as 'module:attr' or 'module:factory()'."
    ),
    output: str | None = typer.Option(
        None, "-o", "--output", help="Write the document here (default: stdout)."
    ),
    fmt: DocFormat = typer.Option(DocFormat.json, "--format", help="Document format."),
    include_head: bool = typer.Option(False, help="Document Flask's automatic HEAD operations."),
    include_options: bool = typer.Option(
        False, help="Document Flask's automatic OPTIONS operations."
    ),
    include_static: bool = typer.Option(False, help="Document the static files route."),
    server_name: str | None = typer.Option(
        None, help="Host for servers and subdomain rules (default: SERVER_NAME or localhost)."
    ),
    app_dir: str = typer.Option(".", help="Directory put first on the import path."),
    learn: bool = typer.Option(
        False,
        "--learn",
        help="Exercise the app in process and add the response schemas seen (marked learned).",
    ),
    learn_examples: int = typer.Option(
        25, "--learn-examples", min=1, help="Generated requests per operation for --learn."
    ),
    seed: int = typer.Option(0, "--seed", help="Seed of --learn's requests (repeatable)."),
) -> None:
    """Introspect a Flask app's url_map into a draft OpenAPI 3.1 spec, exact to Werkzeug routing."""
    with handle_errors() as stdout:
        result = api.flask_spec(
            app_ref,
            include_head=include_head,
            include_options=include_options,
            include_static=include_static,
            server_name=server_name,
            app_dir=app_dir,
            learn=learn,
            learn_examples=learn_examples,
            seed=seed,
        )
        emit(dump_document(result.document, fmt), output, stdout)
        for line in result.diagnostics:
            err_console.print(f"[yellow]warning:[/] {line}", markup=True, highlight=False)
        paths = len(result.document["paths"])
        where = f" -> {output}" if output and output != "-" else ""
        err_console.print(
            f"{app_ref}: {result.operations} operations on {paths} paths, "
            f"{len(result.diagnostics)} diagnostics{where}"
            + (f"; responses learned with --seed {seed}" if learn else "")
        )
