"""Reading files: encodings, JSON lines, folders, and bad input that must fail cleanly."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from contract.errors import InputError
from corpus.reader import decode, doc_id_for, read_documents, read_path
from tests.conftest import FUJIAN

NOTICE = "关于测试的通知\n一、总体要求\n做好测试工作。\n二、主要任务\n（一）开展试点。2022年底前完成。（省民政厅牵头，省有关部门按职责分工负责）\n"


def test_gbk_file_parses_like_utf8(tmp_path: Path) -> None:
    gbk = tmp_path / "fujian_gbk.txt"
    gbk.write_bytes(FUJIAN.read_text(encoding="utf-8").encode("gbk"))
    (from_gbk,) = read_path(gbk)
    (from_utf8,) = read_path(FUJIAN)
    assert [c.model_dump(exclude={"doc_id"}) for c in from_gbk.clauses] == [
        c.model_dump(exclude={"doc_id"}) for c in from_utf8.clauses]


def test_utf8_bom_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "bom.txt"
    path.write_bytes("\ufeff".encode() + NOTICE.encode("utf-8"))
    (doc,) = read_path(path)
    assert doc.title == "关于测试的通知"
    assert doc.clause("2.1").units[0].name == "省民政厅"
    assert doc.clause("2.1").units[0].lead


@pytest.mark.parametrize(("payload", "message"), [
    (b"", "empty"),
    (b"  \n\t\n", "empty"),
    (b"\x7fELF\x02\x01\x01\x00\x00\x00" + bytes(range(256)) * 4, "binary"),
    (bytes(range(128, 256)) * 8, "cannot read"),
])
def test_bad_files_give_clear_errors(tmp_path: Path, payload: bytes, message: str) -> None:
    path = tmp_path / "bad.txt"
    path.write_bytes(payload)
    with pytest.raises(InputError, match=message):
        read_path(path)


def test_missing_path(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        read_path(tmp_path / "nope.txt")


def test_unstructured_text_is_one_clause(tmp_path: Path) -> None:
    path = tmp_path / "letter.txt"
    path.write_text("国务院办公厅关于同意举办运动会的复函\n你省来函收悉。经国务院同意，现函复如下。\n",
                    encoding="utf-8")
    (doc,) = read_path(path)
    assert [c.clause_id for c in doc.clauses] == ["preamble"]
    assert "你省来函收悉" in doc.clauses[0].text


def test_folder_reads_text_and_jsonl(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(NOTICE, encoding="utf-8")
    (tmp_path / "sub").mkdir()
    record = {"num": "国发〔2030〕1号", "title": "测试意见", "office": "国务院", "text": NOTICE,
              "url": "http://example.invalid/content/2030-01/02/content_1.htm"}
    (tmp_path / "sub" / "b.jsonl").write_text(json.dumps(record, ensure_ascii=False) + "\n",
                                              encoding="utf-8")
    (tmp_path / "ignored.bin").write_bytes(b"\x00\x01")
    docs = read_documents([tmp_path])
    assert [d.doc_id for d in docs] == ["a", "gf-2030-1"]
    assert str(docs[1].published) == "2030-01-02"
    assert docs[1].issuer == "国务院"


def test_folder_without_notices(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="holds no notices"):
        read_path(tmp_path)


def test_duplicate_doc_ids_are_refused(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(NOTICE, encoding="utf-8")
    with pytest.raises(InputError, match="share the id"):
        read_documents([tmp_path / "a.txt", tmp_path / "a.txt"])


@pytest.mark.parametrize(("line", "message"), [
    ("{not json", "not valid JSON"),
    ('{"title": "x"}', "'text' field"),
    ("[1, 2]", "'text' field"),
])
def test_bad_jsonl_lines(tmp_path: Path, line: str, message: str) -> None:
    path = tmp_path / "docs.jsonl"
    path.write_text(line + "\n", encoding="utf-8")
    with pytest.raises(InputError, match=f"docs.jsonl:1: .*{message}"):
        read_path(path)


def test_decode_rejects_mostly_control_characters() -> None:
    with pytest.raises(InputError):
        decode(bytes([1, 2, 3, 4, 5, 6, 7, 8]) * 20, "x")


def test_doc_id_fallbacks() -> None:
    assert doc_id_for("国发〔2018〕39号", None, "t") == "gf-2018-39"
    assert doc_id_for("某局〔2018〕3号", "http://x/content_5345808.htm", "t") == "content_5345808"
    fallback = doc_id_for(None, None, "正文")
    assert fallback.startswith("doc-") and fallback == doc_id_for(None, None, "正文")
