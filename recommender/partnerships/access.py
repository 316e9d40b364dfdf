"""Who a token opens a partnership for, and the token rules every operation applies.

No token, or one that opens nothing, is :class:`UnauthenticatedError`; a valid token of another
partnership is :class:`NotFoundError` (as for a partnership that does not exist); a valid token
that may not do this is :class:`ForbiddenError`.
"""

from __future__ import annotations

from dataclasses import dataclass

from recommender.errors import ForbiddenError, NotFoundError, UnauthenticatedError
from recommender.partnerships import tokens
from recommender.partnerships.models import Answer, Partner, Partnership
from recommender.partnerships.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class Caller:
    """Who a token opened a partnership for: its owner, or one of its partners."""

    partnership: Partnership
    partner: Partner | None  # None: the owner

    @property
    def is_owner(self) -> bool:
        return self.partner is None


def authorize(uow: UnitOfWork, partnership_id: str, token: str | None) -> Caller:
    """The owner or partner ``token`` opens ``partnership_id`` for."""
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


def owner(uow: UnitOfWork, partnership_id: str, token: str | None) -> Caller:
    """As :func:`authorize`, for the owner only."""
    caller = authorize(uow, partnership_id, token)
    if not caller.is_owner:
        raise ForbiddenError("only the partnership's owner may do this")
    return caller


def partner_of(partnership: Partnership, partner_id: str) -> Partner:
    found = next((p for p in partnership.partners if p.id == partner_id), None)
    if found is None:
        raise NotFoundError("no such partner in this partnership")
    return found


def latest(partner: Partner) -> Answer | None:
    return partner.answers[-1] if partner.answers else None


def all_answered(partnership: Partnership) -> bool:
    return all(p.answers for p in partnership.partners)
