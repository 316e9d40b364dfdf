"""recommend() with the assembly of an earlier commit against today's, interleaved in one process.

    python -m bench.assembly_before --rev 255abef

Loads ``recommender/assemble.py`` as it was at ``--rev`` (``git show``) beside the current
package and times, on the fixed profile set, the old path (old assembly, no answer cache),
today's with the cache off and as shipped, and the bare durable_rules evaluation. It first
checks that both assemblies give byte-identical answers. Not part of ``bench/run.py``: the
old module must still import against today's package.
"""

from __future__ import annotations

import importlib.util
import statistics
import subprocess
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

from bench.common import ROOT, modes_in_play, percentile, profiles
from recommender import Recommender, default_recommender

PROFILES = 48


def _old_assembly(rev: str, directory: Path) -> ModuleType:
    source = subprocess.run(
        ["git", "show", f"{rev}:recommender/assemble.py"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    path = directory / "assemble_before.py"
    path.write_text(source)
    spec = importlib.util.spec_from_file_location("assemble_before", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def run(rev: str, rounds: int) -> str:
    shipped = default_recommender()
    kb = shipped.kb
    uncached = Recommender(kb, shipped.evaluator, cache_size=0)
    cases = profiles(PROFILES)
    fields = [p.engine_fields() for p in cases]
    modes = [modes_in_play(shipped, p) for p in cases]
    with tempfile.TemporaryDirectory() as tmp:
        old = _old_assembly(rev, Path(tmp))
        for profile in cases:
            fired = uncached.fired_rules(profile)
            assert old.build(kb, profile, fired).model_dump_json() == uncached.recommend(profile).model_dump_json()
        contenders: dict[str, Callable[[int], object]] = {
            f"before ({rev}): its assembly, no cache": lambda i: old.build(
                kb, cases[i], uncached.fired_rules(cases[i])
            ),
            "now: cache off": lambda i: uncached.recommend(cases[i]),
            "now: as shipped, repeat profiles": lambda i: shipped.recommend(cases[i]),
            "bare durable_rules": lambda i: shipped.evaluator.evaluate(fields[i], lambda _fired: modes[i]),
        }
        names = list(contenders)
        samples: dict[str, list[float]] = {name: [] for name in names}
        for i in range(len(cases)):
            for name in names:
                contenders[name](i)
        for r in range(rounds):
            for i in range(len(cases)):
                shift = (r + i) % len(names)
                for name in names[shift:] + names[:shift]:
                    started = time.perf_counter_ns()
                    contenders[name](i)
                    samples[name].append((time.perf_counter_ns() - started) / 1000)
    base = statistics.median(samples["bare durable_rules"])
    lines = ["| path | median us | p99 us | vs bare durable |", "|---|--:|--:|--:|"]
    for name, values in samples.items():
        median = statistics.median(values)
        lines.append(f"| {name} | {median:.0f} | {percentile(values, 0.99):.0f} | {median / base:.2f}x |")
    return "\n".join(lines)


def main() -> None:
    from bench.common import arguments

    args = arguments(__doc__, ("--rev", {"default": "255abef", "help": "the commit to compare with"}))
    print(run(args.rev, rounds=25 if args.quick else 150))


if __name__ == "__main__":
    main()
