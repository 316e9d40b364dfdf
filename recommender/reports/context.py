"""What every report's template context holds: the project in words, the recommendation's
titles, the continuum, the risks by party and the citations."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from recommender.kb.fields import FieldGuideBook
from recommender.kb.knowledge_base import KnowledgeBase
from recommender.kb.models import Level, Mode
from recommender.profile import ProjectProfile
from recommender.reports import charts
from recommender.reports.environment import Citations


@dataclass(frozen=True)
class PartyRisks:
    label: str
    risks: list[tuple[Any, list[Any]]]


def base_context(
    kb: KnowledgeBase, profile: ProjectProfile, mode: str, level: str, links: Mapping[str, str] | None
) -> dict[str, Any]:
    """The parts of a template context every report uses."""
    guide = kb.require_field_guide()
    modes: dict[str, Mode] = {m.id: m for m in kb.modes}
    levels: dict[str, Level] = {lv.id: lv for lv in kb.levels}
    return {
        "kb": kb,
        "title": profile.title,
        "links": dict(links or {}),
        "profile_rows": profile_rows(profile.model_dump(), guide),
        "mode": modes[mode],
        "modes": modes,
        "level": levels[level],
        "continuum": charts.continuum([(lv.id, lv.title) for lv in kb.levels], level),
        "cite": Citations(kb),
    }


def profile_rows(values: Mapping[str, Any], guide: FieldGuideBook) -> list[tuple[str, str]]:
    """``(label, value in words)`` for each field given, in the guide's order (the title is the heading)."""
    rows = []
    for field in guide.fields:
        value = values.get(field.id)
        if field.id == "title" or value is None:
            continue
        if isinstance(value, bool):
            text = "Yes" if value else "No"
        else:
            text = field.value_label(value) + (f" {field.unit}" if field.unit else "")
        rows.append((field.label, text))
    return rows


def risks_by_party(
    risks: Sequence[Any], mitigations: Sequence[Any] | Mapping[str, Any], guide: FieldGuideBook
) -> list[PartyRisks]:
    """Risks grouped under the guide's party labels, each with its mitigations looked up by id.

    ``risks`` have ``party`` and ``mitigations`` (ids); ``mitigations`` is a list of items with an
    ``id`` or a mapping from id to item.
    """
    by_id = mitigations if isinstance(mitigations, Mapping) else {m.id: m for m in mitigations}
    groups = []
    for party, label in guide.parties.items():
        found = [(risk, [by_id[m] for m in risk.mitigations]) for risk in risks if risk.party == party]
        if found:
            groups.append(PartyRisks(label, found))
    return groups
