"""Claims: who said what, to whom and when, from the dependency parse and the quotation marks.

Each rule starts at a cue (a reporting or directive verb, or "according to")
outside any quotation, finds its subject (the speaker), its complement (the
statement) and its addressee (the target), then lines the complement up with
the quotation marks: a complement that is a quotation is direct, one that
contains quoted words is mixed, the rest indirect. Quotations no cue claimed
are given to the previous speaker when they continue an attributed passage.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span, Token

from .entities import entities_overlapping
from .dates import date_phrase_for, resolve_date, tense_preference
from .lexicon import (
    CHARGE_VERBS,
    DIRECTIVE_PREPOSITIONS,
    DIRECTIVE_VERBS,
    OCCASION_NOUNS,
    OCCASION_VERBS,
    REPORTING_VERBS,
    SPEAKER_KINDS,
    SPEECH_CONTEXT_NOUNS,
    TARGET_OBJECT_VERBS,
)
from .quotes import QuoteSpan, has_quote_marks, paragraphs, trim_span
from .speakers import Speaker, SpeakerResolver, clean_name, mention_span

CUE_VERBS = REPORTING_VERBS | DIRECTIVE_VERBS
# "CAMBRIDGE, Mass., Dec. 11 (UPI) — ", "WASHINGTON (AP) — ": a dateline, not part of any statement
DATELINE = re.compile(r"[A-Z][A-Z .'-]{2,}(?:,[^—–\n]{0,40})?\s*(?:\([^)\n]{1,30}\))?\s*[—–-]{1,2}\s+")
INHERIT_SUBJECT_DEPS = frozenset({"advcl", "xcomp", "conj", "pcomp", "acl"})
MIN_QUOTE_WORDS = 4  # shorter quotations are names, titles or scare quotes, not statements
CONTINUATION_PARAGRAPHS = 2  # how far a speaker carries over to an unattributed quotation
OCCASION_WINDOW = 6  # sentences either side within which an occasion's date applies
CONFIDENCE = {"headline-colon": 0.7, "quote-cue": 0.9, "cue-clause": 0.85, "directive": 0.85, "according-to": 0.8,
              "colon-quote": 0.85, "continuation": 0.6, "cue-object": 0.7}


@dataclass
class Claim:
    start: int
    end: int
    quote: str
    speaker: Speaker
    cue: str | None
    cue_start: int | None
    cue_end: int | None
    kind: str
    pattern: str
    sentence_index: int
    target: str | None = None
    target_start: int | None = None
    target_end: int | None = None
    target_kind: str | None = None  # person, organisation, place, group when the target is a named entity
    date: str | None = None
    date_phrase: str | None = None
    date_source: str | None = None  # "cue" (the verb's own phrase), "occasion", "continuation"
    confidence: float = 0.0
    topics: list[tuple[str, str]] = field(default_factory=list)  # (name, kind)
    # A quotation split by its attribution ('"A," she said, "B."') is one claim whose quote runs from
    # the start of A to the end of B; segments are the quoted parts alone.
    segments: list[tuple[int, int]] = field(default_factory=list)

    def shift(self, offset: int, sentences: int) -> None:
        """Move every offset by `offset` characters and the sentence index by `sentences`."""
        self.start, self.end = self.start + offset, self.end + offset
        self.speaker.start, self.speaker.end = self.speaker.start + offset, self.speaker.end + offset
        for name in ("cue_start", "cue_end", "target_start", "target_end"):
            if getattr(self, name) is not None:
                setattr(self, name, getattr(self, name) + offset)
        self.segments = [(a + offset, b + offset) for a, b in self.segments]
        self.sentence_index += sentences

    def as_dict(self) -> dict:
        return {
            "quote": self.quote, "start": self.start, "end": self.end,
            "speaker": self.speaker.name, "speaker_mention": self.speaker.mention,
            "speaker_start": self.speaker.start, "speaker_end": self.speaker.end,
            "speaker_kind": self.speaker.kind, "speaker_role": self.speaker.role,
            "cue": self.cue, "cue_start": self.cue_start, "cue_end": self.cue_end,
            "target": self.target, "target_start": self.target_start, "target_end": self.target_end, "target_kind": self.target_kind,
            "date": self.date, "date_phrase": self.date_phrase, "date_source": self.date_source,
            "kind": self.kind, "pattern": self.pattern, "confidence": round(self.confidence, 2),
            "sentence_index": self.sentence_index,
            "segments": [list(seg) for seg in self.segments] or [[self.start, self.end]],
            "topics": [name for name, _ in self.topics],
        }


class ClaimFinder:
    """Finds the claims of one parsed article."""

    def __init__(self, doc: Doc, published: str | None, quotes: list[QuoteSpan], sentences: list[Span]):
        self.doc = doc
        self.text = doc.text
        self.published = published
        self.quotes = quotes
        self.sentences = sentences
        self.resolver = SpeakerResolver(doc)
        self.claims: list[Claim] = []
        self.used_quotes: set[QuoteSpan] = set()
        self.paragraph_starts = [s for s, _ in paragraphs(self.text)]

    # -- driver ---------------------------------------------------------------------
    def run(self) -> list[Claim]:
        for index, sent in enumerate(self.sentences):
            for tok in sent:
                if self.inside_quote(tok.idx):
                    continue
                if tok.lower_ == "according" and tok.dep_ == "prep" or (
                        tok.lower_ == "according" and any(c.lower_ == "to" for c in tok.children)):
                    self.according_to(tok, sent, index)
                elif tok.pos_ == "VERB" and tok.lemma_.lower() in CUE_VERBS:
                    self.cue_verb(tok, sent, index)
            self.headline_colon(sent, index)
            self.resolver.note_sentence(sent)
        self.continuations()
        self.occasion_dates()
        self.claims.sort(key=lambda c: (c.start, c.end))
        return self.claims

    # -- helpers --------------------------------------------------------------------
    def inside_quote(self, offset: int) -> bool:
        return any(q.start <= offset < q.end for q in self.quotes)

    def quotes_in(self, start: int, end: int) -> list[QuoteSpan]:
        return [q for q in self.quotes if q.start < end and q.end > start]

    def add(self, claim: Claim) -> None:
        claim.start, claim.end = trim_span(self.text, claim.start, claim.end)
        if claim.end <= claim.start:
            return
        claim.quote = self.text[claim.start:claim.end]
        for other in self.claims:
            overlap = min(other.end, claim.end) - max(other.start, claim.start)
            if overlap > 0.8 * min(other.end - other.start, claim.end - claim.start):
                if other.speaker.name == claim.speaker.name or other.confidence >= claim.confidence:
                    return
        claim.confidence = CONFIDENCE.get(claim.pattern, 0.5)
        if claim.speaker.resolved_from == "pronoun":
            claim.confidence -= 0.15
        if claim.speaker.kind == "other":
            claim.confidence -= 0.1
        self.claims.append(claim)
        self.resolver.remember(claim.speaker)

    def span_of(self, tokens: list[Token], exclude_marks: bool = True) -> tuple[int, int] | None:
        if not tokens:
            return None
        tokens = sorted(tokens, key=lambda t: t.i)
        while tokens and tokens[0].dep_ == "mark" and tokens[0].lower_ in ("that", "whether", "if"):
            tokens = tokens[1:]
        if not tokens:
            return None
        start, end = tokens[0].idx, tokens[-1].idx + len(tokens[-1].text)
        start, end = trim_span(self.text, start, end)
        return (start, end) if end > start else None

    def kind_of(self, start: int, end: int) -> str:
        for q in self.quotes:
            if abs(q.start - start) <= 1 and abs(q.end - end) <= 2:
                return "direct"
        return "mixed" if has_quote_marks(self.text[start:end]) else "indirect"

    def subject_of(self, verb: Token) -> Token | None:
        node = verb
        for _ in range(4):
            for child in node.children:
                if child.dep_ == "nsubj":
                    return child
            if any(c.dep_ == "nsubjpass" for c in node.children):
                return None  # "it was said that": no speaker
            if node.dep_ in INHERIT_SUBJECT_DEPS and node.head is not node:
                node = node.head
            else:
                return None
        return None

    @staticmethod
    def date_opening(verb: Token, clause: Token, tokens: list[Token]) -> Span | None:
        """A date phrase that opens a reported clause right after its cue verb: the parser hangs "on
        Monday" in "said on Monday it would ..." on the clause, but news puts there when it was said."""
        phrase = date_phrase_for(clause)
        if phrase is None or phrase.start != min(t.i for t in tokens) or phrase.start != verb.i + 1:
            return None
        if phrase.end >= clause.i:
            return None  # the phrase is all there is before the verb of the clause: keep it
        return phrase

    def date_for(self, verb: Token) -> tuple[str | None, str | None]:
        node = verb
        for _ in range(3):
            phrase = date_phrase_for(node)
            if phrase is not None:
                return resolve_date(phrase.text, self.published, tense_preference(verb)), phrase.text
            if node.dep_ in INHERIT_SUBJECT_DEPS and node.head is not node:
                node = node.head
            else:
                break
        return None, None

    def target_of(self, verb: Token) -> Token | None:
        lemma = verb.lemma_.lower()
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
                        for p2 in pobj.children:
                            if p2.dep_ == "prep" and p2.lower_ == "to":
                                for obj in p2.children:
                                    if obj.dep_ == "pobj":
                                        return obj
        return None

    def target_of_claim(self, verb: Token) -> tuple[str | None, int | None, int | None, str | None]:
        """The addressee named in the sentence: (name, start, end, kind); never a guessed one."""
        tok = self.target_of(verb)
        if tok is None or tok.pos_ not in ("PROPN", "NOUN"):
            return None, None, None, None  # pronouns, numbers, determiners: no name to give
        span = mention_span(tok)
        name = clean_name(span.text, organisation=tok.ent_type_ == "ORG")
        kind = SPEAKER_KINDS.get(tok.ent_type_)
        if tok.ent_type_ in ("PERSON", "ORG") or tok.pos_ == "PROPN":
            full = self.resolver.full_name_for(name, span.start_char)
            if full != name:
                name, kind = full, "person"
        if kind is None and tok.pos_ == "PROPN":
            kind = "other"
        return name or None, span.start_char, span.end_char, kind

    def cue_text(self, verb: Token) -> tuple[str, int, int]:
        end_tok = verb
        lemma = verb.lemma_.lower()
        for child in verb.children:
            if child.dep_ in ("prep", "prt") and child.i == verb.i + 1 and (
                    child.lower_ in DIRECTIVE_PREPOSITIONS.get(lemma, ()) or
                    (lemma == "call" and child.lower_ == "for") or child.dep_ == "prt"):
                end_tok = child
        start = verb.idx
        end = end_tok.idx + len(end_tok.text)
        return self.text[start:end], start, end

    # -- rules ----------------------------------------------------------------------
    def cue_verb(self, verb: Token, sent: Span, index: int) -> None:
        subject = self.subject_of(verb)
        if subject is None or self.inside_quote(subject.idx):
            return
        lemma = verb.lemma_.lower()
        complements = [c for c in verb.children if c.dep_ in ("ccomp",)]
        infinitive = None
        if lemma in DIRECTIVE_VERBS:
            infinitive = next((c for c in verb.children if c.dep_ in ("xcomp", "advcl")
                               and any(a.lower_ == "to" and a.dep_ == "aux" for a in c.children)
                               and c.i > verb.i), None)
        call_for = None
        if lemma == "call":
            call_for = next((p for p in verb.children if p.dep_ == "prep" and p.lower_ == "for"
                             and p.i == verb.i + 1), None)
        sent_quotes = [q for q in self.quotes_in(sent.start_char, sent.end_char)
                       if not (q.start <= verb.idx < q.end) and len(self.text[q.start:q.end].split()) >= 1]

        content: tuple[int, int] | None = None
        said_on: Span | None = None
        pattern = "cue-clause"
        segments: list[tuple[int, int]] = []
        if infinitive is not None and not complements:
            tokens = list(infinitive.subtree)
            content = self.span_of(tokens)
            pattern = "directive"
        elif call_for is not None and not complements:
            pobj = next((c for c in call_for.children if c.dep_ == "pobj"), None)
            if pobj is not None:
                content = self.span_of(list(pobj.subtree))
                pattern = "directive"
        elif complements:
            tokens = [t for c in complements for t in c.subtree]
            said_on = self.date_opening(verb, complements[0], tokens)
            if said_on is not None:  # "said on Monday it would cut prices": when it was said, not what
                tokens = [t for t in tokens if t.i >= said_on.end and not (t.i == said_on.end and t.lower_ == "that")]
            if any(t.pos_ in ("VERB", "AUX") for t in tokens) and len(tokens) >= 2:  # a statement has a predicate
                content = self.span_of(tokens)
        content = self.clip_content(content, verb, subject)
        p_start, p_end = self.paragraph_of(verb.idx)
        sent_quotes = [q for q in sent_quotes if p_start <= q.open_mark < p_end]
        if content is not None and sent_quotes:
            # does a quotation carry the statement? then the claim is the quotation itself
            quoted = [q for q in sent_quotes if q.start < content[1] and q.end > content[0]]
            covered = sum(min(q.end, content[1]) - max(q.start, content[0]) for q in quoted)
            if quoted and covered >= 0.6 * (content[1] - content[0]):
                # the other quotations of the sentence belong to the same statement: '"A," she said, "B."'
                others = [q for q in sent_quotes if q not in quoted and q not in self.used_quotes
                          and len(self.text[q.start:q.end].split()) >= MIN_QUOTE_WORDS]
                segments = [(q.start, q.end) for q in quoted + others]
                for q in quoted + others:
                    self.used_quotes.add(q)
                pattern = "quote-cue"
        elif content is None and sent_quotes:
            long_quotes = [q for q in sent_quotes if len(self.text[q.start:q.end].split()) >= MIN_QUOTE_WORDS
                           and q not in self.used_quotes]
            if long_quotes:
                segments = [(q.start, q.end) for q in long_quotes]
                for q in long_quotes:
                    self.used_quotes.add(q)
                pattern = "quote-cue"
        if content is None and not segments and lemma == "call":
            predicate = self.called_what(verb)
            if predicate is not None:
                content = predicate
                pattern = "cue-object"
        if content is None and not segments and lemma in CHARGE_VERBS:
            charge = self.charged_with(verb, CHARGE_VERBS[lemma])
            if charge is not None:
                content = charge
                pattern = "cue-object"
        if content is None and not segments:
            before = self.quote_just_before(verb, sent)
            if before is not None:
                segments = [(before.start, before.end)]
                self.used_quotes.add(before)
                pattern = "quote-cue"
        if content is None and not segments:
            follow = self.quote_after_colon(verb, sent)
            if follow is not None:
                segments = [(follow.start, follow.end)]
                self.used_quotes.add(follow)
                pattern = "colon-quote"
        if content is None and not segments:
            return  # every cue needs something said: "called a meeting", "told a story" are not claims

        speaker = self.resolver.resolve(subject)
        if speaker is None:
            return
        target, t_start, t_end, t_kind = self.target_of_claim(verb)
        date, phrase = self.date_for(verb)
        if phrase is None and said_on is not None:
            date, phrase = resolve_date(said_on.text, self.published, tense_preference(verb)), said_on.text
        cue, cue_start, cue_end = self.cue_text(verb)
        if call_for is not None and pattern == "directive":
            cue, cue_start, cue_end = self.text[verb.idx:call_for.idx + len(call_for.text)], verb.idx, call_for.idx + len(call_for.text)
        if segments:
            parts = [trim_span(self.text, a, b) for a, b in sorted(segments)]
            parts = [(a, b) for a, b in parts if b > a]
            if not parts:
                return
            start, end, kind = parts[0][0], parts[-1][1], "direct"
        else:
            parts = []
            start, end = content
            kind = self.kind_of(start, end)
        self.add(Claim(start, end, self.text[start:end], speaker, cue, cue_start, cue_end, kind, pattern,
                       index, target, t_start, t_end, t_kind, date, phrase, "cue" if date else None,
                       segments=parts if len(parts) > 1 else []))

    def quote_just_before(self, verb: Token, sent: Span) -> QuoteSpan | None:
        """'"... are missing." Trump said.': the quotation closed just before a bare attribution sentence."""
        if any(t.dep_ in ("dobj", "ccomp", "xcomp") for t in verb.children) or verb.i - sent.start > 8:
            return None
        for q in self.quotes:
            if q in self.used_quotes or q.close_mark is None:
                continue
            if q.close_mark < sent.start_char and self.text[q.close_mark + 1:sent.start_char].strip() == "":
                if len(self.text[q.start:q.end].split()) >= MIN_QUOTE_WORDS:
                    return q
        return None

    def called_what(self, verb: Token) -> tuple[int, int] | None:
        """'X called Y a liar': the predicate said of the object is the claim, the object its target."""
        obj = next((c for c in verb.children if c.dep_ == "dobj"), None)
        predicate = next((c for c in verb.children if c.dep_ in ("oprd", "xcomp") and c.i > verb.i), None)
        if obj is None or predicate is None:
            return None
        tokens = list(predicate.subtree) + [t for c in verb.children if c.i > predicate.i and c.dep_ == "prep"
                                            for t in c.subtree]
        return self.span_of(tokens)

    def charged_with(self, verb: Token, preposition: str) -> tuple[int, int] | None:
        """'accused the agency of hiding the report' -> 'hiding the report' (the agency is the target)."""
        obj = next((c for c in verb.children if c.dep_ == "dobj"), None)
        if obj is None:
            return None
        for prep in list(verb.children) + list(obj.children):  # the parser hangs "of ..." on either
            if prep.dep_ == "prep" and prep.lower_ == preposition:
                objects = [c for c in prep.children if c.dep_ in ("pobj", "pcomp")]
                if objects:
                    return self.span_of([t for o in objects for t in o.subtree])
        return None

    def quote_after_colon(self, verb: Token, sent: Span) -> QuoteSpan | None:
        """'X said:' followed by a quotation (in the same sentence or the next paragraph)."""
        after = [t for t in sent if t.i > verb.i]
        colon = next((t for t in after if t.text == ":"), None)
        if colon is None:
            return None
        for q in self.quotes:
            if q in self.used_quotes:
                continue
            if colon.idx < q.open_mark <= colon.idx + 4 or (
                    sent.end_char <= q.open_mark <= sent.end_char + 4 and self.text[colon.idx + 1:q.open_mark].strip() == ""):
                return q
        return None

    def according_to(self, tok: Token, sent: Span, index: int) -> None:
        to = next((c for c in tok.children if c.lower_ == "to"), None)
        if to is None:
            return
        pobj = next((c for c in to.children if c.dep_ == "pobj"), None)
        if pobj is None:
            return
        phrase = sorted(list(tok.subtree), key=lambda t: t.i)
        p_start, p_end = phrase[0].i, phrase[-1].i + 1
        before = [t for t in sent if t.i < p_start]
        after = [t for t in sent if t.i >= p_end]
        tokens = before if len("".join(t.text_with_ws for t in before)) > len("".join(t.text_with_ws for t in after)) else after
        content = self.span_of([t for t in tokens if not t.is_space])
        if content is None or len(self.text[content[0]:content[1]].split()) < 3:
            return
        speaker = self.resolver.resolve(pobj)
        if speaker is None:
            return
        start, end = content
        self.add(Claim(start, end, self.text[start:end], speaker, self.text[tok.idx:to.idx + len(to.text)],
                       tok.idx, to.idx + len(to.text), self.kind_of(start, end), "according-to", index))

    def headline_colon(self, sent: Span, index: int) -> None:
        """'Bernie Sanders: I'm Not Much Of A Socialist': a named speaker, a colon, then what they said."""
        colon = next((t for t in sent[:10] if t.text == ":"), None)
        if colon is None or colon.i == sent.start or self.inside_quote(colon.idx):
            return
        head = sent.doc[sent.start:colon.i]
        if any(t.is_digit or t.like_num for t in head):
            return  # "11:40 am", "Step 1:"
        names = [e for e in entities_overlapping(sent.doc, head.start, head.end) if e.label_ in ("PERSON", "ORG")]
        if not names or names[-1].end != colon.i:
            return
        if any(t.pos_ not in ("PROPN", "NOUN", "ADJ", "DET", "PUNCT", "PART") for t in head):
            return
        after = [t for t in sent if t.i > colon.i and not t.is_space]
        if len(after) < MIN_QUOTE_WORDS:
            return
        content = self.span_of(after)
        if content is None or any(c.start <= content[0] < c.end for c in self.claims):
            return
        speaker = self.resolver.resolve(names[-1].root)
        if speaker is None:
            return
        start, end = content
        self.add(Claim(start, end, self.text[start:end], speaker, ":", colon.idx, colon.idx + 1,
                       self.kind_of(start, end), "headline-colon", index))

    def continuations(self) -> None:
        """Quotations that open a sentence after an attributed passage keep its speaker."""
        sentence_starts = {s.start_char for s in self.sentences}
        for q in self.quotes:
            if q in self.used_quotes or any(c.start <= q.start < c.end for c in self.claims):
                continue
            words = self.text[q.start:q.end].split()
            if len(words) < MIN_QUOTE_WORDS:
                continue
            at_sentence_start = q.open_mark in sentence_starts or q.open_mark - 1 in sentence_starts or any(
                self.text[q.open_mark - 2:q.open_mark].strip() == "" and q.open_mark in (p, p + 1)
                for p in self.paragraph_starts)
            if not at_sentence_start and q.open_mark not in self.paragraph_starts:
                continue
            previous = [c for c in self.claims if c.end <= q.open_mark + 1]
            if not previous:
                continue
            last = max(previous, key=lambda c: c.end)
            if self.paragraphs_between(last.end, q.start) > CONTINUATION_PARAGRAPHS - 1:
                continue
            if self.paragraphs_between(last.end, q.start) == 0 and last.kind == "direct":
                self.extend(last, q)  # '"A," she said. "B."': one quotation, split by its attribution
                continue
            index = self.sentence_index_at(q.start)
            claim = Claim(q.start, q.end, self.text[q.start:q.end], last.speaker, last.cue, last.cue_start,
                          last.cue_end, "direct", "continuation", index, last.target, last.target_start,
                          last.target_end, last.target_kind, last.date, last.date_phrase, "continuation" if last.date else None)
            self.used_quotes.add(q)
            self.add(claim)

    def extend(self, claim: Claim, q: QuoteSpan) -> None:
        start, end = trim_span(self.text, q.start, q.end)
        if end <= start:
            return
        claim.segments = (claim.segments or [(claim.start, claim.end)]) + [(start, end)]
        claim.end = end
        claim.quote = self.text[claim.start:claim.end]
        self.used_quotes.add(q)

    def paragraph_of(self, offset: int) -> tuple[int, int]:
        i = bisect_right(self.paragraph_starts, offset) - 1
        start = self.paragraph_starts[max(i, 0)]
        end = self.paragraph_starts[i + 1] if i + 1 < len(self.paragraph_starts) else len(self.text)
        return start, end

    def clip_content(self, content: tuple[int, int] | None, verb: Token, speaker: Token) -> tuple[int, int] | None:
        """Keep a statement inside its paragraph, off its own attribution, and without a dateline."""
        if content is None:
            return None
        start, end = content
        p_start, p_end = self.paragraph_of(verb.idx)
        start, end = max(start, p_start), min(end, p_end)
        mention = mention_span(speaker)
        attribution = (min(mention.start_char, verb.idx), max(mention.end_char, verb.idx + len(verb.text)))
        if start < attribution[0] < end and start < attribution[1] <= end:
            # the clause runs past "..., Sanders said, a policy that ...": keep the side before the attribution
            end = attribution[0]
        dateline = DATELINE.match(self.text, start, end)
        if dateline:
            start = dateline.end()
        start, end = trim_span(self.text, start, end)
        return (start, end) if end - start > 1 else None

    def paragraphs_between(self, a: int, b: int) -> int:
        return sum(1 for p in self.paragraph_starts if a < p <= b)

    def sentence_index_at(self, offset: int) -> int:
        for i, s in enumerate(self.sentences):
            if s.start_char <= offset < s.end_char:
                return i
        return len(self.sentences) - 1

    def occasion_dates(self) -> None:
        """'Wang made the remarks in a phone call on Saturday': date that speaker's nearby undated claims."""
        for index, sent in enumerate(self.sentences):
            root = sent.root
            if root.lemma_.lower() not in OCCASION_VERBS:
                continue
            occasion = any(t.lemma_.lower() in OCCASION_NOUNS for t in root.subtree)
            if not occasion:
                continue
            subject = next((c for c in root.children if c.dep_ == "nsubj"), None)
            if subject is None:
                continue
            phrase = self.occasion_phrase(root)
            if phrase is None:
                continue
            speaker = self.resolver.resolve(subject)
            if speaker is None:
                continue
            date = resolve_date(phrase.text, self.published, tense_preference(root))
            if date is None:
                continue
            for claim in self.claims:
                if (claim.date is None and claim.speaker.name == speaker.name
                        and abs(claim.sentence_index - index) <= OCCASION_WINDOW):
                    claim.date, claim.date_phrase, claim.date_source = date, phrase.text, "occasion"

    @staticmethod
    def occasion_phrase(root: Token) -> Span | None:
        for tok in root.subtree:
            if tok.pos_ in ("VERB", "NOUN"):
                phrase = date_phrase_for(tok)
                if phrase is not None:
                    return phrase
        return None
