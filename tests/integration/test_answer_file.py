"""Each class's written answer kept on disk (``recommender/answer_file.py``): read back, the
same answers as written; a file that is not sound is refused whole."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from recommender import Recommender, answer_file
from tests.evaluators import CountingEvaluator

CLASSES = 300


@pytest.fixture
def written(recommender: Recommender, tmp_path: Path) -> tuple[Path, Path]:
    """A memo of the first classes of the space and their answers, as a builder leaves them."""
    source = Recommender(recommender.kb, recommender.evaluator, cache_size=4)
    source.warm(limit=CLASSES, write_answers=False)
    source.write_answers()
    source.save_memo(tmp_path / "memo.json")
    source.save_answers(tmp_path / "memo.answers")
    return tmp_path / "memo.json", tmp_path / "memo.answers"


def _loaded(recommender: Recommender, memo: Path, counting: CountingEvaluator | None = None) -> Recommender:
    fresh = Recommender(recommender.kb, counting or recommender.evaluator, cache_size=4)
    fresh.load_memo(memo, check=False)
    return fresh


def test_answers_read_back_are_the_answers_written_without_writing_them_again(
    recommender: Recommender, written: tuple[Path, Path]
) -> None:
    memo, answers = written
    counting = CountingEvaluator(recommender.evaluator)
    loaded = _loaded(recommender, memo, counting)
    assert loaded.load_answers(answers) == CLASSES
    assert loaded.answers_kept == CLASSES
    assert loaded.write_answers() == 0  # nothing left to write
    assert loaded.load_answers(answers) == 0  # nor to take again
    uncached = Recommender(recommender.kb, recommender.evaluator, cache_size=0)
    assert loaded.memo is not None
    for index in range(CLASSES):
        profile = loaded.memo.classes.representative(index)
        assert loaded.recommend_json(profile) == uncached.recommend(profile).model_dump_json().encode()
    assert counting.calls == 0


def test_only_the_classes_memoised_here_take_their_answers(
    recommender: Recommender, tmp_path: Path, written: tuple[Path, Path]
) -> None:
    _, answers = written
    smaller = Recommender(recommender.kb, recommender.evaluator, cache_size=4)
    smaller.warm(limit=40, write_answers=False)
    assert smaller.load_answers(answers) == 40


def _reversed_answers(recommender: Recommender, path: Path) -> None:
    """Every class given the answer of another (the file's parts still fit together)."""
    assert recommender.memo is not None
    found = answer_file.load(path, recommender.kb.digest, recommender.memo.classes.size)
    answer_file.save(path, recommender.kb.digest, [*found[:CLASSES][::-1], *found[CLASSES:]])


def _rewritten(change: Callable[[bytearray], object]) -> Callable[[Recommender, Path], None]:
    def damage(_: Recommender, path: Path) -> None:
        data = bytearray(path.read_bytes())
        change(data)
        path.write_bytes(bytes(data))

    return damage


def _header(change: Callable[[dict[str, object]], object]) -> Callable[[bytearray], None]:
    def rewrite(data: bytearray) -> None:
        end = data.index(b"\n")
        header = json.loads(bytes(data[:end]))
        change(header)
        data[:end] = json.dumps(header).encode()

    return rewrite


@pytest.mark.parametrize(
    ("damage", "reason"),
    [
        (_rewritten(lambda data: data.clear()), "not an answers file"),
        (_rewritten(lambda data: data.__setitem__(slice(0, 1), b"[")), "not an answers file"),
        (_rewritten(_header(lambda header: header.update(format=99))), "not an answers file of format"),
        (_rewritten(_header(lambda header: header.update(digest="0" * 64))), "another knowledge base"),
        (_rewritten(_header(lambda header: header.update(classes=7))), "another knowledge base"),
        (_rewritten(_header(lambda header: header.update(byteorder="other"))), "missing or of the wrong type"),
        (_rewritten(_header(lambda header: header.update(pieces="many"))), "missing or of the wrong type"),
        (_rewritten(_header(lambda header: header.update(references=1))), "do not fit together"),
        (_rewritten(lambda data: data.__delitem__(slice(-10, None))), "do not fit together"),
        (_rewritten(lambda data: data.extend(b"\0\0")), "do not fit together"),
        (_rewritten(_header(lambda header: header.update(pieces=int(str(header["pieces"])) - 1))), "do not fit"),
        (_rewritten(lambda data: data.__setitem__(slice(-2, None), b"\xff\xff")), "a piece it does not hold"),
        (_reversed_answers, "is not the one this code writes"),
    ],
)
def test_an_answers_file_that_is_not_sound_is_refused_whole(
    recommender: Recommender,
    written: tuple[Path, Path],
    damage: Callable[[Recommender, Path], None],
    reason: str,
) -> None:
    memo, answers = written
    damage(recommender, answers)
    loaded = _loaded(recommender, memo)
    with pytest.raises(ValueError, match=reason):
        loaded.load_answers(answers)
    assert loaded.answers_kept == 0


def test_a_file_larger_than_any_answers_file_is_refused_unread(
    recommender: Recommender, written: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    memo, answers = written
    monkeypatch.setattr(answer_file, "MAX_FILE_BYTES", answers.stat().st_size - 1)
    with pytest.raises(ValueError, match="more than written answers take"):
        _loaded(recommender, memo).load_answers(answers)
