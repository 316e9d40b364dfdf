"""The OpenAPI document: request bodies the API parses itself, and problem answers, documented."""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from pydantic.json_schema import models_json_schema

from api.problems import PROBLEM_MEDIA_TYPE
from api.schemas import REQUEST_MODELS

_REF = "#/components/schemas/{model}"


def json_body(schema: str, examples: dict[str, dict[str, Any]], description: str) -> dict[str, Any]:
    """``openapi_extra`` for a route that reads its JSON body itself (see :mod:`api.body`)."""
    content = {"application/json": {"schema": {"$ref": _REF.format(model=schema)}, "examples": examples}}
    return {"requestBody": {"required": True, "description": description, "content": content}}


def problems(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """The ``responses`` entries for the problem answers a route can give."""
    schema = {"$ref": _REF.format(model="Problem")}
    return {
        status: {"description": HTTPStatus(status).phrase, "content": {PROBLEM_MEDIA_TYPE: {"schema": schema}}}
        for status in statuses
    }


def install(app: FastAPI) -> None:
    """Make ``app.openapi()`` add the request-only models to the generated components."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            document = get_openapi(title=app.title, version=app.version, description=app.description, routes=app.routes)
            _, definitions = models_json_schema([(model, "validation") for model in REQUEST_MODELS], ref_template=_REF)
            components = document.setdefault("components", {}).setdefault("schemas", {})
            for name, definition in definitions.get("$defs", {}).items():
                components.setdefault(name, definition)
            app.openapi_schema = document
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
