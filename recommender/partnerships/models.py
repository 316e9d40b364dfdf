"""The tables, as SQLAlchemy 2 typed mappings. The schema itself is made by the migrations."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any, ClassVar

from sqlalchemy import JSON, DateTime, ForeignKey, Integer, String, TypeDecorator, UniqueConstraint
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

ID_LENGTH = 64
HASH_LENGTH = 64  # SHA-256, hex


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


class UTCDateTime(TypeDecorator[datetime]):
    """A time stored in UTC and read back as an aware UTC time (SQLite keeps no time zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.astimezone(timezone.utc)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=timezone.utc) if value.tzinfo is None else value.astimezone(timezone.utc)


class Base(DeclarativeBase):
    type_annotation_map: ClassVar[dict[Any, Any]] = {dict[str, Any]: JSON, list[str]: JSON, datetime: UTCDateTime}


class Partnership(Base):
    __tablename__ = "partnership"

    id: Mapped[str] = mapped_column(String(ID_LENGTH), primary_key=True)
    title: Mapped[str] = mapped_column(String(500))
    owner_token_hash: Mapped[str] = mapped_column(String(HASH_LENGTH), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utc_now)

    partners: Mapped[list[Partner]] = relationship(
        back_populates="partnership", cascade="all, delete-orphan", order_by="Partner.position"
    )
    assessments: Mapped[list[AssessmentRow]] = relationship(
        back_populates="partnership", cascade="all, delete-orphan", order_by="AssessmentRow.number"
    )


class Partner(Base):
    __tablename__ = "partner"

    id: Mapped[str] = mapped_column(String(ID_LENGTH), primary_key=True)
    partnership_id: Mapped[str] = mapped_column(ForeignKey("partnership.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(500))
    party: Mapped[str] = mapped_column(String(32))
    token_hash: Mapped[str] = mapped_column(String(HASH_LENGTH), index=True)

    partnership: Mapped[Partnership] = relationship(back_populates="partners")
    answers: Mapped[list[Answer]] = relationship(
        back_populates="partner", cascade="all, delete-orphan", order_by="Answer.revision"
    )


class Answer(Base):
    __tablename__ = "answer"

    partner_id: Mapped[str] = mapped_column(ForeignKey("partner.id", ondelete="CASCADE"), primary_key=True)
    revision: Mapped[int] = mapped_column(Integer, primary_key=True)
    profile: Mapped[dict[str, Any]]
    in_place: Mapped[list[str] | None]
    created_at: Mapped[datetime] = mapped_column(default=utc_now)

    partner: Mapped[Partner] = relationship(back_populates="answers")


class AssessmentRow(Base):
    __tablename__ = "assessment"
    __table_args__ = (UniqueConstraint("partnership_id", "number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    partnership_id: Mapped[str] = mapped_column(ForeignKey("partnership.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(default=utc_now)
    profile: Mapped[dict[str, Any]]
    recommendation: Mapped[dict[str, Any]]
    kb_version: Mapped[str] = mapped_column(String(100))
    kb_digest: Mapped[str] = mapped_column(String(HASH_LENGTH))

    partnership: Mapped[Partnership] = relationship(back_populates="assessments")
