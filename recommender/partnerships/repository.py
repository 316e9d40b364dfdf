"""The partnerships repository: the one place that queries the database (cosmicpython, chapter 2)."""

from __future__ import annotations

from typing import Protocol

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from recommender.partnerships.models import Answer, Partner, Partnership


class PartnershipRepository(Protocol):
    def add(self, partnership: Partnership) -> None: ...

    def get(self, partnership_id: str) -> Partnership | None: ...

    def delete(self, partnership: Partnership) -> None: ...

    def token_known(self, token_hash: str) -> bool:
        """Whether any partnership has an owner or partner token with this hash."""
        ...

    def next_revision(self, partner: Partner) -> int: ...

    def add_answer(self, answer: Answer) -> None: ...

    def all(self) -> list[Partnership]:
        """Every partnership, oldest first."""
        ...


class SqlAlchemyRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, partnership: Partnership) -> None:
        self.session.add(partnership)

    def get(self, partnership_id: str) -> Partnership | None:
        return self.session.get(Partnership, partnership_id)

    def delete(self, partnership: Partnership) -> None:
        self.session.delete(partnership)

    def token_known(self, token_hash: str) -> bool:
        owner = select(Partnership.id).where(Partnership.owner_token_hash == token_hash).limit(1)
        partner = select(Partner.id).where(Partner.token_hash == token_hash).limit(1)
        return self.session.execute(owner).first() is not None or self.session.execute(partner).first() is not None

    def next_revision(self, partner: Partner) -> int:
        latest = self.session.scalar(select(func.max(Answer.revision)).where(Answer.partner_id == partner.id))
        return (latest or 0) + 1

    def add_answer(self, answer: Answer) -> None:
        self.session.add(answer)

    def all(self) -> list[Partnership]:
        return list(self.session.scalars(select(Partnership).order_by(Partnership.created_at, Partnership.id)))
