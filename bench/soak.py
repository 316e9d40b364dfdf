"""Soak: many evaluations in one process; resident memory before and after, and the durable
session ids still open at the end (must be 0).

The profiles are drawn at random from the whole profile space (seeded), so nearly every call
is a new profile and goes through the engine even when the service caches answers. RSS is
read after a warm-up (the first tenth of the calls: allocator arenas and any answer cache
filled) and at the end; the growth between the two is what a leak would show.
"""

from __future__ import annotations

import gc
import time

from bench.common import arguments, emit, profile_bodies, rss_mib
from recommender import ProjectProfile, default_recommender, recommend
from recommender.engine.durable_adapter import live_sessions


def run(evaluations: int) -> dict[str, float | int]:
    default_recommender()
    gc.collect()
    rss_loaded = rss_mib()
    bodies = profile_bodies(4096, seed=11)
    warm_up = evaluations // 10
    rss_warm = rss_loaded
    started = time.perf_counter()
    for n in range(evaluations):
        body = bodies[n % len(bodies)]
        # Vary the timeline too, so the space is far larger than any cache.
        profile = ProjectProfile.model_validate({**body, "timeline_months": 1 + (n * 7919) % 120})
        recommend(profile)
        if n + 1 == warm_up:
            gc.collect()
            rss_warm = rss_mib()
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
    emit({"soak": run(args.evaluations or (2_000 if args.quick else 60_000))})


if __name__ == "__main__":
    main()
