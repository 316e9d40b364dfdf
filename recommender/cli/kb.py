"""``partnership-recommender kb``: check the knowledge base, diff two editions and render its traceability matrix."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from recommender.cli import app
from recommender.errors import KnowledgeBaseError
from recommender.kb.loader import load_knowledge_base

kb_app = typer.Typer(no_args_is_help=True, help="Verify the knowledge base in rules/ and trace it to the study.")
app.add_typer(kb_app, name="kb")

RulesDir = Annotated[
    Path | None,
    typer.Option("--rules", file_okay=False, help="Knowledge-base folder (default: the shipped one)."),
]


@kb_app.command()
def check(
    rules: RulesDir = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the full report as JSON.")] = False,
    partial: Annotated[
        bool,
        typer.Option(
            "--partial", help="Allow fields, components, readiness and tender.yaml to be absent (rules only)."
        ),
    ] = False,
) -> None:
    """Check the knowledge base on every profile; exit 1 when anything is wrong.

    Gaps, dead rules, uncited findings, monotonicity, durable_rules against the reference evaluator.
    Every file is refused as start-up would refuse it: missing, too large, not a regular file,
    not UTF-8 or not plain YAML (no anchors or aliases), naming the file.
    """
    from recommender.verify import check_knowledge_base  # the verifier: imported by the commands that use it

    report = check_knowledge_base(rules, partial=partial)
    typer.echo(json.dumps(report.to_dict(), indent=2) if as_json else report.to_text())
    raise typer.Exit(0 if report.ok else 1)


@kb_app.command()
def diff(
    old: Annotated[Path, typer.Argument(file_okay=False, help="The older edition's knowledge-base folder.")],
    new: Annotated[Path, typer.Argument(file_okay=False, help="The newer edition's knowledge-base folder.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the full report (every transition) as JSON.")] = False,
    examples: Annotated[
        int, typer.Option("--examples", min=0, help="Transitions of each kind listed in the text, largest first.")
    ] = 5,
    durable: Annotated[
        bool, typer.Option("--durable", help="Evaluate on durable_rules instead of the reference evaluator.")
    ] = False,
) -> None:
    """Compare two editions on every profile: changed initiation, level, risks and mitigations.

    The space is the union of both editions' spaces. An older edition is typically extracted
    with `git archive <commit> rules | tar -x -C DIR`; both are loaded as `kb check --partial`
    loads them. Exit 0 when the report is printed (changes or not), 1 when an edition does not load.
    """
    from recommender.engine.reference import ReferenceEvaluator
    from recommender.verify import diff_knowledge_bases
    from recommender.verify.diff import durable as durable_evaluator

    evaluator = durable_evaluator if durable else ReferenceEvaluator
    try:
        report = diff_knowledge_bases(old, new, evaluator=evaluator)
    except KnowledgeBaseError as exc:
        failing = f"new edition {new}" if exc.edition == 1 else f"old edition {old}"
        typer.echo(f"error: {failing}: {exc}", err=True)
        raise typer.Exit(1) from exc
    typer.echo(json.dumps(report.to_dict(), indent=2) if as_json else report.to_text(examples))


@kb_app.command()
def matrix(
    rules: RulesDir = None,
    output: Annotated[Path, typer.Option("--output", dir_okay=False, help="Markdown file to write.")] = Path(
        "docs/traceability.md"
    ),
    check: Annotated[bool, typer.Option("--check", help="Do not write; exit 1 if the file is stale.")] = False,
) -> None:
    """Write the traceability matrix (or, with --check, exit 1 when the file is stale).

    Every finding against the rules, risks, mitigations, modes and levels that cite it.
    """
    from recommender.verify import traceability_matrix

    try:
        text = traceability_matrix(load_knowledge_base(rules))
    except KnowledgeBaseError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(1) from exc
    if check:
        current = output.read_text(encoding="utf-8") if output.is_file() else None
        if current != text:
            typer.echo(f"{output} is stale: run `partnership-recommender kb matrix --output {output}`.", err=True)
            raise typer.Exit(1)
        typer.echo(f"{output} is up to date.")
        return
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(text, encoding="utf-8")
    typer.echo(f"Wrote {output}.")


@kb_app.command()
def schema(
    output: Annotated[Path, typer.Option("--output", file_okay=False, help="Folder to write the schemas to.")] = Path(
        "rules/schemas"
    ),
    check: Annotated[bool, typer.Option("--check", help="Do not write; exit 1 if a schema is stale.")] = False,
) -> None:
    """Write the JSON Schema of every knowledge-base file (or, with --check, exit 1 when stale)."""
    from recommender.kb.schema import stale_schemas, write_schemas

    if check:
        stale = stale_schemas(output)
        if stale:
            typer.echo(f"stale in {output}: {', '.join(stale)}; run `partnership-recommender kb schema`.", err=True)
            raise typer.Exit(1)
        typer.echo(f"{output} is current.")
        return
    for path in write_schemas(output):
        typer.echo(f"Wrote {path}.")
