"""The vocabulary is written once: no closed set of words is spelled out as a Literal twice."""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _literals(*folders: Path) -> dict[tuple[str, ...], list[str]]:
    """Each ``Literal["a", "b", ...]`` of two or more words under ``folders``: where it is written."""
    found: dict[tuple[str, ...], list[str]] = defaultdict(list)
    for folder in folders:
        for path in sorted(folder.rglob("*.py")):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name) and node.value.id == "Literal":
                    values = node.slice.elts if isinstance(node.slice, ast.Tuple) else [node.slice]
                    words = tuple(sorted(str(v.value) for v in values if isinstance(v, ast.Constant)))
                    if len(words) > 1:
                        found[words].append(f"{path.name}:{node.lineno}")
    return found


def test_no_set_of_words_is_written_as_a_literal_twice() -> None:
    found = _literals(ROOT / "recommender", ROOT / "api")
    assert {words: places for words, places in found.items() if len(places) > 1} == {}


def test_a_set_written_twice_in_any_order_is_found(tmp_path: Path) -> None:
    (tmp_path / "a.py").write_text('X = Literal["researchers", "policy_agency", "shared"]\n', encoding="utf-8")
    (tmp_path / "b.py").write_text('Y = Literal["shared", "researchers", "policy_agency"]\n', encoding="utf-8")

    assert _literals(tmp_path) == {("policy_agency", "researchers", "shared"): ["a.py:1", "b.py:1"]}
