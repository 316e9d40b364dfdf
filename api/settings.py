"""The service's settings: one object, read from ``PARTNERSHIP_*`` environment variables.

Example:
    >>> Settings(port=9000).port
    9000
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

MIB = 1024 * 1024


class Settings(BaseSettings):
    """How the service runs. Every field can be set as ``PARTNERSHIP_<FIELD>`` (e.g. ``PARTNERSHIP_PORT``)."""

    model_config = SettingsConfigDict(env_prefix="PARTNERSHIP_", extra="ignore", frozen=True)

    host: str = "127.0.0.1"
    port: Annotated[int, Field(ge=1, le=65535)] = 8000
    workers: Annotated[int, Field(ge=1, le=64)] = 1
    max_body_bytes: Annotated[int, Field(ge=1024, description="Largest request body accepted, in bytes.")] = MIB
    log_level: Literal["critical", "error", "warning", "info", "debug"] = "info"
    cors_origins: list[str] = Field(
        default_factory=list, description='Origins allowed to call the API from a browser, as JSON: ["https://a.org"].'
    )
    public_url: str = Field(
        default="/", description="The API's address as clients reach it, for the OpenAPI `servers` entry."
    )
    forwarded_allow_ips: str = Field(
        default="",
        description="Proxies trusted for X-Forwarded-For/-Proto (comma-separated IPs or networks); none by default.",
    )
    rules_dir: Path | None = Field(default=None, description="Knowledge-base folder; default: the shipped one.")
    extra_knowledge_bases: list[Path] = Field(
        default_factory=list,
        description='More knowledge-base folders served beside the default, as JSON: ["/srv/kb-2"]. A request '
        "picks one with `?knowledge_base=VERSION`; two folders of the same version stop start-up.",
    )
    data_dir: Path = Field(default=Path("data"), description="Folder of the default SQLite partnerships database.")
    keep_memo: bool = Field(
        default=True,
        description="Keep each knowledge base's memo (the rules every class of profiles fires) in "
        "<data_dir>/memo, built once by a low-priority process: a worker that starts again starts memoised.",
    )
    database_url: str | None = Field(
        default=None,
        description="Partnerships database (postgresql+psycopg://user:pw@host/db); default: <data_dir>/partnerships.db",
    )


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The settings from the environment, read once per process."""
    return Settings()
