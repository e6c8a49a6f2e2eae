"""Each statement rule on a Doc built by hand (words, heads, dependencies, parts of speech, lemmas,
entities), so that what a rule does is pinned apart from any statistical model: the parse is the
one written here, not whatever en_core_web_sm makes of the sentence this year.

A token is (word, head index, dependency, part of speech[, lemma][, entity IOB tag]).
"""

import pytest
import spacy
from spacy.tokens import Doc

from datasette_newsclaims.extract import RULE_NAMES, Extractor

TAGS = {"NOUN": "NN", "PROPN": "NNP", "VERB": "VBD", "AUX": "MD", "PRON": "PRP", "DET": "DT", "ADP": "IN",
        "PUNCT": ".", "ADJ": "JJ", "ADV": "RB", "PART": "RB", "NUM": "CD", "SPACE": "_SP"}
NO_SPACE_BEFORE = set(",.:;!?”")


@pytest.fixture(scope="module")
def blank():
    return spacy.blank("en")


def build(nlp, tokens) -> Doc:
    words, heads, deps, pos, lemmas, ents = [], [], [], [], [], []
    for token in tokens:
        word, head, dep, tag = token[:4]
        rest = token[4:]
        lemma = next((r for r in rest if not r.startswith(("B-", "I-"))), word.lower() if tag != "PROPN" else word)
        ent = next((r for r in rest if r.startswith(("B-", "I-"))), "O")
        words.append(word), heads.append(head), deps.append(dep), pos.append(tag), lemmas.append(lemma)
        ents.append(ent)
    spaces = []
    for i, word in enumerate(words):
        after = words[i + 1] if i + 1 < len(words) else None
        spaces.append(after is not None and not word.isspace() and word != "“" and not after.isspace()
                      and after not in NO_SPACE_BEFORE)
    return Doc(nlp.vocab, words=words, spaces=spaces, heads=heads, deps=deps, pos=pos,
               tags=[TAGS[p] for p in pos], lemmas=lemmas, ents=ents)


def claims_of(nlp, tokens, published=None, **config):
    doc = build(nlp, tokens)
    return doc.text, [c.as_dict() for c in Extractor(nlp, config)(doc, published).claims]


def only(claims):
    assert len(claims) == 1, claims
    return claims[0]


# "Jane Fox said the plant would close."
COMPLEMENT = [("Jane", 1, "compound", "PROPN", "B-PERSON"), ("Fox", 2, "nsubj", "PROPN", "I-PERSON"),
              ("said", 2, "ROOT", "VERB", "say"), ("the", 4, "det", "DET"), ("plant", 6, "nsubj", "NOUN"),
              ("would", 6, "aux", "AUX"), ("close", 2, "ccomp", "VERB"), (".", 2, "punct", "PUNCT")]


def test_complement(blank):
    text, claims = claims_of(blank, COMPLEMENT)
    claim = only(claims)
    assert text == "Jane Fox said the plant would close."
    assert (claim["quote"], claim["speaker"], claim["cue"]) == ("the plant would close", "Jane Fox", "said")
    assert (claim["pattern"], claim["kind"], claim["confidence"]) == ("cue-clause", "indirect", 0.85)


def test_a_clause_without_a_predicate_is_no_statement(blank):
    # "Jane Fox said the plant." : a ccomp with no verb in it
    tokens = COMPLEMENT[:5] + [(".", 2, "punct", "PUNCT")]
    tokens[4] = ("plant", 2, "ccomp", "NOUN")
    assert claims_of(blank, tokens)[1] == []


def test_directive_names_its_target(blank):
    # "The mayor urged residents to leave."
    text, claims = claims_of(blank, [
        ("The", 1, "det", "DET"), ("mayor", 2, "nsubj", "NOUN"), ("urged", 2, "ROOT", "VERB", "urge"),
        ("residents", 2, "dobj", "NOUN", "resident"), ("to", 5, "aux", "PART"), ("leave", 2, "xcomp", "VERB"),
        (".", 2, "punct", "PUNCT")])
    claim = only(claims)
    assert (claim["quote"], claim["cue"], claim["target"], claim["pattern"]) == ("to leave", "urged", "residents",
                                                                                 "directive")
    assert claim["speaker"] == "mayor" and claim["speaker_kind"] == "unnamed" and claim["confidence"] == 0.75


# "“We will win the vote,” Lee said."
QUOTED = [("“", 9, "punct", "PUNCT"), ("We", 3, "nsubj", "PRON", "we"), ("will", 3, "aux", "AUX"),
          ("win", 9, "ccomp", "VERB"), ("the", 5, "det", "DET"), ("vote", 3, "dobj", "NOUN"),
          (",", 9, "punct", "PUNCT"),
          ("”", 9, "punct", "PUNCT"), ("Lee", 9, "nsubj", "PROPN", "B-PERSON"), ("said", 9, "ROOT", "VERB", "say"),
          (".", 9, "punct", "PUNCT")]


def test_quoted_complement_is_the_quotation(blank):
    text, claims = claims_of(blank, QUOTED)
    claim = only(claims)
    assert text == "“We will win the vote,” Lee said."
    assert (claim["quote"], claim["kind"], claim["pattern"], claim["speaker"]) == (
        "We will win the vote", "direct", "quote-cue", "Lee")
    assert text[claim["start"]:claim["end"]] == claim["quote"]


def test_quotation_in_the_sentence_without_a_clause(blank):
    # "Lee said, “We will win the vote.”" with the quotation hung on the verb as parataxis, not ccomp
    text, claims = claims_of(blank, [
        ("Lee", 1, "nsubj", "PROPN", "B-PERSON"), ("said", 1, "ROOT", "VERB", "say"), (",", 1, "punct", "PUNCT"),
        ("“", 6, "punct", "PUNCT"), ("We", 6, "nsubj", "PRON", "we"), ("will", 6, "aux", "AUX"),
        ("win", 1, "parataxis", "VERB"), ("the", 8, "det", "DET"), ("vote", 6, "dobj", "NOUN"),
        (".", 6, "punct", "PUNCT"), ("”", 6, "punct", "PUNCT")])
    claim = only(claims)
    assert (claim["quote"], claim["pattern"], claim["kind"]) == ("We will win the vote", "quote-cue", "direct")


def test_a_short_quotation_is_no_statement(blank):
    # "Lee said, “Never.”": a quotation under four words is a scare quote or a name
    _, claims = claims_of(blank, [
        ("Lee", 1, "nsubj", "PROPN", "B-PERSON"), ("said", 1, "ROOT", "VERB", "say"), (",", 1, "punct", "PUNCT"),
        ("“", 4, "punct", "PUNCT"), ("Never", 1, "parataxis", "ADV"), (".", 1, "punct", "PUNCT"),
        ("”", 1, "punct", "PUNCT")])
    assert claims == []


def test_called_someone_something(blank):
    # "Smith called Jones a liar."
    _, claims = claims_of(blank, [
        ("Smith", 1, "nsubj", "PROPN", "B-PERSON"), ("called", 1, "ROOT", "VERB", "call"),
        ("Jones", 1, "dobj", "PROPN", "B-PERSON"), ("a", 4, "det", "DET"), ("liar", 1, "oprd", "NOUN"),
        (".", 1, "punct", "PUNCT")])
    claim = only(claims)
    assert (claim["quote"], claim["target"], claim["target_kind"], claim["pattern"]) == (
        "a liar", "Jones", "person", "cue-object")


def test_calling_a_meeting_is_no_claim(blank):
    # "The mayor called a meeting.": a cue verb with nothing said
    _, claims = claims_of(blank, [
        ("The", 1, "det", "DET"), ("mayor", 2, "nsubj", "NOUN"), ("called", 2, "ROOT", "VERB", "call"),
        ("a", 4, "det", "DET"), ("meeting", 2, "dobj", "NOUN"), (".", 2, "punct", "PUNCT")])
    assert claims == []


def test_charge_takes_what_follows_the_preposition(blank):
    # "Lee accused the agency of hiding the report."
    _, claims = claims_of(blank, [
        ("Lee", 1, "nsubj", "PROPN", "B-PERSON"), ("accused", 1, "ROOT", "VERB", "accuse"), ("the", 3, "det", "DET"),
        ("agency", 1, "dobj", "NOUN"), ("of", 1, "prep", "ADP"), ("hiding", 4, "pcomp", "VERB", "hide"),
        ("the", 7, "det", "DET"), ("report", 5, "dobj", "NOUN"), (".", 1, "punct", "PUNCT")])
    claim = only(claims)
    assert (claim["quote"], claim["target"], claim["cue"], claim["pattern"]) == (
        "hiding the report", "agency", "accused", "cue-object")


def test_quote_before_a_bare_attribution(blank):
    # "“The votes are missing.” Trump said." : two sentences
    text, claims = claims_of(blank, [
        ("“", 3, "punct", "PUNCT"), ("The", 2, "det", "DET"), ("votes", 3, "nsubj", "NOUN", "vote"),
        ("are", 3, "ROOT", "AUX", "be"), ("missing", 3, "acomp", "ADJ"), (".", 3, "punct", "PUNCT"),
        ("”", 3, "punct", "PUNCT"), ("Trump", 8, "nsubj", "PROPN", "B-PERSON"), ("said", 8, "ROOT", "VERB", "say"),
        (".", 8, "punct", "PUNCT")])
    claim = only(claims)
    assert text == "“The votes are missing.” Trump said."
    assert (claim["quote"], claim["speaker"], claim["pattern"], claim["sentence_index"]) == (
        "The votes are missing", "Trump", "quote-cue", 1)


def test_quote_after_a_colon_in_the_next_paragraph(blank):
    # "Lee said:\n\n“We will win the vote.”"
    text, claims = claims_of(blank, [
        ("Lee", 1, "nsubj", "PROPN", "B-PERSON"), ("said", 1, "ROOT", "VERB", "say"), (":", 1, "punct", "PUNCT"),
        ("\n\n", 2, "dep", "SPACE"), ("“", 7, "punct", "PUNCT"), ("We", 7, "nsubj", "PRON", "we"),
        ("will", 7, "aux", "AUX"), ("win", 7, "ROOT", "VERB"), ("the", 9, "det", "DET"), ("vote", 7, "dobj", "NOUN"),
        (".", 7, "punct", "PUNCT"), ("”", 7, "punct", "PUNCT")])
    claim = only(claims)
    assert text == "Lee said:\n\n“We will win the vote.”"
    assert (claim["quote"], claim["speaker"], claim["pattern"], claim["confidence"]) == (
        "We will win the vote", "Lee", "colon-quote", 0.85)


def test_according_to(blank):
    # "Prices will rise, according to Reuters."
    _, claims = claims_of(blank, [
        ("Prices", 2, "nsubj", "NOUN", "price"), ("will", 2, "aux", "AUX"), ("rise", 2, "ROOT", "VERB"),
        (",", 2, "punct", "PUNCT"), ("according", 2, "prep", "VERB", "accord"), ("to", 4, "prep", "ADP"),
        ("Reuters", 5, "pobj", "PROPN", "B-ORG"), (".", 2, "punct", "PUNCT")])
    claim = only(claims)
    assert (claim["quote"], claim["speaker"], claim["speaker_kind"], claim["cue"], claim["pattern"]) == (
        "Prices will rise", "Reuters", "organisation", "according to", "according-to")


def test_headline_colon(blank):
    # "Sanders: I am not a socialist"
    _, claims = claims_of(blank, [
        ("Sanders", 3, "dep", "PROPN", "B-PERSON"), (":", 3, "punct", "PUNCT"), ("I", 3, "nsubj", "PRON", "i"),
        ("am", 3, "ROOT", "AUX", "be"), ("not", 3, "neg", "PART"), ("a", 6, "det", "DET"),
        ("socialist", 3, "attr", "NOUN")])
    claim = only(claims)
    assert (claim["quote"], claim["speaker"], claim["cue"], claim["pattern"]) == (
        "I am not a socialist", "Sanders", ":", "headline-colon")


def test_a_colon_after_more_than_a_name_is_no_headline(blank):
    # "Sanders fans: we want a revolution": the name is not what stands before the colon
    _, claims = claims_of(blank, [
        ("Sanders", 1, "compound", "PROPN", "B-PERSON"), ("fans", 4, "dep", "NOUN", "fan"),
        (":", 4, "punct", "PUNCT"), ("we", 4, "nsubj", "PRON"), ("want", 4, "ROOT", "VERB"), ("a", 6, "det", "DET"),
        ("revolution", 4, "dobj", "NOUN")])
    assert claims == []


# "“We will win the vote,” Lee said.\n\n“The count is close tonight.”"
CONTINUED = QUOTED[:-1] + [(".", 9, "punct", "PUNCT"), ("\n\n", 10, "dep", "SPACE"),
                           ("“", 15, "punct", "PUNCT"), ("The", 14, "det", "DET"), ("count", 15, "nsubj", "NOUN"),
                           ("is", 15, "ROOT", "AUX", "be"), ("close", 15, "acomp", "ADJ"),
                           ("tonight", 15, "npadvmod", "NOUN"), (".", 15, "punct", "PUNCT"),
                           ("”", 15, "punct", "PUNCT")]


def test_continuation_keeps_the_speaker(blank):
    text, claims = claims_of(blank, CONTINUED)
    assert text == "“We will win the vote,” Lee said.\n\n“The count is close tonight.”"
    first, second = claims
    assert second["quote"] == "The count is close tonight"
    assert (second["speaker"], second["cue"], second["pattern"], second["confidence"]) == (
        "Lee", "said", "continuation", 0.6)
    assert second["speaker_start"] == first["speaker_start"]  # the attribution it continues


def test_continuation_reach_is_a_setting(blank):
    _, claims = claims_of(blank, CONTINUED, continuation_paragraphs=1)
    assert [c["quote"] for c in claims] == ["We will win the vote"]


# "Lee said the plan would work. Lee made the remarks on Saturday."
OCCASION = [("Lee", 1, "nsubj", "PROPN", "B-PERSON"), ("said", 1, "ROOT", "VERB", "say"), ("the", 3, "det", "DET"),
            ("plan", 5, "nsubj", "NOUN"), ("would", 5, "aux", "AUX"), ("work", 1, "ccomp", "VERB"),
            (".", 1, "punct", "PUNCT"), ("Lee", 8, "nsubj", "PROPN", "B-PERSON"), ("made", 8, "ROOT", "VERB", "make"),
            ("the", 10, "det", "DET"), ("remarks", 8, "dobj", "NOUN", "remark"), ("on", 8, "prep", "ADP"),
            ("Saturday", 11, "pobj", "PROPN", "B-DATE"), (".", 8, "punct", "PUNCT")]


def test_occasion_dates_the_speakers_claims(blank):
    _, claims = claims_of(blank, OCCASION, "2021-11-14")
    claim = only(claims)
    assert (claim["date"], claim["date_phrase"], claim["date_source"]) == ("2021-11-13", "on Saturday", "occasion")


def test_occasion_window_is_a_setting(blank):
    claim = only(claims_of(blank, OCCASION, "2021-11-14", occasion_window=0)[1])
    assert claim["date"] is None


def test_without_an_article_date_no_day_is_guessed(blank):
    claim = only(claims_of(blank, OCCASION)[1])
    assert claim["date"] is None


def test_rules_can_be_switched_off(blank):
    _, claims = claims_of(blank, OCCASION, "2021-11-14", rules=["directive", "complement"])
    assert only(claims)["date"] is None  # occasion-dates did not run
    assert claims_of(blank, COMPLEMENT, rules=["directive"])[1] == []


def test_an_unknown_rule_is_named(blank):
    with pytest.raises(ValueError, match="unknown newsclaims rule.*no-such-rule"):
        Extractor(blank, {"rules": ["complement", "no-such-rule"]})


def test_every_rule_has_a_unique_name():
    assert len(RULE_NAMES) == len(set(RULE_NAMES)) == 21
