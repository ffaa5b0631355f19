"""The admin API's paths keep a mirrored store (Milvus) in step: the editor's edits and the
reindex stage each version before it is published and make it live after."""

from __future__ import annotations

import os
from pathlib import Path

from corpus.document import Document
from index.fake import HashingEncoder
from policyqa.runtime import ServiceEditor, rebuild
from tests.conftest import build_fake, fake_service
from tests.index.test_store import RecordingMirror


def test_the_editor_and_the_reindex_pass_their_mirror(tmp_path: Path, fujian: Document,
                                                      govcn: dict[str, Document]) -> None:
    folder = tmp_path / "index"
    other = next(iter(govcn.values()))
    build_fake([fujian, other], folder)
    service = fake_service(folder)
    mirror = RecordingMirror(folder)
    editor = ServiceEditor(folder, mirror)

    before = os.readlink(folder)
    service, report = editor.set_status(service, other.doc_id, "废止")
    assert report.published
    assert mirror.events == [("stage", before), ("activate", os.readlink(folder))]

    mirror.events.clear()
    before = os.readlink(folder)
    service, _ = editor.remove(service, other.doc_id)
    assert mirror.events == [("stage", before), ("activate", os.readlink(folder))]

    mirror.events.clear()
    before = os.readlink(folder)
    rebuilt = rebuild(service, [fujian], folder, mirror=mirror)
    assert mirror.events == [("stage", before), ("activate", os.readlink(folder))]
    assert isinstance(rebuilt.encoder, HashingEncoder)
