"""The one helper the step definitions use to ask for advice: tables in, library answers out."""

from __future__ import annotations

from collections.abc import Sequence

from recommender import ProjectProfile, Recommendation, default_recommender
from recommender.profile import field_domain

PARTIES = {"policy agency": "policy_agency", "researchers": "researchers", "both parties": "shared"}


def profile_from_table(rows: Sequence[Sequence[str]]) -> dict[str, object]:
    """A two-column Gherkin table (field | value) as profile data, typed as the profile expects."""
    data: dict[str, object] = {}
    for field, value in rows:
        kind = field_domain(field).kind
        if kind == "number":
            data[field] = int(value)
        elif kind == "flag":
            data[field] = {"true": True, "false": False}[value]
        else:
            data[field] = value
    return data


def advise(data: dict[str, object]) -> Recommendation:
    return default_recommender().recommend(ProjectProfile.model_validate(data))
