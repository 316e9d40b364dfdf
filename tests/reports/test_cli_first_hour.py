"""The command line for a newcomer: ``fields`` and ``init``, component ids in ``plan-check --help``,
flag errors that blame the flag, numbers read alike from YAML, JSON and CSV, and what-if ``--keep``."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from recommender import ProjectProfile, default_recommender, parse_profile, what_if
from recommender.cli import app
from recommender.cli.reports import EXIT_INVALID
from recommender.profile import field_domain

SHIPPED = default_recommender()

runner = CliRunner()
GUIDE = default_recommender().kb.require_field_guide()
REQUIRED = [name for name, info in ProjectProfile.model_fields.items() if info.is_required()]
ANSWERS = {
    "project_type": "evaluation",
    "timeline_months": 24,
    "funding": "external_grant",
    "relationship": "long_term",
    "staff_stability": "high",
}


def _write(tmp_path: Path, name: str, data: object) -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(data) if name.endswith(".json") else yaml.safe_dump(data), encoding="utf-8")
    return path


# --- fields ---


def test_fields_lists_every_field_with_every_value_and_its_meaning() -> None:
    result = runner.invoke(app, ["fields"])

    assert result.exit_code == 0, result.output
    for guide in GUIDE.fields:
        assert f"{guide.id}  (" in result.stdout
        assert guide.label in result.stdout
        for value in guide.values:
            assert f"{value.id}  " in result.stdout or f"{value.id} " in result.stdout
            assert f"{value.label}: {value.help}" in result.stdout
    assert "a whole number from 1 to 120 (months)" in result.stdout
    assert "project_type  (required)" in result.stdout
    assert 'agency_evidence_need  (optional; default: "general")' in result.stdout


def test_fields_as_json_follows_the_profile_model() -> None:
    entries = json.loads(runner.invoke(app, ["fields", "--json"]).stdout)

    assert [e["id"] for e in entries] == [g.id for g in GUIDE.fields]
    assert sorted(e["id"] for e in entries) == sorted(ProjectProfile.model_fields)
    for entry in entries:
        domain = field_domain(entry["id"])
        assert entry["kind"] == domain.kind
        assert entry["required"] == (entry["id"] in REQUIRED)
        assert [v["id"] for v in entry.get("values", [])] == list(domain.choices)
        if domain.kind == "number":
            assert (entry["min"], entry["max"]) == domain.bounds


# --- init ---


def test_init_writes_a_yaml_profile_that_is_refused_until_the_required_fields_are_filled(tmp_path: Path) -> None:
    path = tmp_path / "project.yaml"
    assert runner.invoke(app, ["init", str(path)]).exit_code == 0
    text = path.read_text(encoding="utf-8")

    for name in REQUIRED:
        assert f"\n{name}:\n" in text  # left empty for the person to fill in
    assert text.count("[REQUIRED]") == len(REQUIRED)
    unfilled = runner.invoke(app, ["recommend", str(path)])
    assert unfilled.exit_code == EXIT_INVALID
    assert all(f"{name} (" in unfilled.stderr for name in REQUIRED)
    assert "Field required" in unfilled.stderr

    for name, value in ANSWERS.items():
        text = text.replace(f"\n{name}:\n", f"\n{name}: {value}\n")
    path.write_text(text, encoding="utf-8")
    filled = runner.invoke(app, ["recommend", str(path)])
    assert filled.exit_code == 0, filled.output
    assert json.loads(filled.stdout)["profile"] == parse_profile(ANSWERS).model_dump(mode="json")


def test_init_writes_a_json_profile_whose_placeholders_say_what_to_put(tmp_path: Path) -> None:
    path = tmp_path / "project.json"
    assert runner.invoke(app, ["init", str(path)]).exit_code == 0
    data = json.loads(path.read_text(encoding="utf-8"))

    assert list(data) == [g.id for g in GUIDE.fields]
    assert all(str(data[name]).startswith("REQUIRED") for name in REQUIRED)
    assert "one of: low, moderate, high" in data["staff_stability"]
    assert runner.invoke(app, ["recommend", str(path)]).exit_code == EXIT_INVALID
    path.write_text(json.dumps(data | ANSWERS), encoding="utf-8")
    filled = runner.invoke(app, ["recommend", str(path)])
    assert filled.exit_code == 0, filled.output


def test_init_does_not_overwrite_and_names_a_wrong_extension(tmp_path: Path) -> None:
    existing = tmp_path / "p.yaml"
    existing.write_text("kept", encoding="utf-8")

    refused = runner.invoke(app, ["init", str(existing)])
    assert refused.exit_code != 0
    assert "already exists" in refused.stderr
    assert existing.read_text(encoding="utf-8") == "kept"
    assert runner.invoke(app, ["init", str(existing), "--force"]).exit_code == 0
    wrong = runner.invoke(app, ["init", str(tmp_path / "p.txt")])
    assert wrong.exit_code != 0
    assert "must end in .yaml, .yml or .json" in wrong.stderr


# --- plan-check help and flags ---


def test_plan_check_help_lists_every_component_id() -> None:
    result = runner.invoke(app, ["plan-check", "--help"], env={"COLUMNS": "400"})

    assert result.exit_code == 0
    for component in default_recommender().kb.components:
        assert component in result.stdout


def test_an_unknown_component_flag_is_blamed_on_the_flag_not_the_file(tmp_path: Path) -> None:
    path = _write(tmp_path, "p.yaml", ANSWERS)

    result = runner.invoke(app, ["plan-check", str(path), "--in-place", "aims_in_writing", "--in-place", "bogus"])

    assert result.exit_code == EXIT_INVALID
    assert result.stderr.startswith("error: --in-place bogus: not a plan component")
    assert str(path) not in result.stderr


def test_a_component_both_in_the_file_and_in_a_flag_is_blamed_on_the_flag(tmp_path: Path) -> None:
    path = _write(tmp_path, "p.yaml", {"profile": ANSWERS, "plan": {"in_place": ["aims_in_writing"]}})

    result = runner.invoke(app, ["plan-check", str(path), "--in-place", "aims_in_writing"])

    assert result.exit_code == EXIT_INVALID
    assert result.stderr.startswith("error: --in-place aims_in_writing: already in place in")


def test_a_bad_component_in_the_file_is_still_the_files(tmp_path: Path) -> None:
    path = _write(tmp_path, "p.yaml", {"profile": ANSWERS, "plan": {"in_place": ["bogus"]}})

    result = runner.invoke(app, ["plan-check", str(path), "--in-place", "aims_in_writing"])

    assert result.exit_code == EXIT_INVALID
    assert result.stderr.startswith(f"error: {path}: invalid input")
    assert "plan.in_place[0]" in result.stderr


# --- what-if --keep ---


def test_what_if_keeps_the_fields_named_with_keep(tmp_path: Path) -> None:
    path = _write(tmp_path, "p.yaml", ANSWERS)

    result = runner.invoke(app, ["what-if", str(path), "--keep", "funding", "--keep", "staff_stability"])

    assert result.exit_code == 0, result.output
    answer = json.loads(result.stdout)
    expected = what_if(parse_profile(ANSWERS), keep=["funding", "staff_stability"], recommender=SHIPPED)
    assert answer == expected.model_dump(mode="json")
    assert answer["kept"] == ["funding", "staff_stability"]


def test_an_unknown_field_to_keep_is_blamed_on_the_flag(tmp_path: Path) -> None:
    path = _write(tmp_path, "p.yaml", ANSWERS)

    result = runner.invoke(app, ["what-if", str(path), "--keep", "payer"])

    assert result.exit_code == EXIT_INVALID
    assert result.stderr.startswith("error: --keep payer: not a profile field; one of: title, project_type")
    assert str(path) not in result.stderr


# --- numbers read alike from YAML, JSON and CSV ---


def _from_yaml(tmp_path: Path, text: str) -> tuple[int, object]:
    path = tmp_path / "p.yaml"
    body = "\n".join(f"{k}: {v}" for k, v in ANSWERS.items() if k != "timeline_months")
    path.write_text(f"{body}\ntimeline_months: {text}\n", encoding="utf-8")
    result = runner.invoke(app, ["recommend", str(path)])
    return result.exit_code, json.loads(result.stdout)["profile"]["timeline_months"] if result.exit_code == 0 else None


def _from_csv(tmp_path: Path, text: str) -> tuple[int, object]:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([*ANSWERS, "title"])
    writer.writerow([*(text if k == "timeline_months" else v for k, v in ANSWERS.items()), "x"])
    path = tmp_path / "p.csv"
    path.write_text(out.getvalue(), encoding="utf-8")
    result = runner.invoke(app, ["batch", str(path), "-o", str(tmp_path / "out.json")])
    if result.exit_code != 0:
        return result.exit_code, None
    return 0, json.loads((tmp_path / "out.json").read_text())[0]["recommendation"]["profile"]["timeline_months"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("18", 18),
        ('"18"', 18),
        ("+18", 18),
        ("018", 18),
        ("' 18 '", 18),
        ("18.0", 18),  # a zero fraction, as JSON's 18.0 is the integer the contract documents
        ("18.5", None),
        ("1_8", None),
        ("0x12", None),
        ("1e1", None),
        ("18 months", None),
        ("0:18", None),
    ],
)
def test_yaml_and_csv_read_a_number_the_same_way(tmp_path: Path, text: str, expected: int | None) -> None:
    cell = yaml.safe_load(f"v: {text}")["v"] if text.startswith(("'", '"')) else text
    yaml_code, yaml_value = _from_yaml(tmp_path, text)
    csv_code, csv_value = _from_csv(tmp_path, str(cell))

    assert (yaml_code == 0, yaml_value) == (expected is not None, expected)
    assert (csv_code == 0, csv_value) == (expected is not None, expected)


def test_json_reads_a_number_in_text_like_a_csv_cell(tmp_path: Path) -> None:
    path = _write(tmp_path, "p.json", ANSWERS | {"timeline_months": "24", "uses_agency_data": "yes", "title": ""})

    result = runner.invoke(app, ["recommend", str(path)])

    assert result.exit_code == 0, result.output
    profile = json.loads(result.stdout)["profile"]
    assert (profile["timeline_months"], profile["uses_agency_data"], profile["title"]) == (24, True, None)
