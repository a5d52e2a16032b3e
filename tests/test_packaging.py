"""What pyproject.toml promises: every library the package imports is declared, every declared
library has a lower bound, and the floor that CI installs (`make test-floor`, .ci/floor.txt) is
exactly those lower bounds, so the oldest versions we claim are the ones the suite ran on."""

from __future__ import annotations

import re
import sys
from typing import Any

import tomllib

from tests.test_architecture import OWNERS, PACKAGE, imported, modules

ROOT = PACKAGE.parent
FLOOR = ROOT / ".ci" / "floor.txt"
# The extras the floor installs beside the package; 'dev' adds the linters, which have no floor.
FLOOR_EXTRAS = ("test",)

# Import name -> distribution name, where they differ by more than '_' and '-'.
DISTRIBUTIONS = {"yaml": "pyyaml"}
# Imported, but not by anything a user runs without it installed: a reason each.
IMPORTED_NOT_DECLARED = {
    "pytest": "pytest_plugin.py is loaded only by pytest itself, through the pytest11 entry point",
}
# Declared, but never imported by the package: a reason each.
DECLARED_NOT_IMPORTED = {
    "fastapi": "the port's framework: fastapi-spec and parity load FastAPI apps, and the bundled"
    " example port is one",
    "openapi-spec-validator": "its published OpenAPI 3.0/3.1 JSON Schemas (and those of"
    " openapi-schema-validator, which it brings) are read as data by spec/validate.py; the"
    " validation itself runs on jsonschema-rs",
}
# Imported only from an optional extra (the import is guarded, with a usage error without it).
EXTRAS_FOR_IMPORTS = {"redis": "redis"}

_REQUIREMENT = re.compile(
    r"^\s*(?P<name>[A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[[^\]]*\])?\s*(?P<spec>[^;]*?)\s*(?:;.*)?$"
)
_LOWER = re.compile(r">=\s*(?P<version>[0-9][^,\s]*)")
_PIN = re.compile(r"^(?P<name>[A-Za-z0-9][A-Za-z0-9._-]*)==(?P<version>[0-9][^\s;#]*)$")


def canonical(name: str) -> str:
    """PEP 503 names: 'PyYAML', 'pyyaml' and 'py_yaml' are one distribution."""
    return re.sub(r"[-_.]+", "-", name).lower()


def project() -> dict[str, Any]:
    with (ROOT / "pyproject.toml").open("rb") as f:
        section: dict[str, Any] = tomllib.load(f)["project"]
    return section


def requirements(strings: list[str]) -> dict[str, str]:
    """name -> the version specifier, for requirement strings (self-references left out)."""
    found = {}
    for text in strings:
        match = _REQUIREMENT.match(text)
        assert match, f"cannot read requirement {text!r}"
        name = canonical(match.group("name"))
        if name != canonical(project()["name"]):
            found[name] = match.group("spec")
    return found


def runtime() -> dict[str, str]:
    return requirements(project()["dependencies"])


def extra(name: str) -> dict[str, str]:
    return requirements(project()["optional-dependencies"][name])


def lower_bound(spec: str) -> str | None:
    match = _LOWER.search(spec)
    return match.group("version") if match else None


def floor_pins() -> dict[str, str]:
    pins = {}
    for line in FLOOR.read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        match = _PIN.match(line)
        assert match, f".ci/floor.txt: {line!r} is not 'name==version'"
        name = canonical(match.group("name"))
        assert name not in pins, f".ci/floor.txt pins {name} twice"
        pins[name] = match.group("version")
    return pins


def floored() -> dict[str, str]:
    """Every requirement the floor installs: the package's, its extras', the test extra's."""
    found = dict(runtime())
    for name in (*EXTRAS_FOR_IMPORTS.values(), *FLOOR_EXTRAS):
        found.update(extra(name))
    return found


def distribution(import_name: str) -> str:
    return canonical(DISTRIBUTIONS.get(import_name, import_name))


def third_party_imports() -> dict[str, set[str]]:
    """Import root -> the package modules importing it, for every non-stdlib import."""
    found: dict[str, set[str]] = {}
    for path in modules():
        for name in imported(path):
            root = name.split(".")[0]
            if root in sys.stdlib_module_names or root in ("__future__", "contract_tools"):
                continue
            found.setdefault(root, set()).add(str(path.relative_to(PACKAGE)))
    return found


def test_every_requirement_the_floor_installs_has_a_lower_bound() -> None:
    unbounded = {name: spec for name, spec in floored().items() if lower_bound(spec) is None}
    assert unbounded == {}


def release(version: str | None) -> tuple[int, ...]:
    """'3.0' and '3.0.0' are one version to pip; compare them as one."""
    parts = [int(part) for part in (version or "").split(".") if part.isdigit()]
    while parts and parts[-1] == 0:
        parts.pop()
    return tuple(parts)


def test_the_floor_pins_exactly_the_lower_bounds() -> None:
    bounds = {name: release(lower_bound(spec)) for name, spec in floored().items()}
    pins = {name: release(version) for name, version in floor_pins().items()}
    assert pins == bounds


def test_release_compares_as_pip_does() -> None:
    assert release("3.0") == release("3.0.0") == (3,)
    assert release("0.115") == (0, 115)
    assert release("6.170.10") != release("6.170.1")


def test_every_imported_library_is_declared() -> None:
    declared = set(runtime())
    missing = {
        root: sorted(where)
        for root, where in third_party_imports().items()
        if root not in IMPORTED_NOT_DECLARED
        and distribution(root) not in declared
        and not (root in EXTRAS_FOR_IMPORTS and distribution(root) in extra(root))
    }
    assert missing == {}


def test_every_owned_library_is_declared() -> None:
    """The architecture test's OWNERS names each library the package may import: each one is a
    declared dependency (or an extra's), so a new owner cannot come without its requirement."""
    declared = set(runtime()) | {
        distribution(name) for name, extra_name in EXTRAS_FOR_IMPORTS.items() if extra(extra_name)
    }
    undeclared = {
        name
        for name in OWNERS
        if name not in IMPORTED_NOT_DECLARED and distribution(name) not in declared
    }
    assert undeclared == set()


def test_every_declared_library_is_imported() -> None:
    imports = {distribution(root) for root in third_party_imports()}
    unused = set(runtime()) - imports - set(DECLARED_NOT_IMPORTED)
    assert unused == set()


def test_the_import_map_reads_the_real_imports() -> None:
    imports = third_party_imports()
    assert imports["yaml"] >= {"documents.py"}
    assert imports["redis"] == {"_parity/store.py"}
    assert distribution("yaml") == "pyyaml"
    assert distribution("openapi_spec_validator") == "openapi-spec-validator"
    assert canonical("PyYAML") == "pyyaml"
    assert canonical("Typing_Extensions") == canonical("typing.extensions") == "typing-extensions"


def test_classifiers_start_at_the_oldest_python_supported() -> None:
    requires = str(project()["requires-python"])
    match = re.fullmatch(r">=\s*3\.(\d+)", requires)
    assert match, f"requires-python {requires!r} is not '>=3.N'"
    minors = sorted(
        int(c.rsplit(".", 1)[1])
        for c in project()["classifiers"]
        if re.fullmatch(r"Programming Language :: Python :: 3\.\d+", c)
    )
    assert minors and minors[0] == int(match.group(1))
    assert minors == list(range(minors[0], minors[-1] + 1))
