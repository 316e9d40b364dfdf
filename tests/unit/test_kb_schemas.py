"""The JSON Schemas editors use for rules/*.yaml are current and describe the shipped files."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml
from typer.testing import CliRunner

from recommender.cli import app
from recommender.kb import default_rules_dir
from recommender.kb.schema import FILE_MODELS, schema_name, stale_schemas

RULES = default_rules_dir()
SCHEMAS = RULES / "schemas"


def test_the_committed_schemas_match_the_models() -> None:
    assert stale_schemas(SCHEMAS) == []


@pytest.mark.parametrize("file", sorted(FILE_MODELS))
def test_every_shipped_file_names_and_satisfies_its_schema(file: str) -> None:
    text = (RULES / file).read_text(encoding="utf-8")
    assert text.splitlines()[0] == f"# yaml-language-server: $schema=schemas/{schema_name(file)}"
    schema = json.loads((SCHEMAS / schema_name(file)).read_text(encoding="utf-8"))
    jsonschema.validate(yaml.safe_load(text), schema)


def test_a_misspelt_key_breaks_the_schema_as_it_breaks_the_loader() -> None:
    data = yaml.safe_load((RULES / "findings.yaml").read_text(encoding="utf-8"))
    data["findings"][0]["statment"] = data["findings"][0].pop("statement")
    schema = json.loads((SCHEMAS / "findings.schema.json").read_text(encoding="utf-8"))
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, schema)


def test_kb_schema_writes_the_schemas_and_check_reports_stale_ones(tmp_path: Path) -> None:
    runner = CliRunner()
    assert runner.invoke(app, ["kb", "schema", "--output", str(tmp_path), "--check"]).exit_code == 1
    assert runner.invoke(app, ["kb", "schema", "--output", str(tmp_path)]).exit_code == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(schema_name(f) for f in FILE_MODELS)
    assert runner.invoke(app, ["kb", "schema", "--output", str(tmp_path), "--check"]).exit_code == 0
