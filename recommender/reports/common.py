"""What every report's document holds: the metadata, the inputs (defaults marked), the answer with
its continuum, the risks by party, what success looks like and how far to trust the advice."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from recommender.kb.fields import FieldGuideBook
from recommender.kb.knowledge_base import KnowledgeBase
from recommender.kb.models import Level, Mode
from recommender.profile import ProjectProfile
from recommender.reports.document import (
    Answer,
    Block,
    Choice,
    Citations,
    Continuum,
    Document,
    Input,
    Item,
    ItemList,
    Metadata,
    Paragraph,
    Ref,
    Section,
    Stop,
    Text,
    text,
)

Links = Mapping[str, str] | None
#: Said when the recommended mode has no reason for it.
NO_REASON_FOR = "No consideration speaks for it: it ranks first because the reasons against the other modes weigh more."


class Builder:
    """The parts of a report's document shared by every kind, with one citation numbering."""

    def __init__(self, kb: KnowledgeBase, profile: ProjectProfile) -> None:
        self.kb = kb
        self.profile = profile
        self.guide: FieldGuideBook = kb.require_field_guide()
        self.citations = Citations(kb)
        self.modes: dict[str, Mode] = {m.id: m for m in kb.modes}
        self.levels: dict[str, Level] = {lv.id: lv for lv in kb.levels}

    def cite(self, findings: Iterable[str]) -> Any:
        return self.citations.cite(findings)

    def reasons(self, reasons: Iterable[Any], *, role: str = "reasons") -> ItemList:
        """Items of ``text`` and citations, one per reason (anything with ``text`` and ``findings``)."""
        return ItemList(tuple(Item(text(r.text, self.cite(r.findings))) for r in reasons), role=role)

    def also_sets_level(self, rule: str) -> tuple[Text, ...]:
        """The note on a mode's reason whose rule also bounds the level (so it is not listed twice)."""
        low, high = self.kb.level_bounds.get(rule, (None, None))
        bounds = [
            f"at least {self.levels[low].title}" if low else "",
            f"at most {self.levels[high].title}" if high else "",
        ]
        said = " and ".join(b for b in bounds if b)
        return (Text(f"(This also sets the level: {said}.)", role="also"),) if said else ()

    def setup(self, mode: str, level: str) -> tuple[Block, ...]:
        """Who should initiate and how closely to collaborate, and the continuum with the level marked."""
        m, lv = self.modes[mode], self.levels[level]
        return (
            Answer(
                (
                    Choice("Who should initiate", m.title, m.description),
                    Choice("How closely to collaborate", lv.title, lv.description),
                )
            ),
            Continuum(tuple(Stop(x.title, x.id == level) for x in self.kb.levels)),
        )

    def risks(
        self, risks: Sequence[Any], mitigations: Mapping[str, Any], numbers: Mapping[str, int] | None = None
    ) -> Section:
        """Risks under the guide's party labels, each with its mitigations (pointing at the plan's actions)."""
        numbers = numbers or {}
        blocks: list[Block] = []
        for party, label in self.guide.parties.items():
            found = [risk for risk in risks if risk.party == party]
            if not found:
                continue
            items = []
            for risk in found:
                mits = tuple(
                    Item(
                        (Ref(mitigations[m].title, f"action-{numbers[m]}", numbers[m]),)
                        if m in numbers
                        else text(mitigations[m].title)
                    )
                    for m in risk.mitigations
                )
                head = text(
                    Text(f"{risk.title}.", strong=True, role="risk-title"), risk.description, self.cite(risk.findings)
                )
                items.append(Item(head, (ItemList(mits, role="mitigations"),)))
            blocks.append(Section(label, (ItemList(tuple(items), role="risks"),), level=2))
        if not blocks:
            blocks.append(Paragraph(text("No particular risks were raised for this project.")))
        return Section("Risks and how to lower them", tuple(blocks), anchor="risks-heading")

    def success(self) -> Section:
        return Section(
            "What success looks like", (self.reasons(self.kb.success, role="plain"),), anchor="success-heading"
        )

    def trust(self, own: Sequence[Any]) -> Section:
        blocks: list[Block] = [self.reasons(self.kb.limits, role="plain")]
        if own:
            # Two rules may share one calibration's words: said once, with the findings of both.
            merged: dict[str, list[str]] = {}
            for c in own:
                findings = merged.setdefault(c.text, [])
                findings += [f for f in c.findings if f not in findings]
            items = tuple(Item(text(said, self.cite(findings))) for said, findings in merged.items())
            blocks.append(Paragraph(text("The tool's own numbers behind this answer (the study gives none):")))
            blocks.append(ItemList(items, role="calibrations"))
        return Section("How far to trust this advice", tuple(blocks), anchor="trust-heading")

    def inputs(self) -> tuple[Input, ...]:
        """Every profile field in the guide's order (the title is the heading), defaults marked."""
        given = self.profile.model_fields_set
        values = self.profile.model_dump()
        rows = []
        for field in self.guide.fields:
            if field.id == "title":
                continue
            value = values.get(field.id)
            if value is None:
                shown = "Not given"
            elif isinstance(value, bool):
                shown = "Yes" if value else "No"
            else:
                shown = field.value_label(value) + (f" {field.unit}" if field.unit else "")
            rows.append(Input(field.id, field.label, shown, field.id not in given))
        return tuple(rows)

    def document(
        self,
        *,
        kind: str,
        title: str,
        subtitle: str,
        sections: Iterable[Section],
        links: Links,
        today: datetime.date | None,
    ) -> Document:
        kb = self.kb
        return Document(
            kind=kind,
            title=self.profile.title or title,
            subtitle=subtitle,
            metadata=Metadata(
                date=today or datetime.datetime.now(datetime.timezone.utc).date(),
                kb_title=kb.title,
                kb_version=kb.version,
                kb_digest=kb.digest,
                reference=kb.study.reference if kb.study else "",
            ),
            inputs=self.inputs(),
            sections=tuple(sections),
            citations=self.citations.listed(),
            links=tuple((links or {}).items()),
            slug=kind.replace("_", "-"),
            inputs_note="Answers marked “default” were not given: the tool used its default.",
        )


def value_text(guide: FieldGuideBook, field_id: str, value: object) -> str:
    """A value of a profile field in words, with its unit."""
    field = guide.field(field_id)
    if isinstance(value, bool):
        return "Yes" if value else "No"
    unit = f" {field.unit}" if field.unit and isinstance(value, int) else ""
    return field.value_label(value) + unit
