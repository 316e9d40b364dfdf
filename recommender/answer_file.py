"""Each class's written answer, kept on disk beside its memo (:meth:`recommender.Recommender.save_answers`).

A written answer is a tuple of shared pieces of JSON (:meth:`recommender.assemble.Assembler.pieces`):
the whole space's 51,840 classes refer about 2.6 million times to 7,693 distinct pieces (17.8 MB;
23 MB with the references). A worker that reads them from the file its memo's builder wrote answers every
class at once, instead of writing each answer again (about 2 to 4 s of one CPU).

The file, in this machine's byte order (another is refused):

* one line of JSON: ``format``, the knowledge base's ``digest``, the number of ``classes``,
  ``pieces`` and ``references``, the byte order and the type of a reference;
* the offset of each piece in the pieces' bytes (``pieces + 1`` unsigned 32-bit numbers);
* the pieces' bytes, one after another;
* the offset of each class's references (``classes + 1`` numbers; a class whose answer is not
  written has none);
* the references: each class's pieces, in order, by number.

Example:
    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "answers"
    >>> save(path, "d1", [(b'{"a":', b"1"), None])
    >>> load(path, "d1", 2)
    [(b'{"a":', b'1'), None]
"""

from __future__ import annotations

import itertools
import json
import os
import sys
import threading
from array import array
from collections.abc import Sequence
from pathlib import Path

#: The layout :func:`save` writes; a file of another is refused.
FORMAT = 1
#: The largest file :func:`load` reads (the shipped space's is about 23 MB).
MAX_FILE_BYTES = 256 * 1024 * 1024
#: The longest first line :func:`load` reads.
_MAX_HEADER = 1024
_OFFSET = "I"
#: How many classes' answers :func:`load` puts together in one step.
_CLASSES_AT_ONCE = 512

Pieces = tuple[bytes, ...]


def save(path: str | Path, digest: str, answers: Sequence[Pieces | None]) -> None:
    """Write ``answers`` (by class; ``None``: not written) to ``path``, beside it first and renamed
    into place, so that a reader never sees half a file."""
    numbers: dict[bytes, int] = {}
    references = array(_OFFSET)
    starts = array(_OFFSET, [0])
    for pieces in answers:
        if pieces is not None:
            references.extend(numbers.setdefault(piece, len(numbers)) for piece in pieces)
        starts.append(len(references))
    offsets = array(_OFFSET, [0])
    for piece in numbers:
        offsets.append(offsets[-1] + len(piece))
    kind = "H" if len(numbers) <= 0xFFFF else _OFFSET
    header = {
        "format": FORMAT,
        "digest": digest,
        "classes": len(answers),
        "pieces": len(numbers),
        "references": len(references),
        "byteorder": sys.byteorder,
        "reference_type": kind,
    }
    target = Path(path)
    partial = target.with_name(f".{target.name}.{os.getpid()}.{threading.get_ident()}.part")
    try:
        with partial.open("wb") as out:
            out.write(json.dumps(header, separators=(",", ":")).encode() + b"\n")
            offsets.tofile(out)
            out.writelines(numbers)
            starts.tofile(out)
            array(kind, references).tofile(out)
        partial.replace(target)
    finally:
        partial.unlink(missing_ok=True)


def load(path: str | Path, digest: str, classes: int) -> list[Pieces | None]:
    """The answers :func:`save` wrote to ``path`` for a space of ``classes`` classes, each piece
    read once and shared by the classes that refer to it.

    Raises:
        ValueError: the file is unreadable, larger than :data:`MAX_FILE_BYTES`, of another
            knowledge base, space or byte order, or its parts do not fit together.
    """
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise ValueError(f"{path.name}: {size} bytes, more than written answers take ({MAX_FILE_BYTES})")
        data = memoryview(path.read_bytes())
    except OSError as exc:
        raise ValueError(f"{path.name}: not a readable answers file ({exc.__class__.__name__})") from None
    end = bytes(data[:_MAX_HEADER]).find(b"\n")
    try:
        header = json.loads(bytes(data[:end])) if end > 0 else None
    except (UnicodeDecodeError, json.JSONDecodeError):
        header = None
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        raise ValueError(f"{path.name}: not an answers file of format {FORMAT}")
    if header.get("digest") != digest or header.get("classes") != classes:
        raise ValueError(f"{path.name}: written on another knowledge base ({str(header.get('digest'))[:12]})")
    pieces, count, kind = header.get("pieces"), header.get("references"), header.get("reference_type")
    if (
        header.get("byteorder") != sys.byteorder
        or not isinstance(pieces, int)
        or not isinstance(count, int)
        or kind not in ("H", _OFFSET)
        or min(pieces, count) < 0
    ):
        raise ValueError(f"{path.name}: an answers file's parts are missing or of the wrong type")
    width = array(_OFFSET).itemsize
    position = end + 1
    offsets, position = _numbers(data, position, _OFFSET, pieces + 1)
    blob_end = position + (offsets[-1] if offsets else 0)
    blob = data[position:blob_end]
    starts, after = _numbers(data, blob_end, _OFFSET, classes + 1)
    references, after = _numbers(data, after, kind, count)
    fits = (
        len(blob) == offsets[-1]
        and after == len(data)
        and offsets[0] == 0
        and _rising(offsets)
        and starts[0] == 0
        and starts[-1] == count
        and _rising(starts)
    )
    if not fits or width != 4:
        raise ValueError(f"{path.name}: an answers file's parts do not fit together")
    shared = [bytes(blob[offsets[number] : offsets[number + 1]]) for number in range(pieces)]
    at = shared.__getitem__
    answers: list[Pieces | None] = []
    # A few classes at a time: each step holds the interpreter for a few milliseconds at most.
    for first in range(0, classes, _CLASSES_AT_ONCE):
        bounds = starts[first : first + _CLASSES_AT_ONCE + 1]
        try:
            chunk = list(map(at, references[bounds[0] : bounds[-1]]))
        except IndexError:
            raise ValueError(f"{path.name}: an answers file refers to a piece it does not hold") from None
        base = bounds[0]
        answers.extend(
            tuple(chunk[low - base : high - base]) if high > low else None for low, high in itertools.pairwise(bounds)
        )
    return answers


def _numbers(data: memoryview, position: int, kind: str, count: int) -> tuple[array[int], int]:
    """``count`` numbers of type ``kind`` read at ``position`` (fewer if the data ends), and the
    position after them."""
    numbers = array(kind)
    end = position + count * numbers.itemsize
    if end > len(data):
        return array(kind, [0]), len(data) + 1  # never fits: the caller refuses the file
    numbers.frombytes(data[position:end])
    return numbers, end


def _rising(numbers: array[int]) -> bool:
    """Whether each of ``numbers`` is at least the one before."""
    return all(low <= high for low, high in itertools.pairwise(numbers))
