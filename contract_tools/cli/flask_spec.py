"""``contract-tools flask-spec``: a Flask app's url_map as a draft OpenAPI 3.1 document."""

from __future__ import annotations

import typer

from contract_tools.apps import AppKind, app_kind, load_app
from contract_tools.cli.common import DocFormat, dump_document, emit, err_console, handle_errors
from contract_tools.errors import AppLoadError

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
) -> None:
    """Introspect a Flask app's url_map into a draft OpenAPI 3.1 spec, exact to Werkzeug routing."""
    from contract_tools.spec.flask import FlaskSpecOptions, build_flask_spec
    from contract_tools.spec.validate import validate_openapi

    with handle_errors():
        flask_app = load_app(app_ref, app_dir)
        kind = app_kind(flask_app)
        if kind is not AppKind.FLASK:
            hint = "; use contract-tools fastapi-spec" if kind is AppKind.FASTAPI else ""
            raise AppLoadError(f"{app_ref}: a {kind.value} app, not a Flask app{hint}")
        options = FlaskSpecOptions(
            include_head=include_head,
            include_options=include_options,
            include_static=include_static,
            server_name=server_name,
        )
        result = build_flask_spec(flask_app, options)
        validate_openapi(result.document, f"draft spec of {app_ref}")
        emit(dump_document(result.document, fmt), output)
        for line in result.diagnostics:
            err_console.print(f"[yellow]warning:[/] {line}", markup=True, highlight=False)
        paths = len(result.document["paths"])
        where = f" -> {output}" if output and output != "-" else ""
        err_console.print(
            f"{app_ref}: {result.operation_count} operations on {paths} paths, "
            f"{len(result.diagnostics)} diagnostics{where}"
        )
