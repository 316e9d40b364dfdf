"""Profiles typed as text (a web form, a CSV row) turned into data the strict profile accepts.

Only the form of a value changes here: ``"18"`` becomes ``18`` and ``"yes"`` becomes ``True``;
anything that does not read as the field's type is passed on unchanged, so
:func:`recommender.parse_profile` rejects it and names the field. Empty text means "not given".

Example:
    >>> profile_data_from_text({"timeline_months": " 18 ", "uses_agency_data": "on", "title": ""})
    {'timeline_months': 18, 'uses_agency_data': True}
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from recommender.profile import ProjectProfile, field_domain

_TRUE = frozenset({"true", "yes", "y", "1", "on"})
_FALSE = frozenset({"false", "no", "n", "0", "off"})
#: ASCII digits only: ``\d`` (and ``int()``) would also read Arabic-Indic, full-width and other digits.
#: A whole number, optionally written with a zero fraction ("18.0"), as JSON's 18.0 is the integer
#: the contract documents: YAML, CSV, form and JSON read a number the same way.
_INTEGER = re.compile(r"([+-]?[0-9]{1,9})(?:\.0+)?")


def profile_data_from_text(values: Mapping[str, str]) -> dict[str, Any]:
    """The profile data that ``values`` (field name to typed text) spells; unknown names kept as given."""
    data: dict[str, Any] = {}
    for name, text in values.items():
        if text is None or not text.strip():
            continue
        kind = field_domain(name).kind if name in ProjectProfile.model_fields else None
        data[name] = _convert(text, kind)
    return data


def _convert(text: str, kind: str | None) -> Any:
    clean = text.strip()
    if kind == "flag":
        lowered = clean.lower()
        if lowered in _TRUE:
            return True
        if lowered in _FALSE:
            return False
        return text
    if kind == "number":
        whole = _INTEGER.fullmatch(clean)
        return int(whole.group(1)) if whole else text
    if kind is None or kind == "text":
        return text  # free text (the title) and unknown fields stay exactly as typed
    return clean  # a choice: surrounding spaces are not part of the value
