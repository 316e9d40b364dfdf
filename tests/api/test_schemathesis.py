"""Property-based tests of every operation against the app's own OpenAPI document (schemathesis).

Each operation gets up to 30 generated requests, valid and invalid, and every response is checked:
no server error, a documented status code, a documented content type, a body that conforms to
the documented schema, invalid requests rejected and valid ones accepted (``45.0`` included:
JSON Schema counts it as an integer, and so does the profile).
"""

from __future__ import annotations

from typing import Any

import schemathesis
from hypothesis import settings

from api.app import create_app
from api.settings import Settings

schema = schemathesis.openapi.from_asgi("/openapi.json", create_app(Settings()))


@schema.parametrize()
@settings(max_examples=30, deadline=None)
def test_every_operation_conforms_to_its_schema(case: schemathesis.Case[Any]) -> None:
    case.call_and_validate()
