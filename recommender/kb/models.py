"""The schema of the knowledge base in ``rules/``: one pydantic model per kind of entry.

The models check the shape of each entry (``extra="forbid"``); cross-references between
entries are checked by :mod:`recommender.kb.loader`.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictInt, StrictStr, StringConstraints

from recommender.vocabulary import CollaborationLevel, InitiationMode, MitigationKind, Party

Id = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$", max_length=80)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Findings = Annotated[list[Id], Field(min_length=1, description="Ids of the findings this entry rests on.")]


class _Entry(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Source(_Entry):
    """Where in the study a finding comes from: a section and, where one applies, a table and its column."""

    # Descriptions in Field, not attribute docstrings: reading those parses this file's source at import.
    section: Text = Field(
        description="The section of the paper, e.g. ``Results: Co-produced partnerships`` or ``Discussion``."
    )
    table: Text | None = Field(
        default=None, description="The table the finding is drawn from, if any (e.g. ``Table 3``)."
    )
    column: Text | None = Field(
        default=None, description="The column of that table, if any (e.g. ``Shared challenge``)."
    )


class Finding(_Entry):
    """One finding of the study, paraphrased in this project's words, with its hedge kept.

    ``statement`` keeps the study's own strength of claim ("most participants", "some
    informants thought"); ``said_by`` records whose claim it is. It is optional so that older
    editions still load (``kb diff``); ``kb check`` fails on a finding without it.
    """

    id: Id
    source: Source
    said_by: Literal["informants", "authors", "literature"] | None = Field(
        default=None,
        description="Whose claim the statement reports: ``informants`` (what the 18 interviewed researchers and\n"
        "policy-makers said; the statement says how many or how widely where the paper does),\n"
        "``authors`` (the authors' own discussion, interpretation or conclusions, including the\n"
        "study's limits) or ``literature`` (earlier work the authors cite, not this study's data).",
    )
    statement: Text = Field(description="The finding, paraphrased, keeping the study's hedges (never a quotation).")


class Mitigation(_Entry):
    """A concrete action that lowers a risk or builds a component of success."""

    id: Id
    kind: MitigationKind
    title: Text
    action: Text
    findings: Findings


class Risk(_Entry):
    """Something that can go wrong for one party (or both).

    A ``blocking`` risk is one to resolve before the partnership starts (no funding, no policy
    pull): answers list it among the blockers and its mitigations first.
    """

    id: Id
    party: Party
    title: Text
    description: Text
    findings: Findings
    mitigations: Annotated[list[Id], Field(min_length=1)]
    blocking: StrictBool = False


class Calibration(_Entry):
    """Where the numbers of an entry come from: the study (``study``) or the tool's own reading
    of it (``tool``: the study gives no number), and why this number."""

    by: Literal["study", "tool"]
    why: Text


class Comparison(_Entry):
    """A numeric comparison on a profile field; exactly one bound is given."""

    lt: StrictInt | None = None
    lte: StrictInt | None = None
    gt: StrictInt | None = None
    gte: StrictInt | None = None

    def bound(self) -> tuple[str, int]:
        """The one operator and value given."""
        given = [(op, value) for op, value in self.model_dump().items() if value is not None]
        if len(given) != 1:
            raise ValueError("give exactly one of lt, lte, gt, gte")
        return given[0]


Condition = Annotated[
    StrictBool | StrictInt | StrictStr | list[StrictStr] | Comparison,
    Field(union_mode="left_to_right"),
]


class When(_Entry):
    """The conditions of a rule; all must hold. No conditions means the rule always fires."""

    profile: dict[str, Condition] = Field(default_factory=dict)
    facts: list[Id] = Field(default_factory=list)
    initiation: InitiationMode | None = None


class Then(_Entry):
    """The conclusions of a rule."""

    scores: dict[InitiationMode, int] = Field(default_factory=dict)
    level_at_least: CollaborationLevel | None = None
    level_at_most: CollaborationLevel | None = None
    derive: list[Id] = Field(default_factory=list)
    risks: list[Id] = Field(default_factory=list)
    mitigations: list[Id] = Field(default_factory=list)
    steps: list[Id] = Field(default_factory=list)
    warning: Text | None = Field(
        default=None, description="The profile contradicts itself: what the answer warns (names the tested fields)."
    )


class Rule(_Entry):
    """One inference rule: conditions, conclusions and the findings that justify it.

    A rule with a score or a numeric threshold says where its numbers come from (``calibration``).
    """

    id: Id
    description: Text
    rationale: Text
    when: When = Field(default_factory=When)
    then: Then
    findings: Findings
    calibration: Calibration | None = None


class ModeFit(_Entry):
    """The collaboration levels an initiation mode is coherent with, and why."""

    levels: Annotated[list[CollaborationLevel], Field(min_length=1)]
    text: Text
    findings: Findings


class Mode(_Entry):
    """An initiation mode, in tie-break order. Without ``fit`` the mode admits every level."""

    id: InitiationMode
    title: Text
    description: Text
    findings: Findings
    fit: ModeFit | None = None


class Level(_Entry):
    """A collaboration level, in continuum order."""

    id: CollaborationLevel
    title: Text
    description: Text
    findings: Findings


class FactDef(_Entry):
    """A fact that rules may derive and use."""

    id: Id
    description: Text


class Monotone(_Entry):
    """A claim the study supports: raising these fields, along the given value orders, never
    lowers the mode's score or the collaboration level (``kb check`` verifies it)."""

    mode: InitiationMode
    fields: dict[str, list[StrictStr]] = Field(min_length=1)
    findings: Findings


class _Claim(_Entry):
    """A property the answers must have over the whole profile space (``kb check`` proves it)."""

    id: Id
    text: Text
    findings: Findings


class LevelFitsInitiationClaim(_Claim):
    """The recommended mode's ``fit`` admits the recommended level, for every profile."""

    kind: Literal["level_fits_initiation"]


class LevelAtLeastClaim(_Claim):
    """For every profile matching ``when`` (all profiles when empty), the level is ``level`` or higher."""

    kind: Literal["level_at_least"]
    when: dict[str, Condition] = Field(default_factory=dict)
    level: CollaborationLevel


class ReasonsApartClaim(_Claim):
    """Every reason listed for a mode raises its score; every reason against lowers it."""

    kind: Literal["reasons_apart"]


class RaisesRiskClaim(_Claim):
    """For every profile matching ``when``, the answer lists ``risk`` (and ``mitigation``, if given)."""

    kind: Literal["raises_risk"]
    when: dict[str, Condition] = Field(min_length=1)
    risk: Id
    mitigation: Id | None = None


class ScoreNoHigherClaim(_Claim):
    """``mode``'s score with ``field`` at ``value`` is never above its score with ``field`` at
    ``than``, all else equal."""

    kind: Literal["score_no_higher"]
    mode: InitiationMode
    field: Id
    value: StrictStr
    than: StrictStr


Claim = Annotated[
    LevelFitsInitiationClaim | LevelAtLeastClaim | ReasonsApartClaim | RaisesRiskClaim | ScoreNoHigherClaim,
    Field(discriminator="kind"),
]


class Margin(_Entry):
    """Modes whose scores are at most ``points`` apart are a close call, said aloud in the answer."""

    points: Annotated[StrictInt, Field(ge=0)]
    calibration: Calibration
    findings: Findings


class Statement(_Entry):
    """A short statement shown in every answer (what success looks like, how far to trust it)."""

    id: Id
    text: Text
    findings: Findings


class PartnershipsFile(_Entry):
    """``partnerships.yaml`` (optional): what partners whose views diverge should talk through first."""

    talk_through: list[Statement] = Field(min_length=1)


class Study(_Entry):
    """The study the findings come from, cited in full by every document the tool writes."""

    authors: list[Text] = Field(min_length=1)
    """Authors as the reference prints them (surname and initials, e.g. ``Williamson A``)."""
    title: Text
    journal: Text
    year: StrictInt
    volume: Text
    article: Text
    doi: Text

    @property
    def reference(self) -> str:
        """The full reference, e.g. ``Williamson A, Tait H, ... 2019;17:41. doi:10.1186/...``."""
        return (
            f"{', '.join(self.authors)}. {self.title} {self.journal}. "
            f"{self.year};{self.volume}:{self.article}. doi:{self.doi}"
        )


class Manifest(_Entry):
    """``knowledge_base.yaml``: identity and vocabulary of the knowledge base."""

    version: Text
    title: Text
    study: Study | None = None
    modes: list[Mode]
    tie_break_findings: Findings
    tie_break_calibration: Calibration | None = None
    margin: Margin | None = None
    levels: list[Level]
    facts: list[FactDef]
    monotone: Monotone
    claims: list[Claim] = Field(default_factory=list)
    success: list[Statement] = Field(default_factory=list)
    limits: list[Statement] = Field(default_factory=list)


class FindingsFile(_Entry):
    findings: list[Finding]


class RisksFile(_Entry):
    risks: list[Risk]


class MitigationsFile(_Entry):
    mitigations: list[Mitigation]


class RulesFile(_Entry):
    rules: list[Rule]


# --- Plan check, tender brief and readiness (rules/components.yaml, tender.yaml, readiness.yaml) ---


class Applies(_Entry):
    """When an entry applies; all given conditions must hold, and none given means always.

    ``profile`` uses the syntax of a rule's ``when.profile``; ``facts`` are facts the engine
    derived for the profile; ``level`` and ``initiation`` list the recommended collaboration
    levels and initiation modes under which the entry applies.
    """

    profile: dict[str, Condition] = Field(default_factory=dict)
    facts: list[Id] = Field(default_factory=list)
    level: list[CollaborationLevel] = Field(default_factory=list)
    initiation: list[InitiationMode] = Field(default_factory=list)


class SeverityDef(_Entry):
    """A severity a plan gap can have, lowest first in the file; its weight counts in readiness."""

    id: Id
    title: Text
    weight: Annotated[StrictInt, Field(ge=1, le=100)]
    description: Text


class Band(_Entry):
    """A readiness band: a plan scoring at least ``min_score`` (0-100) falls in it."""

    id: Id
    title: Text
    min_score: Annotated[StrictInt, Field(ge=0, le=100)]
    description: Text


class BandCap(_Entry):
    """A gap of ``severity`` keeps the readiness band no better than ``band``."""

    severity: Id
    band: Id
    reason: Text
    findings: Findings


class Readiness(_Entry):
    """How a plan's readiness is scored and banded (``rules/readiness.yaml``)."""

    severities: Annotated[list[SeverityDef], Field(min_length=1)]
    bands: Annotated[list[Band], Field(min_length=1)]
    caps: list[BandCap] = Field(default_factory=list)
    findings: Findings
    calibration: Calibration | None = None


class SeverityRaise(_Entry):
    """A condition under which a missing component is more serious than its base severity."""

    to: Id
    when: Applies
    because: Text
    findings: Findings


class ComponentSeverity(_Entry):
    """A gap's severity: ``base``, lifted by the highest applicable raise, then held down by the
    lowest applicable ``at_most`` (a gap matters less where the recommended level asks less)."""

    base: Id
    raises: list[SeverityRaise] = Field(default_factory=list)
    at_most: list[SeverityRaise] = Field(default_factory=list)


class Component(_Entry):
    """A component of a partnership plan; a gap leaves ``risks`` open and ``add`` closes it."""

    id: Id
    kind: MitigationKind
    title: Text
    description: Text
    findings: Findings
    risks: Annotated[list[Id], Field(min_length=1, description="Risks a gap leaves open.")]
    add: Annotated[list[Id], Field(min_length=1, description="Mitigations that close the gap.")]
    severity: ComponentSeverity


class TenderClause(_Entry):
    """A clause to write into a tender."""

    id: Id
    title: Text
    text: Text
    findings: Findings
    mitigations: list[Id] = Field(default_factory=list)
    applies: Applies = Field(default_factory=Applies)


class BidQuestion(_Entry):
    """A question for assessing bids, with what a good answer shows and the signs of over-promising."""

    id: Id
    question: Text
    look_for: Text
    warning_signs: list[Text] = Field(default_factory=list)
    findings: Findings
    applies: Applies = Field(default_factory=Applies)


class AgencyCommitment(_Entry):
    """Something the agency itself commits to provide."""

    id: Id
    title: Text
    text: Text
    findings: Findings
    applies: Applies = Field(default_factory=Applies)


class ComponentsFile(_Entry):
    components: Annotated[list[Component], Field(min_length=1)]


class ReadinessFile(_Entry):
    readiness: Readiness


class TenderNotice(_Entry):
    """Said at the top of a tender brief whose recommended initiation is not the agency's: what the
    agency should do instead of tendering (``applies.initiation`` names the modes)."""

    id: Id
    title: Text
    text: Text
    findings: Findings
    applies: Applies = Field(default_factory=Applies)


class TenderFile(_Entry):
    clauses: list[TenderClause]
    questions: list[BidQuestion]
    commitments: list[AgencyCommitment]
    notices: list[TenderNotice] = Field(default_factory=list)
