"""Assessments over time: the owner records the advice on the agreed profile as a snapshot (the
recommendation as it was made, with the knowledge base's version and digest); the history shows
what changed from one to the next; a re-run shows what the current knowledge base would advise
on an old assessment's profile, without changing the snapshot.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from recommender.errors import NotFoundError
from recommender.partnerships import access
from recommender.partnerships.models import AssessmentRow
from recommender.partnerships.unit_of_work import UnitOfWork
from recommender.partnerships.views import Assessment, AssessmentList, Changes, Rerun
from recommender.profile import ProjectProfile, parse_profile
from recommender.recommendation import KnowledgeBaseRef
from recommender.service import Recommender


def _canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True)


def _field_order(name: str) -> tuple[int, str]:
    order = list(ProjectProfile.model_fields)
    return (order.index(name) if name in order else len(order), name)


def changes(
    old_profile: Mapping[str, Any],
    old: Mapping[str, Any],
    new_profile: Mapping[str, Any],
    new: Mapping[str, Any],
) -> Changes:
    """What changed from one recommendation (as JSON) to another: profile fields, initiation, level, risks."""
    names = sorted(set(old_profile) | set(new_profile), key=_field_order)
    fields = [n for n in names if _canonical(old_profile.get(n)) != _canonical(new_profile.get(n))]
    old_init, new_init = old["initiation_mode"]["recommended"], new["initiation_mode"]["recommended"]
    old_level, new_level = old["collaboration_level"]["recommended"], new["collaboration_level"]["recommended"]
    old_risks = {r["id"] for r in old["risks"]}
    new_risks = {r["id"] for r in new["risks"]}
    return Changes(
        fields=fields,
        initiation=(old_init, new_init) if old_init != new_init else None,
        level=(old_level, new_level) if old_level != new_level else None,
        risks_raised=sorted(new_risks - old_risks),
        risks_cleared=sorted(old_risks - new_risks),
    )


def _assessment(row: AssessmentRow, previous: AssessmentRow | None) -> Assessment:
    return Assessment(
        number=row.number,
        created_at=row.created_at,
        profile=row.profile,
        recommendation=row.recommendation,
        knowledge_base=KnowledgeBaseRef(version=row.kb_version, digest=row.kb_digest),
        changes=None
        if previous is None
        else changes(previous.profile, previous.recommendation, row.profile, row.recommendation),
    )


def record_assessment(
    uow: UnitOfWork, partnership_id: str, token: str | None, profile: ProjectProfile, recommender: Recommender
) -> Assessment:
    """Record an assessment on the agreed profile (the owner only): a snapshot of the advice and the knowledge base."""
    rec = recommender.recommend(profile)
    with uow:
        caller = access.owner(uow, partnership_id, token)
        history = caller.partnership.assessments
        previous = history[-1] if history else None
        row = AssessmentRow(
            number=(previous.number if previous else 0) + 1,
            profile=profile.model_dump(mode="json", exclude_none=True),
            recommendation=rec.model_dump(mode="json"),
            kb_version=recommender.kb.version,
            kb_digest=recommender.kb.digest,
        )
        history.append(row)
        uow.commit()
        return _assessment(row, previous)


def list_assessments(uow: UnitOfWork, partnership_id: str, token: str | None) -> AssessmentList:
    """Every assessment, oldest first, each with what changed since the one before (owner or partner)."""
    with uow:
        caller = access.authorize(uow, partnership_id, token)
        rows = list(caller.partnership.assessments)
        return AssessmentList(assessments=[_assessment(row, rows[i - 1] if i else None) for i, row in enumerate(rows)])


def rerun_assessment(
    uow: UnitOfWork, partnership_id: str, number: int | str, token: str | None, recommender: Recommender
) -> Rerun:
    """Assessment ``number``'s profile advised by the current knowledge base (owner or partner).

    Nothing is stored: the assessment keeps reading as it was made; the answer says what the
    newer knowledge would advise and what that changes (initiation, level, risks raised and cleared).
    """
    with uow:
        caller = access.authorize(uow, partnership_id, token)
        row = next((a for a in caller.partnership.assessments if str(a.number) == str(number)), None)
        if row is None:
            raise NotFoundError("this partnership has no assessment of that number")
        found, profile, made = row.number, dict(row.profile), dict(row.recommendation)
        made_with = KnowledgeBaseRef(version=row.kb_version, digest=row.kb_digest)
    # The stored profile spells every field; the ones left at their defaults when it was made
    # stay unset, so the re-run marks the same defaults.
    defaulted = set(made.get("defaulted_inputs", ()))
    given = {name: value for name, value in profile.items() if name not in defaulted}
    current = recommender.recommend(parse_profile(given)).model_dump(mode="json")
    return Rerun(
        number=found,
        made_with=made_with,
        current=recommender.knowledge_base_ref,
        same_knowledge_base=made_with.digest == recommender.kb.digest,
        recommendation=current,
        changes=changes(profile, made, profile, current),
    )
