"""How a person sees a sequence drift again: a curl script per side, a pytest test, a replay.

A sequence cannot be repeated by resending its requests as they were: a fresh app makes new
ids. Each step therefore says which values of its request came from which earlier answer
(``Bindings``: the value as it appears in the path -> (step, extractor)), and a replay fills
them from the new answers, separately on each side, then compares step by step as the run did:
the candidate's answer spelled with the baseline's values, the same normalisation and ignored
paths. The curl scripts write each step with the values the run saw and a comment naming the
answer each id came from.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import replace
from typing import Any
from urllib.parse import quote, unquote, urlsplit

from contract_tools._parity.compare import Difference, PathFilter, compare
from contract_tools._parity.counterparts import Counterparts
from contract_tools._parity.links import LOCATION, extract
from contract_tools._parity.normalize import Normalizer
from contract_tools._parity.reproduction import curl, replay_options, snippet_name
from contract_tools._parity.sequences import Played
from contract_tools._parity.targets import Target
from contract_tools.models import Request, Response, SequenceStep

# Per step: the value as written in the request path -> (1-based step, extractor).
Bindings = Mapping[str, tuple[int, str]]
ReplayStep = tuple[Request, Bindings]


def bindings_of(played: Played, upto: int) -> list[dict[str, tuple[int, str]]]:
    """What the run bound at each step, in the form a replay reads."""
    result: list[dict[str, tuple[int, str]]] = []
    for bindings in played.bindings[:upto]:
        step: dict[str, tuple[int, str]] = {}
        for binding in bindings:
            extractor = binding.extractor
            if extractor == LOCATION:
                extractor = _location_segment(played.responses[binding.step - 1], binding.value)
            step[quote(str(binding.value), safe="")] = (binding.step, extractor)
        result.append(step)
    return result


def _location_segment(response: Response, value: Any) -> str:
    segments = urlsplit(response.header("location") or "").path.split("/")
    wanted = str(value)
    index = next((i for i, s in enumerate(segments) if unquote(s) == wanted), len(segments))
    return f"{LOCATION}#{index}"


def derive_bindings(sequence: Sequence[SequenceStep]) -> list[dict[str, tuple[int, str]]]:
    """Bindings read back from a recorded sequence (a JSON report keeps the requests and
    answers, not the links): a path segment of a later baseline request that an earlier
    baseline answer produced (an id-like field, an item of a list, a Location segment)."""
    result: list[dict[str, tuple[int, str]]] = []
    for index, step in enumerate(sequence):
        found: dict[str, tuple[int, str]] = {}
        # Only the segments the operation's template leaves to parameters: "/notes" is not
        # an id, whatever an earlier Location says.
        template = step.operation.partition(" ")[2].split("/")
        segments = step.exchange.request.path.split("/")
        for position, segment in enumerate(segments):
            variable = position < len(template) and template[position].startswith("{")
            if not variable or not segment or segment in found:
                continue
            origin = _origin(unquote(segment), sequence[:index])
            if origin is not None:
                found[segment] = origin
        result.append(found)
    return result


def _origin(value: str, earlier: Sequence[SequenceStep]) -> tuple[int, str] | None:
    for number in range(len(earlier), 0, -1):
        answer = earlier[number - 1].exchange.baseline
        for extractor in _extractors(answer):
            if str(extract(answer, extractor)) == value:
                return number, extractor
    return None


def _extractors(answer: Response) -> list[str]:
    ok, body = answer.json()
    found: list[str] = []
    if ok and isinstance(body, dict):
        found += [f"body:/{k}" for k in body if isinstance(body[k], (str, int))]
    elif ok and isinstance(body, list) and body and isinstance(body[-1], dict):
        found += [f"body:/*/{k}" for k in body[-1] if isinstance(body[-1][k], (str, int))]
    segments = urlsplit(answer.header("location") or "").path.split("/")
    found += [f"{LOCATION}#{i}" for i, s in enumerate(segments) if s]
    return found


# --- replaying ----------------------------------------------------------------------------------


def replay_steps(
    baseline: Target,
    candidate: Target,
    steps: Sequence[ReplayStep],
    *,
    normalizer: Normalizer,
    ignored: PathFilter,
) -> list[Difference]:
    """Play ``steps`` on a fresh state of each side (a factory's new app) and compare the last
    step, the one a finding is about (the earlier ones make the state it needs); ``ignored``
    is its noise. Its differences, or [] when it agrees."""
    with baseline.sequence_state() as send:
        base, base_values = _play(steps, send)
    with candidate.sequence_state() as send:
        cand, cand_values = _play(steps, send)
    pairs = Counterparts()
    for index in range(len(steps)):
        for recorded, value in base_values[index].items():
            pairs.learn(value, cand_values[index].get(recorded))
        pairs.learn_answers(base[index], cand[index])
    if not steps:
        return []
    return compare(base[-1], pairs.response_to_baseline(cand[-1]), normalizer, ignored)


def _play(
    steps: Sequence[ReplayStep], send: Callable[[Request], Response]
) -> tuple[list[Response], list[dict[str, Any]]]:
    answers: list[Response] = []
    used: list[dict[str, Any]] = []
    for request, bindings in steps:
        path, values = request.path, {}
        for recorded, (number, extractor) in bindings.items():
            if not 1 <= number <= len(answers):
                continue
            value = extract(answers[number - 1], extractor)
            if value is not None:
                path = _swap_segment(path, recorded, quote(str(value), safe=""))
                values[recorded] = value
        used.append(values)
        answers.append(send(replace(request, path=path)))
    return answers, used


def _swap_segment(path: str, old: str, new: str) -> str:
    return "/".join(new if segment == old else segment for segment in path.split("/"))


# --- text for people ----------------------------------------------------------------------------


def curl_script(
    played: Played, operations: Sequence[str], base_url: str, upto: int, redact: Any
) -> str:
    """One curl per step, each id's origin said in a comment (a fresh app makes new ids:
    take them from that answer when running the script again)."""
    lines = []
    for index in range(upto):
        lines.append(f"# step {index + 1}/{upto}: {operations[index]}")
        for binding in played.bindings[index]:
            lines.append(
                f"#   {{{binding.parameter}}} = {binding.value} from step {binding.step}'s "
                f"answer ({_where(binding.extractor)})"
            )
        lines.append(curl(redact(played.requests[index]), base_url))
    return "\n".join(lines)


def _where(extractor: str) -> str:
    if extractor.startswith(LOCATION):
        return "its Location header"
    return "$" + extractor.removeprefix("body:").replace("/", ".").replace(".*", "[-1]")


def pytest_sequence(
    baseline: str,
    candidate: str,
    requests: Sequence[Request],
    bindings: Sequence[Bindings],
    finding_id: str,
    operation: str,
    *,
    strict: bool = False,
    disable: Iterable[str] = (),
    ignore: Iterable[str] = (),
) -> str:
    """A test that replays the sequence through the public API and fails while its last step
    (the finding's) differs."""
    name = snippet_name(operation, finding_id) + "_sequence"
    options = replay_options(strict=strict, disable=disable, ignore=ignore)
    lines = [
        "from contract_tools import Request, replay_sequence",
        "",
        "",
        f"def test_{name}():",
        "    # Each step: the request, and which of its path values come from an earlier",
        "    # answer (value -> (step, where)); each side fills them from its own answers.",
        "    steps = [",
    ]
    for request, bound in zip(requests, bindings, strict=True):
        lines += [
            "        (",
            "            Request.build(",
            f"                {request.method!r},",
            f"                {request.path!r},",
            f"                query={list(request.query)!r},",
            f"                headers={list(request.headers)!r},",
            f"                body={request.body!r},",
            "            ),",
            f"            {dict(bound)!r},",
            "        ),",
        ]
    lines += [
        "    ]",
        f"    assert replay_sequence({baseline!r}, {candidate!r}, steps{options}) == []",
    ]
    return "\n".join(lines) + "\n"


def replay_sequence(
    baseline: str,
    candidate: str,
    steps: Sequence[ReplayStep],
    *,
    strict: bool = False,
    disable: Iterable[str] = (),
    ignore: Iterable[str] = (),
    app_dir: str | None = None,
) -> list[Difference]:
    """``replay_steps`` on two references or URLs (what the pytest test parity writes calls)."""
    from contract_tools._parity.compare import path_matcher
    from contract_tools._parity.session import make_target

    normalizer = Normalizer.preset(strict=strict, disable=tuple(disable))
    matcher = path_matcher(list(ignore))
    base, cand = make_target(baseline, app_dir=app_dir), make_target(candidate, app_dir=app_dir)
    with base, cand:
        return replay_steps(base, cand, steps, normalizer=normalizer, ignored=matcher)
