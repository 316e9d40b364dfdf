"""One sha256 over the JSON answer of ``recommend()`` for every profile of the discretised space.

    python bench/answers_digest.py                 # this checkout
    PYTHONPATH=/path/to/other/checkout python bench/answers_digest.py   # another revision
    python bench/answers_digest.py --every 10      # every tenth profile only (a quicker sample)

The space is ``kb check``'s (:func:`recommender.verify.space.field_values`), except that the
timeline takes several values inside each range the rules' cuts define, not only both sides of
each cut, and every other profile has a title: profiles of one class must still get answers
that name their own title and months. Run it on two revisions: equal digests mean every answer
is byte for byte the same. Where the recommender splices JSON (``recommend_json``, what the
API sends) each spliced answer is checked against the serialised one. It prints the digest, the
count, and where the library came from. ``--also plan_check`` and ``--also tender_brief`` print
one more digest each, over the plan check (half the profiles with the first two components in
place) or the tender brief of every profile: one line per answer kind, ``KIND DIGEST``, after
the recommendations' own line. ``--memo FILE`` loads a memo file first (and the answers file
beside it, ``FILE`` with the suffix ``.answers``, when there), as a worker started again does:
every spliced answer then comes from the file's pieces and is checked as above.

    python -m api.memo_keeper "" data/memo/NAME.json     # the builder, as a worker starts it
    python bench/answers_digest.py --memo data/memo/NAME.json
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import sys
import time
from pathlib import Path

import recommender
from api import memo_keeper
from recommender import ProjectProfile, Recommender
from recommender.verify.space import field_values

#: Inside and at the edges of every range of the shipped cuts (1-5, 6-11, 12-120).
TIMELINES = (1, 3, 5, 6, 8, 11, 12, 13, 59, 120)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--every", type=int, default=1, help="take every Nth profile of the space (default: all)")
    parser.add_argument("--also", choices=("plan_check", "tender_brief"), action="append", default=[])
    parser.add_argument("--memo", type=Path, help="load this memo file, and the answers file beside it, first")
    arguments = parser.parse_args()
    every = arguments.every
    engine = Recommender.from_directory()
    if arguments.memo is not None:
        memoised = engine.load_memo(arguments.memo)
        answers = memo_keeper.answers_file(arguments.memo)
        kept = engine.load_answers(answers) if answers.exists() else 0
        print(f"loaded: {memoised} classes memoised, {kept} answers", file=sys.stderr)
    in_place = list(engine.kb.components)[:2]
    others = {kind: hashlib.sha256() for kind in arguments.also}
    values = field_values(engine.kb)
    months = {value for value in values["timeline_months"] if isinstance(value, int)}
    values["timeline_months"] = tuple(sorted(months | set(TIMELINES)))
    names = tuple(values)
    digest = hashlib.sha256()
    started = time.perf_counter()
    count = 0
    spliced = getattr(engine, "recommend_json", None)  # absent before the memo
    space = itertools.islice(itertools.product(*values.values()), 0, None, every)
    for count, combination in enumerate(space, start=1):
        data = {name: value for name, value in zip(names, combination, strict=True) if value is not None}
        if count % 2:
            data["title"] = f"Project {count} of the space"
        profile = ProjectProfile.model_validate(data)
        answer = engine.recommend(profile).model_dump_json().encode()
        if spliced is not None and spliced(profile) != answer:  # what POST /v1/recommendations sends
            raise SystemExit(f"the spliced JSON differs from the answer's for {data}")
        digest.update(answer)
        digest.update(b"\n")
        if "plan_check" in others:
            plan = recommender.check_plan(profile, in_place=in_place if count % 2 else [], recommender=engine)
            others["plan_check"].update(plan.model_dump_json().encode() + b"\n")
        if "tender_brief" in others:
            brief = recommender.tender_brief(profile, recommender=engine)
            others["tender_brief"].update(brief.model_dump_json().encode() + b"\n")
    print(f"library: {recommender.__file__}", file=sys.stderr)
    print(f"knowledge base: {engine.kb.version} {engine.kb.digest}", file=sys.stderr)
    print(f"timeline values: {values['timeline_months']}", file=sys.stderr)
    print(f"{count} profiles in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    print(digest.hexdigest())
    for kind, other in others.items():
        print(kind, other.hexdigest())


if __name__ == "__main__":
    main()
