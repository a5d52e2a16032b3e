"""(baseline, candidate) -> the differences a client would notice; the only user of DeepDiff.

Paths (``ResponsePath``) name what differs: the status, a header, the whole body (``$``, for a
non-JSON body) or a JSON path with list indexes generalised to ``[*]`` so that the same drift in
item 0 and item 7 is one finding. Cheap equality runs first; DeepDiff only explains a mismatch.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from contract_tools._parity.bounded import LARGE_BODY, walk_differences
from contract_tools._parity.normalize import BYTES, IGNORED, JSON, Normalizer, View
from contract_tools.models import EVERY, Level, Response, ResponsePath

STATUS = "status"
BODY = "body"
HEADER = "header"
CRASH = "crash"
NO_ANSWER = "no-answer"

# Headers whose difference changes what a client does; any other header is a warning.
_CONTRACT_HEADERS = frozenset({"content-type", "location", "allow"})

PathFilter = Callable[[ResponsePath], bool]
STATUS_PATH = ResponsePath.status()
WHOLE_BODY = ResponsePath.body()


@dataclass(frozen=True)
class Difference:
    """One way the candidate's answer differs from the baseline's.

    ``about`` says what differs when the paths do not: the status pair (``status 201 -> 200``)
    or the side (``crash on candidate``). It is part of the drift's identity, so a create that
    answers 200 instead of 201 is never the same drift as a 400 answered with 422.
    """

    kind: str
    level: Level
    paths: tuple[ResponsePath, ...]
    message: str
    about: str = ""

    @property
    def subject(self) -> tuple[str, ...]:
        return (self.about,) if self.about else tuple(str(p) for p in self.paths)


def status_about(baseline: int, candidate: int) -> str:
    return f"status {baseline} -> {candidate}"


def is_crash(response: Response) -> bool:
    return response.crash is not None or response.status >= 500 or response.status == 0


def silence(baseline: Response, candidate: Response) -> Difference | None:
    """A side that gave no HTTP answer: never equal to anything, not even to another silence.

    Two timeouts are not 'the same behaviour': nothing was compared, and a gate must not pass
    on it. The legacy app alone not answering is a warning (no client relies on an answer that
    never came); the port alone not answering, or neither, is an error.
    """
    if baseline.no_answer is None and candidate.no_answer is None:
        return None
    if baseline.no_answer is not None and candidate.no_answer is not None:
        message = (
            f"neither side answered (baseline: {baseline.no_answer}; "
            f"candidate: {candidate.no_answer}): nothing was compared"
        )
        return Difference(NO_ANSWER, Level.ERROR, (STATUS_PATH,), message, "no answer on both")
    if candidate.no_answer is not None:
        message = f"only the candidate gave no answer: {candidate.no_answer}"
        return Difference(NO_ANSWER, Level.ERROR, (STATUS_PATH,), message, "no answer on candidate")
    assert baseline.no_answer is not None
    message = f"only the baseline gave no answer ({baseline.no_answer}); the candidate did"
    return Difference(NO_ANSWER, Level.WARNING, (STATUS_PATH,), message, "no answer on baseline")


def compare(
    baseline: Response,
    candidate: Response,
    normalizer: Normalizer | None = None,
    ignored: PathFilter | None = None,
) -> list[Difference]:
    """Differences after normalisation; ``ignored(path)`` drops noise and user-ignored paths."""
    silent = silence(baseline, candidate)
    if silent is not None:
        return [silent]
    if is_crash(baseline) != is_crash(candidate):
        side = "candidate" if is_crash(candidate) else "baseline"
        crashed = candidate if side == "candidate" else baseline
        what = "raised an exception" if crashed.crash else f"answered {crashed.status}"
        return [
            Difference(
                CRASH,
                Level.ERROR,
                (STATUS_PATH,),
                f"only the {side} crashed: it {what}",
                f"crash on {side}",
            )
        ]
    left, right = (normalizer or Normalizer()).views(baseline, candidate)
    if left.status != right.status:
        if ignored is not None and ignored(STATUS_PATH):
            return []
        return [
            Difference(
                STATUS,
                Level.ERROR,
                (STATUS_PATH,),
                f"status {baseline.status} (baseline) vs {candidate.status} (candidate)",
                status_about(baseline.status, candidate.status),
            )
        ]
    differences = _headers(left, right, ignored)
    differences.extend(_body(left, right, ignored))
    return differences


def _headers(left: View, right: View, ignored: PathFilter | None) -> list[Difference]:
    """One difference per header: each header is its own drift (a missing ETag is not the CORS
    difference beside it), and causes group the same header across operations."""
    result = []
    names = {k: k for k in left.headers} | {k: k for k in right.headers}
    for name in sorted(names):
        a, b = left.headers.get(name), right.headers.get(name)
        if a == b:
            continue
        path = ResponsePath.header(name)
        if ignored is not None and ignored(path):
            continue
        level = Level.ERROR if name.lower() in _CONTRACT_HEADERS else Level.WARNING
        shown = f"{name}: {_shown(left.get_header(name))} vs {_shown(right.get_header(name))}"
        result.append(Difference(HEADER, level, (path,), f"header differs: {shown}"))
    return result


def _shown(value: str | None) -> str:
    return "absent" if value is None else repr(value)


def _body(left: View, right: View, ignored: PathFilter | None) -> list[Difference]:
    if left.body_kind == IGNORED and right.body_kind == IGNORED:
        return []
    note = ""
    if left.body_kind == JSON and right.body_kind == JSON:
        large = max(len(left.response.body), len(right.response.body)) > LARGE_BODY
        if large and same_json(left.body, right.body):
            return []
        if large:
            found, warned, complete = walk_differences(left.body, right.body)
            errors, warnings = sorted(found, key=str), sorted(warned, key=str)
            note = "" if complete else f" (large bodies: stopped after {len(found) + len(warned)})"
        else:
            errors, warnings = json_differences(left.body, right.body)
    elif left.body_kind == BYTES and right.body_kind == BYTES and left.body == right.body:
        return []
    else:
        errors, warnings = [WHOLE_BODY], []
    if ignored is not None:
        errors = [p for p in errors if not ignored(p)]
        warnings = [p for p in warnings if not ignored(p)]
    result = []
    if errors:
        result.append(
            Difference(BODY, Level.ERROR, tuple(errors), f"body differs at {_list(errors)}{note}")
        )
    if warnings:
        result.append(
            Difference(
                BODY,
                Level.WARNING,
                tuple(warnings),
                f"numbers differ only in type (int vs float) at {_list(warnings)}",
            )
        )
    return result


def _list(paths: list[ResponsePath]) -> str:
    shown = ", ".join(str(p) for p in paths[:5])
    return shown + (f" (+{len(paths) - 5} more)" if len(paths) > 5 else "")


def same_json(a: Any, b: Any) -> bool:
    """Strict equality of two large parsed bodies at C speed: ``==`` first, then the canonical
    JSON text, which tells 1 from 1.0 and true from 1 where ``==`` does not."""
    if a != b:
        return False
    try:
        return json.dumps(a, sort_keys=True) == json.dumps(b, sort_keys=True)
    except (RecursionError, TypeError, ValueError):
        return strict_equal(a, b)


def strict_equal(a: Any, b: Any) -> bool:
    """JSON equality that tells 1 from 1.0 and true from 1, which ``==`` does not."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(strict_equal(v, b[k]) for k, v in a.items())
    if isinstance(a, list):
        return len(a) == len(b) and all(strict_equal(x, y) for x, y in zip(a, b, strict=True))
    return bool(a == b)


def json_differences(a: Any, b: Any) -> tuple[list[ResponsePath], list[ResponsePath]]:
    """(error paths, warning paths) between two parsed JSON values; warnings are int-vs-float."""
    if a == b and strict_equal(a, b):
        return [], []
    from deepdiff import DeepDiff

    # threshold_to_diff_deeper=0: always name the keys, never "the whole object changed";
    # ignore_private_variables=False: DeepDiff skips keys starting with "__" by default, which
    # hid a cookie named __utma that one side shows and the other hides.
    tree = DeepDiff(
        a,
        b,
        view="tree",
        verbose_level=0,
        threshold_to_diff_deeper=0,
        ignore_private_variables=False,
    )
    errors: set[ResponsePath] = set()
    warnings: set[ResponsePath] = set()
    for kind, levels in tree.items():
        for level in levels:
            path = json_path(level.path(output_format="list"))
            t1, t2 = level.t1, level.t2
            numeric = kind == "type_changes" and {type(t1), type(t2)} == {int, float} and t1 == t2
            (warnings if numeric else errors).add(path)
    # DeepDiff matches list items by hash, and hash(0) == hash(False) == hash(0.0): a 0 that
    # became false, or 1 that became 1.0, inside a list is invisible to it. Walk for those.
    _type_paths(a, b, [], errors, warnings)
    return sorted(errors, key=str), sorted(warnings - errors, key=str)


def _type_paths(
    a: Any, b: Any, keys: list[Any], errors: set[ResponsePath], warnings: set[ResponsePath]
) -> None:
    if isinstance(a, dict) and isinstance(b, dict):
        for key in a.keys() & b.keys():
            _type_paths(a[key], b[key], [*keys, key], errors, warnings)
    elif isinstance(a, list) and isinstance(b, list):
        for index, (x, y) in enumerate(zip(a, b, strict=False)):
            _type_paths(x, y, [*keys, index], errors, warnings)
    elif type(a) is not type(b):
        numeric = {type(a), type(b)} == {int, float}
        (warnings if numeric else errors).add(json_path(keys))


def json_path(keys: Iterable[Any]) -> ResponsePath:
    """``['items', 3, 'id']`` -> ``$.items[*].id``: indexes generalised, keys kept as keys."""
    return ResponsePath.body(EVERY if isinstance(k, int) else str(k) for k in keys)


def differing_paths(first: Response, second: Response, normalizer: Normalizer) -> set[ResponsePath]:
    """Every path at which two answers differ (noise probing uses it on two baseline answers)."""
    if first.status != second.status:
        return {STATUS_PATH}
    return {p for d in compare(first, second, normalizer) for p in d.paths}


def path_matcher(patterns: Iterable[str]) -> PathFilter:
    """A filter true for paths covered by ``patterns``: equal, below, or matching ``*``."""
    compiled = [_compile(p) for p in patterns]
    if not compiled:
        return lambda path: False

    def matches(path: ResponsePath) -> bool:
        return any(regex.match(path.text) for regex in compiled)

    return matches


def normalise_pattern(pattern: str) -> str:
    """User spelling -> path spelling: ``items[0].id`` and ``$.items[*].id`` are the same."""
    pattern = pattern.strip()
    if not pattern.startswith(("$", "header:")) and pattern != STATUS:
        pattern = "$." + pattern
    if pattern.startswith("header:"):
        return pattern.lower()
    return re.sub(r"\[\d+\]", "[*]", pattern)


def _compile(pattern: str) -> re.Pattern[str]:
    body = re.escape(normalise_pattern(pattern)).replace(r"\*", r"[^.\[]*")
    # "[*]" escaped then rewritten: keep it meaning "any index", which the paths already say.
    body = body.replace(r"\[[^.\[]*\]", r"\[\*\]")
    return re.compile(rf"^{body}(?:$|[.\[])")
