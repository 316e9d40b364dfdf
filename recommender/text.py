"""Characters free text may not hold: controls that act on a terminal or reorder what is shown.

A title reaches HTML, Markdown and terminals. C0 and C1 controls (NUL, ESC, DEL, CSI, ...)
drive terminals and break files; the Unicode bidirectional controls make text read in another
order than it is stored (``invoice\u202egnp.exe`` shows as ``invoiceexe.png``). None belongs in a
title, so the profile refuses them, and whatever echoes refused input shows them escaped.

Example:
    >>> first_control("Plan \\x1b[31m")
    '\\x1b'
    >>> visible("Plan \\u202eexe")
    'Plan \\\\u202eexe'
"""

from __future__ import annotations

import re

#: C0 controls, DEL, C1 controls, and the bidirectional marks, embeddings, overrides and isolates,
#: as a character class that Python and JSON Schema (ECMA-262) regular expressions read alike.
CONTROL_CLASS = r"\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
CONTROL = re.compile(f"[{CONTROL_CLASS}]")
#: The JSON Schema of a string with none of them, for the documented contract.
NO_CONTROL_SCHEMA = {"not": {"pattern": f"[{CONTROL_CLASS}]"}}


def first_control(text: str) -> str | None:
    """The first control character in ``text``, or None when it has none."""
    found = CONTROL.search(text)
    return found.group() if found else None


def visible(text: str) -> str:
    """``text`` with each control character written as its escape (``\\u202e``), so it acts on nothing."""
    return CONTROL.sub(lambda found: f"\\u{ord(found.group()):04x}", text)
