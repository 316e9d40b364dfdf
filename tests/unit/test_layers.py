"""The layers, read from the source: the library never imports the web stack, and the HTTP API
imports only the names the library and its public subpackages export."""

from __future__ import annotations

import ast
import importlib
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
WEB = {"api", "fastapi", "uvicorn", "starlette", "fastapi_offline"}
#: The library's public faces: the package and the subpackages an application may use.
PUBLIC = ("recommender", "recommender.cli", "recommender.kb", "recommender.partnerships", "recommender.reports")


def _imports(folder: Path) -> Iterator[tuple[str, int, str, list[str]]]:
    """``(file, line, module, names)`` for every import under ``folder``, in functions too (names
    empty for ``import x``)."""
    for path in sorted(folder.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    yield path.name, node.lineno, alias.name, []
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                yield path.name, node.lineno, node.module, [a.name for a in node.names]


def _deep_imports(folder: Path) -> list[str]:
    """The imports under ``folder`` of a library module, or of a name, that is not public."""
    deep: list[str] = []
    for file, line, module, names in _imports(folder):
        if module.split(".")[0] != "recommender":
            continue
        if module not in PUBLIC:
            deep.append(f"{file}:{line}: {module}")
            continue
        exported = set(getattr(importlib.import_module(module), "__all__", ()))
        deep += [f"{file}:{line}: {module}.{name}" for name in names if name not in exported]
    return deep


def test_the_library_never_imports_the_web_stack() -> None:
    modules = [f"{file}:{line}: {module}" for file, line, module, _ in _imports(ROOT / "recommender")]
    assert [found for found in modules if found.split(": ")[1].split(".")[0] in WEB] == []


def test_the_api_imports_only_public_names_of_the_library() -> None:
    assert _deep_imports(ROOT / "api") == []


@pytest.mark.parametrize("module", PUBLIC[2:])
def test_each_public_subpackage_lists_what_it_exports(module: str) -> None:
    package = importlib.import_module(module)
    assert package.__all__, module
    assert [name for name in package.__all__ if not hasattr(package, name)] == []


def test_a_deep_import_or_an_unexported_name_is_found(tmp_path: Path) -> None:
    (tmp_path / "route.py").write_text(
        "from recommender import ProjectProfile, assemble\n"
        "def f():\n    from recommender.profile import field_domain\n",
        encoding="utf-8",
    )
    assert _deep_imports(tmp_path) == ["route.py:1: recommender.assemble", "route.py:3: recommender.profile"]
