"""The vocabulary, written once: every closed set of words the models, the loader and the API share.

Each set is one ``Literal`` here and its values as a tuple; nothing else in the code spells
them out. The knowledge base is the source of truth for what each word means (its modes,
levels, field values, parties and kinds, with their labels and findings); the loader checks
that it names exactly these words, so a knowledge base and the code cannot drift apart
(``rules/knowledge_base.yaml`` for modes and levels, ``rules/fields.yaml`` for the field
values, parties and mitigation kinds).

Example:
    >>> INITIATION_MODES
    ('agency', 'researcher', 'co_produced')
    >>> "shared" in PARTIES, "shared" in PARTNER_PARTIES
    (True, False)
"""

from __future__ import annotations

from typing import Final, Literal, get_args

# --- the profile's field domains ---
ProjectType = Literal["evidence_review", "data_analysis", "evaluation", "implementation", "intervention"]
Funding = Literal["agency_commissioned", "agency_funded_proposal", "external_grant", "co_funded", "unfunded"]
Relationship = Literal["none", "prior_project", "long_term"]
StaffStability = Literal["low", "moderate", "high"]
EvidenceNeed = Literal["none", "general", "specific"]

# --- what a recommendation decides ---
InitiationMode = Literal["agency", "researcher", "co_produced"]
#: The collaboration continuum, from least to most collaboration.
CollaborationLevel = Literal["transactional", "consultative", "collaborative", "co_production"]

# --- who a risk falls on, what a mitigation works on ---
#: Who a risk falls on (``shared``: both sides).
Party = Literal["researchers", "policy_agency", "shared"]
#: The side a partner of a stored partnership is on: a party other than ``shared``.
PartnerParty = Literal["policy_agency", "researchers"]
MitigationKind = Literal["relationship", "practical", "cross_cutting"]

# --- how an answer is delivered ---
#: The formats an answer is delivered in: JSON (the data) or a report a person reads.
AnswerFormat = Literal["json", "html", "md", "docx", "pdf"]
#: The formats of a rendered report.
ReportFormat = Literal["html", "md", "docx", "pdf"]

INITIATION_MODES: Final[tuple[str, ...]] = get_args(InitiationMode)
COLLABORATION_LEVELS: Final[tuple[str, ...]] = get_args(CollaborationLevel)
PARTIES: Final[tuple[str, ...]] = get_args(Party)
PARTNER_PARTIES: Final[tuple[str, ...]] = get_args(PartnerParty)
MITIGATION_KINDS: Final[tuple[str, ...]] = get_args(MitigationKind)
ANSWER_FORMATS: Final[tuple[AnswerFormat, ...]] = get_args(AnswerFormat)
REPORT_FORMATS: Final[tuple[ReportFormat, ...]] = get_args(ReportFormat)
