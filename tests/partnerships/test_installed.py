"""The migrations ship inside the wheel: an installed package makes its database without a checkout."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.conftest import Wheel

PROBE = """
import pathlib, recommender
from recommender.partnerships import database
package = pathlib.Path(recommender.__file__).parent
assert str(database.MIGRATIONS).startswith(str(package)), database.MIGRATIONS
engine = database.open_database(database.database_url(None, pathlib.Path('data')))
print(database.current_revision(engine))
"""


def test_the_installed_package_makes_and_migrates_its_database(tmp_path: Path, wheel: Wheel) -> None:
    assert "recommender/partnerships/migrations/env.py" in wheel.names
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
    assert result.stdout.split() == ["0001_partnerships"]
    assert (outside / "data" / "partnerships.db").is_file()
