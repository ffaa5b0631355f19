"""Keeping Milvus in step with the index folder (:class:`~index.backend.Mirror`): each version
is loaded before the folder publishes it and made live right after, under the folder's edit
lock (:func:`index.store.published`)."""

from __future__ import annotations

import logging
from pathlib import Path

from contract.errors import IndexUnavailable
from index.lexicon import load_stopwords
from index.milvus import MilvusStore
from index.store import load_index, read_manifest

logger = logging.getLogger(__name__)


class MilvusMirror:
    """:class:`~index.backend.Mirror` for Milvus: loads each version of the index folder
    before it is published (an edit as the generation after its lineage's last, a build as a
    new lineage), makes it live after, and keeps the lineage before it for searches under
    way."""

    def __init__(self, store: MilvusStore) -> None:
        self._store = store
        self._staged: tuple[str, int] | None = None
        self._previous: str | None = None

    def stage(self, work: Path, previous: Path | None = None) -> None:
        index = load_index(work, None, load_stopwords())
        assert index.vectors is not None  # loaded with them
        try:
            before = read_manifest(previous) if previous is not None else None
        except IndexUnavailable:
            before = None  # compared record by record instead
        lineage = self._store.load(index, index.vectors.all(), before)
        self._staged = (lineage, index.manifest.generation)
        try:
            self._store.ready(lineage)  # so that after publishing only the swap is left
            self._previous = self._store.live()
        except Exception as exc:
            raise IndexUnavailable(f"Milvus could not prepare the new version: {exc}") from exc

    def activate(self) -> None:
        staged, self._staged = self._staged, None
        if staged is None:
            raise IndexUnavailable("nothing was loaded into Milvus to make live")
        lineage, generation = staged
        try:
            self._store.activate(lineage, generation)
        except Exception as exc:
            raise IndexUnavailable(
                f"the index folder was published, but Milvus did not make lineage {lineage} "
                f"live ({exc}); make it live with: policyqa store sync") from exc
        try:
            self._store.prune([v for v in (lineage, self._previous) if v])
        except Exception:  # the new lineage is live; old ones are only left behind
            logger.warning("Milvus: older lineages could not be dropped", exc_info=True)
