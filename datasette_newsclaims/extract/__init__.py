"""Extraction: a parsed Doc -> sentences, claims and facts. Pure functions of the Doc.

The work is done by the `newsclaims` spaCy component (component.py), built from named rules
(rules.py). Nothing here knows about storage or Datasette: `newsclaims extract` prints what the
component finds and `newsclaims load` stores it.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from .component import NAME, SPANS_KEY, NewsClaims, doc_sentences, make_newsclaims
from .records import Claim, Cue, DatePhrase, Extraction, Fact, Sentence, Speaker, Target
from .rules import RULE_NAMES

# Bump when a change to the rules changes what is extracted: `load --reextract` uses it.
EXTRACTOR_VERSION = "7"


class Extractor:
    """The `newsclaims` component, run on Docs parsed without it.

    `Extractor(nlp)` uses the pipeline's own component when it has one, else (or when `config` is
    given) creates one from the factory without changing `nlp`. The loader parses without the
    component and calls the extractor on each Doc, so that a rule that trips on one article fails
    that article only.
    """

    def __init__(self, nlp: Language, config: dict | None = None):
        if config is None and NAME in nlp.pipe_names:
            self.component: NewsClaims = nlp.get_pipe(NAME)
        else:
            self.component = nlp.create_pipe(NAME, config=config or {})

    def __call__(self, doc: Doc, published: str | None = None) -> Extraction:
        doc._.published = published
        return self.component(doc)._.newsclaims


__all__ = ["EXTRACTOR_VERSION", "Extractor", "Extraction", "NewsClaims", "make_newsclaims", "doc_sentences",
           "Claim", "Cue", "DatePhrase", "Fact", "Sentence", "Speaker", "Target", "RULE_NAMES", "SPANS_KEY"]
