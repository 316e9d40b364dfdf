"""Where the partnerships are stored, and keeping that database's schema current.

The default is a SQLite file, ``<data dir>/partnerships.db`` (``PARTNERSHIP_DATA_DIR``, default
``./data``), made on first start. ``PARTNERSHIP_DATABASE_URL`` names another database, e.g.
``postgresql+psycopg://user:password@host/dbname`` for several workers or hosts.

Example:
    >>> database_url(None, Path("data"))
    'sqlite:///data/partnerships.db'
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util.exc import CommandError
from pydantic_settings import BaseSettings, SettingsConfigDict
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url

from recommender.errors import StorageError

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
DEFAULT_DATA_DIR = Path("data")
DATABASE_FILE = "partnerships.db"


class StorageSettings(BaseSettings):
    """``PARTNERSHIP_DATABASE_URL`` and ``PARTNERSHIP_DATA_DIR``, for the command line (the service
    reads the same variables in its own settings)."""

    model_config = SettingsConfigDict(env_prefix="PARTNERSHIP_", extra="ignore", frozen=True)

    database_url: str | None = None
    data_dir: Path = DEFAULT_DATA_DIR


def database_url(url: str | None, data_dir: Path) -> str:
    """``url``, or the SQLite file in ``data_dir`` when none is set."""
    return url or f"sqlite:///{data_dir / DATABASE_FILE}"


def make_engine(url: str) -> Engine:
    """An engine on ``url``; for a SQLite file, its folder is made and foreign keys are enforced."""
    parsed = make_url(url)
    connect_args: dict[str, Any] = {}
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        connect_args["check_same_thread"] = False
    engine = create_engine(url, connect_args=connect_args, pool_pre_ping=True)
    if parsed.get_backend_name() == "sqlite":

        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_connection: Any, _record: Any) -> None:
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=FULL")
            cursor.execute("PRAGMA busy_timeout=10000")
            cursor.close()

    return engine


def alembic_config(engine: Engine) -> Config:
    """Alembic's configuration, built in code so that it works from an installed package."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["engine"] = engine
    return config


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config(create_engine("sqlite://"))).get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def check_known(engine: Engine) -> str | None:
    """The database's revision, when this version of the software knows it.

    Raises:
        StorageError: the database is at a revision these migrations do not know (made by a newer version).
    """
    current = current_revision(engine)
    if current is None:
        return None
    scripts = ScriptDirectory.from_config(alembic_config(engine))
    try:
        known = scripts.get_revision(current)
    except CommandError:
        known = None
    if known is None:
        raise StorageError(
            f"the partnerships database is at revision {current!r}, which this version does not know "
            f"(its newest is {scripts.get_current_head()!r}): it was migrated by a newer version. "
            "Run that version, or restore a backup made for this one."
        )
    return current


def upgrade(engine: Engine) -> str:
    """Migrate the database to the newest revision (making its tables on first use); the revision.

    Raises:
        StorageError: the database is at an unknown, newer revision.
    """
    check_known(engine)
    command.upgrade(alembic_config(engine), "head")
    return head_revision()


def open_database(url: str) -> Engine:
    """An engine on ``url``, its schema migrated to the newest revision; refuses an unknown newer one."""
    engine = make_engine(url)
    try:
        upgrade(engine)
    except BaseException:
        engine.dispose()
        raise
    return engine
