"""Hypothesis strategies for valid project profiles, drawn from the profile model itself."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from recommender import ProjectProfile
from recommender.profile import field_domain


def _values(field: str) -> st.SearchStrategy[Any]:
    domain = field_domain(field)
    if domain.kind == "number":
        return st.integers(min_value=domain.low, max_value=domain.high)
    if domain.kind == "flag":
        return st.booleans()
    strategy: st.SearchStrategy[Any] = st.sampled_from(sorted(set(domain.choices)))
    if not ProjectProfile.model_fields[field].is_required() and domain.optional:
        strategy = st.none() | strategy
    return strategy


FIELDS = [name for name in ProjectProfile.model_fields if name != "title"]
profiles = st.fixed_dictionaries({field: _values(field) for field in FIELDS}).map(ProjectProfile.model_validate)
