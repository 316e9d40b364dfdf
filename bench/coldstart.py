"""Cold start: import, load and validate the knowledge base, compile it into durable_rules, first answer.

durable_rules registers a ruleset name once per process, so every sample is a fresh process:
the parent starts ``--child`` runs one after another and takes the median of each phase.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def child() -> None:
    started = time.perf_counter()
    from recommender import load_knowledge_base, recommend
    from recommender.engine.durable_adapter import DurableEvaluator
    from recommender.service import Recommender

    t0 = time.perf_counter()
    from bench.common import emit, profiles

    probe = profiles(1)[0]
    t0_kb = time.perf_counter()
    kb = load_knowledge_base()
    t1 = time.perf_counter()
    recommender = Recommender(kb, DurableEvaluator(kb))
    t2 = time.perf_counter()
    recommend(probe, recommender=recommender)
    t3 = time.perf_counter()
    emit(
        {
            "import_ms": (t0 - started) * 1000,
            "load_validate_ms": (t1 - t0_kb) * 1000,
            "compile_ms": (t2 - t1) * 1000,
            "kb_ready_ms": (t2 - t0_kb) * 1000,
            "first_answer_ms": (t3 - t2) * 1000,
        }
    )


def run(samples: int) -> dict[str, float | int]:
    from bench.common import parse_result

    runs = []
    for _ in range(samples):
        started = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-m", "bench.coldstart", "--child"], cwd=ROOT, capture_output=True, text=True, check=True
        )
        runs.append({**parse_result(done.stdout), "process_wall_ms": (time.perf_counter() - started) * 1000})
    summary: dict[str, float | int] = {"samples": samples}
    for key in runs[0]:
        summary[key] = statistics.median(run[key] for run in runs)
    return summary


def main() -> None:
    if "--child" in sys.argv[1:]:
        child()
        return
    from bench.common import arguments, emit

    emit({"cold_start": run(samples=2 if arguments(__doc__).quick else 9)})


if __name__ == "__main__":
    main()
