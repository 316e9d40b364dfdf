"""Helpers for the knowledge-base checks: editing parsed YAML and running the kb command line."""

from __future__ import annotations

import json
from typing import Any

from typer.testing import CliRunner

from recommender.cli import app


def rule(data: dict[str, Any], rule_id: str) -> dict[str, Any]:
    """The rule ``rule_id`` in parsed ``rules.yaml`` data, to edit in place."""
    return next(entry for entry in data["rules"] if entry["id"] == rule_id)


def kb_check(*args: str) -> tuple[int, dict[str, Any]]:
    """Run ``partnership-recommender kb check --json --partial [args]``: the exit code and the report.

    ``--partial``: the small knowledge bases of these tests hold the rules' files only.
    """
    result = CliRunner().invoke(app, ["kb", "check", "--json", "--partial", *args])
    return result.exit_code, json.loads(result.stdout)
