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
from typing import Any

from sqlalchemy.exc import IntegrityError, OperationalError

from recommender.errors import FieldProblem, ForbiddenError, NotFoundError, ProfileError
from recommender.partnerships import access, tokens

# Re-exported: callers find every operation here.
from recommender.partnerships.assessments import list_assessments as list_assessments
from recommender.partnerships.assessments import record_assessment as record_assessment
from recommender.partnerships.assessments import rerun_assessment as rerun_assessment
from recommender.partnerships.models import Answer, Partner, Partnership
from recommender.partnerships.unit_of_work import UnitOfWork
from recommender.partnerships.views import (
    Answers,
    CreatedPartner,
    CreatedPartnership,
    Divergence,
    FieldDivergence,
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
        caller = access.owner(uow, partnership_id, token)
        uow.partnerships.delete(caller.partnership)
        uow.commit()


# --- reading ----------------------------------------------------------------------------------


def get_partnership(
    uow: UnitOfWork, partnership_id: str, token: str | None, recommender: Recommender
) -> PartnershipView:
    """The partnership, who has answered, and (once all have) where their views diverge."""
    with uow:
        caller = access.authorize(uow, partnership_id, token)
        partnership = caller.partnership
        statuses = [
            PartnerStatus(id=p.id, name=p.name, party=p.party, answered=bool(p.answers)) for p in partnership.partners
        ]
        divergence = None
        if access.all_answered(partnership):
            latest = {p.id: access.latest(p) for p in partnership.partners}
            divergence = divergence_of({pid: a for pid, a in latest.items() if a is not None}, recommender)
        return PartnershipView(id=partnership.id, title=partnership.title, partners=statuses, divergence=divergence)


def opens_as_owner(uow: UnitOfWork, partnership_id: str, token: str | None) -> bool:
    """Whether ``token`` is the owner's of ``partnership_id`` (a partner's: False); the token rules
    above for any other token."""
    with uow:
        return access.authorize(uow, partnership_id, token).is_owner


def check_owner(uow: UnitOfWork, partnership_id: str, token: str | None) -> None:
    """Refuse, as the owner's operations do, a ``token`` that is not the owner's of ``partnership_id``."""
    with uow:
        access.owner(uow, partnership_id, token)


def get_divergence(
    uow: UnitOfWork, partnership_id: str, token: str | None, recommender: Recommender
) -> PartnershipView:
    """As :func:`get_partnership`, for the divergence: refused until every partner has answered.

    Raises:
        ForbiddenError: some partner has not answered yet.
    """
    view = get_partnership(uow, partnership_id, token, recommender)
    if view.divergence is None:
        raise ForbiddenError("not every partner has answered yet")
    return view


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
        caller = access.authorize(uow, partnership_id, token)
        partner = access.partner_of(caller.partnership, partner_id)
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
        caller = access.authorize(uow, partnership_id, token)
        partner = access.partner_of(caller.partnership, partner_id)
        own = caller.partner is not None and caller.partner.id == partner.id
        if not own and not access.all_answered(caller.partnership):
            raise ForbiddenError("another partner's answers are shown once every partner has answered")
        answer = access.latest(partner)
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
