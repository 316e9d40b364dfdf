"""Plain-language labels for the profile's fields and values (``rules/fields.yaml``).

The web form, the reports and the CLI take every label and explanation from here, so the
words a person reads are data in ``rules/``, checked against the profile model when the
knowledge base loads (a bad file stops start-up, naming the entry).

Example:
    >>> from recommender.kb import default_rules_dir
    >>> guide = load_field_guide(default_rules_dir())
    >>> guide.field("funding").value_label("co_funded")
    'Both partners share the cost'
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    StrictInt,
    StrictStr,
    StringConstraints,
    ValidationError,
)

from recommender.errors import FieldProblem, KnowledgeBaseError
from recommender.kb.validate import load_file
from recommender.profile import ProjectProfile, field_domain, problems_from
from recommender.vocabulary import MITIGATION_KINDS, PARTIES

FIELDS = "fields.yaml"

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]


class _Entry(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ValueGuide(_Entry):
    """One value of a choice field."""

    id: StrictStr
    label: Text
    help: Text


class FieldGuide(_Entry):
    """One profile field: its label, its explanation and, for choices, each value's."""

    id: StrictStr
    label: Text
    help: Text
    error: Text = Field(description="What the form says beside the field when its answer is refused.")
    suggested: StrictStr | StrictInt | None = None
    unit: Text | None = None
    values: list[ValueGuide] = Field(default_factory=list)

    def value_label(self, value: object) -> str:
        """The label of ``value`` (its own text when the field is not a choice)."""
        for choice in self.values:
            if choice.id == value:
                return choice.label
        return str(value)


class Label(_Entry):
    id: StrictStr
    label: Text


class FieldsFile(_Entry):
    fields: list[FieldGuide]
    parties: list[Label]
    mitigation_kinds: list[Label]


class FieldGuideBook(_Entry):
    """Every field's guide in the order a person should answer them, and the report labels."""

    fields: tuple[FieldGuide, ...]
    parties: dict[str, str]
    mitigation_kinds: dict[str, str]

    _by_id: dict[str, FieldGuide] = PrivateAttr(default_factory=dict)

    def model_post_init(self, context: Any, /) -> None:
        self._by_id = {guide.id: guide for guide in self.fields}  # built once, read on every request

    @property
    def fields_by_id(self) -> Mapping[str, FieldGuide]:
        """Each field's guide by field id."""
        return self._by_id

    def field(self, field_id: str) -> FieldGuide:
        """The guide to ``field_id`` (``KeyError`` when the profile has no such field)."""
        return self.fields_by_id[field_id]

    def default_values(self) -> dict[str, Any]:
        """A form's starting values: the suggested value, else the profile's own default."""
        values: dict[str, Any] = {}
        for guide in self.fields:
            info = ProjectProfile.model_fields[guide.id]
            values[guide.id] = guide.suggested if guide.suggested is not None else info.default
        return values


def load_field_guide(root: Path) -> FieldGuideBook:
    """Load ``fields.yaml`` from the knowledge-base folder ``root`` and check it against the profile.

    Raises:
        KnowledgeBaseError: a field or value missing, unknown or duplicated, naming the entry.
    """
    data = load_file(Path(root).resolve(), FIELDS, FieldsFile)
    _check_fields(data.fields)
    _check_labels("parties", data.parties, list(PARTIES))
    _check_labels("mitigation_kinds", data.mitigation_kinds, list(MITIGATION_KINDS))
    return FieldGuideBook(
        fields=tuple(data.fields),
        parties={label.id: label.label for label in data.parties},
        mitigation_kinds={label.id: label.label for label in data.mitigation_kinds},
    )


def _check_fields(fields: list[FieldGuide]) -> None:
    ids = [guide.id for guide in fields]
    expected = list(ProjectProfile.model_fields)
    for field_id in ids:
        if field_id not in expected:
            raise KnowledgeBaseError("not a profile field", file=FIELDS, entry=field_id)
        if ids.count(field_id) > 1:
            raise KnowledgeBaseError("duplicate id", file=FIELDS, entry=field_id)
    missing = [f for f in expected if f not in ids]
    if missing:
        raise KnowledgeBaseError(f"profile fields not explained: {missing}", file=FIELDS, entry="fields")
    for guide in fields:
        choices = list(field_domain(guide.id).choices)
        given = [value.id for value in guide.values]
        if sorted(given) != sorted(choices) or len(set(given)) != len(given):
            raise KnowledgeBaseError(f"values must explain each of {choices} once", file=FIELDS, entry=guide.id)
        required = ProjectProfile.model_fields[guide.id].is_required()
        if required and guide.suggested is None:
            raise KnowledgeBaseError("a required field needs a suggested value", file=FIELDS, entry=guide.id)
    suggested = {guide.id: guide.suggested for guide in fields if guide.suggested is not None}
    problems = _profile_problems(suggested)
    if problems:
        raise KnowledgeBaseError(
            f"suggested value is invalid: {problems[0].reason}", file=FIELDS, entry=problems[0].field
        )


def _profile_problems(values: dict[str, Any]) -> list[FieldProblem]:
    try:
        ProjectProfile.model_validate(values)
    except ValidationError as exc:
        return problems_from(exc)
    return []


def _check_labels(section: str, labels: list[Label], expected: list[str]) -> None:
    given = [label.id for label in labels]
    if sorted(given) != sorted(expected) or len(set(given)) != len(given):
        raise KnowledgeBaseError(f"must label each of {expected} once", file=FIELDS, entry=section)
