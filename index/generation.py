"""Generations of an index kept in a store in place: which records a reader sees, and what
loading one more generation writes.

Every record carries the generations it belongs to, ``since`` ≤ g < ``until``, and a digest of
its content. Loading generation g inserts the records that are new or changed with ``since`` =
g and retires the ones that went or changed with ``until`` = g: readers of g − 1 see what they
saw, readers of g see exactly the new version, and a load that did not finish left only records
that no reader of g − 1 sees — the next load of g deletes or restores them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

KEY = "#"
"""Joins an item's key and the generation that wrote it into a record key (an item's key may
hold this character too: the generation is what follows the last one)."""
FOREVER = 2**62
"""``until`` of a record no generation has retired."""


def visible(generation: int) -> str:
    """The records of ``generation``, as a filter expression."""
    return f"since <= {int(generation)} and until > {int(generation)}"


@dataclass(frozen=True)
class Held:
    """A record Milvus holds (its vector left out)."""

    key: str
    since: int
    until: int
    digest: str
    doc_key: str = ""
    """The document it belongs to, as :func:`index.milvus_record.hashed` gives it."""

    @property
    def item(self) -> str:
        """The passage or clause it stands for, whatever generation wrote it."""
        return self.key.rsplit(KEY, 1)[0]


@dataclass(frozen=True)
class Plan:
    """What loading a generation writes to one collection."""

    insert: frozenset[str]
    """Items whose current record is to be inserted."""
    until: Mapping[str, int]
    """Record key → its new ``until`` (retired, or kept after a failed load retired it)."""
    delete: frozenset[str]
    """Record keys of records no reader can see (left by a load that did not finish)."""

    @property
    def writes(self) -> int:
        return len(self.insert) + len(self.until) + len(self.delete)


def plan(held: Iterable[Held], wanted: Mapping[str, str], generation: int) -> Plan:
    """How to make exactly ``wanted`` (item → digest) visible at ``generation`` without
    changing what ``generation - 1`` sees: ``held`` are the records visible at either."""
    insert = dict(wanted)
    until: dict[str, int] = {}
    delete: set[str] = set()
    for record in held:
        if record.since > generation:
            delete.add(record.key)
        elif insert.get(record.item) == record.digest:
            del insert[record.item]
            if record.until != FOREVER:
                until[record.key] = FOREVER
        elif record.since == generation:
            delete.add(record.key)  # written by a load of this generation that did not finish
        elif record.until != generation:
            until[record.key] = generation
    return Plan(frozenset(insert), until, frozenset(delete))
