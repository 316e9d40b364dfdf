"""The schema is made and migrated by Alembic, on SQLite and PostgreSQL; an unknown newer one is refused."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import inspect, text
from typer.testing import CliRunner

from api.app import create_app
from api.settings import Settings
from recommender.cli import app as cli
from recommender.errors import StorageError
from recommender.partnerships import database
from tests.partnerships.support import NEW

TABLES = {"partnership", "partner", "answer", "assessment", "alembic_version"}


def test_first_open_makes_every_table_at_the_newest_revision(database_url: str) -> None:
    engine = database.open_database(database_url)
    try:
        assert set(inspect(engine).get_table_names()) == TABLES
        assert database.current_revision(engine) == database.head_revision()
        assert database.upgrade(engine) == database.head_revision()  # again: nothing to do
    finally:
        engine.dispose()


def test_the_shortcut_reads_the_same_newest_revision_as_alembic() -> None:
    assert database.scripted_head() == database.head_revision()


def test_a_database_already_at_the_newest_revision_opens_without_alembic(database_url: str) -> None:
    database.open_database(database_url).dispose()  # made and migrated here
    probe = (
        "import sys\n"
        "from recommender.partnerships import database\n"
        "database.open_database(sys.argv[1]).dispose()\n"
        "print(sorted(name for name in sys.modules if name.split('.')[0] == 'alembic'))\n"
    )
    done = subprocess.run([sys.executable, "-c", probe, database_url], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
    engine = database.make_engine(database_url)
    try:
        assert database.at_head(engine)
        with engine.begin() as connection:
            connection.execute(text("DELETE FROM alembic_version"))
        assert not database.at_head(engine)
    finally:
        engine.dispose()


def test_a_sqlite_file_is_read_at_the_newest_revision_only_when_it_is(tmp_path: Path) -> None:
    url = database.database_url(None, tmp_path)
    assert not database.sqlite_file_at_head(url)  # no file yet
    assert not (tmp_path / database.DATABASE_FILE).exists()  # and the look made none
    database.open_database(url).dispose()
    assert database.sqlite_file_at_head(url)
    assert not database.sqlite_file_at_head(f"{url}?timeout=5")  # options: SQLAlchemy reads them
    engine = database.make_engine(url)
    with engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '9999_from_the_future'"))
    engine.dispose()
    assert not database.sqlite_file_at_head(url)
    with pytest.raises(StorageError, match="'9999_from_the_future', which this version does not know"):
        database.open_storage(url)


def test_a_worker_on_a_current_sqlite_file_starts_without_sqlalchemy_and_stores_on_first_use(tmp_path: Path) -> None:
    database.open_database(database.database_url(None, tmp_path)).dispose()  # as a restarting worker finds it
    probe = (
        "import json, sys\n"
        "from pathlib import Path\n"
        "from fastapi.testclient import TestClient\n"
        "from api.app import create_app\n"
        "from api.settings import Settings\n"
        "with TestClient(create_app(Settings(data_dir=Path(sys.argv[1])))) as client:\n"
        "    print('sqlalchemy' in sys.modules)\n"
        "    created = client.post('/v1/partnerships', json=json.loads(sys.argv[2]))\n"
        "    print(created.status_code, 'sqlalchemy' in sys.modules)\n"
        "    owner = {'Authorization': 'Bearer ' + created.json()['owner_token']}\n"
        "    print(client.get('/v1/partnerships/' + created.json()['id'], headers=owner).status_code)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe, str(tmp_path), json.dumps(NEW)], capture_output=True, text=True, check=True
    )
    assert done.stdout.split("\n")[:3] == ["False", "201 True", "200"]


def test_an_unknown_newer_revision_is_refused_with_a_clear_message(database_url: str) -> None:
    engine = database.open_database(database_url)
    with engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '9999_from_the_future'"))
    engine.dispose()
    with pytest.raises(StorageError, match="'9999_from_the_future', which this version does not know"):
        database.open_database(database_url)


def test_the_service_refuses_to_start_on_an_unknown_newer_revision(database_url: str) -> None:
    engine = database.open_database(database_url)
    with engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '9999_from_the_future'"))
    engine.dispose()
    with pytest.raises(StorageError), TestClient(create_app(Settings(database_url=database_url))):
        pass


def test_the_default_database_is_a_sqlite_file_in_the_data_folder(tmp_path: Path) -> None:
    data = tmp_path / "fresh" / "data"
    with TestClient(create_app(Settings(data_dir=data))) as client:
        assert client.get("/readyz").status_code == 200
    assert (data / "partnerships.db").is_file()


def test_db_upgrade_migrates_the_configured_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PARTNERSHIP_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("PARTNERSHIP_DATABASE_URL", raising=False)
    result = CliRunner().invoke(cli, ["db", "upgrade"])
    assert result.exit_code == 0, result.output
    assert database.head_revision() in result.output
    engine = database.make_engine(f"sqlite:///{tmp_path / 'partnerships.db'}")
    assert database.current_revision(engine) == database.head_revision()
    with engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = 'zzz'"))
    engine.dispose()
    refused = CliRunner().invoke(cli, ["db", "upgrade"])
    assert refused.exit_code == 1
    assert "which this version does not know" in refused.output


def test_the_migrations_ship_inside_the_package() -> None:
    assert (database.MIGRATIONS / "env.py").is_file()
    assert database.MIGRATIONS.is_relative_to(Path(database.__file__).parent)
