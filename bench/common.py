"""What every benchmark shares: the fixed profile set, percentiles, RSS and the JSON hand-off."""

from __future__ import annotations

import argparse
import json
import math
import random
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # `python bench/x.py` as well as `python -m bench.x`
    sys.path.insert(0, str(ROOT))

from recommender import ProjectProfile, Recommender, decision  # noqa: E402

#: The bench app's constant-answer route (``bench/floor_app.py``).
FLOOR_PATH = "/bench/floor"
#: The bench app's route that memoises the whole profile space in the worker answering it.
WARM_PATH = "/bench/warm"
#: The bench app's route that tells the worker's resident memory and what its memo holds.
MEMORY_PATH = "/bench/memory"
#: Prefix of the one stdout line a benchmark child hands its result back on.
RESULT_PREFIX = "BENCH-RESULT "

_CHOICES: dict[str, Sequence[Any]] = {
    "project_type": ("evidence_review", "data_analysis", "evaluation", "implementation", "intervention"),
    "funding": ("agency_commissioned", "external_grant", "co_funded", "unfunded"),
    "relationship": ("none", "prior_project", "long_term"),
    "staff_stability": ("low", "moderate", "high"),
    "proposed_initiation": (None, "agency", "researcher", "co_produced"),
    "agency_evidence_need": ("none", "general", "specific"),
    "uses_agency_data": (False, True),
    "politically_sensitive": (False, True),
}
_TIMELINES = (2, 4, 5, 6, 9, 12, 18, 24, 36, 60)


def profile_bodies(count: int, *, seed: int = 7) -> list[dict[str, Any]]:
    """``count`` varied, valid profile bodies (JSON-ready), the same for a given seed.

    Every value of every field appears when ``count`` is at least 10; a few have a title.
    """
    rng = random.Random(seed)
    bodies = []
    for index in range(count):
        body: dict[str, Any] = {}
        for field, values in _CHOICES.items():
            # Cycle the first values so small sets still cover each field; then draw at random.
            value = values[index % len(values)] if index < 2 * len(_TIMELINES) else rng.choice(values)
            if value is not None:
                body[field] = value
        body["timeline_months"] = _TIMELINES[index % len(_TIMELINES)] if index < 20 else rng.randint(1, 120)
        if index % 5 == 0:
            body["title"] = f"Benchmark project {index}"
        bodies.append(body)
    return bodies


def profiles(count: int, *, seed: int = 7) -> list[ProjectProfile]:
    return [ProjectProfile.model_validate(body) for body in profile_bodies(count, seed=seed)]


def percentile(samples: Sequence[float], fraction: float) -> float:
    """Nearest-rank percentile (``fraction`` in 0..1) of ``samples``."""
    ordered = sorted(samples)
    rank = max(1, math.ceil(fraction * len(ordered)))
    return ordered[rank - 1]


def rss_mib() -> float:
    """This process's resident set size, in MiB (Linux)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS in /proc/self/status")


def emit(result: dict[str, Any]) -> None:
    """Hand the result to ``bench/run.py`` (one prefixed JSON line on stdout)."""
    print(RESULT_PREFIX + json.dumps(result), flush=True)


def parse_result(stdout: str) -> dict[str, Any]:
    for line in reversed(stdout.splitlines()):
        if line.startswith(RESULT_PREFIX):
            parsed: dict[str, Any] = json.loads(line[len(RESULT_PREFIX) :])
            return parsed
    raise RuntimeError(f"no result line in the benchmark's output:\n{stdout[-2000:]}")


def arguments(doc: str | None, *extra: tuple[str, dict[str, Any]]) -> argparse.Namespace:
    """Parse ``--quick`` (and any ``extra`` options) for a benchmark's ``main``."""
    parser = argparse.ArgumentParser(description=doc)
    parser.add_argument("--quick", action="store_true", help="a short run")
    for flag, options in extra:
        parser.add_argument(flag, **options)
    return parser.parse_args()


def modes_in_play(recommender: Recommender, profile: ProjectProfile) -> list[str]:
    """The initiation modes the real ``decide`` names for ``profile`` (what the bare runs assert)."""
    seen: list[str] = []

    def decide(fired: Sequence[str]) -> list[str]:
        seen[:] = decision.modes_in_play(recommender.kb, profile.proposed_initiation, fired)
        return list(seen)

    recommender.evaluator.evaluate(profile.engine_fields(), decide)
    return seen
