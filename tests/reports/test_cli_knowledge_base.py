"""The advice commands with ``--knowledge-base DIR``: the answer, its report and its documents are
that folder's edition; a folder that does not load is named in one line, file and entry."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import docx
import pypdf
import pytest
import typer
import yaml
from typer.core import TyperOption
from typer.testing import CliRunner, Result

from recommender import KnowledgeBase, KnowledgeBaseError, Recommender, load_knowledge_base, parse_profile
from recommender.cli import app
from recommender.cli.reports import EXIT_INVALID
from tests.editions import GRANT_RULE, copy_of, edition_deciding_otherwise, recommended_initiation

OTHER = "test.cli.2"
#: A grant-funded project: the edition's changed weight changes its recommended initiation.
PROFILE = {
    "project_type": "evaluation",
    "timeline_months": 18,
    "funding": "external_grant",
    "relationship": "prior_project",
    "staff_stability": "moderate",
    "uses_agency_data": True,
}
ADVICE = ["recommend", "plan-check", "tender-brief", "what-if"]

runner = CliRunner()


@pytest.fixture(scope="module")
def edition(tmp_path_factory: pytest.TempPathFactory, kb: KnowledgeBase) -> KnowledgeBase:
    return edition_deciding_otherwise(kb.root, tmp_path_factory.mktemp("edition") / "rules", OTHER)


@pytest.fixture
def profile(tmp_path: Path) -> Path:
    path = tmp_path / "profile.yaml"
    path.write_text(yaml.safe_dump(PROFILE), encoding="utf-8")
    return path


def _run(*args: str | Path) -> Result:
    result = runner.invoke(app, [str(a) for a in args])
    assert result.exit_code == 0, result.output
    return result


@pytest.mark.parametrize("command", ADVICE)
def test_each_command_answers_with_the_knowledge_base_it_is_given(
    profile: Path, kb: KnowledgeBase, edition: KnowledgeBase, command: str
) -> None:
    shipped = json.loads(_run(command, profile).stdout)
    named = json.loads(_run(command, profile, "--knowledge-base", edition.root).stdout)

    assert shipped["knowledge_base"] == {"version": kb.version, "digest": kb.digest}
    assert named["knowledge_base"] == {"version": OTHER, "digest": edition.digest}
    assert recommended_initiation(named) != recommended_initiation(shipped), f"{GRANT_RULE} weighs otherwise"


def test_the_recommendation_is_the_one_the_edition_gives(profile: Path, edition: KnowledgeBase) -> None:
    named = _run("recommend", profile, "--knowledge-base", edition.root).stdout

    assert named == Recommender(edition).recommend(parse_profile(PROFILE)).model_dump_json(indent=2) + "\n"


def test_a_batch_answers_every_row_with_the_knowledge_base_it_is_given(tmp_path: Path, edition: KnowledgeBase) -> None:
    portfolio = tmp_path / "portfolio.csv"
    portfolio.write_text(",".join(PROFILE) + "\n" + ",".join(str(v) for v in PROFILE.values()) + "\n", encoding="utf-8")
    out = tmp_path / "out.json"

    _run("batch", portfolio, "-o", out, "--knowledge-base", edition.root)
    shipped = list(csv.DictReader(io.StringIO(_run("batch", portfolio).stdout)))
    named = list(csv.DictReader(io.StringIO(_run("batch", portfolio, "--knowledge-base", edition.root).stdout)))

    [item] = json.loads(out.read_text(encoding="utf-8"))
    assert item["recommendation"]["knowledge_base"] == {"version": OTHER, "digest": edition.digest}
    assert named[0]["initiation_mode"] == item["recommendation"]["initiation_mode"]["recommended"]
    assert named[0]["initiation_mode"] != shipped[0]["initiation_mode"]


def _document_text(fmt: str, content: bytes) -> str:
    if fmt == "docx":
        document = docx.Document(io.BytesIO(content))
        return "\n".join(p.text for p in document.paragraphs) + "\n" + str(document.core_properties.comments)
    if fmt == "pdf":
        return "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(content)).pages)
    return content.decode("utf-8")


@pytest.mark.parametrize("fmt", ["md", "html", "docx", "pdf"])
@pytest.mark.parametrize("command", ADVICE)
def test_every_report_names_the_edition_that_answered(
    tmp_path: Path, profile: Path, kb: KnowledgeBase, edition: KnowledgeBase, command: str, fmt: str
) -> None:
    out = tmp_path / f"report.{fmt}"

    _run(command, profile, "-f", fmt, "-o", out, "--knowledge-base", edition.root)

    text = " ".join(_document_text(fmt, out.read_bytes()).split())
    assert f"edition {OTHER}" in text
    assert edition.digest[:12] in text
    assert kb.digest[:12] not in text
    assert kb.version not in text


def _broken(kb: KnowledgeBase, destination: Path) -> Path:
    """A copy of the knowledge base one of whose rules cites a finding that does not exist."""
    rules = copy_of(kb.root, destination)
    path = rules / "rules.yaml"
    text = path.read_text(encoding="utf-8")
    start = text.index(f"- id: {GRANT_RULE}\n")
    cited = text.index("findings: [", start) + len("findings: [")
    path.write_text(text[:cited] + "no.such.finding, " + text[cited:], encoding="utf-8")
    return rules


@pytest.mark.parametrize("command", [*ADVICE, "batch"])
def test_a_knowledge_base_that_does_not_load_is_named_in_one_line(
    tmp_path: Path, profile: Path, kb: KnowledgeBase, command: str
) -> None:
    broken = _broken(kb, tmp_path / "broken")
    with pytest.raises(KnowledgeBaseError) as loading:
        load_knowledge_base(broken)

    result = runner.invoke(app, [command, str(profile), "--knowledge-base", str(broken)])

    assert result.exit_code == EXIT_INVALID
    assert isinstance(result.exception, SystemExit), "no traceback"
    assert result.stdout == ""
    assert result.stderr == f"error: --knowledge-base {broken}: {loading.value}\n"
    assert f"rules.yaml: entry '{GRANT_RULE}'" in result.stderr
    assert "no.such.finding" in result.stderr


def test_a_folder_that_is_no_knowledge_base_is_named(tmp_path: Path, profile: Path) -> None:
    result = runner.invoke(app, ["recommend", str(profile), "--knowledge-base", str(tmp_path)])

    assert result.exit_code == EXIT_INVALID
    assert result.stderr == f"error: --knowledge-base {tmp_path}: knowledge_base.yaml: file not found\n"


def test_the_option_reads_the_same_on_every_advice_command() -> None:
    commands = typer.main.get_group(app).commands
    options = [o for name in [*ADVICE, "batch"] for o in commands[name].params if o.name == "knowledge_base"]
    assert all(isinstance(o, TyperOption) for o in options)
    assert len(options) == len(ADVICE) + 1

    helps = {o.help for o in options if isinstance(o, TyperOption)}
    assert {(tuple(o.opts), o.metavar, o.default) for o in options} == {(("--knowledge-base",), "DIR", None)}
    assert len(helps) == 1
    assert "default: the shipped one" in str(helps.pop())
