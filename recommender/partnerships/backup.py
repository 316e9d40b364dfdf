"""Export every partnership to JSON and import it again: an agency's backup, or a move to another
database. Tokens stay hashed (an export holds no secret that opens a partnership); ids, times,
every revision of every answer and every assessment's snapshot are kept as they are.

Example:
    >>> document = export_all(uow)  # doctest: +SKIP
    >>> import_all(other_uow, document)  # doctest: +SKIP
    2
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from recommender.errors import StorageError
from recommender.partnerships.models import Answer, AssessmentRow, Partner, Partnership
from recommender.partnerships.unit_of_work import UnitOfWork
from recommender.partnerships.views import Party
from recommender.profile import validate_strictly

FORMAT: Literal["partnership-recommender/partnerships"] = "partnership-recommender/partnerships"
FORMAT_VERSION: Literal[1] = 1


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, from_attributes=True)


class AnswerRecord(_Strict):
    revision: int = Field(ge=1)
    created_at: datetime
    profile: dict[str, Any]
    in_place: list[str] | None = None


class PartnerRecord(_Strict):
    id: str
    name: str
    party: Party
    token_hash: str = Field(pattern=r"^[0-9a-f]{64}$")
    answers: list[AnswerRecord]


class AssessmentRecord(_Strict):
    number: int = Field(ge=1)
    created_at: datetime
    profile: dict[str, Any]
    recommendation: dict[str, Any]
    kb_version: str
    kb_digest: str


class PartnershipRecord(_Strict):
    id: str
    title: str
    created_at: datetime
    owner_token_hash: str = Field(pattern=r"^[0-9a-f]{64}$")
    partners: list[PartnerRecord]
    assessments: list[AssessmentRecord]


class Export(_Strict):
    format: Literal["partnership-recommender/partnerships"] = FORMAT
    version: Literal[1] = FORMAT_VERSION
    partnerships: list[PartnershipRecord]


def _record(p: Partnership) -> PartnershipRecord:
    # The records name the rows' own attributes, so each is read from its row as it is.
    return PartnershipRecord.model_validate(p, from_attributes=True)


def export_all(uow: UnitOfWork) -> Export:
    """Every partnership with its partners, every answer revision and every assessment."""
    with uow:
        return Export(partnerships=[_record(p) for p in uow.partnerships.all()])


def parse_export(data: Any) -> Export:
    """An export read back from JSON.

    Raises:
        ProfileError: naming each field that is not as :func:`export_all` writes it.
    """
    return validate_strictly(Export, data)


def import_all(uow: UnitOfWork, document: Export) -> int:
    """Store every partnership of ``document`` in one transaction; the number stored.

    Raises:
        StorageError: a partnership of the document is already in the database (nothing is stored).
    """
    with uow:
        taken = [r.id for r in document.partnerships if uow.partnerships.get(r.id) is not None]
        if taken:
            raise StorageError(f"the database already holds partnership {taken[0]!r}: nothing was imported")
        for record in document.partnerships:
            uow.partnerships.add(_row(record))
        uow.commit()
    return len(document.partnerships)


def _row(record: PartnershipRecord) -> Partnership:
    partnership = Partnership(**record.model_dump(exclude={"partners", "assessments"}))
    for position, p in enumerate(record.partners):
        partner = Partner(position=position, **p.model_dump(exclude={"answers"}))
        partner.answers = [Answer(**a.model_dump()) for a in p.answers]
        partnership.partners.append(partner)
    partnership.assessments = [AssessmentRow(**a.model_dump()) for a in record.assessments]
    return partnership
