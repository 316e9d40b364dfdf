"""Threads: 8 threads evaluating at once through one shared recommender; every answer must equal
the sequential answer for the same profile, byte for byte (its JSON).

Run twice: through ``recommend()`` as shipped, and through a recommender without the answer
cache, so that every call also crosses the durable adapter's lock.
"""

from __future__ import annotations

import threading
import time

from bench.common import arguments, emit, profiles
from recommender import ProjectProfile, Recommender, default_recommender
from recommender.engine.durable_adapter import live_sessions

THREADS = 8
PROFILES = 256


def _variants() -> dict[str, Recommender]:
    shipped = default_recommender()
    return {"recommend()": shipped, "recommend(), cache off": Recommender(shipped.kb, shipped.evaluator, cache_size=0)}


def _hammer(recommender: Recommender, cases: list[ProjectProfile], per_thread: int) -> dict[str, object]:
    expected = [recommender.recommend(p).model_dump_json() for p in cases]
    mismatches = [0] * THREADS
    errors: list[str] = []
    barrier = threading.Barrier(THREADS)

    def work(t: int) -> None:
        barrier.wait()
        try:
            for n in range(per_thread):
                i = (n * THREADS + t) % len(cases)  # threads walk the profiles out of step
                if recommender.recommend(cases[i]).model_dump_json() != expected[i]:
                    mismatches[t] += 1
        except Exception as exc:  # report, do not hide: a crash is a failure too
            errors.append(f"{type(exc).__name__}: {exc}")

    workers = [threading.Thread(target=work, args=(t,)) for t in range(THREADS)]
    started = time.perf_counter()
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    elapsed = time.perf_counter() - started
    return {
        "evaluations": THREADS * per_thread,
        "per_second": THREADS * per_thread / elapsed,
        "mismatches": sum(mismatches),
        "errors": errors[:5],
        "live_sessions": live_sessions(),
    }


def run(per_thread: int) -> dict[str, object]:
    cases = profiles(PROFILES, seed=23)
    results: dict[str, object] = {"threads": THREADS, "per_thread": per_thread}
    for name, recommender in _variants().items():
        results[name] = _hammer(recommender, cases, per_thread)
    return results


def main() -> None:
    emit({"threads": run(per_thread=250 if arguments(__doc__).quick else 2_500)})


if __name__ == "__main__":
    main()
