"""Run every benchmark and print one table (Markdown, ready for the README).

    python bench/run.py            # the full run (several minutes)
    python bench/run.py --quick    # a smoke run, under a minute

Each benchmark runs in its own process (``python -m bench.<name>``): durable_rules registers a
ruleset once per process, and the soak's memory figures must be its own.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.common import parse_result  # noqa: E402
from bench.report import render  # noqa: E402

BENCHMARKS = ("latency", "coldstart", "http_load", "soak", "threads")


def machine() -> dict[str, str]:
    model = "unknown"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            model = line.split(":", 1)[1].strip()
            break
    return {
        "nproc": str(os.cpu_count()),
        "cpu": model,
        "python": f"{platform.python_implementation()} {platform.python_version()}",
    }


def run_one(name: str, quick: bool) -> dict[str, Any]:
    command = [sys.executable, "-m", f"bench.{name}", *(["--quick"] if quick else [])]
    started = time.perf_counter()
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"bench.{name} failed ({done.returncode}):\n{done.stdout[-2000:]}\n{done.stderr[-4000:]}")
    print(f"  bench.{name}: {time.perf_counter() - started:.1f} s", file=sys.stderr, flush=True)
    return parse_result(done.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="short runs, under a minute in all")
    parser.add_argument("--only", choices=BENCHMARKS, action="append", help="run only these (repeatable)")
    parser.add_argument("--json", type=Path, help="also write the raw results to this file")
    args = parser.parse_args()
    started = time.perf_counter()
    results: dict[str, Any] = {"machine": machine(), "quick": args.quick, "load_before": os.getloadavg()[0]}
    for name in args.only or BENCHMARKS:
        results.update(run_one(name, args.quick))
    results["wall_seconds"] = time.perf_counter() - started
    results["load_after"] = os.getloadavg()[0]
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n")
    print(render(results))


if __name__ == "__main__":
    main()
