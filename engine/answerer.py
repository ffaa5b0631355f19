"""The answer engine: a direct, cited answer with verdict, units and deadline — or ``not_found``.

Deterministic and extractive: the quote is a sentence of the notice, units and deadlines are the
notice's data, and the verdict is read from what the quoted sentence does.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from contract.answer import Answer, Citation, Unit, checked_question
from corpus.document import Clause
from corpus.links import bigrams
from corpus.units import UnitAliases, named_units
from engine.announcement import items_first, preamble_last
from engine.answertype import QUANTITY, AnswerTypes
from engine.citation import asked_deadline, bare_heading, cite, substance
from engine.deadlines import KnownDeadlines
from engine.evidence import gather
from engine.listing import by_deadline, by_unit
from engine.membership import asks_places, places_first
from engine.overlap import verbatim_first
from engine.phrasing import Phrasing
from engine.qualification import qualifying_first
from engine.question import (
    Cues,
    NoWords,
    Question,
    QuestionKind,
    Words,
    understand,
)
from engine.reading import Reading
from engine.refusal import Evidence, RefusalModel
from engine.reply import yes_no_line
from engine.schedule import dated_first
from engine.sequence import ordered_first
from engine.unitname import acting
from engine.verdict import Signals, decide
from index.lexicon import Lexicon
from index.search import Filters, Hit, HybridRetriever, Query

LIST_LIMIT = 30
_WHO_LEAD = re.compile(r"([\u4e00-\u9fff]{2})(?:哪|谁)")
TOPIC_HITS = 20  # the closest clauses that decide which listed tasks a list question is about
LOCAL_MARGIN = 0.7
"""A local document's clause answers instead of the best one when its score is at least this
share of the best."""
NEARBY_CONFIDENCE = 0.05
"""Below this, a refusal names no nearby topics: the question was about nothing in the notices."""
_WHICH_YEAR = re.compile(r"哪一?年(?!级)")
"""到哪一年, 哪年完成: the question asks for a year (not 哪年级)."""


class Answerer:
    """Answers questions over an index; one instance serves the CLI, the API, the bot and eval."""

    def __init__(self, retriever: HybridRetriever, lexicon: Lexicon, aliases: UnitAliases,
                 cues: Cues, signals: Signals, refusal: RefusalModel, *,
                 phrasing: Phrasing | None = None, words: Words | None = None,
                 home_region: str | None = "auto", local_closeness: float | None = None) -> None:
        self._retriever = retriever
        # A local clause answers first only if its best cosine is at most this much lower
        # than the best clause's (None: not checked; see engine.closeness).
        self._local_closeness = local_closeness
        self._phrasing = phrasing or Phrasing()
        self._words = words or NoWords()
        self._lexicon = lexicon
        self._aliases = aliases
        self._cues = cues
        self._signals = signals
        self._refusal = refusal
        self._documents = {d.doc_id: d for d in retriever.documents}
        if home_region == "auto":  # the one region among the loaded documents, if only one
            regions = {d.region for d in self._documents.values() if d.region}
            home_region = regions.pop() if len(regions) == 1 else None
        self._home_region = home_region or None
        self._clauses = list(retriever.clauses)
        self._by_id = {(c.doc_id, c.clause_id): c for c in self._clauses}
        self._units = frozenset(u.name for c in self._clauses for u in c.units)
        # Worked out once: per question they would walk the whole corpus.
        self._regions = {r for d in self._documents.values() if (r := d.region)}
        self._of_unit: dict[str, list[Clause]] = {}
        for clause in self._clauses:
            for name in dict.fromkeys(u.name for u in clause.units):
                self._of_unit.setdefault(name, []).append(clause)
        self._deadlines = KnownDeadlines(d.text for c in self._clauses for d in c.deadlines)
        self.types = AnswerTypes(cues, self._linked_row)

    @property
    def refusal(self) -> RefusalModel:
        """The refusal model in use."""
        return self._refusal

    @property
    def home_region(self) -> str | None:
        """The region whose documents answer first when several say the same thing."""
        return self._home_region

    def understand(self, question: str) -> Question:
        """The question as the engine reads it."""
        q = understand(question, self._cues, self._aliases, self._units, self._deadlines,
                       self._phrasing, self._words)
        return replace(q, query=self._retriever.query(q.normalized))

    def canonical_unit(self, name: str) -> str:
        """A unit's name as the notices write it (aliases such as 民政厅 resolved)."""
        return self._aliases.canonical(name.strip())

    def ask(self, question: str, top_k: int = 3, doc_id: str | None = None) -> Answer:
        """Answer one question, from one document when ``doc_id`` is given; never from a
        repealed notice, which a note names when it would have answered."""
        q = self.understand(checked_question(question))
        if q.kind == "list_unit" and q.units:
            tasks: dict[tuple[str, str], Clause] = {}
            for unit in q.units:
                for clause in by_unit(self._listable(doc_id, self._of_unit.get(unit, [])), unit):
                    tasks.setdefault((clause.doc_id, clause.clause_id), clause)
            listed = list(tasks.values())
            if self._home_region:  # the local notice's tasks first
                listed.sort(key=lambda c: self._documents[c.doc_id].region != self._home_region)
            return self._list(q, listed, units=q.units)
        if q.kind == "list_deadline":
            listed = by_deadline(self._listable(doc_id), q)
            if listed:
                return self._list(q, self._on_topic(q, listed, doc_id))
        if not self._retriever.has_repealed:
            return self._answer(q, q.search, top_k, doc_id)
        search = self._retriever.embedded(q.search)  # searched twice, embedded once
        answer = self._answer(q, search, top_k, doc_id)
        note = self._superseded(q, search, doc_id)
        return answer.model_copy(update={"answer": f"{answer.answer}\n{note}"}) if note \
            else answer

    def about(self, question: str, clause: Clause, sentences: Sequence[int] = (),
              kind: QuestionKind | None = None) -> Answer:
        """Answer from one given clause, its ``sentences`` preferred in this order (a follow-up
        read against the clause the previous answer rests on): no retrieval, no refusal, no
        further citations, no confidence; ``kind`` overrides the kind the question reads as."""
        q = self.understand(checked_question(question))
        q = replace(q, kind=kind) if kind is not None and kind != q.kind else q
        hit = Hit(clause=clause, score=1.0, sentences=tuple(sentences))
        return self._compose(q, [hit], 1.0).model_copy(update={"confidence": None})

    def _on_topic(self, q: Question, listed: list[Clause], doc_id: str | None) -> list[Clause]:
        """The tasks due by a deadline, of the document the question is about, those closest
        to what it names besides the deadline first (技能培训这一块，哪些要在2030年底前完成):
        the listed clauses among the closest ones to the question decide both. A question
        naming no topic (2030年底前有哪些任务) lists every notice's tasks."""
        terms = q.query.own_terms if q.query else []
        if not any(t not in (q.deadline or "") and not t.isdigit()
                   and not self._cues.has("list_generic", t) for t in terms):
            return listed
        hits = self._retriever.search(q.search, k=TOPIC_HITS,
                                      filters=Filters(doc_id=doc_id) if doc_id else None)
        rank = {(h.clause.doc_id, h.clause.clause_id): i for i, h in enumerate(hits)}
        close = sorted((c for c in listed if (c.doc_id, c.clause_id) in rank),
                       key=lambda c: rank[(c.doc_id, c.clause_id)])
        if not close:
            return listed
        # The local notice first, as for other answers, when it has tasks on the topic.
        local = self._local_regions(q)
        about = next((c.doc_id for c in close if self._documents[c.doc_id].region in local),
                     close[0].doc_id)
        chosen = [c for c in close if c.doc_id == about]
        seen = {id(c) for c in chosen}  # by identity: comparing records field by field is slow
        return chosen + [c for c in listed if c.doc_id == about and id(c) not in seen]

    def _listable(self, doc_id: str | None, clauses: Sequence[Clause] | None = None
                  ) -> list[Clause]:
        """The clauses a listing reads (of ``clauses``, else of the corpus): in force, of one
        document when given."""
        every = self._clauses if clauses is None else clauses
        if doc_id is None and not self._retriever.has_repealed:
            return list(every)
        return [c for c in every
                if (doc_id is None or c.doc_id == doc_id) and self._retriever.in_force(c)]

    def _answer(self, q: Question, search: Query | str, top_k: int, doc_id: str | None
                ) -> Answer:
        """The answer from the clauses closest to the question, or ``not_found``."""
        wide = asks_places(q, self._signals)  # a list of places may rank below the pilot's work
        hits = self._retriever.search(search, k=max(top_k, 10 if wide else 5),
                                      filters=Filters(doc_id=doc_id) if doc_id else None)
        if wide:
            hits = places_first(q, hits, self._signals, self._words)[:max(top_k, 5)]
        # A clause whose closest sentences are all about the document itself answers nothing.
        hits = [h for h in hits if not h.sentences or self._substantive(h)]
        if not hits:
            return self._not_found(q, hits, 0.0)
        hits = dated_first(q, self.types.first(q, items_first(q, verbatim_first(q, hits))))
        hits = ordered_first(q, hits)
        hits = preamble_last(hits, self._cues.has("about_notice", q.asking))
        evidence = self._evidence(q, hits)
        confidence = self._refusal.probability(evidence)
        # A clause without the kind of fact asked for (an amount for 多少钱, a date for 什么时候)
        # cannot answer, however close it is.
        if confidence < self._refusal.threshold or not evidence.has_answer_type:
            return self._not_found(q, hits, confidence)
        ordered = qualifying_first(q, self._prefer_home(q, hits))
        return self._compose(q, ordered[:max(top_k, 1)], confidence)

    def _superseded(self, q: Question, search: Query | str, doc_id: str | None) -> str | None:
        """A note naming the repealed notice that answers best, when it would have answered."""
        hits = self._retriever.search(search, k=5, filters=Filters(doc_id=doc_id, repealed=True))
        hits = [h for h in hits if not h.sentences or self._substantive(h)]
        if not hits or self._retriever.in_force(hits[0].clause):
            return None
        evidence = self._evidence(q, hits)
        if not evidence.has_answer_type or not self._refusal.answers(evidence):
            return None
        title = self._documents[hits[0].clause.doc_id].short_title
        return f"注意：《{title}》已废止，其中的相关规定不再作为依据。"

    def evidence(self, question: str, doc_id: str | None = None) -> Evidence | None:
        """What retrieval saw for a question (to fit the refusal model)."""
        q = self.understand(checked_question(question))
        hits = self._retriever.search(q.search, k=5,
                                      filters=Filters(doc_id=doc_id) if doc_id else None)
        # The hits in the order an answer would weigh them.
        hits = [h for h in hits if not h.sentences or self._substantive(h)]
        return self._evidence(q, self.types.first(q, hits)) if hits else None

    def _evidence(self, q: Question, hits: Sequence[Hit]) -> Evidence:
        return gather(q, hits[0], hits[1:], self._retriever, has_type=self.types.holds(q, hits[0]),
                      title=self._documents[hits[0].clause.doc_id].title,
                      asks_detail=self._cues.has("detail", q.asking.lower()))

    # -- composing --------------------------------------------------------------------------

    def _compose(self, q: Question, hits: Sequence[Hit], confidence: float) -> Answer:
        best = hits[0]
        quote_order = self._substantive(best)
        # A sentence only repeating a heading that names a task (规范…使用。) settles nothing
        # the rest does not; one that forbids, eases or requires (不再收取押金。), or gives
        # days or figures (元旦：…至…放假调休，共3天), is the rule itself.
        if not self._heading_rules(best.clause.heading):
            quote_order = [i for i in quote_order if not bare_heading(best.clause, i)] \
                or quote_order
        sentences = [best.clause.sentences[i].text for i in quote_order] or \
            [best.clause.text or best.clause.heading]
        expansions = list(q.query.expansions) if q.query else []
        reading = decide(q, sentences, expansions, self._signals, self._words,
                         best.clause.text) \
            if q.kind == "yesno" else Reading(None)
        second = self._second_yes_no(q)
        also = decide(second, sentences, expansions, self._signals, self._words,
                      best.clause.text) \
            if second else Reading(None)
        quote_index = self._quote_index(q, best, reading)
        quote = best.clause.sentences[quote_index].text if best.clause.sentences else \
            best.clause.text or best.clause.heading
        row = self._linked_row(best.clause, quote)
        cited_units = self._units_for(best.clause, row)
        if not cited_units and q.kind == "who":
            # No responsibility list: the bodies the quoted sentence itself names.
            cited_units = [Unit(name=name) for name in named_units(quote, self._units)]
        # 由负责常务工作的副总理代行…: a role, not a body; the quote itself says it best.
        role = acting(q.asking, quote) if not cited_units and q.kind == "who" else None
        units = [u.name for u in cited_units] or ([role] if role else [])
        deadline = self._deadline_for(best.clause, quote_index, row, q)
        citations = [self._cite(best.clause, quote, best.score, deadline)]
        for hit in hits[1:]:
            said = self._substantive(hit)
            other = hit.clause.sentences[said[0]].text if said else hit.clause.text
            citations.append(self._cite(hit.clause, other, hit.score))
        source = f"《{citations[0].doc_title}》" if len(self._documents) > 1 else ""
        lines = [self._direct(q, reading, cited_units, deadline, quote),
                 f"依据：{source}{best.clause.label}：“{quote}”"]
        if second and also.verdict:
            # 哪些证明可以免交？清单公开了吗？: the second, yes/no question answered too.
            lines.insert(1, f"{second.asking.rstrip('？?。 ')}？"
                            f"{yes_no_line(second, also, deadline, quote)}")
            reading = also
        if cited_units:
            lines.append("责任单位：" + "、".join(u.name + "（牵头）" * u.lead for u in cited_units))
        if deadline:
            lines.append(f"完成时限：{deadline}")
        if best.clause.standing_units and q.kind == "who":
            lines.append("另：" + "、".join(best.clause.standing_units) + "也需抓好落实。")
        return Answer(question=q.text, kind=q.kind, status="answered", answer="\n".join(lines),
                      verdict=reading.verdict, units=tuple(units), deadline=deadline,
                      citations=tuple(citations), confidence=round(confidence, 4))

    def _heading_rules(self, heading: str) -> bool:
        """True when a clause's heading states a rule: a figure, or a ban, easing or duty."""
        return any(ch.isdigit() for ch in heading) or QUANTITY.search(heading) is not None \
            or any(self._signals.has(a, heading) for a in ("prohibit", "relax", "require",
                                                           "restrict"))

    def _second_yes_no(self, q: Question) -> Question | None:
        """The second question of a message, when the first is not yes/no and it is."""
        if q.kind == "yesno" or not q.also:
            return None
        second = understand(q.also, self._cues, self._aliases, self._units, self._deadlines,
                            self._phrasing, self._words)
        return second if second.kind == "yesno" else None

    def _cite(self, clause: Clause, quote: str, score: float,
              deadline: str | None = None) -> Citation:
        """A citation naming its document; the deadline is the quote's own unless given."""
        if deadline is None:
            own = clause.deadline_of(quote)
            deadline = own.text if own else None
        return cite(clause, quote, score, deadline, self._documents[clause.doc_id].short_title)

    def _prefer_home(self, q: Question, hits: Sequence[Hit]) -> list[Hit]:
        """When several documents say the same thing, the local one answers.

        The local region is the one the question names, else the home region; a local hit
        whose score is close to the best one's, whose best passage is about as close in meaning,
        and which could answer on its own evidence, moves ahead of it; the others stay as
        further citations.
        """
        wanted = self._local_regions(q)
        ordered = list(hits)
        if not wanted or not ordered or self._region_of(ordered[0]) in wanted:
            return ordered
        local = next((h for h in ordered if self._region_of(h) in wanted), None)
        if local is not None and local.score >= LOCAL_MARGIN * ordered[0].score \
                and self._says_the_same(ordered[0], local) \
                and self._refusal.answers(self._evidence(q, [local, *ordered])):
            ordered.remove(local)
            ordered.insert(0, local)
        return ordered

    def _says_the_same(self, best: Hit, local: Hit) -> bool:
        """A local clause about as close in meaning as the best one: not one that only shares
        the topic's words."""
        return self._local_closeness is None or \
            best.similarity - local.similarity <= self._local_closeness

    def _local_regions(self, q: Question) -> set[str]:
        """The regions the question names, else the home region (empty when neither)."""
        named = {r for r in self._regions if r in q.normalized}
        return named or ({self._home_region} if self._home_region else set())

    def _region_of(self, hit: Hit) -> str | None:
        return self._documents[hit.clause.doc_id].region

    def _substantive(self, hit: Hit) -> list[int]:
        """The hit's sentences best first, without lines about the document (文号, dates,
        addressees, 此件公开, the title), which are never quoted as an answer."""
        document = self._documents[hit.clause.doc_id]
        ranked = list(hit.sentences) or list(range(len(hit.clause.sentences)))
        return [i for i in ranked if not document.is_metadata(hit.clause.sentences[i].text)]

    def _quote_index(self, q: Question, hit: Hit, reading: Reading) -> int:
        sentences = hit.clause.sentences
        if not sentences:
            return 0
        if reading.segment:
            for i, sentence in enumerate(sentences):
                if reading.segment in sentence.text:
                    return i
        ranked = self._substantive(hit) or list(hit.sentences) or list(range(len(sentences)))
        everything = ranked
        # A sentence that only repeats the clause's heading says nothing; quote one that does.
        ranked = [i for i in ranked if not bare_heading(hit.clause, i)] or ranked
        if q.kind == "when":
            dated = [i for i in ranked if sentences[i].deadlines]
            # 自2031年起，每年最晚哪天…: the dated sentence naming the year the question names.
            of_year = [i for i in dated if any(str(y) in sentences[i].text for y in q.years)]
            if dated:
                return (of_year or dated)[0]
        if q.kind == "who" and not hit.clause.units:
            # No responsibility list: the sentence naming a body (X是…的主管单位), not just the
            # closest one, nor a definition (本办法所称…是指…).
            named: list[int] = [i for i in [*ranked, *range(len(sentences))]
                     if named_units(sentences[i].text, self._units)
                     and not ("所称" in sentences[i].text and "是指" in sentences[i].text)]
            if named:
                # Of those, one holding the words right before the question's 哪/谁 (设在哪几家
                # 单位: 秘书处设在…, not the sentence listing members), anywhere in the clause.
                lead = _WHO_LEAD.search(q.asking)
                return next((i for i in named if lead and lead.group(1) in sentences[i].text),
                            named[0])
        if q.kind == "how_many":
            # The sentence that holds the amount asked for (保存五年), not just the closest one.
            units = self.types.measure_units(q)
            every_sentence: list[int] = [*everything, *range(len(sentences))]
            counted = [i for i in every_sentence
                       if any(m.group(0).endswith(units) if units else True
                              for m in QUANTITY.finditer(sentences[i].text))]
            if counted:
                return counted[0]
        return ranked[0]

    def _linked_row(self, clause: Clause, quote: str) -> Clause | None:
        """The appendix row that summarises the quoted sentence (or the row itself)."""
        if clause.kind == "appendix_task":
            return clause
        rows = [r for link in clause.links if (r := self._by_id.get((clause.doc_id, link)))]
        scored = [(len(bigrams(r.text) & bigrams(quote)) / max(1, len(bigrams(r.text))), r)
                  for r in rows]
        best = max(scored, key=lambda item: item[0], default=None)
        return best[1] if best and best[0] >= 0.5 else None

    def _units_for(self, clause: Clause, row: Clause | None) -> list[Unit]:
        """Lead units first (the row's 牵头单位, then the clause's leads), then the rest."""
        body = clause if clause.kind != "appendix_task" else self._body_of(clause)
        ordered: dict[str, bool] = {}
        sources = [row.units if row else (), body.units if body else (), clause.units]
        for leads_only in (True, False):
            for units in sources:
                for unit in units:
                    if (unit.lead or not leads_only) and unit.name not in ordered:
                        ordered[unit.name] = unit.lead
        return [Unit(name=name, lead=lead) for name, lead in ordered.items()]

    def _body_of(self, row: Clause) -> Clause | None:
        return next((c for link in row.links if (c := self._by_id.get((row.doc_id, link)))), None)

    def _deadline_for(self, clause: Clause, quote_index: int, row: Clause | None,
                      q: Question | None = None) -> str | None:
        # 到哪一年: the year the quoted sentence sets as its target (到2025年…) answers, not the
        # end-of-year date of the task's row.
        year_asked = q is not None and _WHICH_YEAR.search(q.asking) is not None
        if row and row.deadline and (row.deadline.date or clause.kind == "appendix_task") \
                and not (year_asked and clause.sentences
                         and clause.sentences[quote_index].deadlines):
            return row.deadline.text
        if clause.sentences and clause.sentences[quote_index].deadlines:
            sentence = clause.sentences[quote_index]
            return asked_deadline(sentence.text, [d.text for d in sentence.deadlines],
                                   q.asking if q else "")
        if row and row.deadline:
            return row.deadline.text
        return None

    def _direct(self, q: Question, reading: Reading, units: list[Unit],
                deadline: str | None, quote: str) -> str:
        if q.kind == "yesno":
            return yes_no_line(q, reading, deadline, quote)
        if q.kind == "who" and units:
            leads = [u.name for u in units if u.lead]
            others = [u.name for u in units if not u.lead]
            if not leads:
                return f"由{'、'.join(others[:4])}{'等' if len(others) > 4 else ''}按职责分工负责。"
            text = f"由{'、'.join(leads)}牵头"
            return text + (f"，{'、'.join(others[:3])}等按职责分工负责。" if others else "负责。")
        if q.kind == "when" and deadline:
            return f"{deadline}。"
        return quote

    def _list(self, q: Question, clauses: Sequence[Clause], units: Sequence[str] = ()) -> Answer:
        """Every task of the units or deadline (up to LIST_LIMIT), whatever top_k says."""
        if not clauses:
            return self._not_found(q, [])
        shown = list(clauses[:LIST_LIMIT])
        subject = "、".join(units) or q.deadline or "、".join(f"{y}年" for y in q.years)
        header = f"共找到{len(clauses)}项与“{subject}”有关的任务："
        items = [f"{i}. {c.label}" + (f"（{c.heading}）" if c.kind == "appendix_task" and c.heading
                                      else "")
                 + (f"，{c.deadline.text}" if c.deadline else "")
                 for i, c in enumerate(shown, start=1)]
        citations = tuple(self._cite(c, substance(c), 1.0 / rank) for rank, c in
                          enumerate(shown, start=1))
        return Answer(question=q.text, kind=q.kind, status="answered", answer="\n".join([header, *items]),
                      units=tuple(units), deadline=q.deadline, citations=citations)

    def _not_found(self, q: Question, hits: Sequence[Hit], confidence: float | None = None
                   ) -> Answer:
        topics = "、".join(dict.fromkeys(h.clause.heading or h.clause.section for h in hits[:3]
                                          if h.clause.heading or h.clause.section))
        message = "没有在已收录的政策文件中找到能回答这个问题的内容。"
        if topics and (confidence or 0.0) >= NEARBY_CONFIDENCE:  # not for "hello" or "x"
            message += f"相近的内容有：{topics}。"
        return Answer(question=q.text, kind=q.kind, status="not_found", answer=message,
                      confidence=None if confidence is None else round(confidence, 4))

