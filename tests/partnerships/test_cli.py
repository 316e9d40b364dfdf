"""``partnership-recommender partnership ...`` and ``db export``/``db import`` on SQLite and
PostgreSQL: the routes' work from a terminal, on the service's database settings."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner, Result

from recommender import default_recommender, parse_profile
from recommender.cli import app as cli
from tests.partnerships.support import OTHER, PROFILE


def run(monkeypatch: pytest.MonkeyPatch, url: str, *args: str, token: str | None = None, ok: bool = True) -> Result:
    monkeypatch.setenv("PARTNERSHIP_DATABASE_URL", url)
    if token is None:
        monkeypatch.delenv("PARTNERSHIP_TOKEN", raising=False)
    else:
        monkeypatch.setenv("PARTNERSHIP_TOKEN", token)
    result = CliRunner().invoke(cli, list(args))
    if ok:
        assert result.exit_code == 0, result.output
    return result


def create(monkeypatch: pytest.MonkeyPatch, url: str) -> dict[str, Any]:
    result = run(
        monkeypatch, url, "partnership", "create", "Housing evaluation",
        "--partner", "Agency team=policy_agency", "--partner", "University=researchers",
    )  # fmt: skip
    assert "shown only this once" in result.stderr
    created: dict[str, Any] = json.loads(result.stdout)
    return created


def test_the_partnership_commands_do_what_the_routes_do(
    monkeypatch: pytest.MonkeyPatch, database_url: str, tmp_path: Path
) -> None:
    created = create(monkeypatch, database_url)
    pid, owner = created["id"], created["owner_token"]
    agency, university = created["partners"]
    mine, theirs = tmp_path / "mine.json", tmp_path / "theirs.json"
    mine.write_text(json.dumps(PROFILE), encoding="utf-8")
    theirs.write_text(json.dumps(OTHER | {"in_place": ["governance_agreement"]}), encoding="utf-8")

    shown = json.loads(run(monkeypatch, database_url, "partnership", "show", pid, token=owner).stdout)
    assert [p["answered"] for p in shown["partners"]] == [False, False]
    assert "token" not in json.dumps(shown)

    submitted = run(
        monkeypatch, database_url, "partnership", "submit", pid, agency["id"], str(mine), token=agency["token"]
    )
    assert json.loads(submitted.stdout) == {"partner_id": agency["id"], "revision": 1}
    # Another partner's token may not write this partner's answers.
    refused = run(
        monkeypatch,
        database_url,
        "partnership",
        "submit",
        pid,
        agency["id"],
        str(mine),
        token=university["token"],
        ok=False,
    )
    assert refused.exit_code == 3
    assert "only this partner may submit its answers" in refused.stderr
    early = run(monkeypatch, database_url, "partnership", "divergence", pid, token=owner, ok=False)
    assert early.exit_code == 3
    assert "not every partner has answered yet" in early.stderr
    run(
        monkeypatch,
        database_url,
        "partnership",
        "submit",
        pid,
        university["id"],
        str(theirs),
        token=university["token"],
    )

    divergence = json.loads(run(monkeypatch, database_url, "partnership", "divergence", pid, token=owner).stdout)
    assert divergence["advice_differs"] is True
    assert {f["field"] for f in divergence["fields"]} >= {"project_type", "timeline_months", "funding"}
    markdown = run(monkeypatch, database_url, "partnership", "divergence", pid, "--format", "markdown", token=owner)
    assert markdown.stdout.startswith("# Where the partners' views differ\n\nHousing evaluation\n")
    assert "## What to talk through first" in markdown.stdout

    assessed = json.loads(run(monkeypatch, database_url, "partnership", "assess", pid, str(mine), token=owner).stdout)
    assert assessed["number"] == 1
    assert assessed["recommendation"] == default_recommender().recommend(parse_profile(PROFILE)).model_dump(mode="json")
    run(monkeypatch, database_url, "partnership", "assess", pid, str(theirs.with_name("o.json")), token=owner, ok=False)
    other_profile = tmp_path / "agreed.json"
    other_profile.write_text(json.dumps(OTHER), encoding="utf-8")
    run(monkeypatch, database_url, "partnership", "assess", pid, str(other_profile), token=owner)
    history = json.loads(
        run(monkeypatch, database_url, "partnership", "history", pid, token=university["token"]).stdout
    )
    assert [a["number"] for a in history["assessments"]] == [1, 2]
    assert history["assessments"][1]["changes"]["initiation"] is not None
    rerun = json.loads(run(monkeypatch, database_url, "partnership", "rerun", pid, "1", token=owner).stdout)
    assert rerun["same_knowledge_base"] is True

    # The token is asked for (without echo) when PARTNERSHIP_TOKEN is not set.
    monkeypatch.setenv("PARTNERSHIP_DATABASE_URL", database_url)
    monkeypatch.delenv("PARTNERSHIP_TOKEN", raising=False)
    asked = CliRunner().invoke(cli, ["partnership", "show", pid], input=f"{owner}\n")
    assert asked.exit_code == 0, asked.output
    assert owner not in asked.stdout
    wrong = run(monkeypatch, database_url, "partnership", "show", pid, token="not-a-token", ok=False)
    assert wrong.exit_code == 3
    assert "the token opens no partnership" in wrong.stderr

    run(monkeypatch, database_url, "partnership", "delete", pid, token=agency["token"], ok=False)
    run(monkeypatch, database_url, "partnership", "delete", pid, token=owner)
    gone = run(monkeypatch, database_url, "partnership", "show", pid, token=owner, ok=False)
    assert gone.exit_code == 3


def test_create_refuses_a_malformed_partner(monkeypatch: pytest.MonkeyPatch, database_url: str) -> None:
    bad = run(
        monkeypatch, database_url, "partnership", "create", "T", "--partner", "Agency", "--partner", "U=x", ok=False
    )
    assert bad.exit_code == 1
    assert 'write it as "NAME=PARTY"' in bad.stderr
    one = run(monkeypatch, database_url, "partnership", "create", "T", "--partner", "U=researchers", ok=False)
    assert one.exit_code == 1
    assert "partners" in one.stderr


@pytest.mark.parametrize("direction", ["sqlite->postgresql", "postgresql->sqlite"])
def test_export_then_import_into_a_fresh_database_round_trips_every_partnership(
    monkeypatch: pytest.MonkeyPatch, postgres_url: str, tmp_path: Path, direction: str
) -> None:
    sqlite_url = f"sqlite:///{tmp_path / 'partnerships.db'}"
    source, target = (sqlite_url, postgres_url) if direction.startswith("sqlite") else (postgres_url, sqlite_url)
    answers = tmp_path / "a.json"
    answers.write_text(json.dumps(PROFILE | {"in_place": ["governance_agreement"]}), encoding="utf-8")
    made = [create(monkeypatch, source) for _ in range(2)]
    first = made[0]
    for _revision in range(2):
        for partner in first["partners"]:
            run(
                monkeypatch,
                source,
                "partnership",
                "submit",
                first["id"],
                partner["id"],
                str(answers),
                token=partner["token"],
            )
    agreed = tmp_path / "agreed.json"
    agreed.write_text(json.dumps(PROFILE), encoding="utf-8")
    run(monkeypatch, source, "partnership", "assess", first["id"], str(agreed), token=first["owner_token"])

    exported = tmp_path / "export.json"
    run(monkeypatch, source, "db", "export", str(exported))
    text = exported.read_text(encoding="utf-8")
    document = json.loads(text)
    assert len(document["partnerships"]) == 2
    assert [len(p["answers"]) for p in document["partnerships"][0]["partners"]] in ([2, 2], [0, 0])
    for created in made:  # tokens stay hashed: no token is in the file
        assert created["owner_token"] not in text
        assert all(p["token"] not in text for p in created["partners"])

    imported = run(monkeypatch, target, "db", "import", str(exported))
    assert "imported 2 partnerships" in imported.stdout
    again = tmp_path / "again.json"
    run(monkeypatch, target, "db", "export", str(again))
    assert json.loads(again.read_text(encoding="utf-8")) == document
    # The original tokens open the moved partnerships.
    shown = json.loads(run(monkeypatch, target, "partnership", "show", first["id"], token=first["owner_token"]).stdout)
    assert shown["divergence"] is not None
    # Importing twice is refused, and stores nothing.
    twice = run(monkeypatch, target, "db", "import", str(exported), ok=False)
    assert twice.exit_code == 1
    assert "already holds partnership" in twice.stderr
    broken = tmp_path / "broken.json"
    broken.write_text(json.dumps({"format": "something else", "partnerships": []}), encoding="utf-8")
    refused = run(monkeypatch, target, "db", "import", str(broken), ok=False)
    assert refused.exit_code == 1
    assert "not a partnerships export" in refused.stderr


def test_ids_never_start_with_a_dash_so_commands_read_them_as_arguments() -> None:
    from recommender.partnerships import tokens

    assert not any(tokens.new_id().startswith("-") for _ in range(5000))
