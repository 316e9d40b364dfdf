"""Stored partnerships (issue 12): each partner answers, the service shows where they diverge,
and the owner records assessments over time.

Storage is SQLAlchemy 2 with Alembic migrations (``migrations/``), behind a repository and a
unit of work (``repository.py``, ``unit_of_work.py``); ``services.py`` holds every operation and
takes a unit of work. The default database is a SQLite file in the data folder; set
``PARTNERSHIP_DATABASE_URL`` to ``postgresql+psycopg://...`` to share one between workers.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

from recommender.partnerships import database
from recommender.partnerships.report import changes_in_words, divergence_markdown, divergence_report
from recommender.partnerships.unit_of_work import SqlAlchemyUnitOfWork, UnitOfWork
from recommender.partnerships.views import (
    MAX_PARTNERS,
    Answers,
    Assessment,
    AssessmentList,
    CreatedPartnership,
    Divergence,
    NewPartnership,
    PartnershipView,
    Rerun,
    Submitted,
)

if TYPE_CHECKING:
    from recommender.partnerships import services
else:

    def __getattr__(name: str) -> object:
        """``services``, imported when first named: its operations import the ORM (SQLAlchemy), which
        a worker needs only once a request stores something."""
        if name == "services":
            return importlib.import_module("recommender.partnerships.services")
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "MAX_PARTNERS",
    "Answers",
    "Assessment",
    "AssessmentList",
    "CreatedPartnership",
    "Divergence",
    "NewPartnership",
    "PartnershipView",
    "Rerun",
    "SqlAlchemyUnitOfWork",
    "Submitted",
    "UnitOfWork",
    "changes_in_words",
    "database",
    "divergence_markdown",
    "divergence_report",
    "services",
]
