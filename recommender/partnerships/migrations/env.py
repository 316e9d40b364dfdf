"""Alembic's environment: runs the migrations on the engine given in ``config.attributes``
(see ``recommender.partnerships.database.alembic_config``), or on ``sqlalchemy.url``."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Engine, create_engine

from recommender.partnerships.models import Base

config = context.config
target_metadata = Base.metadata


def run() -> None:
    engine = config.attributes.get("engine")
    if not isinstance(engine, Engine):
        url = config.get_main_option("sqlalchemy.url")
        assert url, "set sqlalchemy.url or pass an engine"
        engine = create_engine(url)
    if context.is_offline_mode():
        context.configure(url=engine.url, target_metadata=target_metadata, literal_binds=True)
        with context.begin_transaction():
            context.run_migrations()
        return
    with engine.connect() as connection:
        context.configure(connection=connection, target_metadata=target_metadata, render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()


run()
