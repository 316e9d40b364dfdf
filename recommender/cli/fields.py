"""``partnership-recommender fields`` and ``init``: what a profile holds, and a starter profile.

Every label and explanation comes from ``rules/fields.yaml`` and every value, bound and default
from the profile model (:func:`~recommender.profile.field_domain`): nothing is restated here.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer
import yaml

from recommender import default_recommender
from recommender.cli import app
from recommender.kb.fields import FieldGuide
from recommender.profile import ProjectProfile, field_domain

EXIT_UNWRITABLE = 2
_FLAG_TEXT = "true or false"


def _required(field_id: str) -> bool:
    return ProjectProfile.model_fields[field_id].is_required()


def _default(field_id: str) -> Any:
    return ProjectProfile.model_fields[field_id].default


def _allowed(guide: FieldGuide) -> str:
    """What the field takes, in words: its choices, its range, yes/no or free text."""
    domain = field_domain(guide.id)
    if domain.kind == "choice":
        return "one of: " + ", ".join(domain.choices)
    if domain.kind == "number":
        low, high = domain.bounds
        unit = f" ({guide.unit})" if guide.unit else ""
        return f"a whole number from {low} to {high}{unit}"
    if domain.kind == "flag":
        return _FLAG_TEXT
    return "free text"


def _status(guide: FieldGuide) -> str:
    if _required(guide.id):
        return "required"
    default = _default(guide.id)
    if default is None:
        return "optional; leave it empty if not decided"
    return f"optional; default: {json.dumps(default)}"


def _field_entry(guide: FieldGuide) -> dict[str, Any]:
    domain = field_domain(guide.id)
    entry: dict[str, Any] = {
        "id": guide.id,
        "label": guide.label,
        "help": guide.help,
        "required": _required(guide.id),
        "kind": domain.kind,
    }
    if not entry["required"]:
        entry["default"] = _default(guide.id)
    if domain.kind == "number":
        entry["min"], entry["max"] = domain.bounds
        if guide.unit:
            entry["unit"] = guide.unit
    if guide.values:
        entry["values"] = [{"id": v.id, "label": v.label, "help": v.help} for v in guide.values]
    return entry


@app.command()
def fields(
    as_json: Annotated[bool, typer.Option("--json", help="Print the fields as JSON.")] = False,
) -> None:
    """List every profile field: what it means, whether it is required, and the values it takes."""
    guides = default_recommender().kb.require_field_guide().fields
    if as_json:
        typer.echo(json.dumps([_field_entry(g) for g in guides], indent=2, ensure_ascii=False))
        return
    blocks = []
    for guide in guides:
        lines = [
            f"{guide.id}  ({_status(guide)})",
            f"  {guide.label}",
            f"  {guide.help}",
            f"  Takes {_allowed(guide)}.",
        ]
        width = max((len(v.id) for v in guide.values), default=0)
        lines += [f"    {v.id.ljust(width)}  {v.label}: {v.help}" for v in guide.values]
        blocks.append("\n".join(lines))
    typer.echo("\n\n".join(blocks))


def starter_yaml() -> str:
    """A profile to fill in: every field with its meaning as comments, the required ones left empty."""
    out = [
        "# A project profile for partnership-recommender.",
        "# Fill in every field marked REQUIRED (after the colon), then run for example:",
        "#   partnership-recommender recommend THIS_FILE --format md",
        "# `partnership-recommender fields` explains every field and value.",
    ]
    for guide in default_recommender().kb.require_field_guide().fields:
        out += ["", f"# {guide.label}  [{'REQUIRED' if _required(guide.id) else _status(guide)}]"]
        out += [f"#   {line}" for line in _wrapped(guide.help)]
        out.append(f"#   Takes {_allowed(guide)}.")
        out += [f"#     {v.id}: {v.label}" for v in guide.values]
        default = None if _required(guide.id) else _default(guide.id)
        value = "" if default is None else " " + yaml.safe_dump(default, default_flow_style=True).splitlines()[0]
        out.append(f"{guide.id}:{value}")
    return "\n".join(out) + "\n"


def starter_json() -> str:
    """The same profile as JSON, which has no comments: each required field's value says what to put there."""
    data: dict[str, Any] = {}
    for guide in default_recommender().kb.require_field_guide().fields:
        if _required(guide.id):
            data[guide.id] = f"REQUIRED, {_allowed(guide)}"
        else:
            data[guide.id] = _default(guide.id)
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def _wrapped(text: str, width: int = 92) -> list[str]:
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines


@app.command()
def init(
    file: Annotated[Path, typer.Argument(metavar="FILE", help="The profile to write: a .yaml, .yml or .json file.")],
    force: Annotated[bool, typer.Option("--force", help="Overwrite FILE if it exists.")] = False,
) -> None:
    """Write a starter profile to fill in: the required fields left empty, every field explained."""
    suffix = file.suffix.lower()
    if suffix not in (".yaml", ".yml", ".json"):
        _fail(f"{file}: FILE must end in .yaml, .yml or .json")
    if file.exists() and not force:
        _fail(f"{file}: already exists; use --force to overwrite it")
    text = starter_json() if suffix == ".json" else starter_yaml()
    try:
        file.write_text(text, encoding="utf-8")
    except OSError as exc:
        _fail(f"{file}: cannot be written: {exc}")
    required = [g.id for g in default_recommender().kb.require_field_guide().fields if _required(g.id)]
    typer.echo(f"Wrote {file}. Fill in {', '.join(required)}; then: partnership-recommender recommend {file}", err=True)


def _fail(message: str) -> None:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(EXIT_UNWRITABLE)
