"""flask-spec on synthetic apps of 1,000 and 10,000 rules using every converter kind.

Prints extraction time (best of 3), validation time, and the whole path the CLI takes after the
app is built (extract, validate, write the indented JSON to a file), whose target is 10,000
rules in under 2 s on 2 cores: with documents.dump_json (orjson) as the CLI writes now, and with
json.dumps(indent=2) (CPython's pure-Python indenting encoder) as it wrote before.
``--reference`` also times openapi-spec-validator on the same documents (38-55 s on
10,000 rules: it is what spec/validate.py replaced).
"""

from __future__ import annotations

import importlib
import json
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from flask import Blueprint, Flask

import contract_tools as ct
from contract_tools.documents import dump_json
from contract_tools.fileio import write_atomic
from contract_tools.spec.flask import FlaskSpecOptions, build_flask_spec
from contract_tools.spec.validate import validate_openapi

TEMPLATES = [
    "/r{i}/items/<int:item_id>",
    "/r{i}/signed/<int(signed=True, min=2, max=99):n>",
    "/r{i}/price/<float:price>",
    "/r{i}/orders/<uuid:order_id>",
    "/r{i}/files/<path:name>",
    "/r{i}/sort/<any(title, price, year):field>",
    "/r{i}/country/<string(length=2):code>",
    "/r{i}/v<int:major>.<int:minor>/status",
    "/r{i}/plain/<slug>",
    "/r{i}/static",
]


def make_app(rules: int) -> Flask:
    """One distinct view function per rule, each reading a query parameter, as real apps do:
    the views live in a generated module so that source inference has real files to read."""
    views = _views_module(rules)
    app = Flask(f"bench{rules}")
    bp = Blueprint("bp", __name__, url_prefix="/bp/<int:tenant>")
    for i in range(rules):
        template = TEMPLATES[i % len(TEMPLATES)].format(i=i)
        target = bp if i % 4 == 0 else app
        target.add_url_rule(
            template,
            endpoint=f"e{i}",
            view_func=getattr(views, f"view{i}"),
            methods=["GET", "POST"],
        )
    app.register_blueprint(bp)
    return app


def _views_module(rules: int) -> Any:
    directory = Path(tempfile.mkdtemp(prefix="ct-bench-"))
    lines = ["from flask import request", ""]
    for i in range(rules):
        lines += [
            f"def view{i}(**values):",
            f"    limit = request.args.get('limit{i % 7}', type=int, default={i % 50})",
            "    return str(limit)",
            "",
        ]
    name = f"bench_views_{rules}"
    (directory / f"{name}.py").write_text("\n".join(lines))
    sys.path.insert(0, str(directory))
    return importlib.import_module(name)


def cli_path(app: Flask, dump: Any, output: Path) -> None:
    """What ``contract-tools flask-spec APP -o FILE`` does once the app is built."""
    write_atomic(str(output), dump(ct.flask_spec(app).document))


def _old_dump(document: Any) -> str:
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def best_of(runs: int, fn: object) -> float:
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        fn()  # type: ignore[operator]
        best = min(best, time.perf_counter() - start)
    return best


def main() -> None:
    reference = "--reference" in sys.argv
    print("flask-spec extraction (best of 3)")
    per_rule = []
    for rules in (1_000, 10_000):
        app = make_app(rules)
        seconds = best_of(3, lambda app=app: build_flask_spec(app))
        bare = best_of(
            3, lambda app=app: build_flask_spec(app, FlaskSpecOptions(infer_parameters=False))
        )
        document = build_flask_spec(app).document
        operations = sum(len(item) for item in document["paths"].values())
        start = time.perf_counter()
        validate_openapi(document, "bench")
        validation = time.perf_counter() - start
        output = Path(tempfile.mkdtemp(prefix="ct-bench-out-")) / "spec.json"
        cli = best_of(3, lambda app=app, output=output: cli_path(app, dump_json, output))
        size = output.stat().st_size / 1e6
        old = best_of(3, lambda app=app, output=output: cli_path(app, _old_dump, output))
        start = time.perf_counter()
        dump_json(document)
        dumping = time.perf_counter() - start
        start = time.perf_counter()
        _old_dump(document)
        old_dumping = time.perf_counter() - start
        per_rule.append(seconds / rules)
        print(
            f"  {rules:>6} rules, {operations:>6} operations: extract {seconds:6.3f} s "
            f"({seconds / rules * 1e6:5.1f} us/rule; {bare:5.3f} s without source inference), "
            f"validate {validation:6.3f} s\n"
            f"         CLI path (extract, validate, write {size:.1f} MB of indented JSON): "
            f"{cli:6.3f} s (writing {dumping:5.3f} s with orjson); "
            f"{old:6.3f} s with json.dumps(indent=2) (writing {old_dumping:5.3f} s)"
        )
        if reference:
            from openapi_spec_validator import validate

            start = time.perf_counter()
            validate(document)
            print(
                f"         openapi-spec-validator on the same document: "
                f"{time.perf_counter() - start:6.3f} s"
            )
    print(f"  growth per rule 10k vs 1k: {per_rule[1] / per_rule[0]:.2f}x (1.00 = linear)")


if __name__ == "__main__":
    main()
