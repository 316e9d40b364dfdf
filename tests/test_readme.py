"""The README tells a newcomer the truth: its figures are the shipped knowledge base's, its
examples print what it says, its links stay in the repository, and its first lines say how to
run and test the project.

Every expected value is computed here from the loaded knowledge base (or the running code), never
written down. The figures that need the whole profile space evaluated (ties, distinct mitigation
sets) are compared by the `kb check` test, which evaluates it anyway
(``tests/verify/test_check.py`` uses :func:`space_figures`).
"""

from __future__ import annotations

import contextlib
import io
import json
import math
import re
import shlex
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.settings import Settings
from recommender import KnowledgeBase
from recommender.verify.space import field_values

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
NUMBER_WORDS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
}


def _number(text: str) -> int:
    return NUMBER_WORDS[text] if text in NUMBER_WORDS else int(text.replace(",", ""))


def figures(pattern: str) -> list[str]:
    """Every match of ``pattern``'s first group in the README; at least one must be there."""
    found = [match.group(1) for match in re.finditer(pattern, README)]
    assert found, f"the README no longer says {pattern!r}: update this test with the sentence"
    return found


def figure(pattern: str) -> str:
    """The one figure ``pattern`` finds (the same figure wherever the README repeats it)."""
    found = set(figures(pattern))
    assert len(found) == 1, f"the README gives {pattern!r} as {sorted(found)}"
    return found.pop()


def space_figures() -> dict[str, int | float]:
    """The README's figures about the whole profile space: size, ties and distinct mitigation sets."""
    ties = re.search(r"\*\*ties\*\*.*?: ([\d,]+) of ([\d,]+) \(([\d.]+)%\) on this edition", README, re.S)
    assert ties is not None, "the README no longer gives the ties as 'N of M (P%) on this edition'"
    return {
        "profiles": _number(figure(r"\*\*every profile of the discretised space\*\* \(([\d,]+) for the\s+shipped")),
        "ties": _number(ties.group(1)),
        "ties_of": _number(ties.group(2)),
        "tie_percent": float(ties.group(3)),
        "mitigation_sets": _number(figure(r"informational: ([\d,]+) on this edition")),
    }


def test_the_knowledge_base_answer_shown_is_the_shipped_one() -> None:
    with TestClient(create_app(Settings())) as client:
        summary = client.get("/v1/knowledge-base").json()
    shown = json.loads(figure(r"\$ curl -s localhost:8000/v1/knowledge-base\n(\{.*\})\n"))
    assert shown["counts"] == summary["counts"]
    assert shown["version"] == summary["version"]
    assert shown["title"] == summary["title"]
    digest = shown["digest"].rstrip("…")
    assert len(digest) >= 8
    assert summary["digest"].startswith(digest)


def test_the_space_of_profiles_is_the_one_kb_check_evaluates(kb: KnowledgeBase) -> None:
    values = field_values(kb)
    size = math.prod(len(v) for v in values.values())
    space = space_figures()
    assert space["profiles"] == space["ties_of"] == size
    assert space["tie_percent"] == round(100 * space["ties"] / size, 1)
    months = figure(r"plus the bounds 1 and 120\n\(([\d, ]+)\)")
    assert [int(m) for m in months.split(", ")] == list(values["timeline_months"])


def test_the_claims_thresholds_and_margins_are_the_knowledge_bases(kb: KnowledgeBase) -> None:
    assert _number(figure(r"declares (\w+) claims")) == len(kb.claims)
    assert _number(figure(r"\(0 on this edition, for all (\d+)\)")) == len(kb.claims)
    assert kb.margin is not None, "the shipped knowledge base has a margin"
    assert kb.readiness is not None, "the shipped knowledge base has readiness bands"
    assert _number(figure(r"within the tool's margin \((\d+) points?;")) == kb.margin.points
    weights = {abs(score) for rule in kb.rules for score in rule.then.scores.values() if score}
    lightest, heaviest = figure(r"a single consideration weighs\s+from (\d+ to \d+) points").split(" to ")
    assert (_number(lightest), _number(heaviest)) == (min(weights), max(weights))
    bands = figure(r"the band is the first threshold reached \(([^)]*)\)")
    assert " ".join(bands.split()) == ", ".join(f"{band.id} {band.min_score}" for band in kb.readiness.bands)
    largest = max(path.stat().st_size for path in kb.root.rglob("*.yaml")) / 1024
    about = _number(figure(r"the largest\s+shipped file is about (\d+) KiB"))
    assert abs(about - largest) <= largest / 10, f"the largest file is {largest:.1f} KiB"


def test_the_number_of_informants_is_the_one_the_knowledge_base_states(kb: KnowledgeBase) -> None:
    stated = {int(n) for limit in kb.limits for n in re.findall(r"interviewed (\d+)", limit.text)}
    assert len(stated) == 1
    assert {_number(n) for n in figures(r"\((\d+) (?:very experienced )?key\s+informants")} == stated


def _examples() -> list[tuple[str, str]]:
    """Each Python example followed by the output the README says it prints."""
    pattern = r"```python\n(.*?)```\n\nprints \(real output\):\n\n```\n(.*?)```"
    return re.findall(pattern, README, re.S)


@pytest.mark.parametrize(("code", "printed"), _examples())
def test_each_python_example_prints_what_the_readme_says(code: str, printed: str) -> None:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(code, "README.md", "exec"), {})
    assert out.getvalue() == printed


def test_the_readme_has_python_examples_to_run() -> None:
    assert len(_examples()) >= 2


def _links(text: str) -> list[str]:
    """Every link target in Markdown ``text``: ``[text](target)``, ``<scheme:...>`` and bare addresses."""
    targets = re.findall(r"\]\(([^)\s]+)\)", text)
    targets += re.findall(r"<([a-z][a-z0-9+.-]*:[^>\s]+)>", text)
    targets += re.findall(r"(?<![<(\w])(https?://[^\s)>`'\"]+)", text)
    return targets


def _refused(target: str) -> str | None:
    """Why ``target`` may not be linked from the README (None when it may: a file of ours, or this service)."""
    parts = urlsplit(target)
    if parts.scheme:
        local = parts.scheme == "http" and parts.hostname in {"127.0.0.1", "localhost"}
        return None if local else "a link outside the repository"
    if not parts.path or not (ROOT / parts.path).exists():
        return "no such file in the repository"
    return None


def test_no_link_leads_outside_the_repository() -> None:
    links = _links(README)
    assert "docs/contract.md" in links, "the README links to files of the repository"
    refused = {target: _refused(target) for target in links if _refused(target)}
    assert refused == {}


def test_a_link_outside_the_repository_would_be_refused() -> None:
    sample = (
        "See [the paper](https://doi.org/10.1186/x), <https://example.org>, https://example.net/page or [a](gone.md)."
    )
    links = _links(sample)
    assert links == ["https://doi.org/10.1186/x", "gone.md", "https://example.org", "https://example.net/page"]
    assert all(_refused(target) for target in links)
    assert _refused("http://127.0.0.1:8000/") is None


def _commands() -> list[str]:
    """The README's first indented commands: the one that runs the service, then set-up and test."""
    return re.findall(r"^    (\S.*)$", README.split("\n## ", 1)[0], re.M)


def test_the_first_lines_say_which_pythons_then_how_to_run_open_and_test() -> None:
    top = README.split("\n## ", 1)[0]
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    low, high = re.search(r'requires-python = ">=3\.(\d+),<3\.(\d+)"', pyproject).groups()  # type: ignore[union-attr]
    versions = [f"3.{minor}" for minor in range(int(low), int(high))]
    pythons = re.search(r"Supported Pythons: \*\*CPython ([^*]+)\*\*", top)
    assert pythons is not None
    assert re.findall(r"3\.\d+", pythons.group(1)) == versions
    run, test = _commands()
    assert top.index("Supported Pythons") < top.index(run), "the Pythons come before the commands"
    assert run.endswith("partnership-recommender serve")
    opened = top.index("http://127.0.0.1:8000/")
    assert opened < top.index(test), "the address to open is given with the run command"
    assert test.endswith("scripts/check")
    assert "pip install -e '.[dev]'" in test
    # The test command installs the Debian packages CI installs.
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    ci_packages = re.search(r"apt-get install -y -qq ([^>\n]+)", ci).group(1).split()  # type: ignore[union-attr]
    readme_packages = re.search(r"apt-get install -y -qq (.+?) &&", test).group(1).split()  # type: ignore[union-attr]
    assert readme_packages == ci_packages
    skip = re.search(r"Without the browser tests[^`]*`([^`]+)`", top)
    assert skip is not None, "how to skip the browser tests is said next to the test command"
    assert shlex.split(skip.group(1))[:3] == ["scripts/check", "--deselect", "tests/e2e"]
