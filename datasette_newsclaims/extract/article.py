"""One article as the rules see it, and the book of claims found in it.

`ArticleContext` is what every rule reads and none changes: the Doc, its text, quotations,
sentences, paragraphs, publication date and the settings. `ClaimBook` is the one owner of what
rules find: it adds claims (a passage is claimed once) and takes quotations (a quotation taken
for one claim is never given to another).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span, Token

from ..text import capitals_lines, furniture_lines, paragraphs
from ..vocabulary import UNNAMED
from .quotes import QuoteSpan, has_quote_marks, trim_span
from .records import Claim
from .speakers import Discourse, mention_span

# "CAMBRIDGE, Mass., Dec. 11 (UPI) — ", "WASHINGTON (AP) — ": a dateline, not part of any statement
DATELINE = re.compile(r"[A-Z][A-Z .'-]{2,}(?:,[^—–\n]{0,40})?\s*(?:\([^)\n]{1,30}\))?\s*[—–-]{1,2}\s+")
WORD = re.compile(r"\w+(?:['’]\w+)*")
MIN_STATEMENT_WORDS = 3  # fewer, and a statement needs its verb (ClaimBook.is_statement)
# a directive's, commitment's or charge's statement is a predicate and may be short: "urged them to act"
PREDICATE_PATTERNS = frozenset({"directive", "commissive", "cue-object", "cue-noun-phrase", "headline-cue"})
PRONOUN_PENALTY = 0.15  # a claim whose speaker is a resolved pronoun is less sure than its rule
UNNAMED_PENALTY = 0.1  # so is one whose speaker is no named entity ("officials", "the source")


@dataclass(frozen=True, kw_only=True)
class Settings:
    """The extraction's settings: the `newsclaims` component's config (see component.py)."""

    min_quote_words: int = 4  # shorter quotations are names, titles or scare quotes, not statements
    max_quote_chars: int = 5000  # a longer run between two quotation marks is stray marks, not a quotation
    continuation_paragraphs: int = 2  # how far a speaker carries over to an unattributed quotation
    occasion_window: int = 6  # sentences either side within which an occasion's date applies
    rules: tuple[str, ...] | None = None  # names of the rules that run (None: all)


class ArticleContext:
    """The parsed article and the lookups rules share. Read-only once built."""

    def __init__(self, doc: Doc, text: str, sentences: list[Span], quotes: list[QuoteSpan],
                 published: str | None, settings: Settings):
        self.doc = doc
        self.text = text  # doc.text
        self.sentences = sentences
        self.published = published
        self.settings = settings
        self.paragraph_starts = [s for s, _ in paragraphs(self.text)]
        self.furniture = furniture_lines(text)  # "READ MORE: …", "Story continues below advertisement"
        # no speaker, cue, quotation or fact is ever taken from a line of page furniture
        self.quotes = [q for q in quotes if not self.in_furniture(q.open_mark)]
        self.furniture_sentences = {i for i, s in enumerate(sentences) if self.in_furniture(s.start_char)}
        self.capitals = capitals_lines(text)  # wire headlines: "LAWSON SAYS STERLING COMMENTS INSIGNIFICANT"
        self.headline_end = headline_end(text, self.paragraph_starts)

    def in_capitals(self, offset: int) -> bool:
        return bool(self.capitals) and any(a <= offset < b for a, b in self.capitals)

    def as_written(self, name: str) -> tuple[str, int] | None:
        """A name read from a line in capitals as the article writes it elsewhere, and where ("LAWSON" ->
        "Lawson", "USDA" -> "USDA"); None when only capitals lines have it: a headline's words are no name."""
        if not name.split():
            return None
        pattern = re.compile(r"(?<!\w)" + r"\s+".join(map(re.escape, name.split())) + r"(?!\w)", re.I)
        for match in pattern.finditer(self.text):
            if not self.in_capitals(match.start()):
                return match.group(0), match.start()
        return None

    def in_furniture(self, offset: int) -> bool:
        return bool(self.furniture) and any(a <= offset < b for a, b in self.furniture)

    # -- quotations ---------------------------------------------------------------------
    def inside_quote(self, offset: int) -> bool:
        return any(q.start <= offset < q.end for q in self.quotes)

    def opened_before(self, offset: int) -> bool:
        """Whether a quotation mark of `offset`'s paragraph is open before it: the sentence is quoted words,
        whether or not the marks paired into a quotation (one left open at a paragraph's end is)."""
        start = self.paragraph_of(offset)[0]
        text = self.text
        depth = 0
        for i in range(start, offset):
            ch = text[i]
            if ch == '"':  # straight: opening after a space and before a word, else closing
                ch = "“" if (i == start or text[i - 1].isspace() or text[i - 1] in "([") and (
                    i + 1 < len(text) and not text[i + 1].isspace()) else "”"
            if ch == "“":
                depth = 1  # a quotation reopened without its close ('... friends. "I would ...') is one
            elif ch == "”":
                depth = 0
        return depth > 0

    def quote_opened_after(self, offset: int) -> QuoteSpan | None:
        """The quotation whose mark opens within three characters after `offset` (a colon's): ': "We will ..."'."""
        return next((q for q in self.quotes if offset < q.open_mark <= offset + 3), None)

    def quotes_in(self, start: int, end: int) -> list[QuoteSpan]:
        return [q for q in self.quotes if q.start < end and q.end > start]

    def words(self, quote: QuoteSpan) -> int:
        return len(self.text[quote.start:quote.end].split())

    def is_statement(self, quote: QuoteSpan) -> bool:
        """Long enough to be something said rather than a name or a scare quote."""
        return self.words(quote) >= self.settings.min_quote_words

    def kind_of(self, start: int, end: int) -> str:
        """direct when the span is a quotation, mixed when it holds quoted words, else indirect."""
        for q in self.quotes:
            if abs(q.start - start) <= 1 and abs(q.end - end) <= 2:
                return "direct"
        return "mixed" if has_quote_marks(self.text[start:end]) else "indirect"

    # -- paragraphs and sentences --------------------------------------------------------
    def paragraph_of(self, offset: int) -> tuple[int, int]:
        i = bisect_right(self.paragraph_starts, offset) - 1
        start = self.paragraph_starts[max(i, 0)]
        end = self.paragraph_starts[i + 1] if i + 1 < len(self.paragraph_starts) else len(self.text)
        return start, end

    def paragraphs_between(self, a: int, b: int) -> int:
        """Paragraphs that start between two offsets; furniture lines between them do not count."""
        return sum(1 for p in self.paragraph_starts if a < p <= b and not self.in_furniture(p))

    def sentence_index_at(self, offset: int) -> int:
        for i, s in enumerate(self.sentences):
            if s.start_char <= offset < s.end_char:
                return i
        return len(self.sentences) - 1

    # -- spans -----------------------------------------------------------------------------
    def span_of(self, tokens: list[Token]) -> tuple[int, int] | None:
        """The character span of some tokens, without a leading 'that'/'whether'/'if' or the
        spaces and punctuation at its ends."""
        if not tokens:
            return None
        tokens = sorted(tokens, key=lambda t: t.i)
        while tokens and tokens[0].lower_ in ("that", "whether", "if") and (
                tokens[0].dep_ == "mark" or tokens[0].lower_ == "that" and tokens[0].dep_ == "dobj"):
            tokens = tokens[1:]  # the complementiser, however the parser hung it ("told the paper that ...")
        while tokens and (tokens[-1].dep_ == "cc" or tokens[-1].is_punct):
            tokens = tokens[:-1]  # "said prices would rise but noted ...": not the "but"
        if not tokens:
            return None
        start, end = trim_span(self.text, tokens[0].idx, tokens[-1].idx + len(tokens[-1].text))
        return (start, end) if end > start else None

    def past_dateline(self, subject: Token) -> Token | None:
        """'ORLANDO, Fla. (Reuters) — President Barack Obama ... said': the parser takes the dateline for the
        subject and hangs the speaker on it in apposition. The speaker after the dateline, else no one."""
        p_start = self.paragraph_of(subject.idx)[0]
        dateline = DATELINE.match(self.text, p_start)
        if dateline is None or subject.idx >= dateline.end():
            return subject
        after = [c for c in subject.children if c.dep_ == "appos" and c.idx >= dateline.end()]
        after += [c for c in subject.head.children if c.dep_ == "nsubj" and c.idx >= dateline.end()]
        return after[0] if after else None  # or a second subject the parser gave the verb

    def clip_statement(self, span: tuple[int, int] | None, verb: Token, speaker: Token) -> tuple[int, int] | None:
        """Keep a statement inside its paragraph, off its own attribution, and without a dateline."""
        if span is None:
            return None
        start, end = span
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
        if len(re.findall(r"\w+", self.text[start:end])) < 2:
            return None  # "which" of "The plan, which she said was costly, ...": not a statement
        return (start, end)


HEADLINE_WORDS = 20


def headline_end(text: str, paragraph_starts: list[int]) -> int:
    """Where the article's headline ends: its first paragraph, when more follow and it reads as a headline
    (at most twenty words, not ending like a sentence: "MPs demand inquiry into hospital deaths"); else 0."""
    if len(paragraph_starts) < 2:
        return 0
    first = text[paragraph_starts[0]:paragraph_starts[1]].strip()
    if not first or len(first.split()) > HEADLINE_WORDS or first[-1] in ".!?\"”’'":
        return 0
    return paragraph_starts[0] + len(text[paragraph_starts[0]:paragraph_starts[1]].rstrip())


def nested_source(inner: Claim, outer: Claim) -> bool:
    """'X said that Tom Hale told her Z': a claim inside another's statement stands on its own when a
    named person or organisation, other than the outer speaker, said it in a clause; an unnamed one
    ('Aides could not tell ..., she stressed') or a directive is part of the outer statement."""
    inside = outer.start <= inner.start and inner.end <= outer.end and (inner.start, inner.end) != (
        outer.start, outer.end)
    return (inside and inner.speaker.kind in ("person", "organisation") and inner.speaker.resolved_from is None
            and inner.pattern == "cue-clause" and inner.speaker.name != outer.speaker.name)


def holds_statement_noun(outer: Claim, inner: Claim) -> bool:
    """'The mayor rejected their claim that the budget was short': the object of the cue is another's
    statement, a claim of its own; rejecting it is the mayor's."""
    return (outer.pattern == "cue-noun-phrase" and inner.pattern == "noun-cue"
            and outer.start <= inner.start and inner.end <= outer.end
            and outer.end - outer.start > inner.end - inner.start)


@dataclass
class ClaimBook:
    """The claims of one article, and the quotations already given to one."""

    context: ArticleContext
    discourse: Discourse
    claims: list[Claim] = field(default_factory=list)
    taken: set[QuoteSpan] = field(default_factory=set)

    def is_taken(self, quote: QuoteSpan) -> bool:
        return quote in self.taken

    def take(self, quotes) -> None:
        """Quotations a rule has found a statement in: no later rule gives them to anyone else, even
        when no claim comes of it (an attribution whose speaker cannot be named)."""
        self.taken.update(quotes)

    def covers(self, offset: int) -> bool:
        return any(c.start <= offset < c.end for c in self.claims)

    def add(self, claim: Claim) -> bool:
        """Add a claim unless its span is empty or mostly claimed already (the first claim over a passage
        wins). Its confidence is its rule's, less a penalty for a pronoun or unnamed speaker."""
        text = self.context.text
        claim.start, claim.end = trim_span(text, claim.start, claim.end)
        if claim.end <= claim.start:
            return False
        if claim.segments:  # the parts stay inside the span as trimmed
            claim.segments = [(max(a, claim.start), min(b, claim.end)) for a, b in claim.segments
                              if min(b, claim.end) > max(a, claim.start)]
        claim.quote = text[claim.start:claim.end]
        if claim.pattern not in PREDICATE_PATTERNS and not self.is_statement(claim):
            return False
        for other in self.claims:
            overlap = min(other.end, claim.end) - max(other.start, claim.start)
            mostly_claimed = overlap > 0.8 * min(other.end - other.start, claim.end - claim.start)
            if mostly_claimed and not nested_source(claim, other) and not holds_statement_noun(claim, other):
                return False
        if claim.speaker.resolved_from == "pronoun":
            claim.confidence -= PRONOUN_PENALTY
        if claim.speaker.kind == UNNAMED:
            claim.confidence -= UNNAMED_PENALTY
        self.claims.append(claim)
        self.discourse.spoke(claim.speaker)
        return True

    def is_statement(self, claim: Claim) -> bool:
        """Three words or more, or a clause with its verb ("profits fell"): "which", "not to be named" and
        "Not yet" are no statement a reader could check."""
        if len(WORD.findall(claim.quote)) >= MIN_STATEMENT_WORDS:
            return True
        span = self.context.doc.char_span(claim.start, claim.end, alignment_mode="expand")
        return span is not None and any(t.pos_ in ("VERB", "AUX") and t.tag_ != "VBG" for t in span)

    def extend(self, claim: Claim, quote: QuoteSpan) -> None:
        """'"A," she said. "B."': the quotation after the attribution joins the claim as a segment."""
        start, end = trim_span(self.context.text, quote.start, quote.end)
        if end <= start:
            return
        claim.segments = (claim.segments or [(claim.start, claim.end)]) + [(start, end)]
        claim.end = end
        claim.quote = self.context.text[claim.start:claim.end]
        self.take([quote])

    def in_order(self) -> list[Claim]:
        return sorted(self.claims, key=lambda c: (c.start, c.end))
