"""rules/fields.yaml: checked against the profile when the knowledge base loads; text input read as typed."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from fastapi.testclient import TestClient

from api.app import create_app
from api.settings import Settings
from recommender import KnowledgeBase, KnowledgeBaseError, load_knowledge_base
from recommender.kb import default_rules_dir
from recommender.kb.fields import load_field_guide
from recommender.profile import ProjectProfile
from recommender.reports import profile_data_from_text


def test_every_profile_field_and_value_is_explained(kb: KnowledgeBase) -> None:
    guide = load_field_guide(kb.root)
    assert [f.id for f in guide.fields] == [
        "title",
        "project_type",
        "timeline_months",
        "funding",
        "relationship",
        "staff_stability",
        "proposed_initiation",
        "agency_evidence_need",
        "uses_agency_data",
        "politically_sensitive",
        "in_kind_contribution",
        "standing_partnership",
    ]
    assert set(guide.fields_by_id) == set(ProjectProfile.model_fields)
    assert ProjectProfile.model_validate(guide.default_values()), "the suggested answers make a valid profile"


def _broken(tmp_path: Path, edit: object) -> Path:
    rules = tmp_path / "rules"
    shutil.copytree(default_rules_dir(), rules)
    data = yaml.safe_load((rules / "fields.yaml").read_text(encoding="utf-8"))
    edit(data)  # type: ignore[operator]
    (rules / "fields.yaml").write_text(yaml.safe_dump(data), encoding="utf-8")
    return rules


def _field(data: dict[str, list[dict[str, Any]]], field_id: str) -> dict[str, Any]:
    return next(f for f in data["fields"] if f["id"] == field_id)


@pytest.mark.parametrize(
    ("edit", "entry", "reason"),
    [
        (lambda d: d["fields"].pop(), "fields", "profile fields not explained: ['standing_partnership']"),
        (lambda d: d["fields"].append({**d["fields"][0], "id": "colour"}), "colour", "not a profile field"),
        (lambda d: _field(d, "funding")["values"].pop(), "funding", "values must explain each of"),
        (lambda d: _field(d, "timeline_months").update(suggested=500), "timeline_months", "suggested value is invalid"),
        (lambda d: _field(d, "funding").pop("suggested"), "funding", "a required field needs a suggested value"),
        (lambda d: d["parties"].pop(), "parties", "must label each of"),
    ],
)
def test_a_bad_field_guide_stops_the_knowledge_base_loading(
    tmp_path: Path, edit: object, entry: str, reason: str
) -> None:
    with pytest.raises(KnowledgeBaseError) as caught:
        load_knowledge_base(_broken(tmp_path, edit))
    assert caught.value.file == "fields.yaml"
    assert caught.value.entry == entry
    assert reason in caught.value.reason


def test_a_knowledge_base_without_a_field_guide_is_refused_unless_partial(tmp_path: Path) -> None:
    rules = tmp_path / "rules"
    shutil.copytree(default_rules_dir(), rules)
    (rules / "fields.yaml").unlink()
    with pytest.raises(KnowledgeBaseError) as caught:
        load_knowledge_base(rules)
    assert (caught.value.file, caught.value.reason) == ("fields.yaml", "file not found")
    assert load_knowledge_base(rules, partial=True).findings


def test_the_knowledge_base_keeps_the_field_guide_it_checked(kb: KnowledgeBase) -> None:
    assert kb.field_guide == load_field_guide(kb.root)
    assert kb.require_field_guide() is kb.field_guide
    guide = kb.require_field_guide()
    assert guide.fields_by_id is guide.fields_by_id, "built once, not per call"
    assert guide.fields_by_id["funding"] == guide.field("funding")


def test_a_report_on_a_knowledge_base_without_a_field_guide_names_the_missing_file(tmp_path: Path) -> None:
    rules = tmp_path / "rules"
    shutil.copytree(default_rules_dir(), rules)
    (rules / "fields.yaml").unlink()
    kb = load_knowledge_base(rules, partial=True)

    assert kb.field_guide is None
    with pytest.raises(KnowledgeBaseError) as caught:
        kb.require_field_guide()
    assert caught.value.file == "fields.yaml"
    assert caught.value.reason == "file not found", "the file's name, never the server's folder"


def test_the_form_and_its_reports_read_the_field_guide_the_knowledge_base_loaded(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with TestClient(create_app(Settings())) as client:

        def no_reload(root: Path, name: str, model: object) -> None:
            raise AssertionError(f"{name} read again from {root}")

        monkeypatch.setattr("recommender.kb.fields.load_file", no_reload)
        assert client.get("/").status_code == 200
        query = (
            "project_type=evaluation&timeline_months=18&funding=co_funded&relationship=long_term&staff_stability=high"
        )
        assert client.get(f"/report?{query}").status_code == 200


@pytest.mark.parametrize(
    ("typed", "data"),
    [
        ({"timeline_months": " 18 "}, {"timeline_months": 18}),
        ({"timeline_months": "eighteen"}, {"timeline_months": "eighteen"}),
        ({"timeline_months": "1e3"}, {"timeline_months": "1e3"}),
        (
            {"uses_agency_data": "Yes", "politically_sensitive": "off"},
            {"uses_agency_data": True, "politically_sensitive": False},
        ),
        ({"uses_agency_data": "maybe"}, {"uses_agency_data": "maybe"}),
        ({"funding": " co_funded "}, {"funding": "co_funded"}),
        ({"title": "  spaced  ", "proposed_initiation": ""}, {"title": "  spaced  "}),
        ({"colour": "blue"}, {"colour": "blue"}),
    ],
)
def test_typed_text_is_read_as_the_fields_type_and_nothing_is_guessed(
    typed: dict[str, str], data: dict[str, object]
) -> None:
    assert profile_data_from_text(typed) == data
