"""Checks every knowledge-base file shares: loading a file into its schema, unique ids,
cross-references, and whether a condition can apply to a profile field.

Each raises :class:`~recommender.errors.KnowledgeBaseError` naming the file and the entry.

Example:
    >>> unique("risks.yaml", ["a", "b", "a"])
    Traceback (most recent call last):
    ...
    recommender.errors.KnowledgeBaseError: risks.yaml: entry 'a': duplicate id
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError
from yaml.events import AliasEvent, CollectionEndEvent, CollectionStartEvent, NodeEvent

from recommender.errors import KnowledgeBaseError
from recommender.kb.models import Comparison
from recommender.profile import ProjectProfile, field_domain

M = TypeVar("M", bound=BaseModel)


#: The largest knowledge-base file read, in bytes (the largest shipped file is about 60 KiB).
MAX_FILE_BYTES = 2 * 1024 * 1024
#: The deepest nesting of lists and mappings a knowledge-base file may use (the shipped ones use 6).
MAX_NESTING = 64


def load_file(root: Path, name: str, model: type[M]) -> M:
    """Read ``root/name`` as YAML and validate it into ``model``.

    The file must be a regular file of at most :data:`MAX_FILE_BYTES`, UTF-8, nested at most
    :data:`MAX_NESTING` deep, and without YAML anchors or aliases (which can expand a small file
    into gigabytes). Any failure is a :class:`KnowledgeBaseError` naming the file, and the line
    when it is known; none chains a cause whose text could be large.
    """
    text = _read_text(root / name, name)
    try:
        _refuse_anchors_and_depth(text, name)  # before composing: libyaml's composer recurses in C
        raw = yaml.load(text, Loader=SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        reason = " ".join(part for part in (exc.context, exc.problem) if part)
        if "maximum nesting depth" in reason:  # libyaml's own limit (deeper than ours) met while scanning ahead
            reason = f"nested more than {MAX_NESTING} levels deep"
        raise KnowledgeBaseError(f"not valid YAML: {reason}", file=name, line=line) from None
    except (yaml.YAMLError, ValueError) as exc:  # ValueError: e.g. an integer of thousands of digits
        raise KnowledgeBaseError(f"not valid YAML: {exc}", file=name) from None
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        error = exc.errors(include_url=False, include_input=False)[0]
        entry, rest = _entry_of(raw, error["loc"])
        where = ".".join(str(part) for part in rest)
        reason = f"{where}: {error['msg']}" if where else error["msg"]
        # No cause chained: a ValidationError's text repeats the input, which may be large.
        raise KnowledgeBaseError(reason, file=name, entry=entry) from None


def _read_text(path: Path, name: str) -> str:
    """The text of ``path``: a regular file (not a FIFO, device or folder) of bounded size, in UTF-8."""
    try:
        # O_NONBLOCK: opening a FIFO must not wait for a writer; it has no effect on a regular file.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except FileNotFoundError:
        raise KnowledgeBaseError("file not found", file=name) from None
    except OSError as exc:  # its text would name the server's path; the error's name does not
        raise KnowledgeBaseError(f"cannot be opened: {exc.strerror}", file=name) from None
    with os.fdopen(fd, "rb") as file:
        info = os.fstat(file.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise KnowledgeBaseError("not a regular file (a device, a FIFO or a folder?)", file=name)
        if info.st_size > MAX_FILE_BYTES:
            raise KnowledgeBaseError(_too_large(info.st_size), file=name)
        try:
            data = file.read(MAX_FILE_BYTES + 1)
        except OSError as exc:
            raise KnowledgeBaseError(f"cannot be read: {exc.strerror}", file=name) from None
    if len(data) > MAX_FILE_BYTES:  # it grew after fstat
        raise KnowledgeBaseError(_too_large(len(data)), file=name)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        reason = f"not valid UTF-8: byte 0x{data[exc.start]:02x} at offset {exc.start}"
        raise KnowledgeBaseError(reason, file=name, line=line) from None


def _too_large(size: int) -> str:
    return f"{size} bytes, larger than the limit of {MAX_FILE_BYTES // (1024 * 1024)} MiB per file"


#: PyYAML's safe loader on libyaml's scanner and parser when PyYAML was built with libyaml (its
#: wheels are), else on its own Python ones: the same safe constructor either way, about ten
#: times faster with libyaml.
SafeLoader: type[yaml.SafeLoader] | type[yaml.CSafeLoader] = (
    yaml.CSafeLoader if yaml.__with_libyaml__ else yaml.SafeLoader
)


def _refuse_anchors_and_depth(text: str, name: str) -> None:
    """Refuse anchors and aliases, and nesting deeper than :data:`MAX_NESTING`, from the parser's events.

    Knowledge-base files never need anchors; refusing them outright means no alias can expand
    (a "billion laughs" file) in the loader or in any later rendering of what it loaded. The
    events come before any node is composed, so neither a deep file nor an alias is ever built.

    Raises:
        KnowledgeBaseError: an anchor, an alias or too deep a nesting, naming the file and line.
        yaml.MarkedYAMLError: the text is not valid YAML.
    """
    depth = 0
    for event in yaml.parse(text, Loader=SafeLoader):
        if isinstance(event, AliasEvent):
            reason = f"an alias (*{event.anchor}) is not allowed"
        elif isinstance(event, NodeEvent) and event.anchor is not None:
            reason = f"an anchor (&{event.anchor}) is not allowed"
        elif isinstance(event, CollectionStartEvent) and depth == MAX_NESTING:
            reason = f"nested more than {MAX_NESTING} levels deep"
        else:
            depth += isinstance(event, CollectionStartEvent) - isinstance(event, CollectionEndEvent)
            continue
        mark = event.start_mark
        raise KnowledgeBaseError(f"not valid YAML: {reason}", file=name, line=None if mark is None else mark.line + 1)


def _entry_of(raw: Any, loc: Sequence[int | str]) -> tuple[str | None, Sequence[int | str]]:
    """Name the entry a validation error is in: its id when it has one, else its position."""
    if len(loc) >= 2 and isinstance(loc[1], int) and isinstance(raw, Mapping):
        items = raw.get(str(loc[0]))
        if isinstance(items, list) and loc[1] < len(items):
            item = items[loc[1]]
            if isinstance(item, Mapping) and isinstance(item.get("id"), str):
                return item["id"], loc[2:]
        return f"{loc[0]}[{loc[1]}]", loc[2:]
    return None, loc


def unique(file: str, ids: Iterable[str]) -> set[str]:
    """The ids, refusing one that is given twice."""
    seen: set[str] = set()
    for entry_id in ids:
        if entry_id in seen:
            raise KnowledgeBaseError("duplicate id", file=file, entry=entry_id)
        seen.add(entry_id)
    return seen


def refs(file: str, entry: str, kind: str, ids: Iterable[str], known: set[str]) -> None:
    """Refuse any of ``ids`` (of the ``kind`` named) that is not ``known``."""
    for ref in ids:
        if ref not in known:
            raise KnowledgeBaseError(f"refers to unknown {kind} {ref!r}", file=file, entry=entry)


def condition_problem(field: str, condition: Any) -> str | None:
    """Why a condition cannot apply to a profile field, or None when it is sound."""
    info = ProjectProfile.model_fields.get(field)
    if info is None or field == "title":
        return "not a profile field the rules can test"
    domain = field_domain(field)
    allowed = set(domain.choices)
    if allowed:
        values = condition if isinstance(condition, list) else [condition]
        if not values or not all(isinstance(v, str) for v in values):
            return f"expects one of {sorted(allowed)} or a list of them"
        unknown = [v for v in values if v not in allowed]
        return f"unknown value(s) {unknown}; expected {sorted(allowed)}" if unknown else None
    if domain.kind == "flag":
        return None if isinstance(condition, bool) else "expects true or false"
    if domain.kind == "number":
        if isinstance(condition, Comparison):
            try:
                condition.bound()
            except ValueError as exc:
                return str(exc)
            return None
        return (
            None
            if isinstance(condition, int) and not isinstance(condition, bool)
            else "expects a number or a comparison"
        )
    return "cannot be tested"
