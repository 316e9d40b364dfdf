"""Editions of the knowledge base for tests: a copy of the shipped one, changed on disk; and where
a page leads (:func:`targets`), to check that its links and forms carry the edition chosen on."""

from __future__ import annotations

import re
import shutil
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import yaml

from recommender import KnowledgeBase, load_knowledge_base

#: Keys whose text a person reads: changing one changes no decision, only the words of an answer.
_WORDS = re.compile(r"^(\s*-?\s*(?:title|label|statement|text|question|description|warning):)(.*)$", re.MULTILINE)


def copy_of(root: Path, destination: Path) -> Path:
    """A copy of the knowledge base in ``root`` at ``destination``."""
    shutil.copytree(root, destination)
    return destination


def change_words(path: Path) -> None:
    """Append "Changed." to the first text a person reads in ``path`` (a folded block's first line)."""
    text = path.read_text(encoding="utf-8")
    match = _WORDS.search(text)
    assert match is not None, path
    block = match.group(2).strip() in (">-", ">", "|", "|-")
    end = text.index("\n", match.end() + 1) if block else match.end()  # a block: its first line
    path.write_text(text[:end] + " Changed." + text[end:], encoding="utf-8")


def set_version(root: Path, version: str) -> None:
    """Give the knowledge base in ``root`` another version string."""
    manifest = root / "knowledge_base.yaml"
    current = yaml.safe_load(manifest.read_text(encoding="utf-8"))["version"]
    text = manifest.read_text(encoding="utf-8")
    manifest.write_text(text.replace(f'version: "{current}"', f'version: "{version}"', 1), encoding="utf-8")


#: The edition's one change of decision: an external grant counts against researcher initiation.
GRANT_RULE = "external_grant_favours_researcher_initiation"


def tip_the_grant_rule(root: Path) -> None:
    """Turn the weight of :data:`GRANT_RULE` in ``root``'s rules from +4 to -4 for researcher
    initiation: a grant-funded project's recommended mode changes (the words and the rest stay)."""
    path = root / "rules.yaml"
    text = path.read_text(encoding="utf-8")
    start = text.index(f"- id: {GRANT_RULE}\n")
    old, new = "scores: {researcher: 4}", "scores: {researcher: -4}"
    weight = text.index(old, start)
    assert text.find("\n  - id: ", start + 1) > weight, "the weight is the rule's own"
    path.write_text(text[:weight] + new + text[weight + len(old) :], encoding="utf-8")


def edition_deciding_otherwise(shipped: Path, destination: Path, version: str) -> KnowledgeBase:
    """A copy of the knowledge base in ``shipped`` at ``destination``, of ``version``, with
    :data:`GRANT_RULE` tipped (:func:`tip_the_grant_rule`), loaded and checked."""
    rules = copy_of(shipped, destination)
    set_version(rules, version)
    tip_the_grant_rule(rules)
    return load_knowledge_base(rules)


def recommended_initiation(answer: dict[str, Any]) -> str:
    """The initiation mode an answer's JSON recommends: a recommendation's, a what-if's baseline,
    or the one a plan check or tender brief rests on."""
    if "baseline" in answer:
        return str(answer["baseline"]["initiation_mode"])
    mode = answer["initiation_mode"]
    return str(mode["recommended"] if isinstance(mode, dict) else mode)


class Targets(HTMLParser):
    """Where a page leads: each link's address; each form's method, action, hidden fields and
    ``in_place`` boxes; the addresses it hands out (its read-only fields' values); and its text."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.forms: list[dict[str, Any]] = []
        self.handed_out: list[str] = []
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        at = dict(attrs)
        if tag == "a" and at.get("href"):
            self.links.append(str(at["href"]))
        elif tag == "form":
            self.forms.append(
                {"method": at.get("method", "get"), "action": at.get("action"), "hidden": {}, "boxes": []}
            )
        elif tag == "input" and "readonly" in at:
            self.handed_out.append(str(at["value"]))
        elif tag == "input" and self.forms and at.get("type") == "hidden":
            self.forms[-1]["hidden"][at["name"]] = at["value"]
        elif tag == "input" and self.forms and at.get("type") == "checkbox" and at.get("name") == "in_place":
            self.forms[-1]["boxes"].append(at["value"])

    def handle_data(self, data: str) -> None:
        self._text.append(data)

    @property
    def text(self) -> str:
        """The page's text, its white space collapsed."""
        return " ".join("".join(self._text).split())


def targets(html: str) -> Targets:
    """Where the page ``html`` leads (:class:`Targets`)."""
    parser = Targets()
    parser.feed(html)
    return parser


def edition_of(url: str) -> list[str]:
    """The ``knowledge_base`` values in ``url``'s query (none for an address that names no edition)."""
    return parse_qs(urlsplit(url).query).get("knowledge_base", [])
