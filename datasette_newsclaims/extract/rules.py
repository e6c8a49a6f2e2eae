"""The rules: each way of finding a statement is one small class with a name, the pattern it records
and the confidence of what it finds.

Four kinds, by where they look:

- `CueRule`: at a cue verb ("said", "urged", "called on") with a subject outside any quotation,
  what the verb introduces. `CUE_RULES` is the order they are tried in; the first that finds a
  statement wins, and the claim is built around it (claims.py: speaker, target, date, cue).
- `WordRule`: at any word outside quotations, in text order with the cue verbs ("according to").
- `SentenceRule`: once a sentence's words are read (a headline's "Name: what they said").
- `DocumentRule`: once every sentence is read (continuations, occasion dates).

Adding a rule is one class here and one line in its list.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field

from spacy.tokens import Span, Token

from ..vocabulary import UNNAMED
from .article import ArticleContext, ClaimBook
from .cues import CueContext, cue_stem, is_cue_verb, subject_of, token_cue
from .dates import date_phrase_for, resolve_date, tense_preference
from .entities import entities_overlapping
from .lexicon import (
    ANSWER_NOUNS,
    CHARGE_VERBS,
    COMMISSIVE_VERBS,
    HEADLINE_VERBS,
    NOUN_PHRASE_NEEDS_TAIL,
    NOUN_PHRASE_PREPOSITIONS,
    NOUN_PHRASE_TAILS,
    NOUN_PHRASE_VERBS,
    OCCASION_NOUNS,
    OCCASION_VERBS,
    PEOPLE_NOUNS,
    SAID_NOUNS,
    SPOKESPERSON_NOUNS,
    STATEMENT_NOUNS,
    TITLE_WORDS,
)
from .quotes import QuoteSpan, trim_span
from .records import Claim, Cue, DatePhrase, Speaker
from .speakers import SpeakerResolver


@dataclass(kw_only=True)
class Statement:
    """What a rule found said: a span of the text, or the quotations that carry it. Rules without a
    cue verb also give the speaker's head token and the cue."""

    rule: Rule
    span: tuple[int, int] | None = None
    quotes: list[QuoteSpan] = field(default_factory=list)
    speaker: Token | None = None
    cue: Cue | None = None
    segments: list[tuple[int, int]] = field(default_factory=list)  # a span's parts, when it skips its attribution
    mention: tuple[int, int] | None = None  # where the speaker is mentioned, when not at `speaker` (a label)


class Rule:
    name: str = ""
    pattern: str | None = None  # stored with each claim (claims.pattern); rules of one family share it
    confidence: float | None = None  # of a claim found by the rule, before speaker penalties


# -- at a cue verb --------------------------------------------------------------------------------

class CueRule(Rule):
    def find(self, cue: CueContext) -> Statement | None:
        raise NotImplementedError


class QuotedComplement(CueRule):
    """'X said "A."' and '"A," X said, "B."': quotations cover the clause, so the claim is the
    quotations themselves (with the sentence's other quotations, parts of the same statement)."""

    name, pattern, confidence = "quoted-complement", "quote-cue", 0.9

    def find(self, cue):
        if cue.clause is None or not cue.quotes:
            return None
        start, end = cue.clause
        quoted = [q for q in cue.quotes if q.start < end and q.end > start]
        covered = sum(min(q.end, end) - max(q.start, start) for q in quoted)
        if not quoted or covered < 0.6 * (end - start):
            return None
        others = [q for q in cue.quotes if q not in quoted and not cue.book.is_taken(q)
                  and cue.article.is_statement(q)]
        return Statement(rule=self, quotes=quoted + others)


class Directive(CueRule):
    """'X urged Y to do Z', 'X called on Y to do Z', 'X called for Z': the to-infinitive or what is
    called for."""

    name, pattern, confidence = "directive", "directive", 0.85

    def find(self, cue):
        if cue.clause is None or not cue.directive or cue.lemma in COMMISSIVE_VERBS:
            return None
        return Statement(rule=self, span=cue.clause)


class Commitment(CueRule):
    """'X vowed to close the plant', 'X pledged to ...', 'X threatened to ...': what the speaker commits to."""

    name, pattern, confidence = "commitment", "commissive", 0.8

    def find(self, cue):
        if cue.clause is None or not cue.directive or cue.lemma not in COMMISSIVE_VERBS:
            return None
        return Statement(rule=self, span=cue.clause)


class Complement(CueRule):
    """'X said (that) Z': the complement clause, with its predicate."""

    name, pattern, confidence = "complement", "cue-clause", 0.85

    def find(self, cue):
        if cue.clause is None or cue.directive:
            return None
        return Statement(rule=self, span=cue.clause)


class QuotationInSentence(CueRule):
    """A cue without a clause in a sentence that holds a quotation: the quotation ('X said, "A."')."""

    name, pattern, confidence = "quotation-in-sentence", "quote-cue", 0.9

    def find(self, cue):
        if cue.clause is not None:
            return None
        quotes = [q for q in cue.quotes if cue.article.is_statement(q) and not cue.book.is_taken(q)]
        return Statement(rule=self, quotes=quotes) if quotes else None


class Parenthetical(CueRule):
    """'The plan, she said, would cost jobs' and 'P1, he says, P2': an attribution set off by commas
    inside what was said. One claim over the whole statement, whose segments skip the attribution."""

    name, pattern, confidence = "parenthetical", "cue-parenthetical", 0.8

    def find(self, cue):
        verb, article = cue.verb, cue.article
        if cue.clause is not None or verb.dep_ != "parataxis" or verb.head.pos_ not in ("VERB", "AUX"):
            return None
        aside = sorted(verb.subtree, key=lambda t: t.i)
        if aside[0].text not in ",—–" or aside[-1].text not in ",—–":
            return None  # not set off on both sides: "Prices will rise, he said." is the complement rule's
        head = verb.head
        before = [t for t in head.subtree if t.i < aside[0].i]
        after = [t for t in head.subtree if t.i > aside[-1].i]
        if not before or not after or not any(t.pos_ in ("VERB", "AUX") for t in before + after):
            return None
        if any(article.inside_quote(t.idx) for t in (before[0], after[-1])):
            return None  # quoted: the quotation rules own it
        first, second = article.span_of(before), article.span_of(after)
        if first is None or second is None:
            return None
        return Statement(rule=self, span=(first[0], second[1]), segments=[first, second])


class CalledSomething(CueRule):
    """'X called Y a liar': the predicate said of the object is the claim, the object its target."""

    name, pattern, confidence = "called-x-y", "cue-object", 0.7

    def find(self, cue):
        if cue.lemma != "call":
            return None
        verb = cue.verb
        obj = next((c for c in verb.children if c.dep_ == "dobj"), None)
        predicate = next((c for c in verb.children if c.dep_ in ("oprd", "xcomp") and c.i > verb.i), None)
        if obj is None or predicate is None:
            return None
        tokens = list(predicate.subtree) + [t for c in verb.children if c.i > predicate.i and c.dep_ == "prep"
                                            for t in c.subtree]
        span = cue.article.span_of(tokens)
        return Statement(rule=self, span=span) if span else None


class Charge(CueRule):
    """'accused the agency of hiding the report' -> 'hiding the report' (the agency is the target)."""

    name, pattern, confidence = "charge", "cue-object", 0.7

    def find(self, cue):
        preposition = CHARGE_VERBS.get(cue.lemma)
        obj = next((c for c in cue.verb.children if c.dep_ == "dobj"), None)
        if preposition is None or obj is None:
            return None
        for prep in list(cue.verb.children) + list(obj.children):  # the parser hangs "of ..." on either
            if prep.dep_ == "prep" and prep.lower_ == preposition:
                objects = [c for c in prep.children if c.dep_ in ("pobj", "pcomp")]
                if objects:
                    span = cue.article.span_of([t for o in objects for t in o.subtree])
                    return Statement(rule=self, span=span) if span else None
        return None


class NounPhraseObject(CueRule):
    """'announced a $40 million settlement', 'described the offer as an insult', 'estimated the cost at $2
    billion', 'warned of Russian interference': a cue with no clause whose object (or the object of its
    preposition) is what was said. Pronouns and one-word objects say nothing a reader could check."""

    name, pattern, confidence = "noun-phrase-object", "cue-noun-phrase", 0.6

    def find(self, cue):
        verb = cue.verb
        if cue.clause is not None or cue.quotes:
            return None
        if cue.lemma in NOUN_PHRASE_VERBS:
            objects = [c for c in verb.children if c.dep_ == "dobj" and c.i > verb.i]
            if not objects and verb.tag_ == "VBN":  # "The protests were described by officials as peaceful"
                objects = [c for c in verb.children if c.dep_ == "nsubjpass"]
        else:
            preps = NOUN_PHRASE_PREPOSITIONS.get(cue.lemma, ())
            objects = [o for p in verb.children if p.dep_ == "prep" and p.lower_ in preps and p.i > verb.i
                       for o in p.children if o.dep_ == "pobj"]
        if len(objects) != 1 or objects[0].pos_ not in ("NOUN", "PROPN") or objects[0].is_stop:
            return None
        obj = objects[0]
        phrase = sorted(obj.subtree, key=lambda t: t.i)
        if obj.lemma_.lower() in SAID_NOUNS and all(t.i == obj.i or t.dep_ in ("det", "poss") for t in phrase):
            return None  # "echoed the warning", "repeated his remarks": what was said is elsewhere
        tails = [t for p in verb.children if p.dep_ == "prep" and p.lower_ in NOUN_PHRASE_TAILS and p.i > obj.i
                 for t in p.subtree]
        words = [t for t in phrase + tails if not t.is_punct and t.pos_ != "DET"]  # "a loss", "the plan": too bare
        if len(words) < 2 or (not tails and cue.lemma in NOUN_PHRASE_NEEDS_TAIL):
            return None
        article = cue.article
        if not tails:
            span = article.span_of(phrase)
            return Statement(rule=self, span=span) if span else None
        first, second = article.span_of(phrase), article.span_of(tails)
        if first is None or second is None:
            return None
        between = article.text[first[1]:second[0]].strip()
        segments = [first, second] if len(between.split()) > 1 else []  # "were described by officials"
        return Statement(rule=self, span=(first[0], second[1]), segments=segments)


class QuoteBeforeCue(CueRule):
    """'"... are missing." Trump said.': the quotation closed just before a bare attribution sentence."""

    name, pattern, confidence = "quote-before-cue", "quote-cue", 0.9

    def find(self, cue):
        verb, sent, article = cue.verb, cue.sent, cue.article
        if any(t.dep_ in ("dobj", "ccomp", "xcomp") for t in verb.children) or verb.i - sent.start > 8:
            return None
        for q in article.quotes:
            if cue.book.is_taken(q) or q.close_mark is None:
                continue
            if q.close_mark < sent.start_char and article.text[q.close_mark + 1:sent.start_char].strip() == "":
                if article.is_statement(q):
                    return Statement(rule=self, quotes=[q])
        return None


class QuoteAfterColon(CueRule):
    """'X said:' followed by a quotation (in the same sentence or the next paragraph)."""

    name, pattern, confidence = "quote-after-colon", "colon-quote", 0.85

    def find(self, cue):
        sent, article = cue.sent, cue.article
        colon = next((t for t in sent if t.i > cue.verb.i and t.text == ":"), None)
        if colon is None:
            return None
        for q in article.quotes:
            if cue.book.is_taken(q):
                continue
            if colon.idx < q.open_mark <= colon.idx + 4 or (
                    sent.end_char <= q.open_mark <= sent.end_char + 4
                    and article.text[colon.idx + 1:q.open_mark].strip() == ""):
                return Statement(rule=self, quotes=[q])
        return None


# -- at any word, in a sentence, over the document ---------------------------------------------------

class WordRule(Rule):
    def find(self, tok: Token, sent: Span, article: ArticleContext, book: ClaimBook) -> Statement | None:
        raise NotImplementedError


class AccordingTo(WordRule):
    """'..., according to X' and 'According to X, ...': the longer side of the sentence is the claim."""

    name, pattern, confidence = "according-to", "according-to", 0.8

    def find(self, tok, sent, article, book):
        if tok.lower_ != "according" or not (tok.dep_ == "prep" or any(c.lower_ == "to" for c in tok.children)):
            return None
        to = next((c for c in tok.children if c.lower_ == "to"), None)
        if to is None:
            return None
        pobj = next((c for c in to.children if c.dep_ == "pobj"), None)
        if pobj is None:
            return None
        phrase = sorted(tok.subtree, key=lambda t: t.i)
        p_start, p_end = phrase[0].i, phrase[-1].i + 1
        before = [t for t in sent if t.i < p_start]
        after = [t for t in sent if t.i >= p_end]
        chars = [len("".join(t.text_with_ws for t in side)) for side in (before, after)]
        longer = before if chars[0] > chars[1] else after
        span = article.span_of([t for t in longer if not t.is_space])
        if span is None or len(article.text[span[0]:span[1]].split()) < 3:
            return None
        end = to.idx + len(to.text)
        return Statement(rule=self, span=span, speaker=pobj,
                         cue=Cue(text=article.text[tok.idx:end], start=tok.idx, end=end))


RESTATE_VERBS = frozenset({"repeat", "reiterate", "renew", "restate", "make", "issue", "voice", "level"})


class StatementNoun(WordRule):
    """'his claim that ...', 'the senator's warning that ...': the clause of a statement noun, said by its
    possessor. Without a possessor the noun says nothing of who spoke ('the claim that ...'): no claim."""

    name, pattern, confidence = "statement-noun", "noun-cue", 0.75

    def find(self, tok, sent, article, book):
        if tok.pos_ != "NOUN" or tok.lemma_.lower() not in STATEMENT_NOUNS or tok.dep_ == "ROOT":
            return None  # a noun at the root: the parser lost the sentence's verb, and the clause's end with it
        owner = next((c for c in tok.children if c.dep_ == "poss"), None)
        clause = next((c for c in tok.children if c.dep_ in ("acl", "ccomp") and c.i > tok.i
                       and any(m.dep_ == "mark" and m.lower_ == "that" and m.i == tok.i + 1 for m in c.children)), None)
        if owner is None and clause is not None and tok.dep_ == "dobj" and tok.head.lemma_.lower() in RESTATE_VERBS:
            owner = next((c for c in tok.head.children if c.dep_ == "nsubj"), None)  # "made an allegation that"
        if owner is None or clause is None:
            return None
        tokens = list(clause.subtree)
        if tok.dep_ in ("nsubj", "nsubjpass") and tok.head.i > tok.i:
            tokens = [t for t in tokens if t.i < tok.head.i]  # "Her claim that X surprised many": not "surprised"
        if owner.pos_ == "PRON" and tok.dep_ == "dobj" and tok.head.lemma_.lower() in RESTATE_VERBS:
            # "Jones repeated his warning that ...": the one who repeats it is whose warning it is (but not
            # in "The mayor rejected his claim that ...")
            subject = next((c for c in tok.head.children if c.dep_ == "nsubj"), None)
            if subject is not None and subject.pos_ in ("PROPN", "NOUN"):
                owner = subject
        span = article.span_of(tokens)
        if span is None or len(article.text[span[0]:span[1]].split()) < 3:
            return None
        return Statement(rule=self, span=span, speaker=owner,
                         cue=token_cue(tok))


class AnswerColon(WordRule):
    """'His answer was simple: "We will not pay."', 'The minister's message: prices will fall': a noun of
    saying with its owner, a colon, then what was said (the quotation after it, else the rest of the
    sentence)."""

    name, pattern, confidence = "answer-colon", "noun-colon", 0.7

    def find(self, tok, sent, article, book):
        if tok.pos_ != "NOUN" or tok.lemma_.lower() not in ANSWER_NOUNS:
            return None
        owner = next((c for c in tok.children if c.dep_ == "poss"), None)
        colon = next((t for t in sent.doc[tok.i + 1:min(tok.i + 6, sent.end)] if t.text == ":"), None)
        if owner is None or colon is None:
            return None
        own = {t.i for t in tok.subtree}
        if any(t.text in ",;" or (t.i not in own and t.pos_ not in ("AUX", "ADJ", "ADV", "PART", "DET"))
               for t in sent.doc[tok.i + 1:colon.i]):
            return None  # "His answer, which came late, ...": the colon is not the answer's
        quote = article.quote_opened_after(colon.idx)
        if quote is not None:
            if book.is_taken(quote) or not article.is_statement(quote):
                return None
            book.take([quote])
            span = (quote.start, quote.end)
        else:
            span = article.span_of([t for t in sent if t.i > colon.i and not t.is_space])
        if span is None or book.covers(span[0]):
            return None
        return Statement(rule=self, span=span, speaker=owner,
                         cue=token_cue(tok))


class SentenceRule(Rule):
    def find(self, sent: Span, article: ArticleContext, book: ClaimBook) -> Statement | None:
        raise NotImplementedError


class HeadlineColon(SentenceRule):
    """'Bernie Sanders: I'm Not Much Of A Socialist': a named speaker, a colon, then what they said."""

    name, pattern, confidence = "headline-colon", "headline-colon", 0.7

    def find(self, sent, article, book):
        colon = next((t for t in sent[:10] if t.text == ":"), None)
        if colon is None or colon.i == sent.start or article.inside_quote(colon.idx):
            return None
        head = sent.doc[sent.start:colon.i]
        if any(t.is_digit or t.like_num for t in head):
            return None  # "11:40 am", "Step 1:"
        names = [e for e in entities_overlapping(sent.doc, head.start, head.end) if e.label_ in ("PERSON", "ORG")]
        if not names and sent.start_char < article.headline_end and len(head) <= 2 and (
                head[-1].lemma_.lower() in TITLE_WORDS | PEOPLE_NOUNS):
            names = [head[-1:]]  # "Minister: we will not resign": the headline's role speaks, as its lead says
        if not names or names[-1].end != colon.i:
            return None
        if any(t.pos_ not in ("PROPN", "NOUN", "ADJ", "DET", "PUNCT", "PART") for t in head):
            return None
        after = [t for t in sent if t.i > colon.i and not t.is_space]
        if len(after) < article.settings.min_quote_words:
            return None
        span = article.span_of(after)
        if span is None or book.covers(span[0]):
            return None
        return Statement(rule=self, span=span, speaker=names[-1].root,
                         cue=token_cue(colon))


class NameColonQuote(SentenceRule):
    """'The timing does not surprise pollster Daron Shaw: "Lesser-known candidates ..."', 'Rep. Trey Gowdy
    (R-S.C.): "I have not heard ..."': a person or organisation named right before a colon and the
    quotation it opens."""

    name, pattern, confidence = "name-colon-quote", "colon-quote", 0.8

    def find(self, sent, article, book):
        for colon in sent:
            if colon.text not in (":", "):") or colon.i == sent.start or article.inside_quote(colon.idx):
                continue
            before = sent.doc[colon.i - 1]
            if colon.text == "):" or before.text == ")":  # "Rep. Trey Gowdy (R-S.C.):"
                opening = next((t for t in reversed(sent.doc[max(sent.start, colon.i - 8):colon.i])
                                if t.text == "("), None)
                before = sent.doc[opening.i - 1] if opening is not None and opening.i > sent.start else before
            if before.ent_type_ not in ("PERSON", "ORG") or before.ent_iob_ == "B" and before.i + 1 < colon.i and (
                    sent.doc[before.i + 1].ent_iob_ == "I"):
                continue
            mark = colon.idx + len(colon.text) - 1
            quote = article.quote_opened_after(mark)
            if quote is None or book.is_taken(quote) or not article.is_statement(quote):
                continue
            book.take([quote])
            return Statement(rule=self, span=(quote.start, quote.end), speaker=before,
                             cue=Cue(text=":", start=mark, end=mark + 1))
        return None


class TranscriptLabel(SentenceRule):
    """'TAPPER: And obviously, you're supporting ...': a transcript's speaker label in capitals at the start of
    a paragraph, named as the article writes the name elsewhere ('CNN's Jake Tapper'); a label the article
    names nowhere else ('Q:', 'A:') is no one."""

    name, pattern, confidence = "transcript-label", "transcript-label", 0.7

    def find(self, sent, article, book):
        if sent.start_char not in article.paragraph_starts and sent.start_char - 1 not in article.paragraph_starts:
            return None
        colon = next((t for t in sent[:4] if t.text == ":"), None)
        if colon is None or colon.i == sent.start or article.inside_quote(colon.idx):
            return None
        label = sent.doc[sent.start:colon.i]
        words = [t for t in label if not t.is_punct]
        if not words or len(words) > 3 or not all(t.is_alpha and t.is_upper and len(t) > 1 for t in words):
            return None
        written = written_elsewhere(article, words[-1].text)
        if written is None:
            return None
        span = trim_span(article.text, colon.idx + 1, article.paragraph_of(colon.idx)[1])  # the label's paragraph
        if span[1] <= span[0] or book.covers(span[0]) or len(article.text[span[0]:span[1]].split()) < 3:
            return None
        return Statement(rule=self, span=span, speaker=written, mention=(label.start_char, label.end_char),
                         cue=token_cue(colon))


def written_elsewhere(article: ArticleContext, word: str) -> Token | None:
    """The token where the article writes a capitalised label as a name ('TAPPER' -> 'Tapper' of 'CNN's Jake
    Tapper'), if it does."""
    for match in re.finditer(r"(?<!\w)" + re.escape(word) + r"(?!\w)", article.text, re.I):
        if not match.group(0).isupper():
            span = article.doc.char_span(match.start(), match.end(), alignment_mode="expand")
            if span is not None and span.root.ent_type_ == "PERSON":
                return span.root
    return None


class HeadlineCue(SentenceRule):
    """'OPEC REJECTS PRICE CUT', 'LAWSON SAYS STERLING COMMENTS INSIGNIFICANT': a wire headline in capitals,
    which the parser cannot read, as words: a speaker the article names elsewhere, a cue verb, and what
    they said. The speaker is named as the article writes it, else there is no claim."""

    name, pattern, confidence = "headline-cue", "headline-cue", 0.6

    def find(self, sent, article, book):
        if not article.in_capitals(sent.start_char):
            return None
        words = [t for t in sent if not (t.is_space or t.is_punct)]
        for k in range(1, min(len(words) - 2, 5)):
            word = words[k].lower_
            lemma = cue_stem(word, HEADLINE_VERBS)
            # "OPEC REJECTS", "MPS DEMAND": the present, or a bare verb after a plural subject ("WHEAT CROP
            # THREATENED BY PESTS" is a passive, "EARLY WARNING" a noun)
            bare_after_singular = word == lemma and not words[k - 1].lower_.endswith("s")
            if lemma is None or word.endswith(("ed", "ing")) or bare_after_singular:
                continue
            span = article.span_of(words[k + 1:])
            if span is None or book.covers(span[0]):
                return None
            return Statement(rule=self, span=span, speaker=words[k - 1], cue=token_cue(words[k]))
        return None


class DocumentRule(Rule):
    def apply(self, article: ArticleContext, book: ClaimBook, resolver: SpeakerResolver) -> None:
        raise NotImplementedError


def has_day(claim: Claim) -> bool:
    """Whether a claim says the day it was said."""
    return claim.said_on is not None and claim.said_on.day is not None


class Continuations(DocumentRule):
    """A quotation no cue claimed that opens a sentence within reach of an attributed passage keeps
    its speaker: in the same paragraph as a direct claim it joins it as a segment, else it is a
    claim of its own with the speaker, cue, target and date of the passage it continues."""

    name, pattern, confidence = "continuation", "continuation", 0.6

    def apply(self, article, book, resolver):
        sentence_starts = {s.start_char for s in article.sentences}
        reach = article.settings.continuation_paragraphs
        for q in article.quotes:
            if book.is_taken(q) or book.covers(q.start) or not article.is_statement(q):
                continue
            at_sentence_start = q.open_mark in sentence_starts or q.open_mark - 1 in sentence_starts or any(
                article.text[q.open_mark - 2:q.open_mark].strip() == "" and q.open_mark in (p, p + 1)
                for p in article.paragraph_starts)
            if not at_sentence_start and q.open_mark not in article.paragraph_starts:
                continue
            previous = [c for c in book.claims if c.end <= q.open_mark + 1]
            if not previous:
                continue
            last = max(previous, key=lambda c: c.end)
            between = article.paragraphs_between(last.end, q.start)
            if between > reach - 1:
                continue
            other = other_subject(article, resolver, last, q)
            if other is not None:
                # 'The governor disagreed. "This bill is good for the state."': someone else has come in
                # between; right before the quotation, in its paragraph, they say it; else no one does
                sent, speaker, verb = other
                right_before = sent.end_char > q.open_mark or article.text[sent.end_char:q.open_mark].strip() == ""
                if right_before and article.paragraph_of(sent.start_char) == article.paragraph_of(q.open_mark):
                    book.take([q])
                    book.add(Claim(start=q.start, end=q.end, quote=article.text[q.start:q.end], speaker=speaker,
                                   cue=token_cue(verb),
                                   kind="direct", pattern="follow-on", confidence=0.5,
                                   sentence_index=article.sentence_index_at(q.start)))
                continue
            if between == 0 and last.kind == "direct":
                book.extend(last, q)  # '"A," she said. "B."': one quotation, split by its attribution
                continue
            said_on = None
            if last.said_on is not None:
                said_on = DatePhrase(phrase=last.said_on.phrase, day=last.said_on.day,
                                     source="continuation" if last.said_on.day else None)
            claim = Claim(start=q.start, end=q.end, quote=article.text[q.start:q.end],
                          speaker=dataclasses.replace(last.speaker), cue=dataclasses.replace(last.cue),
                          target=dataclasses.replace(last.target) if last.target else None, said_on=said_on,
                          kind="direct", pattern=self.pattern, confidence=self.confidence,
                          sentence_index=article.sentence_index_at(q.start))
            book.take([q])
            book.add(claim)


def other_subject(article: ArticleContext, resolver: SpeakerResolver, last: Claim,
                  quote: QuoteSpan) -> tuple[Span, Speaker, Token] | None:
    """The last sentence between a claim and an unattributed quotation whose subject is a person other than
    the claim's speaker ('The governor disagreed.'), with that speaker and the subject's verb."""
    found = None
    for sent in article.sentences:
        # the sentences after the claim that begin before the quotation (the one it opens in, too: '"The
        # bullying," Fox's Chris Wallace said, as the crowd cheered. "The greed."' read as one sentence)
        if sent.start_char >= quote.open_mark:
            break
        if sent.start_char < last.end:
            continue
        subject = None
        if not article.inside_quote(sent.root.idx):
            subject = next((c for c in sent.root.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        if subject is None:  # the parser lost the root ('"The bullying," X said'): an attribution's subject
            attributions = (subject_of(t) for t in sent if is_cue_verb(t) and not article.inside_quote(t.idx))
            subject = next((s for s in attributions if s is not None), None)
        if subject is None or article.opened_before(subject.idx):
            continue  # a sentence of a quotation that runs over paragraphs: the quoted speaker's words
        if (subject.pos_ not in ("PROPN", "NOUN", "PRON") or subject.idx >= quote.open_mark
                or article.inside_quote(subject.idx)):
            continue
        speaker = resolver.resolve(subject)
        if speaker is None or speaker.name == last.speaker.name or not can_speak(subject, speaker):
            continue
        found = (sent, speaker, subject.head)
    return found


def can_speak(subject: Token, speaker: Speaker) -> bool:
    """A person, named or described ('The governor', 'a senior official'); not a thing ('The bill passed'),
    nor an organisation or a group, which an article names as what its story is about as often as a
    speaker ('Microsoft is ...' before its spokesman's next words)."""
    lemma = subject.lemma_.lower()
    described = subject.tag_ == "NN" and (lemma in PEOPLE_NOUNS or lemma in TITLE_WORDS or lemma in SPOKESPERSON_NOUNS)
    if speaker.kind == "person":
        return subject.ent_type_ == "PERSON" or subject.lower_ in ("he", "she") or described
    return speaker.kind == UNNAMED and described


class OccasionDates(DocumentRule):
    """'Wang made the remarks in a phone call on Saturday': date that speaker's nearby undated claims."""

    name = "occasion-dates"

    def apply(self, article, book, resolver):
        window = article.settings.occasion_window
        for index, sent in enumerate(article.sentences):
            root = sent.root
            if root.lemma_.lower() not in OCCASION_VERBS:
                continue
            if not any(t.lemma_.lower() in OCCASION_NOUNS for t in root.subtree):
                continue
            subject = next((c for c in root.children if c.dep_ == "nsubj"), None)
            if subject is None:
                continue
            phrase = occasion_phrase(root)
            if phrase is None:
                continue
            speaker = resolver.resolve(subject)
            if speaker is None:
                continue
            day = resolve_date(phrase.text, article.published, tense_preference(root))
            if day is None:
                continue
            for claim in book.claims:
                near = abs(claim.sentence_index - index) <= window
                if near and not has_day(claim) and claim.speaker.name == speaker.name:
                    claim.said_on = DatePhrase(phrase=phrase.text, day=day, source="occasion")


HEADLINE_REACH = 6  # sentences after a headline within which its lead claim is


class EventDates(DocumentRule):
    """'The ministry said on Sunday that talks had failed. It said no date was set.': the day a speaker
    spoke carries to their claims right after it, until someone else speaks; never to another
    speaker's, never across more than two sentences."""

    name = "event-dates"

    def apply(self, article, book, resolver):
        claims = book.in_order()
        for claim in claims:
            if claim.start < article.headline_end and not has_day(claim):
                # a headline is dated like the lead claim it restates: the same speaker's first one after it
                lead = next((c for c in claims if c.start >= article.headline_end
                             and c.speaker.name.casefold() == claim.speaker.name.casefold()
                             and c.sentence_index <= claim.sentence_index + HEADLINE_REACH), None)
                if lead is not None and has_day(lead):
                    claim.said_on = DatePhrase(phrase=lead.said_on.phrase, day=lead.said_on.day,
                                               source="continuation")
        for before, claim in zip(claims, claims[1:]):
            if (has_day(before) and not has_day(claim) and claim.speaker.name == before.speaker.name
                    and 0 <= claim.sentence_index - before.sentence_index <= 2):
                claim.said_on = DatePhrase(phrase=before.said_on.phrase, day=before.said_on.day,
                                           source="continuation")


def occasion_phrase(root: Token) -> Span | None:
    for tok in root.subtree:
        if tok.pos_ in ("VERB", "NOUN"):
            phrase = date_phrase_for(tok)
            if phrase is not None:
                return phrase
    return None


# -- the order rules are tried in ----------------------------------------------------------------------

CUE_RULES: tuple[CueRule, ...] = (
    QuotedComplement(),
    Directive(),
    Commitment(),
    Complement(),
    QuotationInSentence(),
    Parenthetical(),
    CalledSomething(),
    Charge(),
    QuoteBeforeCue(),
    QuoteAfterColon(),
    NounPhraseObject(),
)
WORD_RULES: tuple[WordRule, ...] = (AccordingTo(), StatementNoun(), AnswerColon())
SENTENCE_RULES: tuple[SentenceRule, ...] = (HeadlineColon(), NameColonQuote(), TranscriptLabel(), HeadlineCue())
DOCUMENT_RULES: tuple[DocumentRule, ...] = (Continuations(), OccasionDates(), EventDates())
RULE_NAMES = tuple(r.name for r in CUE_RULES + WORD_RULES + SENTENCE_RULES + DOCUMENT_RULES)
