"""Loading a generation in place: what is inserted, retired, restored and deleted, so that
readers of the generation before see no change and readers of the new one see exactly it."""

from __future__ import annotations

from index.generation import FOREVER, Held, plan, visible


def held(item: str, since: int, until: int, digest: str) -> Held:
    return Held(f"{item}#{since}", since, until, digest)


def seen(records: list[Held], generation: int) -> dict[str, str]:
    return {r.item: r.digest for r in records if r.since <= generation < r.until}


def carry_out(records: list[Held], wanted: dict[str, str], generation: int) -> list[Held]:
    todo = plan(records, wanted, generation)
    kept = [Held(r.key, r.since, todo.until.get(r.key, r.until), r.digest) for r in records
            if r.key not in todo.delete]
    return kept + [Held(f"{item}#{generation}", generation, FOREVER, wanted[item])
                   for item in sorted(todo.insert)]


def test_an_edit_writes_only_what_changed() -> None:
    records = [held("a", 0, FOREVER, "1"), held("b", 0, FOREVER, "2"), held("c", 0, FOREVER, "3")]
    wanted = {"a": "1", "b": "2*", "d": "4"}  # b changed, c removed, d added
    todo = plan(records, wanted, 1)
    assert todo.insert == {"b", "d"}
    assert todo.until == {"b#0": 1, "c#0": 1}
    assert not todo.delete and todo.writes == 4
    after = carry_out(records, wanted, 1)
    assert seen(after, 0) == seen(records, 0)  # readers of the generation before
    assert seen(after, 1) == wanted


def test_nothing_to_do_when_milvus_holds_the_generation() -> None:
    records = [held("a", 0, 1, "1"), held("a", 1, FOREVER, "1*")]
    assert plan(records, {"a": "1*"}, 1).writes == 0


def test_a_load_that_did_not_finish_is_reconciled() -> None:
    """A failed load of generation 1 for another edit left a record inserted and one retired;
    the next load of generation 1 deletes the first and restores the second."""
    records = [held("a", 0, 1, "1"), held("b", 0, FOREVER, "2"), held("c", 1, FOREVER, "3"),
               held("z", 2, FOREVER, "9")]  # z: written for a generation never published
    wanted = {"a": "1", "b": "2*"}
    todo = plan(records, wanted, 1)
    assert todo.delete == {"c#1", "z#2"}
    assert todo.until == {"a#0": FOREVER, "b#0": 1}
    assert todo.insert == {"b"}
    after = carry_out(records, wanted, 1)
    assert seen(after, 0) == {"a": "1", "b": "2"}
    assert seen(after, 1) == wanted


def test_a_record_written_by_an_unfinished_load_of_the_same_generation_is_replaced() -> None:
    records = [held("a", 0, 1, "1"), held("a", 1, FOREVER, "1?")]
    after = carry_out(records, {"a": "1!"}, 1)
    assert seen(after, 1) == {"a": "1!"} and seen(after, 0) == {"a": "1"}


def test_visible_is_the_generations_records() -> None:
    assert visible(3) == "since <= 3 and until > 3"
