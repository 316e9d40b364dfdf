"""The what-if report: which single changes to the project would change the recommendation, and
the fewest changes that would make co-production the recommended level."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from recommender.kb.fields import FieldGuideBook
from recommender.kb.knowledge_base import KnowledgeBase
from recommender.reports.context import base_context
from recommender.reports.environment import render
from recommender.what_if import Assignment, Change, WhatIf


@dataclass(frozen=True)
class ChangeRow:
    field: str
    value: str
    mode: tuple[str, str] | None
    level: tuple[str, str] | None
    findings: list[str]


def render_what_if(
    result: WhatIf, kb: KnowledgeBase, fmt: str = "html", *, links: Mapping[str, str] | None = None
) -> str:
    """The what-if analysis as a standalone HTML page (``fmt="html"``) or Markdown (``"md"``).

    Example:
        >>> from recommender import ProjectProfile, default_recommender, what_if
        >>> r = default_recommender()
        >>> profile = ProjectProfile(project_type="evaluation", timeline_months=24,
        ...     funding="external_grant", relationship="long_term", staff_stability="high")
        >>> render_what_if(what_if(profile, recommender=r), r.kb, "md").splitlines()[0]
        '# What could change the recommendation'
    """
    return render("what_if", fmt, what_if_context(result, kb, links=links))


def what_if_context(result: WhatIf, kb: KnowledgeBase, *, links: Mapping[str, str] | None = None) -> dict[str, Any]:
    guide = kb.require_field_guide()
    modes: dict[str, str] = {m.id: m.title for m in kb.modes}
    levels: dict[str, str] = {lv.id: lv.title for lv in kb.levels}
    rows = [_row(change, guide, modes, levels) for field in result.fields for change in field.changes]
    path = result.co_production
    return {
        **base_context(kb, result.profile, result.baseline.initiation_mode, result.baseline.collaboration_level, links),
        "own_calibrations": [],
        "result": result,
        "rows": rows,
        "path": [_assignment(a, guide) for a in path.changes] if path else [],
        "alternatives": [[_assignment(a, guide) for a in option] for option in path.alternatives] if path else [],
    }


def _row(change: Change, guide: FieldGuideBook, modes: dict[str, str], levels: dict[str, str]) -> ChangeRow:
    field, value = _assignment(Assignment(field=change.field, value=change.value, range=change.range), guide)
    mode = change.initiation_mode
    level = change.collaboration_level
    return ChangeRow(
        field=field,
        value=value,
        mode=(modes[mode.before], modes[mode.after]) if mode else None,
        level=(levels[level.before], levels[level.after]) if level else None,
        findings=change.findings,
    )


def _assignment(assignment: Assignment, guide: FieldGuideBook) -> tuple[str, str]:
    """``(field label, value in words)``; a number stands for its whole range of equivalent values."""
    field = guide.field(assignment.field)
    value = assignment.value
    unit = f" {field.unit}" if field.unit else ""
    if assignment.range is not None and assignment.range.min != assignment.range.max:
        return field.label, f"{assignment.range.min} to {assignment.range.max}{unit}"
    if isinstance(value, bool):
        return field.label, "Yes" if value else "No"
    return field.label, field.value_label(value) + (unit if isinstance(value, int) else "")
