"""A synthetic large corpus for measuring scale: the 61 notices plus each State Council notice
re-issued by a list of cities, up to the number of documents asked for.

    python -m eval.synthetic --out var/synthetic --documents 2000 --seed 7

A variant is a govcn record (``corpus/govcn_2018_2019.jsonl``) rewritten for one city
(``eval/data/synthetic_cities.json``) by the rule table ``eval/data/synthetic_rules.json``:
国务院 → <城市>人民政府, 各省、自治区、直辖市人民政府 → 各区县人民政府 (not 各县（市、区）, which
the unit reader would cut at its 、 into a unit 区）人民政府), ministries → the city's bureaus (教育部 →
<城市>教育局), 全国 → 全市, …; its 文号 is the city's (国发〔2019〕5号 →
<城>政发〔2021〕17号), and its dates and years move by a few years and days (one draw per city,
from the seed). Titles the rules leave unchanged (a 条例) become <城市>实施《…》办法.

The output folder holds the variants only, as JSON lines in shards (``variants-0000.jsonl``, …,
records like the govcn ones with an explicit ``doc_id``), and ``manifest.json`` (seed, counts,
shards, and the two original files the variants complete). The full corpus is the originals
plus the shards, in that order: ``policyqa build --corpus corpus/fujian_2021_fangguanfu.txt
corpus/govcn_2018_2019.jsonl var/synthetic``. Variants are written city by city (the cities in
an order drawn from the seed), each city with all 60 notices, so that the first variants are a
fair sample of the notices' lengths. The same seed gives the same bytes.

Most sentences of a variant are those of its source, word for word (the rules change names, not
policies); the build embeds each distinct text once, so the counts below give passages and
distinct texts apart.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import json
import logging
import random
import re
import sys
import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from corpus.document import Document
from corpus.reader import doc_id_for, read_documents
from index.store import document_passages

logger = logging.getLogger(__name__)

REPO = Path(__file__).resolve().parent.parent
FUJIAN = REPO / "corpus" / "fujian_2021_fangguanfu.txt"
GOVCN = REPO / "corpus" / "govcn_2018_2019.jsonl"
ORIGINALS = (FUJIAN, GOVCN)
CITIES_FILE = Path(__file__).parent / "data" / "synthetic_cities.json"
RULES_FILE = Path(__file__).parent / "data" / "synthetic_rules.json"
SHARD_PATTERN = "variants-*.jsonl"
DEFAULT_SHARD_SIZE = 500
_NUMBER = re.compile(r"^(?P<prefix>[\u4e00-\u9fff]+?)〔(?P<year>\d{4})〕(?P<n>\d+)号$")
_DECREE = re.compile(r"^国令第(?P<n>\d+)号$")
_URL_DATE = re.compile(r"/(?P<y>\d{4})-(?P<m>\d{2})/(?P<d>\d{2})/")
# Dates and years in a notice's text: a whole date, a year in brackets (a 文号 cited), a year
# followed by 年 or by a dash and another year (2018—2035年).
_DATES = (r"(?P<date>(?P<dy>(?:19|20)\d\d)年(?P<dm>\d{1,2})月(?P<dd>\d{1,2})日)"
          r"|〔(?P<bracket>(?:19|20)\d\d)〕"
          r"|(?P<year>(?:19|20)\d\d)(?=年|[—\-－～至到](?:19|20)\d\d年)")


@dataclass(frozen=True)
class City:
    """A city that re-issues notices: 福州市, 福州, 福建省, fuzhou."""

    name: str
    short: str
    province: str
    slug: str


@dataclass(frozen=True)
class Rules:
    """The rule table: phrase replacements, 文号 prefixes, the title for an unchanged one."""

    phrases: Mapping[str, str]
    numbers: Mapping[str, str]
    decree: str
    unchanged_title: str


@dataclass(frozen=True)
class Shift:
    """One city's draw: years added, days added to a whole date, and added to a 文号's number."""

    years: int
    days: int
    number: int


@dataclass(frozen=True)
class Counts:
    """What a corpus holds, and what its build will embed."""

    documents: int
    clauses: int
    sentences: int
    distinct_sentences: int
    passages: int
    """Vectors in the index: each clause and each of its sentences."""
    distinct_passages: int
    """Distinct passage texts: what the build runs through the model."""

    def lines(self) -> list[str]:
        """The counts as lines for the command line."""
        return [
            f"documents  {self.documents}",
            f"clauses    {self.clauses}",
            f"sentences  {self.sentences} ({self.distinct_sentences} distinct texts, "
            f"{self.distinct_sentences / max(1, self.sentences):.1%})",
            f"passages   {self.passages} vectors ({self.distinct_passages} distinct texts "
            f"embedded, {self.distinct_passages / max(1, self.passages):.1%})"]


def load_cities(path: Path = CITIES_FILE) -> list[City]:
    """The cities of the data file, in its order."""
    data = json.loads(path.read_text(encoding="utf-8"))
    return [City(**row) for row in data["cities"]]


def load_rules(path: Path = RULES_FILE) -> Rules:
    """The rule table of the data file."""
    data = json.loads(path.read_text(encoding="utf-8"))
    return Rules(phrases=data["phrases"], numbers=data["numbers"], decree=data["decree"],
                 unchanged_title=data["unchanged_title"])


def load_sources(path: Path = GOVCN) -> list[dict[str, Any]]:
    """The govcn records the variants are made from, in file order."""
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip()]


def city_shift(seed: int, city: City) -> Shift:
    """The city's draw; the same for a seed and city whatever else is generated."""
    rng = random.Random(f"{seed}:{city.slug}")
    return Shift(years=rng.randint(1, 3), days=rng.randint(0, 27), number=rng.randint(1, 40))


def city_order(seed: int, cities: Sequence[City]) -> list[City]:
    """The cities in the order the variants are written, drawn from the seed."""
    ordered = list(cities)
    random.Random(seed).shuffle(ordered)
    return ordered


class Reissuer:
    """Rewrites govcn records for a city by the rule table."""

    def __init__(self, rules: Rules) -> None:
        self.rules = rules
        phrases = sorted(rules.phrases, key=len, reverse=True)
        self._phrases = "|".join(re.escape(p) for p in phrases)

    def number(self, number: str, city: City, shift: Shift) -> str:
        """The city's 文号 for a source 文号 (国发〔2019〕5号 → 福州政发〔2021〕21号)."""
        if match := _DECREE.match(number):
            return self.rules.decree.format(city=city.name, short=city.short,
                                            n=int(match["n"]) + shift.number)
        match = _NUMBER.match(number)
        if not match or match["prefix"] not in self.rules.numbers:
            raise ValueError(f"no rule for the 文号 {number!r}")
        prefix = self.rules.numbers[match["prefix"]].format(city=city.name, short=city.short)
        return f"{prefix}〔{int(match['year']) + shift.years}〕{int(match['n']) + shift.number}号"

    def rewrite(self, text: str, city: City, shift: Shift,
                literals: Mapping[str, str] | None = None) -> str:
        """``text`` with the rules applied in one pass: ``literals`` first (the source's own
        文号), then phrases (the longest first), then dates and years."""
        literals = dict(literals or {})
        keys = sorted(literals, key=len, reverse=True)
        parts = [f"(?P<literal>{'|'.join(re.escape(k) for k in keys)})"] if keys else []
        pattern = re.compile("|".join([*parts, f"(?P<phrase>{self._phrases})", _DATES]))
        values = {"city": city.name, "short": city.short, "province": city.province}

        def replace(match: re.Match[str]) -> str:
            found = match.groupdict()
            if found.get("literal"):
                return literals[match[0]]
            if found["phrase"]:
                return self.rules.phrases[match[0]].format(**values)
            if match["date"]:
                return _shift_date(int(match["dy"]), int(match["dm"]), int(match["dd"]), shift)
            if match["bracket"]:
                return f"〔{int(match['bracket']) + shift.years}〕"
            return str(int(match["year"]) + shift.years)

        return pattern.sub(replace, text)

    def variant(self, record: Mapping[str, Any], city: City, shift: Shift) -> dict[str, Any]:
        """The record re-issued by ``city``: title, text, issuer, 文号, dates, URL, doc id."""
        number = str(record["num"])
        source_id = doc_id_for(number, record.get("url"), record["text"])
        new_number = self.number(number, city, shift)
        literals = {number: new_number}
        if match := _DECREE.match(number):  # a decree's text gives its number as 第707号
            literals[f"第{match['n']}号"] = f"第{int(match['n']) + shift.number}号"
        title = self.rewrite(record["title"], city, shift, literals)
        text = self.rewrite(record["text"], city, shift, literals)
        if title == record["title"]:
            new_title = self.rules.unchanged_title.format(city=city.name, title=title)
            text = re.sub(f"^{re.escape(title)}$", new_title.replace("\\", r"\\"), text,
                          count=1, flags=re.MULTILINE)
            title = new_title
        published = _published(record.get("url"), shift)
        doc_id = f"syn-{city.slug}-{source_id}"
        return {
            "doc_id": doc_id,
            "url": f"https://synthetic.invalid/{city.slug}/{published:%Y-%m}/{published:%d}/"
                   f"{source_id}.htm",
            "index_number": f"{city.slug}/{published.year}-{int(record.get('id', 0)):05d}",
            "title": title,
            "office": self.rewrite(str(record.get("office") or "国务院"), city, shift),
            "num": new_number,
            "text": text,
            "synthetic_from": source_id,
            "city": city.name,
        }


def _shift_date(year: int, month: int, day: int, shift: Shift) -> str:
    try:
        moved = dt.date(year + shift.years, month, min(day, 28) if month == 2 else day)
    except ValueError:  # 2019年13月 or 4月31日 as written: keep the text, move the year
        return f"{year + shift.years}年{month}月{day}日"
    moved += dt.timedelta(days=shift.days)
    return f"{moved.year}年{moved.month}月{moved.day}日"


def _published(url: object, shift: Shift) -> dt.date:
    match = _URL_DATE.search(url) if isinstance(url, str) else None
    base = dt.date(int(match["y"]), int(match["m"]), int(match["d"])) if match \
        else dt.date(2019, 1, 1)
    try:
        base = base.replace(year=base.year + shift.years)
    except ValueError:  # 29 February
        base = base.replace(year=base.year + shift.years, day=28)
    return base + dt.timedelta(days=shift.days)


def variants(count: int, seed: int, sources: Sequence[Mapping[str, Any]] | None = None,
             cities: Sequence[City] | None = None, rules: Rules | None = None
             ) -> Iterator[dict[str, Any]]:
    """The first ``count`` variants for ``seed``: city by city, each with every source."""
    sources = list(sources if sources is not None else load_sources())
    ordered = city_order(seed, cities if cities is not None else load_cities())
    if count > len(sources) * len(ordered):
        raise ValueError(f"{count} variants asked for; {len(ordered)} cities × {len(sources)} "
                         f"notices give at most {len(sources) * len(ordered)}")
    reissuer = Reissuer(rules or load_rules())
    made = 0
    for city in ordered:
        shift = city_shift(seed, city)
        for record in sources:
            if made >= count:
                return
            yield reissuer.variant(record, city, shift)
            made += 1


def generate(out: Path, documents: int, seed: int, shard_size: int = DEFAULT_SHARD_SIZE
             ) -> list[Path]:
    """Write the variants that bring the 61 notices to ``documents``, and the manifest; returns
    the shards. Shards of an earlier run in ``out`` are removed first."""
    originals = len(read_documents(list(ORIGINALS)))
    count = max(0, documents - originals)
    out.mkdir(parents=True, exist_ok=True)
    for stale in out.glob(SHARD_PATTERN):
        stale.unlink()
    shards: list[Path] = []
    batch: list[str] = []

    def flush() -> None:
        if batch:
            shard = out / f"variants-{len(shards):04d}.jsonl"
            shard.write_text("".join(batch), encoding="utf-8")
            shards.append(shard)
            batch.clear()

    for record in variants(count, seed):
        batch.append(json.dumps(record, ensure_ascii=False) + "\n")
        if len(batch) >= shard_size:
            flush()
    flush()
    manifest = {"seed": seed, "documents": originals + count, "originals": originals,
                "variants": count, "shard_size": shard_size,
                "originals_files": [str(p.relative_to(REPO)) for p in ORIGINALS],
                "shards": [p.name for p in shards]}
    (out / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1) + "\n",
                                       encoding="utf-8")
    logger.info("wrote %d variants in %d shards to %s", count, len(shards), out)
    return shards


def corpus_files(out: Path) -> list[Path]:
    """The files of the whole corpus: the originals, then the shards in order."""
    return [*ORIGINALS, *sorted(out.glob(SHARD_PATTERN))]


def count(documents: Sequence[Document]) -> Counts:
    """Documents, clauses, sentences and passages, with their distinct texts."""
    sentences = [s.text for d in documents for c in d.clauses for s in c.sentences]
    passages = [t for d in documents for t in document_passages(d)[1]]
    return Counts(documents=len(documents), clauses=sum(len(d.clauses) for d in documents),
                  sentences=len(sentences), distinct_sentences=len(set(sentences)),
                  passages=len(passages), distinct_passages=len(set(passages)))


def main(argv: list[str] | None = None) -> int:
    """Generate the corpus, parse it back, print the counts."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=Path("var/synthetic"))
    parser.add_argument("--documents", type=int, default=2000,
                        help="documents in the whole corpus, the 61 originals included")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--shard-size", type=int, default=DEFAULT_SHARD_SIZE)
    args = parser.parse_args(argv)
    started = time.perf_counter()
    shards = generate(args.out, args.documents, args.seed, args.shard_size)
    generated = time.perf_counter() - started
    documents = read_documents(corpus_files(args.out))
    parsed = time.perf_counter() - started - generated
    print(f"{args.out}: {len(shards)} shards, seed {args.seed}; generated in {generated:.1f} s, "
          f"parsed back in {parsed:.1f} s")
    counts = count(documents)
    print("\n".join(counts.lines()))
    (args.out / "counts.json").write_text(json.dumps(dataclasses.asdict(counts), indent=1) + "\n",
                                          encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
