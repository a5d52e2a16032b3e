"""``python -m contract_tools`` runs the CLI."""

from contract_tools.cli.main import run

run()
