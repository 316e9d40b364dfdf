"""Library latency, interleaved: ``recommend()`` against the bare durable_rules evaluation of the
same compiled ruleset and against the independent pure-Python evaluator.

``recommend()`` is timed twice: as shipped, where after the warm-up every profile of the set
is answered from the recommender's cache, and with the cache off, where every call evaluates
and assembles. Every round visits every profile and, for each, calls every contender once in a rotating
order, so drift on a noisy machine hits them all alike. The bare evaluations get a constant
``decide`` naming the modes the real one names for that profile: they assert the profile fact
and the same decision facts, collect the fired rules and delete the session, nothing more.
"""

from __future__ import annotations

import gc
import statistics
import time
from collections.abc import Callable, Sequence

from bench.common import arguments, emit, modes_in_play, percentile, profiles
from recommender import Recommender, default_recommender, recommend
from recommender.engine.base import Evaluator
from recommender.engine.durable_adapter import DurableEvaluator
from recommender.engine.reference import ReferenceEvaluator

PROFILES = 48


def run(rounds: int) -> dict[str, object]:
    shipped = default_recommender()
    kb = shipped.kb
    cases = profiles(PROFILES)
    fields = [p.engine_fields() for p in cases]
    modes = [modes_in_play(shipped, p) for p in cases]
    durable: Evaluator = DurableEvaluator(kb)  # the same registered ruleset the service uses
    reference: Evaluator = ReferenceEvaluator(kb)

    def constant(i: int) -> Callable[[Sequence[str]], list[str]]:
        return lambda _fired: modes[i]

    contenders: dict[str, Callable[[int], object]] = {
        "recommend(), repeat profiles (cache hits)": lambda i: recommend(cases[i]),
        "bare durable_rules": lambda i: durable.evaluate(fields[i], constant(i)),
        "reference evaluator": lambda i: reference.evaluate(fields[i], constant(i)),
    }
    uncached = Recommender(kb, shipped.evaluator, cache_size=0)  # every call evaluates and assembles
    contenders["recommend(), cache off"] = lambda i: uncached.recommend(cases[i])

    # The two engines must agree on every profile, or the comparison means nothing.
    disagreements = sum(
        sorted(durable.evaluate(fields[i], constant(i))) != sorted(reference.evaluate(fields[i], constant(i)))
        for i in range(len(cases))
    )
    names = list(contenders)
    samples: dict[str, list[float]] = {name: [] for name in names}
    for i in range(len(cases)):  # warm-up: every path once per profile
        for name in names:
            contenders[name](i)
    gc.collect()
    for r in range(rounds):
        for i in range(len(cases)):
            shift = (r + i) % len(names)
            for name in names[shift:] + names[:shift]:
                call = contenders[name]
                started = time.perf_counter_ns()
                call(i)
                samples[name].append((time.perf_counter_ns() - started) / 1000)
    base = statistics.median(samples["bare durable_rules"])
    rows = [
        {
            "name": name,
            "calls": len(values),
            "median_us": statistics.median(values),
            "p99_us": percentile(values, 0.99),
            "vs_bare": statistics.median(values) / base,
        }
        for name, values in samples.items()
    ]
    return {"profiles": len(cases), "rounds": rounds, "rows": rows, "engine_disagreements": disagreements}


def main() -> None:
    emit({"latency": run(rounds=25 if arguments(__doc__).quick else 200)})


if __name__ == "__main__":
    main()
