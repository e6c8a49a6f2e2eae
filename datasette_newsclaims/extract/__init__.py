"""Extraction: a parsed Doc -> sentences, claims and facts. Pure functions of the Doc.

Nothing here knows about storage or Datasette; `newsclaims extract` prints
what this returns and `newsclaims load` stores it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Doc, Span

from .claims import Claim, ClaimFinder
from .facts import Fact, find_facts
from .quotes import find_quotes
from .topics import TopicTagger, load_lexicon, topics_in

# Bump when a change to the rules changes what is extracted: `load --reextract` uses it.
EXTRACTOR_VERSION = "2"


@dataclass
class Sentence:
    index: int
    start: int
    end: int
    text: str


@dataclass
class Extraction:
    sentences: list[Sentence] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)
    facts: list[Fact] = field(default_factory=list)

    def claims_as_dicts(self) -> list[dict]:
        return [c.as_dict() for c in self.claims]

    @classmethod
    def merge(cls, parts: list[tuple[int, "Extraction"]]) -> "Extraction":
        """Join the extractions of consecutive parts of one text (a very long article parsed in pieces),
        moving every offset by where its part starts and renumbering sentences."""
        merged = cls()
        for offset, part in parts:
            first = len(merged.sentences)
            for s in part.sentences:
                merged.sentences.append(Sentence(s.index + first, s.start + offset, s.end + offset, s.text))
            for c in part.claims:
                c.shift(offset, first)
                merged.claims.append(c)
            for f in part.facts:
                f.start, f.end, f.sentence_index = f.start + offset, f.end + offset, f.sentence_index + first
                merged.facts.append(f)
        return merged


def doc_sentences(doc: Doc) -> list[Span]:
    """spaCy's sentences, split again at paragraph breaks, without the whitespace-only ones."""
    out = []
    for sent in doc.sents:
        start = sent.start
        for tok in sent:
            if tok.is_space and tok.text.count("\n") >= 2 and tok.i > start:
                out.append(doc[start:tok.i + 1])
                start = tok.i + 1
        if start < sent.end:
            out.append(doc[start:sent.end])
    return [s for s in out if s.text.strip()]


class Extractor:
    def __init__(self, nlp, lexicon: dict[str, list[str]] | None = None):
        self.topic_tagger = TopicTagger(nlp.vocab, nlp.make_doc, lexicon if lexicon is not None else load_lexicon())

    def __call__(self, doc: Doc, published: str | None = None) -> Extraction:
        sents = doc_sentences(doc)
        quotes = find_quotes(doc.text)
        finder = ClaimFinder(doc, published, quotes, sents)
        claims = finder.run()
        subjects = self.topic_tagger.subject_spans(doc)
        for claim in claims:
            claim.topics = topics_in(doc, claim.start, claim.end, subjects, finder.resolver)
        facts = find_facts(sents, [(c.start, c.end) for c in claims], [(q.start, q.end) for q in quotes],
                           published, finder.resolver)
        sentences = []
        for i, s in enumerate(sents):
            text = s.text.strip()
            offset = s.start_char + (len(s.text) - len(s.text.lstrip()))
            sentences.append(Sentence(i, offset, offset + len(text), text))
        return Extraction(sentences, claims, facts)


__all__ = ["EXTRACTOR_VERSION", "Extraction", "Extractor", "Sentence", "Claim", "Fact"]
