"""The traceability matrix in docs/ is current, and `kb matrix` writes and checks it."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from recommender import KnowledgeBase
from recommender.cli import app
from recommender.verify import traceability_matrix

COMMITTED = Path(__file__).resolve().parents[2] / "docs" / "traceability.md"


def test_the_committed_traceability_matrix_is_current(kb: KnowledgeBase) -> None:
    assert COMMITTED.read_text(encoding="utf-8") == traceability_matrix(kb), (
        "docs/traceability.md is stale: run `partnership-recommender kb matrix`"
    )


def test_the_matrix_lists_every_finding_with_the_entries_that_cite_it(kb: KnowledgeBase) -> None:
    rows = {line.split(" | ")[0].strip("| `"): line for line in traceability_matrix(kb).splitlines() if "| `" in line}

    assert set(rows) == set(kb.findings)
    assert "`co_funding_shares_risk`" in rows["coprod.shared_risk"]
    assert "mode `co_produced`" in rows["coprod.shared_risk"]
    assert "level `transactional`" in rows["collab.continuum"]


def test_kb_matrix_check_fails_on_a_stale_file_until_kb_matrix_rewrites_it(tmp_path: Path) -> None:
    output = tmp_path / "docs" / "traceability.md"
    runner = CliRunner()

    missing = runner.invoke(app, ["kb", "matrix", "--output", str(output), "--check"])
    written = runner.invoke(app, ["kb", "matrix", "--output", str(output)])
    current = runner.invoke(app, ["kb", "matrix", "--output", str(output), "--check"])
    output.write_text(output.read_text(encoding="utf-8") + "edited by hand\n", encoding="utf-8")
    stale = runner.invoke(app, ["kb", "matrix", "--output", str(output), "--check"])

    assert (missing.exit_code, written.exit_code, current.exit_code, stale.exit_code) == (1, 0, 0, 1)
    assert "is stale" in stale.stderr
