"""``partnership-recommender db ...``: the partnerships database (``PARTNERSHIP_DATABASE_URL``,
default a SQLite file in ``PARTNERSHIP_DATA_DIR``)."""

from __future__ import annotations

from typing import Annotated

import typer

from recommender.cli import app
from recommender.errors import StorageError

db_app = typer.Typer(no_args_is_help=True, help="The partnerships database: migrate its schema.")
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
