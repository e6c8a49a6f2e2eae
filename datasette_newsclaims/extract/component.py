"""The `newsclaims` spaCy component: claims and facts on every Doc.

    import spacy
    import datasette_newsclaims.extract  # registers the factory (installed packages also find it by entry point)

    nlp = spacy.load("en_core_web_sm")
    nlp.add_pipe("newsclaims", config={"occasion_window": 4})
    doc = nlp.make_doc(text)
    doc._.published = "2021-11-14"  # the article's date, to resolve "on Saturday"; optional
    doc = nlp(doc)
    doc._.claims                     # [Claim(...)], doc._.facts: [Fact(...)]
    doc.spans["newsclaims"]          # one span per claim, labelled direct / indirect / mixed

It needs a parser, NER and a lemmatizer before it. Its settings are the factory's config and can be
set in a spaCy config file under `[components.newsclaims]`.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc, Span

from .article import ArticleContext, Settings
from .claims import ClaimFinder
from .facts import find_facts
from .quotes import find_quotes
from .records import Extraction, Sentence
from .rules import RULE_NAMES
from .speakers import NameIndex
from .topics import TopicTagger, load_lexicon, topics_in

NAME = "newsclaims"
SPANS_KEY = "newsclaims"
DOC_EXTENSIONS = ("published", "claims", "facts", "newsclaims")
for _name in DOC_EXTENSIONS:
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=None)

DEFAULT_CONFIG = {
    "min_quote_words": Settings.min_quote_words,
    "max_quote_chars": Settings.max_quote_chars,
    "continuation_paragraphs": Settings.continuation_paragraphs,
    "occasion_window": Settings.occasion_window,
    "topics": None,  # path of a topic lexicon (JSON: topic -> list of terms); None: the packaged one
    "rules": None,  # names of the rules to run (see rules.RULE_NAMES); None: all of them
}


@Language.factory(NAME, default_config=DEFAULT_CONFIG,
                  assigns=["doc._.claims", "doc._.facts", "doc._.newsclaims", "doc.spans"],
                  requires=["token.dep", "token.pos", "token.lemma", "doc.ents", "doc.sents"])
def make_newsclaims(nlp: Language, name: str, min_quote_words: int, max_quote_chars: int,
                    continuation_paragraphs: int, occasion_window: int, topics: str | None,
                    rules: list[str] | None) -> NewsClaims:
    unknown = sorted(set(rules or ()) - set(RULE_NAMES))
    if unknown:
        raise ValueError(f"unknown newsclaims rule(s) {', '.join(unknown)}: the rules are {', '.join(RULE_NAMES)}")
    settings = Settings(min_quote_words=min_quote_words, max_quote_chars=max_quote_chars,
                        continuation_paragraphs=continuation_paragraphs, occasion_window=occasion_window,
                        rules=tuple(rules) if rules is not None else None)
    return NewsClaims(nlp, name, settings, load_lexicon(topics))


class NewsClaims:
    """Finds the claims and facts of a parsed Doc; `extract` returns them, `__call__` sets them on the Doc."""

    def __init__(self, nlp: Language, name: str, settings: Settings, lexicon: dict[str, list[str]]):
        self.name = name
        self.settings = settings
        self.topic_tagger = TopicTagger(nlp.vocab, nlp.make_doc, lexicon)

    def __call__(self, doc: Doc) -> Doc:
        extraction = self.extract(doc)
        doc._.newsclaims = extraction
        doc._.claims = extraction.claims
        doc._.facts = extraction.facts
        spans = (doc.char_span(c.start, c.end, label=c.kind, alignment_mode="expand") for c in extraction.claims)
        doc.spans[SPANS_KEY] = [s for s in spans if s is not None]
        return doc

    def extract(self, doc: Doc) -> Extraction:
        published = doc._.published
        sents = doc_sentences(doc)
        text = doc.text  # once: Doc.text joins every token
        quotes = find_quotes(text, self.settings.max_quote_chars)
        article = ArticleContext(doc, text, sents, quotes, published, self.settings)
        # a headline in capitals names no one, nor does a photo credit
        names = NameIndex(doc, skip=article.capitals + article.furniture)
        claims = ClaimFinder(article, names).run()
        subjects = self.topic_tagger.subject_spans(doc)
        for claim in claims:
            claim.topics = topics_in(doc, claim.start, claim.end, subjects, names)
        facts = find_facts(text, sents, [(c.start, c.end) for c in claims],
                           [(q.start, q.end) for q in article.quotes], published, names,
                           skip=article.furniture_sentences)
        sentences = []
        for i, s in enumerate(sents):
            text = s.text.strip()
            offset = s.start_char + (len(s.text) - len(s.text.lstrip()))
            sentences.append(Sentence(index=i, start=offset, end=offset + len(text), text=text))
        return Extraction(sentences=sentences, claims=claims, facts=facts)


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
