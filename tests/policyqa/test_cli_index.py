"""The real system end to end: model build, index build, search and eval with the offline
multilingual-e5-small model (built once per test session from the PyPI packages)."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from engine.answerer import Answerer
from policyqa.cli import main


@pytest.fixture(scope="module")
def system(model_cache: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Settings pointing at the session's model cache and a fresh index folder, index built."""
    index_dir = tmp_path_factory.mktemp("system") / "index"
    saved = {k: os.environ.get(k) for k in ("POLICYQA_CACHE_DIR", "POLICYQA_INDEX_DIR")}
    os.environ["POLICYQA_CACHE_DIR"] = str(model_cache)
    os.environ["POLICYQA_INDEX_DIR"] = str(index_dir)
    try:
        assert main(["build"]) == 0
        yield index_dir
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def test_model_build_command(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                             capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("POLICYQA_CACHE_DIR", str(tmp_path))
    assert main(["model", "build"]) == 0
    assert (tmp_path / "multilingual-e5-small" / "modules.json").is_file()
    assert len(list((tmp_path / "onnx").glob("multilingual-e5-small-*.onnx"))) == 1
    assert capsys.readouterr().out.strip().endswith("multilingual-e5-small")


def test_build_writes_a_verified_index(system: Path) -> None:
    manifest = json.loads((system / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["model_id"] == "multilingual-e5-small" and manifest["dim"] == 384
    assert manifest["counts"]["clauses"] == 78


def test_search(system: Path, capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    assert main(["search", "现在开养老院还需要许可吗", "--k", "3"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("1. [fujian_2021_fangguanfu 7.1] 七、（一）创新养老和医疗服务供给")
    assert "取消养老机构设立许可" in out
    assert main(["search", "诊所备案", "--json", "--unit", "省卫健委"]) == 0
    hits = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert hits and all("省卫健委" in [u["name"] for u in h["units"]] for h in hits)


def test_search_refuses_a_damaged_index(system: Path, tmp_path: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    import shutil

    broken = tmp_path / "broken"
    shutil.copytree(system, broken)
    faiss_file = broken / "vectors.faiss"
    faiss_file.write_bytes(faiss_file.read_bytes()[:-10])
    assert main(["search", "养老", "--index", str(broken)]) == 3
    assert "rebuild with: policyqa build" in capsys.readouterr().err


def test_hybrid_retrieval_quality(system: Path, capsys: pytest.CaptureFixture[str],
                                  tmp_path: Path) -> None:
    """Must show: hybrid hit@1 ≥ 0.92, hit@3 ≥ 0.98, and no worse than either side on any kind."""
    assert main(["eval", "--compare", "--report", str(tmp_path)]) == 0
    by_mode = {mode: json.loads((tmp_path / mode / "metrics.json").read_text(encoding="utf-8"))
               for mode in ("bm25", "dense", "hybrid")}
    hybrid = by_mode["hybrid"]
    assert hybrid["all"]["hit@1"] >= 0.92
    assert hybrid["all"]["hit@3"] >= 0.98
    for kind, metrics in hybrid.items():
        for side in ("bm25", "dense"):
            for name in ("hit@1", "hit@3"):
                if metrics[name] is not None:
                    assert metrics[name] >= by_mode[side][kind][name], (kind, side, name)


def test_ask(system: Path, capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    assert main(["ask", "养老机构还需要许可吗"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("不需要。")
    assert "七、（一）创新养老和医疗服务供给" in out and "省民政厅" in out
    assert main(["ask", "灵活就业人员能凭居住证办医保吗", "--json"]) == 0
    answer = json.loads(capsys.readouterr().out)
    assert answer["verdict"] == "yes" and answer["status"] == "answered"


def test_ask_jsonl(system: Path, capsys: pytest.CaptureFixture[str],
                   monkeypatch: pytest.MonkeyPatch) -> None:
    import io

    capsys.readouterr()
    monkeypatch.setattr("sys.stdin", io.StringIO("养老机构还需要许可吗\n\n福州地铁晚上几点停运\n"))
    assert main(["ask", "--jsonl"]) == 0
    answers = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [a["status"] for a in answers] == ["answered", "not_found"]


def test_ask_bad_input(system: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ask", "   "]) == 2
    assert "empty" in capsys.readouterr().err


def test_engine_meets_the_floors(system: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["eval", "--floors"]) == 0


@pytest.fixture(scope="module")
def engine(system: Path) -> Answerer:
    """The answer engine over the real model and index (loaded once)."""
    from policyqa.runtime import open_service
    from policyqa.settings import Settings

    return open_service(Settings(), system).answerer


@pytest.mark.parametrize("text", [
    "hello", "test", "ok", "x", "a", "<b>hi</b>", "你好", "在吗", "谢谢", "？？？",
    "https://example.com", "What is the weather in Fuzhou tomorrow?", "明天福州会下雨吗",
    "驾驶证到期了去哪里换证", "社保卡丢了怎么挂失", "燃气费在哪里交",
])
def test_greetings_markup_and_other_services_are_refused(engine: Answerer, text: str) -> None:
    answer = engine.ask(text)
    assert answer.status == "not_found", answer.answer
    assert answer.confidence is not None and answer.confidence < engine.refusal.threshold


@pytest.mark.parametrize("text", [
    "养老机构还需要许可吗", "养老机构还需要许可吗谢谢", "养老机构还需要许可吗😊",
    "请问养老机构还需要许可吗？谢谢！🙏", "Do elderly care homes still need an establishment license?",
])
def test_courtesy_emoji_and_english_keep_the_verdict(engine: Answerer, text: str) -> None:
    answer = engine.ask(text)
    assert (answer.status, answer.verdict) == ("answered", "no"), answer.answer
    assert answer.citations[0].clause_id in ("7.1", "A6.1")


def test_metadata_lines_are_never_quoted(engine: Answerer) -> None:
    document = engine._documents["fujian_2021_fangguanfu"]  # the notice's own lines
    for text in ("发布日期是哪天", "这个文件是哪个单位发的", "此件主动公开吗", "方案印发给了哪些单位",
                 "福建省服务六稳六保进一步做好放管服改革有关工作实施方案"):
        answer = engine.ask(text)
        for citation in answer.citations:
            assert not document.is_metadata(citation.quote), (text, citation.quote)
