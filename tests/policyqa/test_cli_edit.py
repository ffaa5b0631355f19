"""`policyqa add`, `remove` and `status`: one line each, errors as one line and an exit code.

The fake encoder stands in for the model (``open_encoder``); the index is a real one."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from contract.errors import IndexUnavailable
from corpus.document import Document
from index.encoder import Encoder
from index.fake import HashingEncoder
from index.lexicon import load_stopwords
from index.store import FORMAT_VERSION, load_index
from policyqa import runtime
from policyqa.cli import main
from policyqa.settings import Settings
from tests.conftest import FUJIAN, GOVCN, build_fake

NUMBER = "国办发〔2019〕6号"


@pytest.fixture()
def model(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The fake encoder instead of the model; counts how often the model was opened."""
    opened: list[int] = []

    def open_encoder(settings: Settings, progress: object = None) -> Encoder:
        opened.append(1)
        return HashingEncoder()

    monkeypatch.setattr(runtime, "open_encoder", open_encoder)
    return opened


@pytest.fixture()
def index(tmp_path: Path, fujian: Document, govcn: dict[str, Document]) -> Path:
    folder = tmp_path / "index"
    build_fake([fujian, govcn["国发〔2018〕39号"]], folder)
    return folder


@pytest.fixture()
def notice(tmp_path: Path) -> Path:
    """One State Council notice in a JSON-lines file of its own."""
    line = next(line for line in GOVCN.read_text(encoding="utf-8").splitlines()
                if json.loads(line).get("num") == NUMBER)
    path = tmp_path / "one.jsonl"
    path.write_text(line + "\n", encoding="utf-8")
    return path


def _doc_ids(folder: Path) -> list[str]:
    return [d.doc_id for d in load_index(folder, HashingEncoder(), load_stopwords()).documents]


def test_add_remove_and_status(index: Path, notice: Path, model: list[int],
                               capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["add", str(notice), "--index", str(index)]) == 0
    out = capsys.readouterr().out.strip().splitlines()
    assert len(out) == 1
    assert re.fullmatch(rf"{re.escape(str(index))}: added gbf-2019-6: 3 documents, \d+ clauses, "
                        r"\d+ vectors; embedded \d+ passages \(\d+ encoded, \d+ repeated(, \d+ reused)?\) in "
                        r"[\d.]+ s \([\d.]+ passages/s\) \([\d.]+ s\)", out[0]), out[0]
    assert _doc_ids(index)[-1] == "gbf-2019-6"

    assert main(["add", str(notice), "--index", str(index)]) == 0
    assert "gbf-2019-6 unchanged: 3 documents" in capsys.readouterr().out

    assert main(["status", "gbf-2019-6", "废止", "--index", str(index)]) == 0
    assert "gbf-2019-6 现行 → 废止: 3 documents" in capsys.readouterr().out
    assert load_index(index, HashingEncoder(), load_stopwords()).documents[-1].status == "废止"

    assert main(["remove", "gbf-2019-6", "--index", str(index)]) == 0
    assert "removed gbf-2019-6: 2 documents" in capsys.readouterr().out
    assert _doc_ids(index) == ["fujian_2021_fangguanfu", "gf-2018-39"]
    assert len(model) == 2  # only add opens the model


def test_edit_errors_are_one_line(index: Path, model: list[int], tmp_path: Path,
                                  capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["remove", "gf-2099-1", "--index", str(index)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "no document 'gf-2099-1'" in err[0]
    assert main(["status", "nope", "废止", "--index", str(index)]) == 2
    assert "no document 'nope'" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exited:
        main(["status", "gf-2018-39", "作废", "--index", str(index)])
    assert exited.value.code == 2
    assert main(["add", str(tmp_path / "missing.txt"), "--index", str(index)]) == 2
    assert "no such file" in capsys.readouterr().err
    assert model == []


def test_add_to_an_index_of_an_older_format_names_the_fix(
        index: Path, notice: Path, model: list[int], capsys: pytest.CaptureFixture[str]) -> None:
    path = index.resolve() / "manifest.json"
    manifest = json.loads(path.read_text(encoding="utf-8"))
    manifest["format_version"] = 2
    path.write_text(json.dumps(manifest), encoding="utf-8")
    assert main(["add", str(notice), "--index", str(index)]) == 3
    err = capsys.readouterr().err
    assert "index format 2" in err and "rebuild with: policyqa build" in err
    assert model == []  # refused before the model is loaded


def test_build_reports_the_embedding_rate(tmp_path: Path, model: list[int],
                                          capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "index"
    assert main(["build", "--index", str(folder), "--corpus", str(FUJIAN)]) == 0
    out = capsys.readouterr().out
    found = re.search(r"embedded (\d+) passages \((\d+) encoded, (\d+) repeated\) in [\d.]+ s "
                      r"\([\d.]+ passages/s\)", out)
    assert found, out
    passages, encoded, repeated = map(int, found.groups())
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert passages == manifest["counts"]["vectors"] == encoded + repeated


def _older_format(folder: Path, documents: list[Document], damaged: bool = False) -> None:
    """An index folder as format 2 left it: documents.json vouched for by the manifest."""
    from pydantic import TypeAdapter

    from index.checksum import sha256_file

    folder.mkdir()
    (folder / "documents.json").write_bytes(TypeAdapter(list[Document]).dump_json(documents))
    digest = sha256_file(folder / "documents.json")
    if damaged:
        (folder / "documents.json").write_text("[]", encoding="utf-8")
    (folder / "manifest.json").write_text(json.dumps({
        "format_version": 2, "model_id": "fake-hashing", "dim": 256,
        "files": {"documents.json": digest}}), encoding="utf-8")


def test_an_older_format_is_rebuilt_from_its_own_documents(
        tmp_path: Path, model: list[int], fujian: Document, govcn: dict[str, Document]) -> None:
    folder = tmp_path / "index"
    _older_format(folder, [govcn["国发〔2018〕39号"], fujian])
    built = runtime.upgrade(Settings(), folder)
    assert built.manifest.format_version == FORMAT_VERSION and folder.is_symlink()
    assert _doc_ids(folder) == ["gf-2018-39", "fujian_2021_fangguanfu"]  # not the settings' corpus

    damaged = tmp_path / "damaged"
    _older_format(damaged, [fujian], damaged=True)
    with pytest.raises(IndexUnavailable, match=r"older format .* rebuild with: policyqa build"):
        runtime.upgrade(Settings(), damaged)
