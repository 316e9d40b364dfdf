"""The report templates, the form's pages and fields.yaml ship in the wheel and work from it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.conftest import Wheel

PROBE = """
from fastapi.testclient import TestClient
from recommender import ProjectProfile, default_recommender
from recommender.reports import render_recommendation
import api.app, recommender
assert api.app.__file__.startswith(SITE), api.app.__file__
r = default_recommender()
rec = r.recommend(ProjectProfile(project_type='evaluation', timeline_months=24, funding='co_funded',
                                 relationship='long_term', staff_stability='high'))
print(render_recommendation(rec, r.kb, 'md').splitlines()[0])
with TestClient(api.app.create_app()) as client:
    print(client.get('/').status_code)
"""


def test_the_wheel_carries_the_templates_and_the_field_guide(tmp_path: Path, wheel: Wheel) -> None:
    names, site = wheel.names, wheel.site
    for name in (
        "recommender/_rules/fields.yaml",
        "recommender/reports/templates/document.html.j2",
        "recommender/reports/templates/_report.css",
        "api/templates/form.html.j2",
    ):
        assert name in names
    probe = f"import sys; sys.path.insert(0, {str(site)!r}); SITE = {str(site)!r}\n{PROBE}"
    result = subprocess.run(
        [sys.executable, "-I", "-c", probe], cwd=tmp_path, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split("\n")[:2] == ["# Partnership recommendation", "200"]
