"""Shared fixtures: the shipped knowledge base and a recommender on it, built once."""

from __future__ import annotations

import os
import tempfile

import pytest

# Apps made with the default settings store partnerships in a SQLite file under PARTNERSHIP_DATA_DIR:
# in a folder of the test run's own, not in ./data.
os.environ.setdefault("PARTNERSHIP_DATA_DIR", tempfile.mkdtemp(prefix="partnership-tests-"))

from recommender import KnowledgeBase, Recommender, default_recommender


@pytest.fixture(scope="session")
def recommender() -> Recommender:
    return default_recommender()


@pytest.fixture(scope="session")
def kb(recommender: Recommender) -> KnowledgeBase:
    return recommender.kb
