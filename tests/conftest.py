"""Shared fixtures: the shipped knowledge base and a recommender on it, built once."""

from __future__ import annotations

import pytest

from recommender import KnowledgeBase, Recommender, default_recommender


@pytest.fixture(scope="session")
def recommender() -> Recommender:
    return default_recommender()


@pytest.fixture(scope="session")
def kb(recommender: Recommender) -> KnowledgeBase:
    return recommender.kb
