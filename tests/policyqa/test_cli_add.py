"""`policyqa add` and `remove` with the real model: a State Council notice added to the Fujian
index is found and answered, and removing it gives back the very answers of before."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from policyqa.cli import main
from tests.conftest import FUJIAN, GOVCN

QUESTIONS = ("养老机构还需要许可吗", "灵活就业人员能凭居住证办医保吗", "企业开办时间压缩到多少个工作日",
             "政府性融资担保基金怎么支持小微企业")


def _answers(index: Path, capsys: pytest.CaptureFixture[str]) -> list[str]:
    out = []
    for question in QUESTIONS:
        assert main(["ask", question, "--json", "--index", str(index)]) == 0
        out.append(capsys.readouterr().out)
    return out


def _gist(answer: str) -> tuple[object, ...]:
    """What an answer says and the clause it rests on (its wording names the notice once there
    are two, and the further citations may shift with BM25's document frequencies)."""
    data = json.loads(answer)
    cited = [(c["doc_id"], c["clause_id"], c["quote"]) for c in data["citations"][:1]]
    return data["status"], data["verdict"], cited


def test_add_and_remove_a_notice(model_cache: Path, tmp_path: Path,
                                 monkeypatch: pytest.MonkeyPatch,
                                 capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("POLICYQA_CACHE_DIR", str(model_cache))
    index = tmp_path / "index"
    assert main(["build", "--index", str(index), "--corpus", str(FUJIAN)]) == 0
    capsys.readouterr()
    before = _answers(index, capsys)

    line = next(line for line in GOVCN.read_text(encoding="utf-8").splitlines()
                if json.loads(line).get("num") == "国办发〔2019〕6号")
    notice = tmp_path / "one.jsonl"
    notice.write_text(line + "\n", encoding="utf-8")
    assert main(["add", str(notice), "--index", str(index)]) == 0
    assert "added gbf-2019-6: 2 documents" in capsys.readouterr().out
    assert main(["search", "政府性融资担保基金 小微企业", "--k", "3", "--json",
                 "--index", str(index)]) == 0
    hits = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert hits[0]["doc_id"] == "gbf-2019-6"
    after = _answers(index, capsys)
    for old, new in zip(before[:3], after[:3], strict=True):  # the Fujian answers stand
        assert _gist(new) == _gist(old)

    assert main(["remove", "gbf-2019-6", "--index", str(index)]) == 0
    capsys.readouterr()
    assert _answers(index, capsys) == before
