"""The one helper the step definitions use to ask for advice: tables in, library answers out."""

from __future__ import annotations

from collections.abc import Sequence

from recommender import ProjectProfile, Recommendation, default_recommender

PARTIES = {"policy agency": "policy_agency", "researchers": "researchers", "both parties": "shared"}


def profile_from_table(rows: Sequence[Sequence[str]]) -> dict[str, object]:
    """A two-column Gherkin table (field | value) as profile data, typed as the profile expects."""
    data: dict[str, object] = {}
    for field, value in rows:
        annotation = ProjectProfile.model_fields[field].annotation
        if annotation is int:
            data[field] = int(value)
        elif annotation is bool:
            data[field] = {"true": True, "false": False}[value]
        else:
            data[field] = value
    return data


def advise(data: dict[str, object]) -> Recommendation:
    return default_recommender().recommend(ProjectProfile.model_validate(data))
