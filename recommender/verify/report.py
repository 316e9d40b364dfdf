"""What ``check_knowledge_base`` found: one list per kind of problem, as data and as text."""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

Profile = Mapping[str, str | int | bool]


@dataclass(frozen=True)
class SchemaProblem:
    """A knowledge-base file that does not load (as the loader reports it)."""

    file: str
    entry: str | None
    reason: str
    line: int | None = None


@dataclass(frozen=True)
class Gap:
    """A profile for which no fired rule speaks to the initiation mode or to the level.

    ``missing`` is ``"mode"`` when no fired rule contributes to any mode's score (the ranking
    would be the tie-break order alone) and ``"level"`` when no fired rule bounds the level
    (it would be the bottom of the continuum by default). Either way the answer rests on no
    finding.
    """

    profile: Profile
    missing: str


@dataclass(frozen=True)
class Tie:
    """A profile whose top score is shared: the documented tie-break chose ``recommended``."""

    profile: Profile
    modes: tuple[str, ...]
    score: int
    recommended: str


@dataclass(frozen=True)
class MonotonicityViolation:
    """Moving ``field`` one step up (all else equal) lowered ``measure``."""

    field: str
    step: tuple[str, str]
    profile: Profile
    measure: str
    before: str | int
    after: str | int


@dataclass(frozen=True)
class Disagreement:
    """The two evaluators answered differently on a profile.

    ``aspect`` is ``"fired rules"`` (then ``evaluator`` and ``reference`` list the rules only
    that one fired), ``"scores"``, ``"recommended mode"`` or ``"level"`` (each one's answer).
    """

    profile: Profile
    aspect: str
    evaluator: Any
    reference: Any


@dataclass(frozen=True)
class ClaimViolation:
    """A profile on which a declared claim (``claims:`` in ``knowledge_base.yaml``) does not hold."""

    claim: str
    profile: Profile
    found: str


@dataclass(frozen=True)
class Uncalibrated:
    """A rule with a score or a numeric threshold that does not say where its numbers come from."""

    rule: str
    reason: str


@dataclass(frozen=True)
class CheckReport:
    """Everything ``check_knowledge_base`` found. ``ok`` when nothing is wrong (ties are informational)."""

    knowledge_base: str
    version: str | None = None
    digest: str | None = None
    evaluators: tuple[str, str] | None = None
    profiles: int = 0
    seconds: float = 0.0
    errors: list[SchemaProblem] = field(default_factory=list)
    gaps: list[Gap] = field(default_factory=list)
    ties: list[Tie] = field(default_factory=list)
    dead_rules: list[str] = field(default_factory=list)
    unused_facts: list[str] = field(default_factory=list)
    uncited_findings: list[str] = field(default_factory=list)
    monotonicity_violations: list[MonotonicityViolation] = field(default_factory=list)
    disagreements: list[Disagreement] = field(default_factory=list)
    claims: list[str] = field(default_factory=list)
    claim_violations: list[ClaimViolation] = field(default_factory=list)
    uncalibrated: list[Uncalibrated] = field(default_factory=list)
    #: Findings that do not say who said them (the informants, the authors or literature).
    unattributed_findings: list[str] = field(default_factory=list)
    #: How many distinct sets of mitigations the answers over the space list (informational).
    mitigation_sets: int = 0

    @property
    def ok(self) -> bool:
        return not (
            self.errors
            or self.gaps
            or self.dead_rules
            or self.unused_facts
            or self.uncited_findings
            or self.monotonicity_violations
            or self.disagreements
            or self.claim_violations
            or self.uncalibrated
            or self.unattributed_findings
        )

    def to_dict(self) -> dict[str, Any]:
        """The report as JSON-ready data, with ``ok`` first."""
        return {"ok": self.ok, **dataclasses.asdict(self)}

    def to_text(self, *, examples: int = 5) -> str:
        """A human summary: one line per check, the first ``examples`` problems of each, and the ties counted."""
        if self.errors:
            lines = [f"Knowledge base {self.knowledge_base} does not load:"]
            lines += [f"  {_schema_problem(problem)}" for problem in self.errors]
            return "\n".join(lines)
        evaluator, reference = self.evaluators or ("?", "?")
        lines = [
            f"Knowledge base {self.knowledge_base} (version {self.version}, digest {(self.digest or '')[:12]})",
            f"Checked {self.profiles} profiles in {self.seconds:.1f} s ({evaluator} against {reference}).",
        ]
        failures: list[tuple[str, list[Any]]] = [
            ("gaps (no rule speaks to the mode or the level)", self.gaps),
            ("dead rules (fire for no profile)", self.dead_rules),
            ("facts derived but never used", self.unused_facts),
            ("findings never cited", self.uncited_findings),
            ("monotonicity violations", self.monotonicity_violations),
            (f"disagreements between {evaluator} and {reference}", self.disagreements),
            (f"violations of the {len(self.claims)} declared claims ({', '.join(self.claims)})", self.claim_violations),
            ("rules with numbers that do not say whose numbers they are", self.uncalibrated),
            ("findings that do not say who said them (said_by)", self.unattributed_findings),
        ]
        for title, problems in failures:
            lines.append(f"{'FAIL' if problems else 'ok  '} {len(problems):>6} {title}")
            lines += [f"         {_describe(problem, (evaluator, reference))}" for problem in problems[:examples]]
            if len(problems) > examples:
                lines.append(f"         ... and {len(problems) - examples} more (--json lists all)")
        # Ties are many and alike: count them by the modes tied and the score.
        share = f" ({100 * len(self.ties) / self.profiles:.1f}% of profiles)" if self.profiles else ""
        lines.append(f"info {len(self.ties):>6} ties settled by the tie-break{share}")
        tied = Counter((tie.modes, tie.score) for tie in self.ties)
        lines += [f"         {count:>6} x {'/'.join(modes)} at {score}" for (modes, score), count in tied.most_common()]
        lines.append(f"info {self.mitigation_sets:>6} distinct sets of mitigations over the space")
        lines.append("OK" if self.ok else "FAILED")
        return "\n".join(lines)


def _schema_problem(problem: SchemaProblem) -> str:
    where = f"{problem.file}: entry {problem.entry!r}" if problem.entry else problem.file
    if problem.line is not None:
        where += f": line {problem.line}"
    return f"{where}: {problem.reason}"


def _profile(profile: Profile) -> str:
    return ", ".join(f"{name}={value}" for name, value in profile.items())


def _describe(problem: Any, names: tuple[str, str]) -> str:
    if isinstance(problem, Gap):
        return f"no {problem.missing}: {_profile(problem.profile)}"
    if isinstance(problem, MonotonicityViolation):
        return (
            f"{problem.field} {problem.step[0]}->{problem.step[1]} lowers {problem.measure} "
            f"{problem.before}->{problem.after}: {_profile(problem.profile)}"
        )
    if isinstance(problem, ClaimViolation):
        return f"{problem.claim}: {problem.found}: {_profile(problem.profile)}"
    if isinstance(problem, Uncalibrated):
        return f"{problem.rule}: {problem.reason}"
    if isinstance(problem, Disagreement):
        answers = f"{names[0]} {problem.evaluator}, {names[1]} {problem.reference}"
        aspect = "rules fired by one only" if problem.aspect == "fired rules" else problem.aspect
        return f"{aspect}: {answers}: {_profile(problem.profile)}"
    return str(problem)
