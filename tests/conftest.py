"""Shared fixtures: the shipped knowledge base and a recommender on it, and the wheel, built once."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest

# Apps made with the default settings store partnerships in a SQLite file under PARTNERSHIP_DATA_DIR:
# in a folder of the test run's own, not in ./data.
os.environ.setdefault("PARTNERSHIP_DATA_DIR", tempfile.mkdtemp(prefix="partnership-tests-"))
# Apps of the tests do not build the whole space's memo in the background (a minute of CPU per
# data folder); tests/api/test_memo_keeper.py turns it on where it is under test.
os.environ.setdefault("PARTNERSHIP_KEEP_MEMO", "0")

from recommender import KnowledgeBase, Recommender, default_recommender


@pytest.fixture(scope="session")
def recommender() -> Recommender:
    return default_recommender()


@pytest.fixture(scope="session")
def kb(recommender: Recommender) -> KnowledgeBase:
    return recommender.kb


@dataclass(frozen=True)
class Wheel:
    """The project's wheel, built once per test run, and its files unpacked as an installed package."""

    names: frozenset[str]
    site: Path


@pytest.fixture(scope="session")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Wheel:
    root = Path(__file__).resolve().parents[1]
    out = tmp_path_factory.mktemp("wheel")
    build = [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation"]
    subprocess.run([*build, "-w", str(out), str(root)], check=True)
    built = next(out.glob("partnership_recommender-*.whl"))
    site = out / "site"
    with zipfile.ZipFile(built) as archive:
        names = frozenset(archive.namelist())
        archive.extractall(site)
    return Wheel(names=names, site=site)
