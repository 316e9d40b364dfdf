"""Where the partnerships are stored, and keeping that database's schema current.

The default is a SQLite file, ``<data dir>/partnerships.db`` (``PARTNERSHIP_DATA_DIR``, default
``./data``), made on first start. ``PARTNERSHIP_DATABASE_URL`` names another database, e.g.
``postgresql+psycopg://user:password@host/dbname`` for several workers or hosts.

Example:
    >>> database_url(None, Path("data"))
    'sqlite:///data/partnerships.db'
"""

from __future__ import annotations

import ast
import contextlib
import re
import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic_settings import BaseSettings, SettingsConfigDict

from recommender.errors import StorageError

if TYPE_CHECKING:
    # Alembic is imported when a migration is needed (its import is most of a second), SQLAlchemy
    # when an engine is made (a worker whose SQLite file is current makes it on first use).
    from alembic.config import Config
    from sqlalchemy import Engine

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
    from sqlalchemy import create_engine, event
    from sqlalchemy.engine import make_url

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
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["engine"] = engine
    return config


def head_revision() -> str:
    from alembic.script import ScriptDirectory
    from sqlalchemy import create_engine

    head = ScriptDirectory.from_config(alembic_config(create_engine("sqlite://"))).get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def check_known(engine: Engine) -> str | None:
    """The database's revision, when this version of the software knows it.

    Raises:
        StorageError: the database is at a revision these migrations do not know (made by a newer version).
    """
    from alembic.script import ScriptDirectory
    from alembic.util.exc import CommandError

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
    from alembic import command

    with _migrating(engine):
        check_known(engine)
        command.upgrade(alembic_config(engine), "head")  # nothing to do if another process just did it
    return head_revision()


#: The PostgreSQL advisory lock held while a process migrates the database (any number, the same in all).
MIGRATION_LOCK = 0x70617274  # "part"


@contextlib.contextmanager
def _migrating(engine: Engine) -> Iterator[None]:
    """While one process (of any worker, on any host) migrates the database, the others wait:
    workers that start at once on a new database would each make its tables otherwise, and all
    but one fail. PostgreSQL: a session advisory lock; a SQLite file: an exclusive ``flock`` on
    ``<file>.lock`` beside it; an in-memory SQLite database has one process."""
    from sqlalchemy import text

    if engine.dialect.name == "postgresql":
        with engine.connect() as connection:
            connection.execute(text("SELECT pg_advisory_lock(:key)"), {"key": MIGRATION_LOCK})
            try:
                yield
            finally:
                connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": MIGRATION_LOCK})
        return
    path = engine.url.database
    if engine.dialect.name != "sqlite" or not path or path == ":memory:" or path.startswith("file:"):
        yield
        return
    import fcntl

    with open(f"{path}.lock", "ab") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released as the file closes
        yield


class Storage:
    """A worker's partnerships database: its engine, made when first asked for unless given."""

    def __init__(self, url: str, engine: Engine | None = None) -> None:
        self.url = url
        self._engine = engine
        self._lock = threading.Lock()  # two first requests in two threads make one engine

    @property
    def engine(self) -> Engine:
        with self._lock:
            if self._engine is None:
                self._engine = make_engine(self.url)
            return self._engine

    def dispose(self) -> None:
        with self._lock:
            if self._engine is not None:
                self._engine.dispose()


def open_storage(url: str) -> Storage:
    """The database on ``url`` for a worker: a SQLite file already at the newest revision is only
    read (:func:`sqlite_file_at_head`; SQLAlchemy waits for the first request that stores
    something); any other is opened and migrated now (:func:`open_database`).

    Raises:
        StorageError: the database is at an unknown, newer revision.
    """
    if sqlite_file_at_head(url):
        return Storage(url)
    return Storage(url, open_database(url))


def open_database(url: str) -> Engine:
    """An engine on ``url``, its schema migrated to the newest revision; refuses an unknown newer one."""
    engine = make_engine(url)
    try:
        if not at_head(engine):
            upgrade(engine)
    except BaseException:
        engine.dispose()
        raise
    return engine


#: ``revision = "..."`` and ``down_revision = ...`` in a migration script (the lines Alembic's template writes).
_ASSIGNMENT = re.compile(r"^(revision|down_revision)(?:: [^=]+)? = (.+)$", re.MULTILINE)


def scripted_head() -> str | None:
    """The newest revision, read from the migration scripts' text without Alembic; None unless one is
    plainly written (then Alembic reads them).

    Only a shortcut: Alembic's own reading (:func:`head_revision`) is what migrates.
    """
    revisions: set[object] = set()
    parents: set[object] = set()
    for script in (MIGRATIONS / "versions").glob("*.py"):
        found = dict(_ASSIGNMENT.findall(script.read_text(encoding="utf-8")))
        try:
            revisions.add(ast.literal_eval(found["revision"]))
            down = ast.literal_eval(found.get("down_revision", "None"))
            parents.update(down if isinstance(down, tuple) else [down])
        except (KeyError, ValueError, SyntaxError, TypeError):  # not plainly written: Alembic will know
            return None
    heads = revisions - parents
    head = heads.pop() if len(heads) == 1 else None
    return head if isinstance(head, str) else None


def at_head(engine: Engine) -> bool:
    """Whether the database is already at the newest revision: one query, no Alembic (a worker's start)."""
    from sqlalchemy import inspect, text

    head = scripted_head()
    if head is None or not inspect(engine).has_table("alembic_version"):
        return False
    with engine.connect() as connection:
        stored = connection.execute(text("SELECT version_num FROM alembic_version")).scalars().all()
    return stored == [head]


#: A SQLite file named plainly, with no options: ``sqlite:///data/partnerships.db``, ``sqlite:////srv/p.db``.
_SQLITE_FILE = re.compile(r"sqlite:///(?P<path>[^?]+)")


def sqlite_file_at_head(url: str) -> bool:
    """Whether ``url`` names a SQLite file already at the newest revision, read with the standard
    library's ``sqlite3`` (read-only: no SQLAlchemy, no Alembic). False whenever unsure (another
    database, no file yet, another revision): then :func:`open_database` decides, and migrates.

    Example:
        >>> sqlite_file_at_head("postgresql+psycopg://db/partnerships")
        False
    """
    match = _SQLITE_FILE.fullmatch(url)
    if match is None or match["path"] == ":memory:" or not Path(match["path"]).is_file():
        return False
    head = scripted_head()
    if head is None:
        return False
    try:
        connection = sqlite3.connect(f"{Path(match['path']).resolve().as_uri()}?mode=ro", uri=True)
        try:
            stored = connection.execute("SELECT version_num FROM alembic_version").fetchall()
        finally:
            connection.close()
    except sqlite3.Error:  # no such table, not a database, locked: Alembic's reading will say
        return False
    return stored == [(head,)]
