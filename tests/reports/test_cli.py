"""The report commands on the command line: each command, each format, stdin and bad input."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from recommender.cli import app
from recommender.cli.reports import EXIT_INVALID, EXIT_UNREADABLE
from tests.reports.conftest import HOSTILE_TITLE

PROFILE = {
    "title": HOSTILE_TITLE,
    "project_type": "evaluation",
    "timeline_months": 18,
    "funding": "external_grant",
    "relationship": "prior_project",
    "staff_stability": "moderate",
    "uses_agency_data": True,
}

runner = CliRunner()


@pytest.fixture
def profile_yaml(tmp_path: Path) -> Path:
    path = tmp_path / "profile.yaml"
    path.write_text(yaml.safe_dump(PROFILE), encoding="utf-8")
    return path


@pytest.fixture
def profile_json(tmp_path: Path) -> Path:
    path = tmp_path / "profile.json"
    path.write_text(json.dumps(PROFILE), encoding="utf-8")
    return path


def test_recommend_prints_the_recommendation_as_json_by_default(profile_yaml: Path) -> None:
    result = runner.invoke(app, ["recommend", str(profile_yaml)])
    assert result.exit_code == 0, result.output
    answer = json.loads(result.stdout)
    assert answer["initiation_mode"]["recommended"] == "researcher"
    assert answer["profile"]["title"] == HOSTILE_TITLE


@pytest.mark.parametrize(
    ("fmt", "start", "escaped"),
    [
        ("md", r"# \<script\>", r"\<script\>alert(1)\</script\>"),
        ("html", "<!DOCTYPE html>", "&lt;script&gt;alert(1)&lt;/script&gt;"),
    ],
)
@pytest.mark.parametrize("command", ["recommend", "plan-check", "tender-brief", "what-if"])
def test_each_report_command_writes_each_format(
    profile_json: Path, command: str, fmt: str, start: str, escaped: str
) -> None:
    result = runner.invoke(app, [command, str(profile_json), "--format", fmt])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(start)
    assert escaped in result.stdout
    assert HOSTILE_TITLE not in result.stdout


def test_recommend_reads_the_profile_from_standard_input() -> None:
    result = runner.invoke(app, ["recommend", "-", "-f", "md"], input=yaml.safe_dump(PROFILE))
    assert result.exit_code == 0, result.output
    assert "Researcher-initiated" in result.stdout


def test_a_json_profile_on_standard_input_is_read_too() -> None:
    result = runner.invoke(app, ["tender-brief", "-"], input=json.dumps(PROFILE))
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["initiation_mode"] == "researcher"


def test_plan_check_takes_components_from_the_file_and_the_options(tmp_path: Path) -> None:
    path = tmp_path / "plan.json"
    path.write_text(json.dumps({"profile": PROFILE, "plan": {"in_place": ["aims_in_writing"]}}), encoding="utf-8")
    result = runner.invoke(app, ["plan-check", str(path), "--in-place", "data_access_agreement"])
    assert result.exit_code == 0, result.output
    statuses = {c["id"]: c["status"] for c in json.loads(result.stdout)["components"]}
    assert statuses["aims_in_writing"] == statuses["data_access_agreement"] == "in_place"
    assert statuses["governance_agreement"] == "missing"


def test_plan_check_names_an_unknown_component(profile_yaml: Path) -> None:
    result = runner.invoke(app, ["plan-check", str(profile_yaml), "-c", "a_wish"])
    assert result.exit_code == EXIT_INVALID
    assert result.stderr.startswith("error: --in-place a_wish: not a plan component; one of: aims_in_writing")


def test_what_if_prints_the_changes_as_json(profile_yaml: Path) -> None:
    result = runner.invoke(app, ["what-if", str(profile_yaml)])
    assert result.exit_code == 0, result.output
    answer = json.loads(result.stdout)
    assert answer["baseline"] == {"initiation_mode": "researcher", "collaboration_level": "collaborative"}
    assert answer["fields"]


@pytest.mark.parametrize("command", ["recommend", "plan-check", "tender-brief", "what-if"])
def test_an_invalid_profile_is_refused_naming_the_field_and_its_label(tmp_path: Path, command: str) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(yaml.safe_dump({**PROFILE, "timeline_months": 500, "colour": "blue"}), encoding="utf-8")
    result = runner.invoke(app, [command, str(path)])
    assert result.exit_code == EXIT_INVALID
    assert result.stdout == ""
    assert f"error: {path}: invalid input" in result.stderr
    assert "timeline_months (Months until the final deliverable): Input should be less than or equal to 120" in (
        result.stderr
    )
    assert "colour: unknown field" in result.stderr


def test_a_missing_file_is_refused() -> None:
    result = runner.invoke(app, ["recommend", "no/such/profile.yaml"])
    assert result.exit_code == EXIT_UNREADABLE
    assert "error: no/such/profile.yaml: no such file" in result.stderr


@pytest.mark.parametrize(("name", "text", "kind"), [("bad.yaml", "a: [1\n", "YAML or JSON"), ("bad.json", "{", "JSON")])
def test_an_unparseable_file_is_refused(tmp_path: Path, name: str, text: str, kind: str) -> None:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    result = runner.invoke(app, ["recommend", str(path)])
    assert result.exit_code == EXIT_UNREADABLE
    assert f"{path}: not valid {kind}" in result.stderr


def test_a_file_that_is_not_a_mapping_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "list.yaml"
    path.write_text("- evaluation\n", encoding="utf-8")
    result = runner.invoke(app, ["recommend", str(path)])
    assert result.exit_code == EXIT_INVALID
    assert "invalid input" in result.stderr


def _portfolio(tmp_path: Path) -> Path:
    path = tmp_path / "portfolio.csv"
    path.write_text(
        "title,project_type,timeline_months,funding,relationship,staff_stability,uses_agency_data\n"
        "=HYPERLINK(1),evaluation,18,external_grant,prior_project,moderate,yes\n"
        "Too long,evaluation,500,external_grant,prior_project,moderate,no\n"
        "Review,evidence_review,4,agency_commissioned,none,moderate,\n",
        encoding="utf-8",
    )
    return path


def test_batch_writes_csv_answering_the_valid_rows_and_naming_the_bad_ones(tmp_path: Path) -> None:
    out = tmp_path / "out.csv"
    result = runner.invoke(app, ["batch", str(_portfolio(tmp_path)), "--output", str(out)])
    assert result.exit_code == EXIT_INVALID
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert [r["row"] for r in rows] == ["2", "3", "4"]
    assert rows[0]["title"] == "'=HYPERLINK(1)", "a title is never a spreadsheet formula"
    assert (rows[0]["initiation_mode"], rows[0]["collaboration_level"]) == ("researcher", "collaborative")
    assert rows[1]["errors"] == "timeline_months: Input should be less than or equal to 120"
    assert rows[2]["initiation_mode"] == "agency"
    assert "row 3: timeline_months (Months until the final deliverable)" in result.stderr
    assert "2 of 3 projects answered" in result.stderr


def test_batch_writes_json(tmp_path: Path) -> None:
    out = tmp_path / "out.json"
    result = runner.invoke(app, ["batch", str(_portfolio(tmp_path)), "-o", str(out)])
    assert result.exit_code == EXIT_INVALID
    items = json.loads(out.read_text(encoding="utf-8"))
    assert items[0]["recommendation"]["profile"]["uses_agency_data"] is True
    assert items[1] == {
        "row": 3,
        "errors": [{"field": "timeline_months", "reason": "Input should be less than or equal to 120", "value": 500}],
    }


def test_batch_of_valid_rows_succeeds_and_prints_csv(tmp_path: Path) -> None:
    path = tmp_path / "ok.csv"
    path.write_text(
        "project_type,timeline_months,funding,relationship,staff_stability\nevaluation,24,co_funded,long_term,high\n",
        encoding="utf-8",
    )
    result = runner.invoke(app, ["batch", str(path)])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[1].startswith("2,,co_produced,co_production,")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["batch", "missing.csv"], "missing.csv: no such file"),
        (["batch", "{csv}", "-o", "out.txt"], "--output out.txt: must end in .csv or .json"),
        (["batch", "{empty}"], "empty; the first row must name the profile fields"),
    ],
)
def test_batch_refuses_bad_files(tmp_path: Path, args: list[str], message: str) -> None:
    empty = tmp_path / "empty.csv"
    empty.write_text("", encoding="utf-8")
    args = [a.format(csv=_portfolio(tmp_path), empty=empty) for a in args]
    result = runner.invoke(app, args)
    assert result.exit_code == EXIT_UNREADABLE
    assert message in result.stderr
