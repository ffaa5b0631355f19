"""Reading notices from disk: plain text (UTF-8 or GB18030/GBK), govcn JSON lines, web pages,
Word files, PDFs with a text layer, and folders of them."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import re
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from contract.errors import DataError, InputError
from corpus.document import Document
from corpus.docx_reader import read_docx
from corpus.extract import Extract
from corpus.html_reader import read_html
from corpus.parse import parse_blocks, parse_notice
from corpus.pdf_reader import read_pdf
from corpus.units import UnitAliases, load_aliases

logger = logging.getLogger(__name__)

TEXT_SUFFIXES = (".txt", ".md", ".text")
JSONL_SUFFIXES = (".jsonl", ".ndjson")
HTML_SUFFIXES = (".html", ".htm", ".shtml")
_LAYOUT_READERS: dict[str, Callable[[bytes, str], Extract]] = {
    **dict.fromkeys(HTML_SUFFIXES, read_html), ".docx": read_docx, ".pdf": read_pdf}
SUFFIXES = TEXT_SUFFIXES + JSONL_SUFFIXES + tuple(_LAYOUT_READERS)
PREFIXES_FILE = Path(__file__).parent / "data" / "docno_prefixes.json"
MAX_FILE_BYTES = 20 * 1024 * 1024
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_DOCNO = re.compile(r"^(?P<prefix>[\u4e00-\u9fff]+?)(?:〔(?P<year>\d{4})〕(?P<n>\d+)号|第(?P<n2>\d+)号)$")
_URL_DATE = re.compile(r"/(?P<y>\d{4})-(?P<m>\d{2})/(?P<d>\d{2})/")


def decode(data: bytes, name: str) -> str:
    """Decode a text file's bytes as UTF-8 (with or without BOM) or GB18030; reject binary."""
    if not data.strip():
        raise InputError(f"{name}: the file is empty")
    if b"\x00" in data:
        raise InputError(f"{name}: this looks like a binary file, not a text notice")
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if len(_CONTROL.findall(text)) > max(2, len(text) // 100):
            break
        return text
    raise InputError(
        f"{name}: cannot read this file as text (tried UTF-8 and GB18030/GBK); "
        "is it a binary file?")


def read_documents(paths: Iterable[Path], aliases: UnitAliases | None = None) -> list[Document]:
    """Read every notice in the given files and folders, in order; doc ids must be unique."""
    aliases = aliases or load_aliases()
    documents: list[Document] = []
    for path in paths:
        documents.extend(read_path(path, aliases))
    seen: dict[str, str] = {}
    for doc in documents:
        if doc.doc_id in seen:
            raise InputError(f"two documents share the id {doc.doc_id!r}: {seen[doc.doc_id]} "
                             f"and {doc.source}")
        seen[doc.doc_id] = doc.source
    return documents


def read_path(path: Path, aliases: UnitAliases | None = None) -> list[Document]:
    """Read one file (text or JSON lines) or every notice file inside a folder."""
    aliases = aliases or load_aliases()
    if path.is_dir():
        files = sorted(p for p in path.rglob("*")
                       if p.is_file() and p.suffix.lower() in SUFFIXES)
        if not files:
            raise InputError(f"{path}: the folder holds no notices ({', '.join(SUFFIXES)})")
        return [doc for file in files for doc in read_path(file, aliases)]
    if not path.exists():
        raise InputError(f"{path}: no such file or folder")
    if path.stat().st_size > MAX_FILE_BYTES:
        raise InputError(f"{path}: larger than {MAX_FILE_BYTES // (1024 * 1024)} MB")
    return read_bytes(path.read_bytes(), str(path), aliases)


def read_bytes(data: bytes, name: str, aliases: UnitAliases | None = None) -> list[Document]:
    """Read the notices in one file's content; ``name`` (a path or an upload's file name) says
    its format by its suffix and gives the doc id of a single notice."""
    aliases = aliases or load_aliases()
    if len(data) > MAX_FILE_BYTES:
        raise InputError(f"{name}: larger than {MAX_FILE_BYTES // (1024 * 1024)} MB")
    path = Path(name)
    suffix = path.suffix.lower()
    if suffix in _LAYOUT_READERS:
        try:
            extract = _LAYOUT_READERS[suffix](data, name)
        except InputError as exc:
            if str(exc).startswith(name):
                raise
            raise InputError(f"{name}: {exc}") from None
        except RecursionError:
            raise InputError(f"{name}: nested too deeply to be a notice") from None
        except Exception as exc:  # a file that breaks a parser library is no notice to read
            logger.info("reading %s failed: %r", name, exc)
            raise InputError(f"{name}: cannot be read as a {suffix[1:].upper()} notice "
                             f"({type(exc).__name__})") from None
        if not extract.has_text:
            raise InputError(f"{name}: the document has no text")
        return [parse_blocks(
            extract.blocks, doc_id=_doc_id_from_name(path.stem, name), title=extract.title,
            number=extract.number, issuer=extract.issuer, published=extract.published,
            source=extract.source or name, aliases=aliases)]
    if suffix == ".doc":
        raise InputError(f"{name}: the old Word .doc format cannot be read; save it as .docx")
    if suffix not in TEXT_SUFFIXES + JSONL_SUFFIXES:
        raise InputError(f"{name}: unsupported file type {suffix or '(none)'}; "
                         f"use one of {', '.join(SUFFIXES)}")
    text = decode(data, name)
    if suffix in JSONL_SUFFIXES:
        return _read_jsonl(text, name, aliases)
    return [parse_notice(text, doc_id=_doc_id_from_name(path.stem, text), source=name,
                         aliases=aliases)]


def _read_jsonl(text: str, name: str, aliases: UnitAliases) -> list[Document]:
    documents = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(f"{name}:{number}: not valid JSON ({exc.msg})") from exc
        if not isinstance(record, dict) or not isinstance(record.get("text"), str):
            raise InputError(f"{name}:{number}: each line must be an object with a 'text' field")
        documents.append(_document_from_record(record, f"{name}:{number}", aliases))
    if not documents:
        raise InputError(f"{name}: the file holds no documents")
    return documents


def _document_from_record(record: dict[str, Any], source: str, aliases: UnitAliases) -> Document:
    number = _str_or_none(record.get("num"))
    url = _str_or_none(record.get("url"))
    doc_id = _str_or_none(record.get("doc_id")) or doc_id_for(number, url, record["text"])
    published = None
    if url and (match := _URL_DATE.search(url)):
        try:
            published = dt.date(int(match["y"]), int(match["m"]), int(match["d"]))
        except ValueError:
            published = None
    return parse_notice(
        record["text"], doc_id=doc_id, title=_str_or_none(record.get("title")), number=number,
        issuer=_str_or_none(record.get("office")), published=published,
        source=url or source, aliases=aliases)


def _str_or_none(value: object) -> str | None:
    return value.strip() or None if isinstance(value, str) else None


def _doc_number_prefixes() -> dict[str, str]:
    try:
        data = json.loads(PREFIXES_FILE.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise DataError(f"{PREFIXES_FILE} is missing or invalid: {exc}") from exc
    return {k: v for k, v in data.items() if not k.startswith("_")}


def doc_id_for(number: str | None, url: str | None, text: str) -> str:
    """A stable, URL-safe doc id: from the 文号 (国发〔2018〕39号 → gf-2018-39), else the URL."""
    if number and (match := _DOCNO.match(number.strip())):
        prefix = _doc_number_prefixes().get(match["prefix"])
        if prefix:
            parts = [prefix, match["year"], match["n"] or match["n2"]]
            return "-".join(p for p in parts if p)
    if url:
        slug = _slug(url.rstrip("/").rsplit("/", 1)[-1].rsplit(".", 1)[0])
        if slug:
            return slug
    return "doc-" + hashlib.sha1(text.encode("utf-8")).hexdigest()[:10]


def _doc_id_from_name(stem: str, text: str) -> str:
    return _slug(stem) or doc_id_for(None, None, text)


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9_-]+", "-", name.lower()).strip("-_")
