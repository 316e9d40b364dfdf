"""Checks every knowledge-base file shares: loading a file into its schema, unique ids,
cross-references, and whether a condition can apply to a profile field.

Each raises :class:`~recommender.errors.KnowledgeBaseError` naming the file and the entry.

Example:
    >>> unique("risks.yaml", ["a", "b", "a"])
    Traceback (most recent call last):
    ...
    recommender.errors.KnowledgeBaseError: risks.yaml: entry 'a': duplicate id
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from recommender.errors import KnowledgeBaseError
from recommender.kb.models import Comparison
from recommender.profile import ProjectProfile, field_domain

M = TypeVar("M", bound=BaseModel)


def load_file(root: Path, name: str, model: type[M]) -> M:
    """Read ``root/name`` as YAML and validate it into ``model``."""
    path = root / name
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise KnowledgeBaseError(f"file not found in {root}", file=name) from exc
    except yaml.YAMLError as exc:
        raise KnowledgeBaseError(f"not valid YAML: {exc}", file=name) from exc
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        error = exc.errors(include_url=False)[0]
        entry, rest = _entry_of(raw, error["loc"])
        where = ".".join(str(part) for part in rest)
        reason = f"{where}: {error['msg']}" if where else error["msg"]
        raise KnowledgeBaseError(reason, file=name, entry=entry) from exc


def _entry_of(raw: Any, loc: Sequence[int | str]) -> tuple[str | None, Sequence[int | str]]:
    """Name the entry a validation error is in: its id when it has one, else its position."""
    if len(loc) >= 2 and isinstance(loc[1], int) and isinstance(raw, Mapping):
        items = raw.get(str(loc[0]))
        if isinstance(items, list) and loc[1] < len(items):
            item = items[loc[1]]
            if isinstance(item, Mapping) and isinstance(item.get("id"), str):
                return item["id"], loc[2:]
        return f"{loc[0]}[{loc[1]}]", loc[2:]
    return None, loc


def unique(file: str, ids: Iterable[str]) -> set[str]:
    """The ids, refusing one that is given twice."""
    seen: set[str] = set()
    for entry_id in ids:
        if entry_id in seen:
            raise KnowledgeBaseError("duplicate id", file=file, entry=entry_id)
        seen.add(entry_id)
    return seen


def refs(file: str, entry: str, kind: str, ids: Iterable[str], known: set[str]) -> None:
    """Refuse any of ``ids`` (of the ``kind`` named) that is not ``known``."""
    for ref in ids:
        if ref not in known:
            raise KnowledgeBaseError(f"refers to unknown {kind} {ref!r}", file=file, entry=entry)


def condition_problem(field: str, condition: Any) -> str | None:
    """Why a condition cannot apply to a profile field, or None when it is sound."""
    info = ProjectProfile.model_fields.get(field)
    if info is None or field == "title":
        return "not a profile field the rules can test"
    domain = field_domain(field)
    allowed = set(domain.choices)
    if allowed:
        values = condition if isinstance(condition, list) else [condition]
        if not values or not all(isinstance(v, str) for v in values):
            return f"expects one of {sorted(allowed)} or a list of them"
        unknown = [v for v in values if v not in allowed]
        return f"unknown value(s) {unknown}; expected {sorted(allowed)}" if unknown else None
    if domain.kind == "flag":
        return None if isinstance(condition, bool) else "expects true or false"
    if domain.kind == "number":
        if isinstance(condition, Comparison):
            try:
                condition.bound()
            except ValueError as exc:
                return str(exc)
            return None
        return (
            None
            if isinstance(condition, int) and not isinstance(condition, bool)
            else "expects a number or a comparison"
        )
    return "cannot be tested"
