"""Soak: many evaluations in one process; resident memory before and after, and the durable
session ids still open at the end (must be 0).

Every call goes through the engine and the assembler: the recommender runs with its caches off
(``cache_size=0``: no memo, no answer cache), so what is measured is the engine's sessions and
everything an evaluation allocates. The profiles are drawn at random from the whole profile
space (seeded, the timeline varied too). The sequence is run twice: the first pass is the
warm-up (allocator arenas, the assembler's bounded memos of sections and items filled by the
masks this sequence fires), the second the measurement; as both passes ask the same profiles,
any growth between the end of the first and the end of the second is what a leak would show.
"""

from __future__ import annotations

import gc
import time

from bench.common import arguments, emit, profile_bodies, rss_mib
from recommender import ProjectProfile, Recommender, default_recommender
from recommender.engine.durable_adapter import live_sessions


def run(evaluations: int) -> dict[str, float | int]:
    shipped = default_recommender()
    recommender = Recommender(shipped.kb, shipped.evaluator, cache_size=0)
    gc.collect()
    rss_loaded = rss_mib()
    bodies = profile_bodies(4096, seed=11)
    profiles = [
        ProjectProfile.model_validate({**bodies[n % len(bodies)], "timeline_months": 1 + (n * 7919) % 120})
        for n in range(evaluations)
    ]
    for profile in profiles:  # the warm-up pass
        recommender.recommend(profile)
    gc.collect()
    rss_warm = rss_mib()
    started = time.perf_counter()
    for profile in profiles:  # the measured pass: the same profiles again
        recommender.recommend(profile)
    elapsed = time.perf_counter() - started
    gc.collect()
    rss_end = rss_mib()
    return {
        "evaluations": evaluations,
        "seconds": elapsed,
        "per_second": evaluations / elapsed,
        "rss_loaded_mib": rss_loaded,
        "rss_after_warm_up_mib": rss_warm,
        "rss_end_mib": rss_end,
        "rss_growth_mib": rss_end - rss_warm,
        "rss_growth_from_loaded_mib": rss_end - rss_loaded,
        "live_sessions": live_sessions(),
    }


def main() -> None:
    args = arguments(__doc__, ("--evaluations", {"type": int, "help": "override the count"}))
    emit({"soak": run(args.evaluations or (1_000 if args.quick else 20_000))})


if __name__ == "__main__":
    main()
