"""``contract-tools fastapi-spec``: the OpenAPI document of a FastAPI/ASGI app or a URL."""

from __future__ import annotations

import typer

from contract_tools import api
from contract_tools.cli.common import DocFormat, dump_document, emit, err_console, handle_errors

EPILOG = "Example: contract-tools fastapi-spec 'examples.fastapi_port:create_app()' -o port.json"


def register(app: typer.Typer) -> None:
    app.command("fastapi-spec", epilog=EPILOG)(fastapi_spec)


def fastapi_spec(
    source: str = typer.Argument(
        ...,
        metavar="APP|URL",
        help="App as 'module:attr' or 'module:factory()', or an http(s) URL of the document.",
    ),
    output: str | None = typer.Option(
        None, "-o", "--output", help="Write the document here (default: stdout)."
    ),
    fmt: DocFormat = typer.Option(DocFormat.json, "--format", help="Document format."),
    app_dir: str = typer.Option(".", "--app-dir", help="Directory put first on the import path."),
    timeout: float = typer.Option(10.0, "--timeout", help="Seconds to wait for a URL."),
) -> None:
    """Write the OpenAPI 3.1 document a FastAPI (or any ASGI) app or a URL serves, validated."""
    with handle_errors() as stdout:
        doc = api.fastapi_spec(source, app_dir=app_dir, timeout=timeout)
        emit(dump_document(doc, fmt), output, stdout)
        operations = sum(
            1 for item in (doc.get("paths") or {}).values() for key in item if key != "parameters"
        )
        where = f" -> {output}" if output and output != "-" else ""
        err_console.print(f"{source}: {operations} operations, OpenAPI {doc.get('openapi')}{where}")
