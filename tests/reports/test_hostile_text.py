"""Hostile text (issue 14): non-ASCII digits, control characters and formulas in CLI output."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
import yaml
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from recommender import ProfileError, parse_profile
from recommender.cli import app
from recommender.cli.reports import EXIT_INVALID
from recommender.reports import profile_data_from_text

runner = CliRunner()
HEADER = "project_type,timeline_months,funding,relationship,staff_stability"
ROW = "evaluation,18,external_grant,prior_project,moderate"
PROFILE = dict(zip(HEADER.split(","), ROW.split(","), strict=True)) | {"timeline_months": 18}
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

# --- 6. only ASCII digits are numbers ---


@pytest.mark.parametrize("typed", ["\u0663", "\uff11\uff18", "\u09e7\u09e8", "1\u0663", "\u00b2"])
def test_digits_other_than_ascii_are_not_a_number(typed: str) -> None:
    assert profile_data_from_text({"timeline_months": typed}) == {"timeline_months": typed}


@pytest.mark.parametrize("typed", ["\u0663", "\uff11\uff18"])
def test_the_form_refuses_a_timeline_in_other_digits(client: TestClient, typed: str) -> None:
    form = {
        "project_type": "evaluation",
        "timeline_months": typed,
        "funding": "co_funded",
        "relationship": "long_term",
        "staff_stability": "high",
    }
    response = client.post("/", data=form, follow_redirects=False)
    assert response.status_code == 422


def test_a_csv_row_with_full_width_digits_is_an_invalid_row(tmp_path: Path) -> None:
    path = tmp_path / "portfolio.csv"
    full_width = ROW.replace("18", "\uff11\uff18")
    path.write_text(f"{HEADER}\n{ROW}\n{full_width}\n", encoding="utf-8")

    result = runner.invoke(app, ["batch", str(path)])

    assert result.exit_code == EXIT_INVALID
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert rows[0]["errors"] == ""
    assert rows[1]["errors"].startswith("timeline_months: ")


# --- 7. control characters in a title are refused wherever text comes in ---

CONTROLS = ["\x00", "\x1b]8;;http://x\x07", "\u202e", "\u2067", "\x9b", "\u200e"]


@pytest.mark.parametrize("control", CONTROLS)
def test_the_profile_refuses_a_title_with_a_control_character(control: str) -> None:
    with pytest.raises(ProfileError) as caught:
        parse_profile({**PROFILE, "title": f"a{control}b"})
    assert [p.field for p in caught.value.problems] == ["title"]
    assert "control character" in caught.value.problems[0].reason


@pytest.mark.parametrize("control", ["\x1b[2J", "\u202e"])
def test_a_profile_file_with_a_control_character_in_its_title_is_refused(tmp_path: Path, control: str) -> None:
    path = tmp_path / "profile.yaml"
    path.write_text(yaml.safe_dump({**PROFILE, "title": f"Plan{control}txt"}, allow_unicode=True), encoding="utf-8")

    for command in ("recommend", "plan-check", "tender-brief", "what-if"):
        result = runner.invoke(app, [command, str(path), "-f", "md"])
        assert result.exit_code == EXIT_INVALID, command
        assert "title" in result.stderr
        assert control not in result.stdout + result.stderr


def test_a_csv_title_with_a_control_character_is_an_invalid_row(tmp_path: Path) -> None:
    path = tmp_path / "portfolio.csv"
    path.write_text(f"title,{HEADER}\nOK,{ROW}\n\x1b[31mRed\u202e,{ROW}\n", encoding="utf-8")
    out = tmp_path / "out.json"

    result = runner.invoke(app, ["batch", str(path), "-o", str(out)])

    assert result.exit_code == EXIT_INVALID
    items = json.loads(out.read_text(encoding="utf-8"))
    assert "recommendation" in items[0]
    assert [error["field"] for error in items[1]["errors"]] == ["title"]
    assert "\x1b" not in result.stderr
    assert "\u202e" not in result.stderr


# --- 5. every cell the batch command writes is safe in a spreadsheet ---


def test_every_cell_of_the_batch_csv_is_protected_from_formulas(tmp_path: Path) -> None:
    path = tmp_path / "portfolio.csv"
    path.write_text(
        f'{HEADER},"=HYPERLINK(""http://evil"",""x"")",@SUM(1),-1+1\n{ROW},=1+1,+2,-3\n=cmd|x,{ROW[11:]},a,b,c\n',
        encoding="utf-8",
    )
    out = tmp_path / "out.csv"

    result = runner.invoke(app, ["batch", str(path), "-o", str(out)])

    assert result.exit_code == EXIT_INVALID
    cells = [cell for row in csv.reader(io.StringIO(out.read_text(encoding="utf-8"))) for cell in row]
    assert cells, "rows written"
    assert [cell for cell in cells if cell.startswith(FORMULA_STARTS)] == []
    assert any("HYPERLINK" in cell for cell in cells), "the header is reported, made harmless"
