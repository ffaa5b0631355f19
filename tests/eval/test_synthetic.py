"""The synthetic corpus: every generated notice parses, ids are unique, variants differ from
their sources, and a seed gives the same bytes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from corpus.document import Document
from corpus.reader import read_documents, read_path
from eval.synthetic import (
    City,
    Reissuer,
    Shift,
    corpus_files,
    count,
    generate,
    load_cities,
    load_rules,
    main,
    variants,
)
from tests.conftest import GOVCN

FUZHOU = City(name="福州市", short="福州", province="福建省", slug="fuzhou")


@pytest.fixture(scope="module")
def corpus80(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("synthetic")
    generate(out, 80, seed=7, shard_size=8)
    return out


def _records(folder: Path) -> list[dict[str, object]]:
    return [json.loads(line) for shard in sorted(folder.glob("variants-*.jsonl"))
            for line in shard.read_text(encoding="utf-8").splitlines()]


def test_every_generated_notice_parses_with_the_sources_clauses(
        corpus80: Path, govcn: dict[str, Document]) -> None:
    documents = read_documents(corpus_files(corpus80))  # refuses two documents with one id
    assert len(documents) == 80
    assert len({d.doc_id for d in documents}) == 80
    manifest = json.loads((corpus80 / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["documents"] == 80 and manifest["variants"] == 19
    assert len(manifest["shards"]) == 3  # 8 + 8 + 3
    sources = {d.doc_id: d for d in govcn.values()}
    records = _records(corpus80)
    by_id = {d.doc_id: d for d in documents}
    for record in records:
        variant, source = by_id[str(record["doc_id"])], sources[str(record["synthetic_from"])]
        assert variant.clauses, variant.doc_id
        assert [c.clause_id for c in variant.clauses] == [c.clause_id for c in source.clauses]
        assert variant.title != source.title
        assert variant.number != source.number
        assert (variant.issuer or "").startswith(f"{record['city']}人民政府")
        assert variant.published != source.published
        assert variant.level == "municipal"
        assert [c.text for c in variant.clauses] != [c.text for c in source.clauses]
        assert "国务院" not in variant.title


def test_the_units_become_the_citys_bureaus() -> None:
    rules = load_rules()
    reissuer = Reissuer(rules)
    shift = Shift(years=2, days=3, number=5)
    text = ("各省、自治区、直辖市人民政府，国务院各部委、各直属机构：\n（教育部、财政部、人力资源社会保障部"
            "按职责分工负责）党中央、国务院高度重视，全国推广。2019年1月27日印发，2020年底前完成。")
    assert reissuer.rewrite(text, FUZHOU, shift) == (
        "各区县人民政府，市政府各部门、各直属机构：\n（福州市教育局、福州市财政局、"
        "福州市人力资源社会保障局按职责分工负责）党中央、国务院高度重视，全市推广。"
        "2021年1月30日印发，2022年底前完成。")
    assert reissuer.number("国发〔2019〕5号", FUZHOU, shift) == "福州政发〔2021〕10号"
    assert reissuer.number("国办发明电〔2018〕15号", FUZHOU, shift) == "福州政办明电〔2020〕20号"
    assert reissuer.number("国令第707号", FUZHOU, shift) == "福州市人民政府令第712号"


def test_a_decree_gets_the_citys_title_and_number() -> None:
    record = next(json.loads(line) for line in GOVCN.read_text(encoding="utf-8").splitlines()
                  if json.loads(line)["num"] == "国令第706号")
    variant = Reissuer(load_rules()).variant(record, FUZHOU, Shift(years=1, days=0, number=1))
    assert variant["title"] == "福州市实施《专利代理条例》办法"
    assert variant["num"] == "福州市人民政府令第707号"
    assert variant["text"].startswith("福州市人民政府令\n第707号\n")
    assert "\n福州市实施《专利代理条例》办法\n" in variant["text"]


def test_the_same_seed_gives_the_same_bytes_and_another_seed_other_ones(
        corpus80: Path, tmp_path: Path) -> None:
    generate(tmp_path / "same", 80, seed=7, shard_size=8)
    generate(tmp_path / "other", 80, seed=8, shard_size=8)
    assert _records(tmp_path / "same") == _records(corpus80)
    assert _records(tmp_path / "other") != _records(corpus80)


def test_a_smaller_run_leaves_no_stale_shards(tmp_path: Path) -> None:
    generate(tmp_path, 80, seed=7, shard_size=8)
    generate(tmp_path, 65, seed=7, shard_size=8)
    assert len(_records(tmp_path)) == 4
    assert len(read_documents(corpus_files(tmp_path))) == 65


def test_asking_for_more_than_the_cities_give_is_refused() -> None:
    most = len(load_cities()) * 60
    with pytest.raises(ValueError, match="at most"):
        list(variants(most + 1, seed=7))


def test_counts_tell_passages_from_distinct_texts(govcn: dict[str, Document]) -> None:
    documents = list(govcn.values())
    doubled = count(documents + documents)
    single = count(documents)
    assert doubled.passages == 2 * single.passages
    assert doubled.distinct_passages == single.distinct_passages
    assert doubled.sentences == 2 * single.sentences
    assert doubled.distinct_sentences == single.distinct_sentences


def test_the_command_prints_the_counts(tmp_path: Path, capsys: pytest.CaptureFixture[str]
                                       ) -> None:
    assert main(["--out", str(tmp_path), "--documents", "63", "--seed", "1"]) == 0
    out = capsys.readouterr().out
    assert "documents  63" in out and "distinct texts embedded" in out
    counts = json.loads((tmp_path / "counts.json").read_text(encoding="utf-8"))
    assert counts["documents"] == 63
    assert len(read_path(tmp_path / "variants-0000.jsonl")) == 2
