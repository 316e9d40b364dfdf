"""Hypothesis strategies for valid project profiles, drawn from the profile model itself."""

from __future__ import annotations

from typing import Any, get_args

from hypothesis import strategies as st

from recommender import ProjectProfile


def _values(field: str) -> st.SearchStrategy[Any]:
    annotation = ProjectProfile.model_fields[field].annotation
    if annotation is int:
        return st.integers(min_value=1, max_value=120)
    if annotation is bool:
        return st.booleans()
    strategy: st.SearchStrategy[Any] = st.sampled_from(sorted(_literals(annotation)))
    if not ProjectProfile.model_fields[field].is_required() and type(None) in get_args(annotation):
        strategy = st.none() | strategy
    return strategy


def _literals(annotation: Any) -> set[str]:
    found: set[str] = set()
    for arg in get_args(annotation):
        found |= {arg} if isinstance(arg, str) else _literals(arg)
    return found


FIELDS = [name for name in ProjectProfile.model_fields if name != "title"]
profiles = st.fixed_dictionaries({field: _values(field) for field in FIELDS}).map(ProjectProfile.model_validate)
