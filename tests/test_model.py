"""The loaded pipeline: the faster attribute ruler says exactly what spaCy's says, and a batch leaves
no words behind in the model's memory."""

import spacy
from spacy.tokens import Doc

from datasette_newsclaims.loader import model, pipeline
from datasette_newsclaims.loader.sources import Article

from .conftest import SEED

# Written to reach the ruler's exceptions: contractions, dialect spellings, pronoun cases,
# existential "there", auxiliaries, runs of whitespace, determiners used as pronouns.
TRICKY = """Y'all gonna love it, she said. "I ain't going, and I can't, won't and shan't," he said.

Let's go, they'd have done it by now.  There are two ways; there's nothin' doin'.  Somethin' 's up.
That is what those who know him say: this one, not that.   He gets it; we got ta   leave.
I told you it was mine, not yours or theirs or hers, and she gave it to me herself.
c'm on 'em, we'll be there 'nuff said, ol' man. Did you do it? We did. He has had it.

  Whether or not it works, once upon a time it did, unless it didn't."""


def annotations(doc):
    return [(t.text, t.tag_, t.pos_, str(t.morph), t.lemma_, t.dep_, t.head.i, t.ent_iob_, t.ent_type_)
            for t in doc]


def test_the_loaded_pipeline_replaces_the_attribute_ruler(nlp):
    assert "tag_map_ruler" in nlp.pipe_names
    assert "attribute_ruler" not in nlp.pipe_names
    assert nlp.pipe_names.index("tag_map_ruler") < nlp.pipe_names.index("lemmatizer")


def test_annotations_are_identical_to_the_stock_pipeline(nlp):
    stock = model.load_stock()
    assert "attribute_ruler" in stock.pipe_names
    texts = [SEED.read_text("utf-8"), TRICKY, "", "   ", "\n\n"]
    for ours, theirs in zip(nlp.pipe(texts), stock.pipe(texts)):
        assert annotations(ours) == annotations(theirs)
    # the texts do reach the exceptions: if they did not, the comparison would prove little
    doc = nlp(TRICKY)
    assert {t.lemma_ for t in doc if t.lower_ in ("ai", "'em", "gon", "'nuff")} >= {"be", "them", "go", "enough"}
    assert any(t.pos_ == "SPACE" for t in doc)
    assert any(t.pos_ == "AUX" for t in doc) and any(t.pos_ == "SCONJ" for t in doc)


def ruler_pair(rules):
    """spaCy's AttributeRuler and ours, built from the same rules on a blank pipeline."""
    blank = spacy.blank("en")
    stock = blank.add_pipe("attribute_ruler")
    for patterns, attrs, index in rules:
        stock.add(patterns, attrs, index=index)
    return blank, stock, model.TagMapRuler.plan(stock)


def parsed(blank, words, tags, deps):
    return Doc(blank.vocab, words=words, tags=tags, deps=deps, heads=[0] * len(words))


def test_later_rules_win_whatever_kind_they_are():
    rules = [
        ([[{"TAG": "DT"}]], {"POS": "DET"}, 0),                          # table
        ([[{"DEP": {"NOT_IN": ["det"]}, "TAG": "DT"}]], {"POS": "PRON"}, 0),  # mask, after: wins
        ([[{"LOWER": "that", "TAG": "DT"}]], {"POS": "SCONJ"}, 0),        # table, after both: wins
        ([[{"LOWER": "so"}, {"LOWER": "that"}]], {"POS": "ADV"}, 0),      # matcher
        ([[{"LOWER": "so"}]], {"POS": "CCONJ", "LEMMA": "so"}, 0),        # table after the matcher: wins
        ([[{"LOWER": {"REGEX": "^th"}}]], {"MORPH": "PronType=Dem"}, 0),  # mask by regular expression
        ([[{"LOWER": "big"}, {"LOWER": "cat"}]], {"LEMMA": "feline"}, -1),  # matcher, last token
    ]
    blank, stock, ours = ruler_pair(rules)
    assert ours is not None and ours.mask_rules and ours.matcher_rules
    words = ["so", "that", "this", "the", "big", "cat", "that", "so"]
    tags = ["RB", "DT", "DT", "DT", "JJ", "NN", "DT", "RB"]
    deps = ["advmod", "nsubj", "dobj", "det", "amod", "ROOT", "det", "advmod"]
    expected, got = stock(parsed(blank, words, tags, deps)), ours(parsed(blank, words, tags, deps))
    assert annotations(got) == annotations(expected)
    assert [t.pos_ for t in got][:4] == ["CCONJ", "SCONJ", "PRON", "DET"]
    assert got[5].lemma_ == "feline" and got[4].lemma_ != "feline"


def test_rules_it_cannot_express_keep_the_stock_component():
    _, _, ours = ruler_pair([([[{"LOWER": "very", "OP": "+"}]], {"POS": "ADV"}, 0)])
    assert ours is None
    _, _, ours = ruler_pair([([[{"LOWER": "x"}]], {"NORM": "ex"}, 0)])
    assert ours is None


def test_a_batch_leaves_no_new_words_in_the_model(nlp, extractor):
    text = ("Zorblax Quimperton, the Frobnian envoy, said on Tuesday that the Glarvish treaty was "
            "\"a dead letter\". Quimperton told reporters the Vexillary Council would meet.")
    article = Article(id="zz", title="Frobnia", text=text, published="2024-03-07", origin="test:1")
    pipeline.run_batch(nlp, extractor, [article], 8)  # warm up: anything a first call adds once
    before = len(nlp.vocab.strings)
    (done,) = pipeline.run_batch(nlp, extractor, [article], 8)
    assert len(nlp.vocab.strings) == before
    assert "Zorblax Quimperton" not in nlp.vocab.strings
    # what was extracted is plain text and outlives the zone
    claims = done.extraction.claims_as_dicts()
    assert any("Quimperton" in c["speaker"] for c in claims)


def test_the_lemmatizer_cache_is_emptied_only_when_large(nlp, extractor, monkeypatch):
    article = Article(id="zy", title="t", text="The minister said the plan was working.", published=None,
                      origin="test:1")
    pipeline.run_batch(nlp, extractor, [article], 8)
    cache = nlp.get_pipe("lemmatizer").cache
    assert cache
    monkeypatch.setattr(model, "LEMMA_CACHE", 0)
    pipeline.run_batch(nlp, extractor, [article], 8)
    assert not cache


def test_no_sentence_and_no_parse_crosses_a_blank_line(nlp):
    """A headline over the lead is parsed apart: its words are never the lead verb's subject, and the
    joined Doc is the text exactly (ticker marks and all)."""
    text = "MCI <MCIC> GETS PENNEY <JCP> CONTRACT\n\nMCI Communications Corp said it won a contract.\n\n\n  More. "
    doc = next(pipeline.parse(nlp, [text], 1))
    assert doc.text == text
    said = next(t for t in doc if t.text == "said")
    subject = next(t for t in said.children if t.dep_ == "nsubj")
    assert [t.text for t in subject.subtree] == ["MCI", "Communications", "Corp"]
    assert all(t.idx > text.index("\n") for t in said.subtree)
    assert [s.text.strip() for s in doc.sents][-1] == "More."
