"""``partnership-recommender db ...``: the partnerships database (``PARTNERSHIP_DATABASE_URL``,
default a SQLite file in ``PARTNERSHIP_DATA_DIR``)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer

from recommender.cli import app
from recommender.errors import StorageError

if TYPE_CHECKING:
    from sqlalchemy import Engine

db_app = typer.Typer(no_args_is_help=True, help="The partnerships database: migrate its schema, export and import it.")
app.add_typer(db_app, name="db")


@db_app.command()
def upgrade(
    url: Annotated[
        str | None,
        typer.Option(help="Database URL. Default: PARTNERSHIP_DATABASE_URL, else <data dir>/partnerships.db."),
    ] = None,
) -> None:
    """Migrate the database to this version's newest schema (making it on first use)."""
    from recommender.partnerships import database

    settings = database.StorageSettings()
    engine = database.make_engine(database.database_url(url or settings.database_url, settings.data_dir))
    try:
        revision = database.upgrade(engine)
    except StorageError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(1) from None
    finally:
        engine.dispose()
    typer.echo(f"the partnerships database is at revision {revision}")


@db_app.command("export")
def export_(
    file: Annotated[Path, typer.Argument(help='Where to write the JSON ("-" for standard output).')],
) -> None:
    """Write every partnership (partners, every answer revision, every assessment) as JSON.

    Tokens stay hashed: the file opens no partnership by itself, but keep it as private as the database.
    """
    from recommender.partnerships import backup
    from recommender.partnerships.unit_of_work import SqlAlchemyUnitOfWork

    engine = _open()
    try:
        document = backup.export_all(SqlAlchemyUnitOfWork(engine))
    finally:
        engine.dispose()
    text = document.model_dump_json(indent=2) + "\n"
    if str(file) == "-":
        sys.stdout.write(text)
        return
    try:
        file.write_text(text, encoding="utf-8")
    except OSError as exc:
        _fail(f"{file}: cannot be written: {exc.strerror}")
    typer.echo(f"exported {len(document.partnerships)} partnerships to {file}", err=True)


@db_app.command("import")
def import_(file: Annotated[Path, typer.Argument(help="A file written by `db export`.")]) -> None:
    """Store every partnership of an export (all or nothing; refused if one is already there)."""
    from recommender.errors import ProfileError
    from recommender.partnerships import backup
    from recommender.partnerships.unit_of_work import SqlAlchemyUnitOfWork

    try:
        data = json.loads(file.read_text(encoding="utf-8"))
    except OSError as exc:
        _fail(f"{file}: cannot be read: {exc.strerror}")
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        _fail(f"{file}: not valid JSON: {exc}")
    try:
        document = backup.parse_export(data)
    except ProfileError as exc:
        _fail(f"{file}: not a partnerships export: " + "; ".join(f"{p.field}: {p.reason}" for p in exc.problems))
    engine = _open()
    try:
        count = backup.import_all(SqlAlchemyUnitOfWork(engine), document)
    except StorageError as exc:
        _fail(str(exc))
    finally:
        engine.dispose()
    typer.echo(f"imported {count} partnerships from {file}")


def _open() -> Engine:
    from recommender.partnerships import database

    settings = database.StorageSettings()
    try:
        return database.open_database(database.database_url(settings.database_url, settings.data_dir))
    except StorageError as exc:
        _fail(str(exc))


def _fail(message: str) -> NoReturn:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(1)
