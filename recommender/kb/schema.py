"""JSON Schemas of the knowledge-base files, generated from their pydantic models.

Editors validate ``rules/*.yaml`` against ``rules/schemas/*.schema.json`` (each YAML file names
its schema in a ``yaml-language-server`` comment). The schemas are written by
``partnership-recommender kb schema``; a test fails when the committed ones are stale.

Example:
    >>> sorted(json_schemas())[0]
    'components.schema.json'
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from recommender.kb.fields import FIELDS, FieldsFile
from recommender.kb.loader import FINDINGS, MANIFEST, MITIGATIONS, PARTNERSHIPS, RISKS, RULES
from recommender.kb.models import (
    ComponentsFile,
    FindingsFile,
    Manifest,
    MitigationsFile,
    PartnershipsFile,
    ReadinessFile,
    RisksFile,
    RulesFile,
    TenderFile,
)
from recommender.kb.plan_knowledge import COMPONENTS, READINESS, TENDER

#: Every knowledge-base file and the model that defines it.
FILE_MODELS: dict[str, type[BaseModel]] = {
    MANIFEST: Manifest,
    FINDINGS: FindingsFile,
    RISKS: RisksFile,
    MITIGATIONS: MitigationsFile,
    RULES: RulesFile,
    COMPONENTS: ComponentsFile,
    READINESS: ReadinessFile,
    TENDER: TenderFile,
    FIELDS: FieldsFile,
    PARTNERSHIPS: PartnershipsFile,
}

SCHEMA_DIR = "schemas"


def schema_name(file: str) -> str:
    """``findings.yaml`` -> ``findings.schema.json``."""
    return f"{Path(file).stem}.schema.json"


def json_schemas() -> dict[str, dict[str, Any]]:
    """The JSON Schema of every knowledge-base file, by schema file name."""
    schemas = {}
    for file, model in FILE_MODELS.items():
        schema = model.model_json_schema()
        schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
        schema["title"] = f"rules/{file}"
        schemas[schema_name(file)] = schema
    return dict(sorted(schemas.items()))


def render(schema: dict[str, Any]) -> str:
    return json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def stale_schemas(directory: Path) -> list[str]:
    """Schema files in ``directory`` that are missing or differ from the models."""
    return [
        name
        for name, schema in json_schemas().items()
        if not (directory / name).is_file() or (directory / name).read_text(encoding="utf-8") != render(schema)
    ]


def write_schemas(directory: Path) -> list[Path]:
    """Write every schema into ``directory``; return the paths written."""
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name, schema in json_schemas().items():
        path = directory / name
        path.write_text(render(schema), encoding="utf-8")
        written.append(path)
    return written
