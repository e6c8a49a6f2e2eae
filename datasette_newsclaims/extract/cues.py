"""A cue verb and what the parse says around it: its subject, clause, addressee, time phrase.

`CueContext` is computed once per cue verb and read by every cue rule (rules.py); the functions
below it are the syntax the claim is built from once a rule has found the statement.
"""

from __future__ import annotations

import re
from dataclasses import replace

from spacy.tokens import Span, Token

from ..vocabulary import UNNAMED
from .article import ArticleContext, ClaimBook
from .dates import date_phrase_for, resolve_date, tense_preference
from .entities import entity_at
from .lexicon import (
    ADDRESSEE_THAT_VERBS,
    COMMISSIVE_VERBS,
    DELIVERY_NOUNS,
    DIRECTIVE_PREPOSITIONS,
    DIRECTIVE_VERBS,
    NEWS_OUTLET_ENDINGS,
    NEWS_OUTLET_FIRST_WORDS,
    NEWS_OUTLET_WORDS,
    NEWS_OUTLETS,
    OUTLET_NOUNS,
    PHRASAL_CUES,
    REPORTING_VERBS,
    SPEAKER_KINDS,
    SPEECH_CONTEXT_NOUNS,
    TARGET_OBJECT_VERBS,
    VENUE_NOUNS,
    VENUE_PREPOSITIONS,
)
from .quotes import QuoteSpan
from .records import Cue, DatePhrase, Target
from .speakers import NameIndex, clean_name, mention_span, person_name

CUE_VERBS = REPORTING_VERBS | DIRECTIVE_VERBS
INHERIT_SUBJECT_DEPS = frozenset({"advcl", "xcomp", "conj", "pcomp", "acl"})


def verb_lemma(tok: Token) -> str:
    """The verb's lemma, mended where the lemmatiser left an inflected cue ("joked", "quipped"): a past or
    present form whose stem is a cue verb is that verb."""
    lemma = tok.lemma_.lower()
    if lemma in CUE_VERBS or tok.tag_ not in ("VBD", "VBN", "VBZ", "VBG"):
        return lemma
    return cue_stem(tok.lower_, CUE_VERBS) or lemma


def cue_stem(word: str, verbs: frozenset[str]) -> str | None:
    """The verb of `verbs` an inflected word is a form of ("quipped" -> "quip", "says" -> "say"), if any."""
    if word in verbs:
        return word
    for ending, stem in (("ied", "y"), ("ed", "e"), ("ed", ""), ("ies", "y"), ("es", ""), ("s", ""),
                         ("ing", "e"), ("ing", "")):
        if word.endswith(ending):
            candidate = word[:-len(ending)] + stem
            if candidate in verbs:
                return candidate
            if len(candidate) > 3 and candidate[-1] == candidate[-2] and candidate[:-1] in verbs:
                return candidate[:-1]  # "quipped" -> "quip"
    return None


def is_cue_verb(tok: Token) -> bool:
    """A reporting or directive verb ("said", "urged"); a phrasal one only with its particle ("pointed out")."""
    if tok.pos_ != "VERB":
        return False
    lemma = verb_lemma(tok)
    if lemma not in CUE_VERBS:
        return False
    particles = PHRASAL_CUES.get(lemma)
    return particles is None or any(c.dep_ in ("prt", "prep") and c.lower_ in particles for c in tok.children)


class CueContext:
    """One cue verb with a subject outside any quotation, and what its rules look at: the clause it
    governs (a to-infinitive for directives, "called for X", else its complement clause), the
    quotations of its sentence and paragraph, and a date phrase that opens the clause."""

    def __init__(self, verb: Token, subject: Token, sent: Span, index: int, article: ArticleContext,
                 book: ClaimBook):
        self.verb, self.subject, self.sent, self.index = verb, subject, sent, index
        self.article, self.book = article, book
        self.lemma = verb_lemma(verb)
        self.complements = [c for c in verb.children if c.dep_ == "ccomp"]
        after = [c for c in self.complements if c.i > verb.i]
        if after and len(after) < len(self.complements):
            # "OTTAWA — Leader X says Z": a dateline the parser hung on the verb is not part of what was said
            self.complements = after
        if not self.complements and self.lemma in ADDRESSEE_THAT_VERBS:
            self.complements = [c for obj in verb.children if obj.dep_ in ("dobj", "dative")
                                for c in obj.children if is_content_clause(c)]
        self.infinitive = None
        if self.lemma in DIRECTIVE_VERBS | COMMISSIVE_VERBS:
            self.infinitive = next((c for c in verb.children if c.dep_ in ("xcomp", "advcl")
                                    and any(a.lower_ == "to" and a.dep_ == "aux" for a in c.children)
                                    and c.i > verb.i), None)
        self.call_for = None
        if self.lemma == "call":
            self.call_for = next((p for p in verb.children if p.dep_ == "prep" and p.lower_ == "for"
                                  and p.i == verb.i + 1), None)
        self.said_on: Span | None = None  # "said on Monday it would ...": when it was said, not what
        self.directive = False
        self.clause = article.clip_statement(self._clause(), verb, subject)
        p_start, p_end = article.paragraph_of(verb.idx)
        # the sentence's quotations that do not hold the cue itself and open in its paragraph
        self.quotes: list[QuoteSpan] = [
            q for q in article.quotes_in(sent.start_char, sent.end_char)
            if not (q.start <= verb.idx < q.end) and article.words(q) >= 1 and p_start <= q.open_mark < p_end]

    def _clause(self) -> tuple[int, int] | None:
        article, verb = self.article, self.verb
        if self.infinitive is not None and not self.complements:
            self.directive = True
            return article.span_of(list(self.infinitive.subtree))
        if self.call_for is not None and not self.complements:
            pobj = next((c for c in self.call_for.children if c.dep_ == "pobj"), None)
            if pobj is None:
                return None
            self.directive = True
            return article.span_of(list(pobj.subtree))
        if self.complements:
            tokens = [t for c in self.complements for t in c.subtree]
            self.said_on = date_opening(verb, self.complements[0], tokens)
            if self.said_on is not None:
                end = self.said_on.end
                tokens = [t for t in tokens if t.i >= end and not (t.i == end and t.lower_ == "that")]
            if any(t.pos_ in ("VERB", "AUX") for t in tokens) and len(tokens) >= 2:  # a statement has a predicate
                return article.span_of(tokens)
        return None

    def cue(self, directive: bool) -> Cue:
        """The cue's words: the verb with its particle or preposition ("called on"); "called for" when
        the rule took what was called for."""
        if directive and self.call_for is not None:
            end = self.call_for.idx + len(self.call_for.text)
            return Cue(text=self.article.text[self.verb.idx:end], start=self.verb.idx, end=end)
        return cue_words(self.verb)

    def said_on_phrase(self) -> DatePhrase | None:
        """When it was said: the verb's own time phrase, else one opening its clause."""
        said_on = date_for(self.verb, self.article.published)
        if said_on is None and self.said_on is not None:
            day = resolve_date(self.said_on.text, self.article.published, tense_preference(self.verb))
            said_on = DatePhrase(phrase=self.said_on.text, day=day, source="cue" if day else None)
        return said_on


def is_content_clause(clause: Token) -> bool:
    """A that-clause the parser hung on the addressee of "tell", "warn", ...: "told the BBC's Today programme
    that the plan would fail", "warned the board that costs would rise" (read as a relative clause). It
    opens with "that" and has a subject of its own ("the board that approved it" has none: it is one)."""
    if clause.dep_ not in ("acl", "relcl") or clause.i < clause.head.i:
        return False
    return clause.left_edge.lower_ == "that" and any(c.dep_ in ("nsubj", "nsubjpass") and c.lower_ != "that"
                                                     for c in clause.children)


QUOTED_AS = frozenset({"quote", "report", "cite"})  # "X was quoted as saying", "X was reported as saying"


def subject_of(verb: Token) -> Token | None:
    """The verb's subject, or the subject of the verb it hangs from ("..., stating that"), or of the
    passive that quotes it ("X was quoted as saying that")."""
    node = verb
    if verb.dep_ == "pcomp" and verb.head.lower_ == "as" and verb.head.head.lemma_.lower() in QUOTED_AS:
        quoted = verb.head.head
        return next((c for c in quoted.children if c.dep_ == "nsubjpass"), None)
    if verb.tag_ == "VBN" and verb.dep_ == "advcl" and not any(c.dep_ in ("nsubj", "nsubjpass") for c in verb.children):
        return None  # "When asked whether he would resign, the minister said": he was asked; no one asked is named
    if verb.dep_ == "acl" and verb.tag_ == "VBG" and verb.head.dep_ == "pobj" and verb.head.head.lower_ == "with":
        return verb.head  # "Oil rose, with analysts saying supply was tight"
    for _ in range(4):
        for child in node.children:
            if child.dep_ == "nsubj":
                return child
        if any(c.dep_ == "nsubjpass" for c in node.children):
            # "were described by officials as peaceful": the agent speaks; "it was said that": no one
            return next((o for c in node.children if c.dep_ == "agent" for o in c.children if o.dep_ == "pobj"), None)
        inverted = inverted_subject(node)
        if inverted is not None:
            return inverted
        if node.dep_ == "pcomp" and node.head.dep_ == "prep" and node.head.head.i != node.head.i:
            node = node.head.head  # "spoke for an hour before noting that ...": the speaker of the sentence
        elif node.dep_ in INHERIT_SUBJECT_DEPS and node.head.i != node.i:
            node = node.head
        else:
            return None
    return None


CLOSING_QUOTES = frozenset({'"', "”", "''", "’", "'"})


def inverted_subject(verb: Token) -> Token | None:
    """'"We won," crowed the coach, Bill Hale.': after a quotation the speaker follows the cue, and the parser
    reads a less common cue's subject as its object. The name in apposition is the speaker when the parser
    hung it on the verb ("joked the actor, Tim Bold")."""
    if verb.i == 0 or not is_cue_verb(verb) or verb.doc[verb.i - 1].text not in CLOSING_QUOTES:
        return None
    after = [c for c in verb.children if c.i > verb.i and c.dep_ in ("dobj", "npadvmod", "attr", "appos")]
    if not after or after[0].pos_ not in ("PROPN", "NOUN"):
        return None
    first = after[0]
    name = next((c for c in after[1:] if c.pos_ == "PROPN" and c.ent_type_ == "PERSON"
                 and verb.doc[c.left_edge.i - 1].text == ","), None)
    return name if name is not None and first.pos_ == "NOUN" else first


def date_opening(verb: Token, clause: Token, tokens: list[Token]) -> Span | None:
    """A date phrase that opens a reported clause right after its cue verb: the parser hangs "on
    Monday" in "said on Monday it would ..." on the clause, but news puts there when it was said."""
    phrase = date_phrase_for(clause)
    if phrase is None or phrase.start != min(t.i for t in tokens) or phrase.start != verb.i + 1:
        return None
    if phrase.end >= clause.i:
        return None  # the phrase is all there is before the verb of the clause: keep it
    return phrase


def date_for(verb: Token, published: str | None) -> DatePhrase | None:
    """The time phrase of the verb (or of the verb it hangs from), else of what carries the speech act
    ("Commenting last night, X said", "Today's statement said", "In a statement on Sunday, X said"),
    resolved against the article's date. Never a day after the article's: nothing is said in its future."""
    phrase = None
    node = verb
    for _ in range(3):
        phrase = date_phrase_for(node) or speech_act_date(node)
        if phrase is not None or node.dep_ not in INHERIT_SUBJECT_DEPS or node.head.i == node.i:
            break
        node = node.head
    if phrase is None:
        return None
    day = resolve_date(phrase.text, published, tense_preference(verb))
    if day and published and day > published[:10]:
        day = None
    return DatePhrase(phrase=phrase.text, day=day, source="cue" if day else None)


def speech_act_date(verb: Token) -> Span | None:
    """The date of the words around a cue that name the speech act: a participle before it ("Speaking
    on Sunday, X said"), its subject noun ("Sunday's statement said", "A statement on Sunday said") or
    the occasion it names ("In a statement on Sunday, X said")."""
    for child in verb.children:
        if child.dep_ == "advcl" and child.tag_ == "VBG" and child.i < verb.i and (
                is_cue_verb(child) or child.lemma_.lower() in ("speak", "talk", "comment", "appear")):
            phrase = date_phrase_for(child)
            if phrase is not None:
                return phrase
        nouns = []
        if child.dep_ in ("nsubj", "nsubjpass") and child.lemma_.lower() in SPEECH_CONTEXT_NOUNS:
            nouns.append(child)
        if child.dep_ == "prep" and child.lower_ == "in":
            nouns += [p for p in child.children if p.dep_ == "pobj" and p.lemma_.lower() in SPEECH_CONTEXT_NOUNS]
        for noun in nouns:
            for mod in noun.children:
                if mod.dep_ in ("poss", "compound", "npadvmod") and mod.ent_type_ == "DATE":
                    return entity_at(mod)
            phrase = date_phrase_for(noun)
            if phrase is not None:
                return phrase
    return None


def addressee(verb: Token) -> Token | None:
    """Whom the cue addresses: 'called on Y', 'urged Y', 'told reporters', 'in a letter to Y'."""
    lemma = verb_lemma(verb)
    preps = DIRECTIVE_PREPOSITIONS.get(lemma)
    for child in verb.children:
        if preps and child.dep_ == "prep" and child.lower_ in preps:
            for pobj in child.children:
                if pobj.dep_ == "pobj":
                    return pobj
        if lemma in TARGET_OBJECT_VERBS and child.dep_ in ("dobj", "dative") and (
                lemma not in DIRECTIVE_PREPOSITIONS or any(c.dep_ in ("oprd", "xcomp") for c in verb.children)):
            return child  # "urged the US", "told reporters", "called Clinton a liar"
        if child.dep_ == "prep" and child.lower_ == "in":  # "in a letter to X"
            for pobj in child.children:
                if pobj.dep_ == "pobj" and pobj.lemma_.lower() in SPEECH_CONTEXT_NOUNS:
                    # "in a letter to X", "in a speech prepared for delivery to X"
                    for to in pobj.subtree:
                        if to.dep_ == "prep" and to.lower_ == "to" and (
                                to.head.i == pobj.i or to.head.lemma_.lower() in DELIVERY_NOUNS):
                            obj = next((o for o in to.children if o.dep_ == "pobj"), None)
                            if obj is not None:
                                return obj
    return None



def target_of(verb: Token, names: NameIndex, pronoun=None) -> Target | None:
    """The addressee named in the sentence, with its canonical name; never a guessed one. A relative
    pronoun is the noun its clause describes ("the regulator, which the union has blamed"); another
    pronoun is what `pronoun(token)` (the speaker resolver's) refers it to, when it names someone."""
    tok = addressee(verb)
    if tok is not None and tok.tag_ in ("WDT", "WP") and verb.dep_ == "relcl":
        tok = verb.head
    if tok is not None and tok.pos_ == "PRON" and pronoun is not None and tok.lower_ not in ("me", "us", "you"):
        referent = pronoun(tok)
        if referent is not None and referent.kind != UNNAMED:
            return Target(name=referent.name, start=tok.idx, end=tok.idx + len(tok.text), kind=referent.kind)
    if tok is None or tok.pos_ not in ("PROPN", "NOUN"):
        return None  # numbers, determiners, pronouns with nothing to refer to: no name to give
    span = mention_span(tok)
    name = clean_name(span.text, organisation=tok.ent_type_ == "ORG")
    if tok.ent_type_ == "PERSON":
        name = person_name(name)[0]  # "told Mr Blair", "urged President Reagan": the title is no part of the name
    kind = SPEAKER_KINDS.get(tok.ent_type_)
    if tok.ent_type_ in ("PERSON", "ORG") or tok.pos_ == "PROPN":
        full = names.full_name_for(name, span.start_char)
        if full != name:
            name, kind = full, "person"
    if kind is None and tok.pos_ == "PROPN":
        kind = "organisation"  # a proper name the tagger did not place: most often a body ("Congress")
    if not name:
        return None
    return Target(name=name, start=span.start_char, end=span.end_char, kind=kind)


def is_venue(tok: Token, name: str) -> bool:
    """'Reuters', 'reporters', 'a news conference', 'BBC Radio 4's Today programme', 'Tehran Radio': the
    medium or the occasion of the remarks, not whom they address."""
    return tok.lemma_.lower() in VENUE_NOUNS or tok.lower_ in VENUE_NOUNS or is_outlet_name(name)


def is_outlet_name(name: str) -> bool:
    """'Reuters', 'The Washington Post', 'BBC Radio 4's Today programme', 'Tehran Radio', 'the official news
    agency PAP': a news outlet by its name."""
    words = name.split()
    lowered = [re.sub(r"['’]s?$", "", w.lower()) for w in words]  # "BBC's World Business Report"
    if lowered and lowered[0] == "the":
        words, lowered = words[1:], lowered[1:]
    joined = " ".join(lowered)
    return bool(lowered) and (
        joined in NEWS_OUTLETS
        or (len(words) > 1 and words[-1][:1].isupper() and lowered[-1] in NEWS_OUTLET_ENDINGS)
        or (len(words) > 1 and lowered[0] in NEWS_OUTLET_FIRST_WORDS)
        or any(w in NEWS_OUTLET_WORDS for w in lowered[:-1])
        or "news agency" in joined or "press agency" in joined)


def outlet_named(venue: Target, names: NameIndex) -> Target | None:
    """'told the paper' after the article named the paper: the venue under the paper's name."""
    words = venue.name.lower().split()
    if len(words) != 1 or words[0] not in OUTLET_NOUNS:
        return None
    named = [(o, name) for o, name in names.orgs if o < venue.start and is_outlet_name(name)]
    if not named:
        return None
    return replace(venue, name=max(named)[1])


def venue_of(verb: Token) -> Target | None:
    """The occasion named by a preposition of the cue: 'said at a news conference', 'in an interview with
    Reuters' (the outlet, when one is named), 'during a hearing'."""
    for child in verb.children:
        if child.dep_ != "prep" or child.lower_ not in VENUE_PREPOSITIONS:
            continue
        for pobj in child.children:
            if pobj.dep_ != "pobj" or pobj.lemma_.lower() not in VENUE_NOUNS:
                continue
            outlet = next((o for p in pobj.children if p.dep_ == "prep" and p.lower_ == "with"
                           for o in p.children if o.dep_ == "pobj" and o.pos_ == "PROPN"), None)
            span = mention_span(outlet if outlet is not None else pobj)
            if outlet is None:  # the occasion's own words, not what it was about
                span = span.doc[span.start:pobj.i + 1]
            return Target(name=clean_name(span.text, indefinite=True), start=span.start_char,
                          end=span.end_char, kind=None)
    return None


def token_cue(tok: Token) -> Cue:
    """A cue of one word: a statement noun ("allegation"), a headline's verb, the verb of whoever came in."""
    return Cue(text=tok.text, start=tok.idx, end=tok.idx + len(tok.text))


def cue_words(verb: Token) -> Cue:
    """The verb with the particle or preposition right after it that belongs to the cue."""
    end_tok = verb
    lemma = verb_lemma(verb)
    for child in verb.children:
        if child.dep_ in ("prep", "prt") and child.i == verb.i + 1 and (
                child.lower_ in DIRECTIVE_PREPOSITIONS.get(lemma, ()) or
                (lemma == "call" and child.lower_ == "for") or child.dep_ == "prt"
                or child.lower_ in PHRASAL_CUES.get(lemma, ())):
            end_tok = child
    end = end_tok.idx + len(end_tok.text)
    return Cue(text=verb.doc[verb.i:end_tok.i + 1].text, start=verb.idx, end=end)  # Doc.text would join every token
