"""The allowed values of each profile field, read once from the profile model."""

from __future__ import annotations

from typing import get_args

import pytest

from recommender.profile import ProjectProfile, field_domain
from recommender.vocabulary import EvidenceNeed, Funding, InitiationMode, ProjectType, Relationship, StaffStability


@pytest.mark.parametrize(
    ("name", "literal"),
    [
        ("project_type", ProjectType),
        ("funding", Funding),
        ("relationship", Relationship),
        ("staff_stability", StaffStability),
        ("agency_evidence_need", EvidenceNeed),
    ],
)
def test_a_required_choice_lists_its_literal_values_in_declared_order(name: str, literal: object) -> None:
    domain = field_domain(name)

    assert (domain.kind, domain.choices, domain.optional) == ("choice", get_args(literal), False)


def test_the_proposed_initiation_is_an_optional_choice_of_the_initiation_modes() -> None:
    domain = field_domain("proposed_initiation")

    assert (domain.kind, domain.choices, domain.optional) == ("choice", get_args(InitiationMode), True)


def test_the_timeline_is_a_number_within_the_models_bounds() -> None:
    domain = field_domain("timeline_months")

    assert (domain.kind, domain.low, domain.high, domain.choices, domain.optional) == ("number", 1, 120, (), False)


@pytest.mark.parametrize("name", ["uses_agency_data", "politically_sensitive"])
def test_a_yes_no_question_is_a_flag(name: str) -> None:
    assert field_domain(name).kind == "flag"
    assert field_domain(name).choices == ()


def test_the_title_is_optional_free_text() -> None:
    domain = field_domain("title")

    assert (domain.kind, domain.optional, domain.choices) == ("text", True, ())


def test_every_profile_field_has_a_domain_and_other_names_have_none() -> None:
    assert {field_domain(name).kind for name in ProjectProfile.model_fields} == {"choice", "number", "flag", "text"}
    with pytest.raises(KeyError):
        field_domain("collaboration_level")  # the engine's answer, not a profile field


def test_only_a_number_has_bounds() -> None:
    assert field_domain("timeline_months").bounds == (1, 120)
    with pytest.raises(TypeError):
        _ = field_domain("funding").bounds
