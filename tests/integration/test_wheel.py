"""The knowledge base ships inside the wheel: an installed package works without a checkout."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.conftest import Wheel

PROBE = """
from recommender import ProjectProfile, recommend
from recommender.kb import default_rules_dir
import recommender
package = __import__('pathlib').Path(recommender.__file__).parent
assert str(default_rules_dir()).startswith(str(package)), default_rules_dir()
answer = recommend(ProjectProfile(project_type='evaluation', timeline_months=24, funding='co_funded',
                                  relationship='long_term', staff_stability='high'))
print(answer.initiation_mode.recommended, answer.collaboration_level.recommended)
"""


def test_the_built_wheel_carries_the_knowledge_base_and_recommends(tmp_path: Path, wheel: Wheel) -> None:
    assert "recommender/_rules/rules.yaml" in wheel.names
    site = wheel.site
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    result = subprocess.run(
        [sys.executable, "-I", "-c", f"import sys; sys.path.insert(0, {str(site)!r}); exec({PROBE!r})"],
        cwd=outside,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["co_produced", "co_production"]
