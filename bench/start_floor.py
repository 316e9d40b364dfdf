"""The start-up floor: the smallest FastAPI service a user of the same stack could start, one
route that validates a body with a pydantic model of its own and answers a constant, under
uvicorn with the settings ``serve`` uses (no access log, no WebSocket library). It imports
nothing of this project's: ``bench/coldstart.py`` times it from process start to first answer
beside the one-worker service, which the framework's own imports bound on this machine.

    python -m uvicorn bench.start_floor:app --port 8123 --no-access-log --ws none
"""

from __future__ import annotations

from fastapi import FastAPI
from pydantic import BaseModel, ConfigDict


class Profile(BaseModel):
    """A project profile's fields as a user's own model (no checks beyond the types)."""

    model_config = ConfigDict(extra="forbid")

    title: str | None = None
    project_type: str
    timeline_months: int
    funding: str | None = None
    relationship: str | None = None
    staff_stability: str | None = None
    agency_evidence_need: str | None = None
    proposed_initiation: str | None = None
    uses_agency_data: bool = False
    politically_sensitive: bool = False
    in_kind_contribution: bool = False
    standing_partnership: bool = False


app = FastAPI()


@app.post("/v1/recommendations")
def recommend(profile: Profile) -> dict[str, str]:
    """A constant answer after validation."""
    return {"status": "ok"}
