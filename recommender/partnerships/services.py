"""Every partnership operation. Each takes a unit of work (and the recommender where advice is
given), checks the caller's token, does its work in one transaction and answers a view.

Token rules: no token, or one that opens nothing, is :class:`UnauthenticatedError`; a valid token of
another partnership is :class:`NotFoundError` (as for a partnership that does not exist); a valid
token that may not do this is :class:`ForbiddenError`.
"""

from __future__ import annotations

import json
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy.exc import IntegrityError, OperationalError

from recommender.errors import FieldProblem, ForbiddenError, NotFoundError, ProfileError, UnauthenticatedError
from recommender.partnerships import tokens
from recommender.partnerships.models import Answer, AssessmentRow, Partner, Partnership
from recommender.partnerships.unit_of_work import UnitOfWork
from recommender.partnerships.views import (
    Answers,
    Assessment,
    AssessmentList,
    Changes,
    CreatedPartner,
    CreatedPartnership,
    Divergence,
    FieldDivergence,
    KnowledgeBaseRef,
    NewPartnership,
    PartnerAdvice,
    PartnershipView,
    PartnerStatus,
    Submitted,
    TalkThrough,
)
from recommender.profile import ProjectProfile, parse_profile
from recommender.service import Recommender

IN_PLACE = "in_place"


@dataclass(frozen=True)
class Caller:
    """Who a token opened a partnership for: its owner, or one of its partners."""

    partnership: Partnership
    partner: Partner | None  # None: the owner

    @property
    def is_owner(self) -> bool:
        return self.partner is None


def _authorize(uow: UnitOfWork, partnership_id: str, token: str | None) -> Caller:
    if not token:
        raise UnauthenticatedError("send the partnership's token as Authorization: Bearer TOKEN")
    partnership = uow.partnerships.get(partnership_id)
    if partnership is not None:
        owner = tokens.matches(token, partnership.owner_token_hash)
        partner = next((p for p in partnership.partners if tokens.matches(token, p.token_hash)), None)
        if owner:
            return Caller(partnership, None)
        if partner is not None:
            return Caller(partnership, partner)
    if uow.partnerships.token_known(tokens.hash_token(token)):
        raise NotFoundError("no such partnership")
    raise UnauthenticatedError("the token opens no partnership")


def _owner(uow: UnitOfWork, partnership_id: str, token: str | None) -> Caller:
    caller = _authorize(uow, partnership_id, token)
    if not caller.is_owner:
        raise ForbiddenError("only the partnership's owner may do this")
    return caller


def _partner(partnership: Partnership, partner_id: str) -> Partner:
    found = next((p for p in partnership.partners if p.id == partner_id), None)
    if found is None:
        raise NotFoundError("no such partner in this partnership")
    return found


def _latest(partner: Partner) -> Answer | None:
    return partner.answers[-1] if partner.answers else None


def _all_answered(partnership: Partnership) -> bool:
    return all(p.answers for p in partnership.partners)


# --- creating and deleting ---------------------------------------------------------------------


def create_partnership(uow: UnitOfWork, new: NewPartnership) -> CreatedPartnership:
    """Store a partnership and its partners; the answer holds every token, shown only this once."""
    owner_token = tokens.new_token()
    partner_tokens = [tokens.new_token() for _ in new.partners]
    partnership = Partnership(id=tokens.new_id(), title=new.title, owner_token_hash=tokens.hash_token(owner_token))
    partnership.partners = [
        Partner(id=tokens.new_id(), position=i, name=p.name, party=p.party, token_hash=tokens.hash_token(t))
        for i, (p, t) in enumerate(zip(new.partners, partner_tokens, strict=True))
    ]
    with uow:
        uow.partnerships.add(partnership)
        uow.commit()
    return CreatedPartnership(
        id=partnership.id,
        title=partnership.title,
        owner_token=owner_token,
        partners=[
            CreatedPartner(id=p.id, name=p.name, party=p.party, token=t)
            for p, t in zip(partnership.partners, partner_tokens, strict=True)
        ],
    )


def delete_partnership(uow: UnitOfWork, partnership_id: str, token: str | None) -> None:
    """Delete a partnership with its partners, answers and assessments (the owner only)."""
    with uow:
        caller = _owner(uow, partnership_id, token)
        uow.partnerships.delete(caller.partnership)
        uow.commit()


# --- reading ----------------------------------------------------------------------------------


def get_partnership(
    uow: UnitOfWork, partnership_id: str, token: str | None, recommender: Recommender
) -> PartnershipView:
    """The partnership, who has answered, and (once all have) where their views diverge."""
    with uow:
        caller = _authorize(uow, partnership_id, token)
        partnership = caller.partnership
        statuses = [
            PartnerStatus(id=p.id, name=p.name, party=p.party, answered=bool(p.answers)) for p in partnership.partners
        ]
        divergence = None
        if _all_answered(partnership):
            latest = {p.id: _latest(p) for p in partnership.partners}
            divergence = divergence_of({pid: a for pid, a in latest.items() if a is not None}, recommender)
        return PartnershipView(id=partnership.id, title=partnership.title, partners=statuses, divergence=divergence)


# --- answers ----------------------------------------------------------------------------------


def parse_answers(data: Any, recommender: Recommender) -> tuple[ProjectProfile, list[str] | None]:
    """A partner's answers: a project profile, optionally with ``in_place`` (known component ids).

    Raises:
        ProfileError: naming each invalid field.
    """
    in_place: list[str] | None = None
    if isinstance(data, dict) and IN_PLACE in data:
        data = dict(data)
        raw = data.pop(IN_PLACE)
        known = recommender.kb.components
        if not isinstance(raw, list) or not all(isinstance(c, str) for c in raw):
            raise ProfileError([FieldProblem(IN_PLACE, "must be a list of component ids")])
        unknown = [c for c in raw if c not in known]
        if unknown:
            raise ProfileError([FieldProblem(f"{IN_PLACE}.{c}", "unknown component", c) for c in unknown])
        in_place = sorted(set(raw))
    return parse_profile(data), in_place


#: How often a submission is tried again when a concurrent one took the same revision number.
SUBMIT_ATTEMPTS = 8


def submit_answers(
    uow: UnitOfWork,
    partnership_id: str,
    partner_id: str,
    token: str | None,
    profile: ProjectProfile,
    in_place: Sequence[str] | None,
) -> Submitted:
    """Store a partner's view as a new revision (that partner only).

    Two submissions at once (two workers) may pick the same next revision: the database's key
    refuses the second, which is then tried again with the next number, so both are kept.
    """
    for attempt in range(1, SUBMIT_ATTEMPTS + 1):
        try:
            return _submit_once(uow, partnership_id, partner_id, token, profile, in_place)
        except (IntegrityError, OperationalError):  # a concurrent revision, or SQLite busy
            if attempt == SUBMIT_ATTEMPTS:
                raise
            time.sleep(0.01 * attempt)
    raise AssertionError("unreachable")  # pragma: no cover


def _submit_once(
    uow: UnitOfWork,
    partnership_id: str,
    partner_id: str,
    token: str | None,
    profile: ProjectProfile,
    in_place: Sequence[str] | None,
) -> Submitted:
    with uow:
        caller = _authorize(uow, partnership_id, token)
        partner = _partner(caller.partnership, partner_id)
        if caller.partner is None or caller.partner.id != partner.id:
            raise ForbiddenError("only this partner may submit its answers")
        revision = uow.partnerships.next_revision(partner)
        uow.partnerships.add_answer(
            Answer(
                partner_id=partner.id,
                revision=revision,
                profile=profile.model_dump(mode="json", exclude_none=True),
                in_place=list(in_place) if in_place is not None else None,
            )
        )
        uow.commit()
    return Submitted(partner_id=partner_id, revision=revision)


def read_answers(uow: UnitOfWork, partnership_id: str, partner_id: str, token: str | None) -> Answers:
    """A partner's latest answers: for that partner, and for everyone of the partnership once all have answered."""
    with uow:
        caller = _authorize(uow, partnership_id, token)
        partner = _partner(caller.partnership, partner_id)
        own = caller.partner is not None and caller.partner.id == partner.id
        if not own and not _all_answered(caller.partnership):
            raise ForbiddenError("another partner's answers are shown once every partner has answered")
        answer = _latest(partner)
        if answer is None:
            raise NotFoundError("this partner has not answered yet")
        return Answers(
            partner_id=partner.id,
            revision=answer.revision,
            created_at=answer.created_at,
            profile=answer.profile,
            in_place=answer.in_place,
        )


# --- divergence -------------------------------------------------------------------------------


def _canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True)


def divergence_of(answers: Mapping[str, Answer], recommender: Recommender) -> Divergence:
    """Where the partners' latest answers differ, and the advice each partner's view gets."""
    fields: list[FieldDivergence] = []
    for name in (*ProjectProfile.model_fields, IN_PLACE):
        values = {pid: (a.in_place if name == IN_PLACE else a.profile.get(name)) for pid, a in answers.items()}
        if name == IN_PLACE and None in values.values():
            continue  # compared only when every partner said which components are in place
        if len({_canonical(v) for v in values.values()}) > 1:
            fields.append(FieldDivergence(field=name, answers=values))
    advice = []
    for pid, answer in answers.items():
        rec = recommender.recommend(parse_profile(answer.profile))
        advice.append(
            PartnerAdvice(
                partner_id=pid,
                initiation=rec.initiation_mode.recommended,
                level=rec.collaboration_level.recommended,
                risks=sorted(r.id for r in rec.risks),
            )
        )
    differs = len({(a.initiation, a.level, tuple(a.risks)) for a in advice}) > 1
    talk = [TalkThrough(text=s.text, findings=list(s.findings)) for s in recommender.kb.talk_through]
    return Divergence(fields=fields, advice=advice, advice_differs=differs, talk_through=talk)


# --- assessments ------------------------------------------------------------------------------


def _assessment(row: AssessmentRow, previous: AssessmentRow | None) -> Assessment:
    return Assessment(
        number=row.number,
        created_at=row.created_at,
        profile=row.profile,
        recommendation=row.recommendation,
        knowledge_base=KnowledgeBaseRef(version=row.kb_version, digest=row.kb_digest),
        changes=None if previous is None else changes_between(previous, row),
    )


def changes_between(old: AssessmentRow, new: AssessmentRow) -> Changes:
    """What changed from one assessment to the next: profile fields, initiation, level, risks."""
    names = sorted(set(old.profile) | set(new.profile), key=_field_order)
    fields = [n for n in names if _canonical(old.profile.get(n)) != _canonical(new.profile.get(n))]
    old_init, new_init = (
        old.recommendation["initiation_mode"]["recommended"],
        new.recommendation["initiation_mode"]["recommended"],
    )
    old_level = old.recommendation["collaboration_level"]["recommended"]
    new_level = new.recommendation["collaboration_level"]["recommended"]
    old_risks = {r["id"] for r in old.recommendation["risks"]}
    new_risks = {r["id"] for r in new.recommendation["risks"]}
    return Changes(
        fields=fields,
        initiation=(old_init, new_init) if old_init != new_init else None,
        level=(old_level, new_level) if old_level != new_level else None,
        risks_raised=sorted(new_risks - old_risks),
        risks_cleared=sorted(old_risks - new_risks),
    )


def _field_order(name: str) -> tuple[int, str]:
    order = list(ProjectProfile.model_fields)
    return (order.index(name) if name in order else len(order), name)


def record_assessment(
    uow: UnitOfWork, partnership_id: str, token: str | None, profile: ProjectProfile, recommender: Recommender
) -> Assessment:
    """Record an assessment on the agreed profile (the owner only): a snapshot of the advice and the knowledge base."""
    rec = recommender.recommend(profile)
    with uow:
        caller = _owner(uow, partnership_id, token)
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
        caller = _authorize(uow, partnership_id, token)
        rows = list(caller.partnership.assessments)
        return AssessmentList(assessments=[_assessment(row, rows[i - 1] if i else None) for i, row in enumerate(rows)])
