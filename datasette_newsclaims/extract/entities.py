"""Entities around a token or inside a range, found from the token's IOB tags.

`Span.ents` walks every entity of the whole Doc on each call; on long articles
that turns rules into quadratic time. These helpers look only at the tokens
concerned.
"""

from __future__ import annotations

from spacy.tokens import Doc, Span, Token


def entity_at(token: Token) -> Span | None:
    if not token.ent_type_:
        return None
    doc = token.doc
    start = token.i
    while start > 0 and doc[start].ent_iob_ == "I":
        start -= 1
    end = token.i + 1
    while end < len(doc) and doc[end].ent_iob_ == "I":
        end += 1
    return Span(doc, start, end, label=token.ent_type_)


def entities_overlapping(doc: Doc, start: int, end: int) -> list[Span]:
    """Entities that share a token with doc[start:end] (token indices)."""
    out = []
    i = start
    while i < end:
        ent = entity_at(doc[i])
        if ent is None:
            i += 1
            continue
        out.append(ent)
        i = ent.end
    return out


def entities_within_chars(doc: Doc, start_char: int, end_char: int) -> list[Span]:
    """Entities wholly inside the character range."""
    span = doc.char_span(start_char, end_char, alignment_mode="expand")
    if span is None:
        return []
    return [e for e in entities_overlapping(doc, span.start, span.end)
            if e.start_char >= start_char and e.end_char <= end_char]
