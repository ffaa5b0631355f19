"""A readable outline of a parsed document (``policyqa parse --pretty``)."""

from __future__ import annotations

import textwrap

from corpus.document import Document


def outline(document: Document) -> str:
    """The document's metadata, then each clause with its units, deadlines, links and text."""
    lines = [
        f"== {document.doc_id}: {document.title}",
        f"   文号 {document.number or '—'} · 发文 {document.issuer or '—'} · "
        f"成文 {document.signed or '—'} · 发布 {document.published or '—'} · "
        f"{len(document.clauses)} 条",
        "",
    ]
    for clause in document.clauses:
        lines.append(f"[{clause.clause_id}] {clause.label}")
        if clause.units:
            lines.append("    责任单位: " + "、".join(
                f"{u.name}（牵头）" if u.lead else u.name for u in clause.units))
        if clause.standing_units:
            lines.append("    另需落实: " + "、".join(clause.standing_units))
        if clause.deadlines:
            lines.append("    时限: " + "；".join(
                d.text + (f"（{d.date}）" if d.date else "") for d in clause.deadlines))
        if clause.links:
            lines.append("    关联: " + ", ".join(clause.links))
        for paragraph in clause.text.split("\n"):
            lines.extend(textwrap.wrap(paragraph, width=60, initial_indent="    ",
                                       subsequent_indent="    "))
        lines.append("")
    return "\n".join(lines) + "\n"
