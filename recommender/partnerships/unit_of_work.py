"""The unit of work: one transaction per service operation, committed explicitly (cosmicpython, chapter 6)."""

from __future__ import annotations

from types import TracebackType
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:  # SQLAlchemy is imported when a unit of work is made (a worker starts without it)
    from sqlalchemy import Engine
    from sqlalchemy.orm import Session

    from recommender.partnerships.repository import PartnershipRepository


class UnitOfWork(Protocol):
    partnerships: PartnershipRepository

    def __enter__(self) -> UnitOfWork: ...

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None: ...

    def commit(self) -> None: ...

    def rollback(self) -> None: ...


class SqlAlchemyUnitOfWork:
    """A session per ``with`` block; whatever is not committed is rolled back on leaving it.

    Example:
        >>> uow = SqlAlchemyUnitOfWork(engine)  # doctest: +SKIP
        >>> with uow:  # doctest: +SKIP
        ...     uow.partnerships.add(partnership)
        ...     uow.commit()
    """

    partnerships: PartnershipRepository

    def __init__(self, engine: Engine) -> None:
        from sqlalchemy.orm import sessionmaker

        self._sessions = sessionmaker(bind=engine, expire_on_commit=False)
        self._session: Session | None = None

    def __enter__(self) -> SqlAlchemyUnitOfWork:
        from recommender.partnerships.repository import SqlAlchemyRepository

        self._session = self._sessions()
        self.partnerships = SqlAlchemyRepository(self._session)
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        assert self._session is not None
        self.rollback()
        self._session.close()
        self._session = None

    @property
    def session(self) -> Session:
        assert self._session is not None, "use the unit of work in a with block"
        return self._session

    def commit(self) -> None:
        self.session.commit()

    def rollback(self) -> None:
        self.session.rollback()
