"""Facts: checkable statements in the article's own voice that carry a quantity or a dated event.

"...together accounting for about 40% of the world's annual carbon output" and
"Xi is set to hold a virtual meeting with Biden on Tuesday" are facts; a
sentence that reports what someone said is a claim instead, and sentences
inside quotations belong to their speaker.
"""

from __future__ import annotations

from bisect import bisect_right

from spacy.tokens import Span

from .dates import resolve_date, tense_preference
from .lexicon import QUANTITY_LABELS
from .quotes import trim_span
from .records import Fact
from .speakers import NameIndex, clean_name

BARE_NUMBER_DETERMINERS = frozenset({"the", "these", "those", "both", "all", "their", "its", "his", "her"})
ENTITY_LABELS = frozenset({"PERSON", "ORG", "GPE", "NORP", "LOC", "EVENT", "LAW", "FAC"})


def is_meaningful_quantity(ent: Span) -> bool:
    if ent.label_ != "CARDINAL":
        return True
    if ent.text.lower() in ("one", "1"):
        return False
    before = ent.doc[ent.start - 1] if ent.start > 0 else None
    return not (before is not None and before.lower_ in BARE_NUMBER_DETERMINERS)


def entities_by_sentence(sentences: list[Span]) -> list[list[Span]]:
    """Each sentence's entities in one pass over the Doc (Span.ents scans the whole Doc every time)."""
    out: list[list[Span]] = [[] for _ in sentences]
    if not sentences:
        return out
    starts = [s.start for s in sentences]
    for ent in sentences[0].doc.ents:
        i = bisect_right(starts, ent.start) - 1
        if 0 <= i < len(sentences) and ent.end <= sentences[i].end:
            out[i].append(ent)
    return out


def find_facts(text: str, sentences: list[Span], claimed: list[tuple[int, int]], quoted: list[tuple[int, int]],
               published: str | None, names: NameIndex, skip: set[int] = frozenset()) -> list[Fact]:
    facts = []
    sentence_ents = entities_by_sentence(sentences)
    for index, sent in enumerate(sentences):
        if index in skip:
            continue
        ents = sentence_ents[index]
        s, e = sent.start_char, sent.end_char
        if any(a < e and b > s for a, b in claimed) or any(a <= s and b >= e - 1 for a, b in quoted):
            continue
        if not any(t.pos_ in ("VERB", "AUX") for t in sent) or sent.text.rstrip().endswith("?"):
            continue
        quantities = [ent for ent in ents if ent.label_ in QUANTITY_LABELS and is_meaningful_quantity(ent)]
        date, phrase = None, None
        for ent in ents:
            if ent.label_ == "DATE":
                date = resolve_date(ent.text, published, tense_preference(sent.root))
                if date:
                    phrase = ent.text
                    break
        if not quantities and not date:
            continue
        start, end = trim_span(text, s, e)
        entities = []
        for ent in ents:
            if ent.label_ in ENTITY_LABELS:
                name = clean_name(ent.text, organisation=ent.label_ == "ORG")
                if ent.label_ in ("PERSON", "ORG"):
                    name = names.full_name_for(name, ent.start_char)
                if name and name not in entities:
                    entities.append(name)
        facts.append(Fact(start=start, end=end, text=text[start:end], sentence_index=index,
                          value="; ".join(q.text for q in quantities) or None, date=date, date_phrase=phrase,
                          entities=entities))
    return facts
