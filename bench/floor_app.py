"""The real application plus a floor route, served for the HTTP benchmark.

``POST /bench/floor`` reads and validates the body exactly as ``POST /v1/recommendations`` does
(the same ``ProfileBody`` dependency: media type, size, JSON, then the library's strict
``ProjectProfile``) and returns a constant: the framework's floor for that endpoint. Every
other route, middleware and the start-up are the real app's, so both are measured on one server.
"""

from __future__ import annotations

from api.app import create_app
from api.deps import ProfileBody
from bench.common import FLOOR_PATH

app = create_app()


@app.post(FLOOR_PATH, include_in_schema=False)
def floor(profile: ProfileBody) -> dict[str, str]:
    """A constant answer after the same request validation."""
    return {"status": "ok"}
