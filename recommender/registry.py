"""Knowledge bases side by side: every loaded, compiled edition of one process, keyed by version.

The first one given is the default (what a request that names no version gets). Each is a
:class:`~recommender.service.Recommender` of its own; its durable_rules ruleset is named by
its digest, so editions with different content live in one process without clashing.

Example:
    >>> bases = KnowledgeBases.load()            # the shipped knowledge base alone
    >>> bases.get() is bases.default
    True
    >>> [r.kb.version for r in bases] == [bases.default.kb.version]
    True
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

from recommender.errors import KnowledgeBaseError, UnknownKnowledgeBaseError
from recommender.kb.knowledge_base import KnowledgeBase
from recommender.kb.loader import MANIFEST, load_knowledge_base
from recommender.service import DEFAULT_CACHE_SIZE, Recommender


def load_editions(
    folders: Sequence[str | Path | None], *, partial: bool = False, field_guide: bool = True
) -> list[KnowledgeBase]:
    """Load and validate the knowledge base in each folder (``None``: the shipped one), in order:
    what the service loads at start-up and what ``kb diff`` compares. The loader's options are
    :func:`~recommender.kb.loader.load_knowledge_base`'s.

    Raises:
        KnowledgeBaseError: a folder does not load; its ``edition`` is that folder's position.
    """
    editions: list[KnowledgeBase] = []
    for position, folder in enumerate(folders):
        try:
            editions.append(load_knowledge_base(folder, partial=partial, field_guide=field_guide))
        except KnowledgeBaseError as exc:
            exc.edition = position
            raise
    return editions


class KnowledgeBases:
    """The recommenders of one process, one per knowledge-base version, the first the default.

    Two editions with the same version string are refused (a request could not tell them apart):
    a :class:`~recommender.errors.KnowledgeBaseError` naming the version and both digests.
    """

    def __init__(self, recommenders: Iterable[Recommender]) -> None:
        self._by_version: dict[str, Recommender] = {}
        for recommender in recommenders:
            kb = recommender.kb
            other = self._by_version.get(kb.version)
            if other is not None:
                raise KnowledgeBaseError(
                    f"two knowledge bases are both version {kb.version!r} (digests {other.kb.digest[:12]} and "
                    f"{kb.digest[:12]}): give each edition its own version",
                    file=MANIFEST,
                    entry="version",
                )
            self._by_version[kb.version] = recommender
        if not self._by_version:
            raise ValueError("KnowledgeBases needs at least one recommender")

    @classmethod
    def load(
        cls,
        default: str | Path | None = None,
        extra: Sequence[str | Path] = (),
        *,
        cache_size: int = DEFAULT_CACHE_SIZE,
    ) -> KnowledgeBases:
        """Load, validate and compile ``default`` (the shipped knowledge base when ``None``) and
        every folder of ``extra``, each a :class:`Recommender` keeping ``cache_size`` answers.

        Raises:
            KnowledgeBaseError: a folder does not load (``edition``: its position), or two share a version.
        """
        editions = load_editions([default, *extra])
        return cls(Recommender(kb, cache_size=cache_size) for kb in editions)

    @property
    def default(self) -> Recommender:
        """The recommender a request that names no version gets: the first one given."""
        return next(iter(self._by_version.values()))

    def get(self, version: str | None = None) -> Recommender:
        """The recommender on the knowledge base of ``version`` (the default when ``None``).

        Raises:
            UnknownKnowledgeBaseError: no loaded knowledge base has that version.
        """
        if version is None:
            return self.default
        found = self._by_version.get(version)
        if found is None:
            raise UnknownKnowledgeBaseError(version, known=list(self._by_version))
        return found

    def by_digest(self, digest: str) -> Recommender | None:
        """The recommender on the knowledge base whose digest is ``digest``, if one is loaded."""
        return next((r for r in self if r.kb.digest == digest), None)

    @property
    def versions(self) -> list[str]:
        """The loaded versions, the default first."""
        return list(self._by_version)

    def __iter__(self) -> Iterator[Recommender]:
        return iter(self._by_version.values())

    def __len__(self) -> int:
        return len(self._by_version)
