"""Claims: who said what, to whom and when, from the dependency parse and the quotation marks.

`ClaimFinder` reads an article once, sentence by sentence. At each cue verb outside any quotation
with a subject, the cue rules (rules.py) are tried in order and the first statement found becomes a
claim: the subject is resolved to a speaker, the verb gives the cue, the addressee and the time
phrase. Words and sentences go to their own rules; the document rules run last. A complement that
is a quotation is direct, one that holds quoted words mixed, the rest indirect.
"""

from __future__ import annotations

from dataclasses import replace

from spacy.tokens import Span, Token

from ..vocabulary import slug
from .article import ArticleContext, ClaimBook
from .cues import CueContext, is_cue_verb, is_venue, outlet_named, subject_of, target_of, venue_of
from .lexicon import NOUN_PHRASE_ONLY_VERBS
from .quotes import trim_span
from .records import Claim, Target
from .rules import CUE_RULES, DOCUMENT_RULES, SENTENCE_RULES, WORD_RULES, Directive, NounPhraseObject, Statement
from .speakers import Discourse, NameIndex, SpeakerResolver, clean_name


def depth(tok: Token) -> int:
    """How many words a token hangs under in its sentence's parse."""
    n = 0
    while tok.head.i != tok.i and n < 100:
        tok, n = tok.head, n + 1
    return n


class ClaimFinder:
    """Finds the claims of one parsed article."""

    def __init__(self, article: ArticleContext, names: NameIndex):
        self.article = article
        self.names = names
        self.discourse = Discourse(names)
        self.resolver = SpeakerResolver(article.doc, names, self.discourse, headlines=article)
        self.book = ClaimBook(article, self.discourse)
        enabled = article.settings.rules

        def pick(rules):
            return rules if enabled is None else tuple(r for r in rules if r.name in enabled)

        self.cue_rules, self.word_rules = pick(CUE_RULES), pick(WORD_RULES)
        self.sentence_rules, self.document_rules = pick(SENTENCE_RULES), pick(DOCUMENT_RULES)

    def run(self) -> list[Claim]:
        article, book = self.article, self.book
        for index, sent in enumerate(article.sentences):
            if index in article.furniture_sentences:
                continue  # page furniture: "Story continues below advertisement" is nobody's claim
            cues = []
            for tok in sent:
                if article.inside_quote(tok.idx):
                    continue
                for rule in self.word_rules:
                    self.claim(rule.find(tok, sent, article, book), index)
                if is_cue_verb(tok):
                    cues.append(tok)
            # the outermost speech act first: in "Aides could not tell the donors how much to give, she
            # stressed" the statement is hers; an inner one stays only if a named source said it
            for tok in sorted(cues, key=lambda t: (depth(t), t.i)):
                self.at_cue(tok, sent, index)
            for rule in self.sentence_rules:
                self.claim(rule.find(sent, article, book), index)
            if not article.in_capitals(sent.start_char):  # a headline's words are nobody "it" refers to
                self.discourse.note_sentence(sent)
        for rule in self.document_rules:
            rule.apply(article, book, self.resolver)
        return book.in_order()

    def at_cue(self, verb: Token, sent: Span, index: int) -> None:
        subject = subject_of(verb)
        if subject is not None:
            subject = self.article.past_dateline(subject)
        if subject is None or self.article.inside_quote(subject.idx):
            return
        cue = CueContext(verb, subject, sent, index, self.article, self.book)
        rules = self.cue_rules
        if cue.lemma in NOUN_PHRASE_ONLY_VERBS:
            rules = tuple(r for r in rules if isinstance(r, NounPhraseObject))
        statement = next((s for s in (rule.find(cue) for rule in rules) if s is not None), None)
        if statement is None:
            return  # every cue needs something said: "called a meeting", "told a story" are not claims
        self.book.take(statement.quotes)
        speaker = self.resolver.resolve(subject)
        if speaker is None:
            return
        span = self.span(statement)
        if span is None:
            return
        start, end, segments = span
        target, venue = self.addressee(verb)
        if target is not None and is_same_name(target.name, speaker.name):
            target = None  # "China told China": an apposition or a repeated subject read as the addressee
        if target is not None and start <= target.start and target.end <= end:
            target = None  # "demanded an inquiry": what was said is no addressee
        self.book.add(Claim(
            start=start, end=end, quote=self.article.text[start:end], speaker=speaker,
            cue=cue.cue(directive=isinstance(statement.rule, Directive)),
            kind="direct" if statement.quotes else self.article.kind_of(start, end),
            pattern=statement.rule.pattern, confidence=statement.rule.confidence, sentence_index=index,
            target=target, venue=venue, said_on=cue.said_on_phrase(),
            segments=segments))

    def addressee(self, verb: Token) -> tuple[Target | None, Target | None]:
        """(target, venue) of a cue: whom it addresses, and where it was said ("told Reuters", "told a
        news conference", "said at a hearing" are venues). A name read from a headline in capitals is
        taken only as the article writes it elsewhere."""
        target = target_of(verb, self.names, self.resolver.pronoun)
        if target is not None and self.article.in_capitals(target.start):
            written = self.article.as_written(target.name)
            target = replace(target, name=written[0]) if written else None
        span = self.article.doc.char_span(target.start, target.end, alignment_mode="expand") if target else None
        if span is not None and is_venue(span.root, target.name):
            venue = replace(target, name=clean_name(target.name, indefinite=True), kind=None)
            named = outlet_named(venue, self.names) if span[0].lower_ == "the" else None
            return None, named or venue
        return target, venue_of(verb)

    def claim(self, statement: Statement | None, index: int) -> None:
        """A claim from a rule that names its own speaker and cue (no cue verb, no target, no date)."""
        if statement is None:
            return
        speaker = self.resolver.resolve(statement.speaker)
        if speaker is None:
            return
        if statement.mention is not None:  # "TAPPER:" names the one the article writes "Jake Tapper"
            a, b = statement.mention
            speaker = replace(speaker, mention=self.article.text[a:b], start=a, end=b)
        start, end = statement.span
        self.book.add(Claim(start=start, end=end, quote=self.article.text[start:end], speaker=speaker,
                            cue=statement.cue, kind=self.article.kind_of(start, end),
                            pattern=statement.rule.pattern, confidence=statement.rule.confidence,
                            sentence_index=index))

    def span(self, statement: Statement) -> tuple[int, int, list[tuple[int, int]]] | None:
        """(start, end, segments) of a statement: its quotations from the first to the last (segments
        when there are several), else its span."""
        if not statement.quotes:
            return (*statement.span, list(statement.segments))
        text = self.article.text
        parts = [trim_span(text, q.start, q.end) for q in sorted(statement.quotes, key=lambda q: (q.start, q.end))]
        parts = [(a, b) for a, b in parts if b > a]
        if not parts:
            return None
        return parts[0][0], parts[-1][1], parts if len(parts) > 1 else []


def is_same_name(one: str, other: str) -> bool:
    """The same name, or one the end of the other ("Kilroy-Silk" and "Robert Kilroy-Silk")."""
    a, b = slug(one).split("-"), slug(other).split("-")
    shorter, longer = sorted((a, b), key=len)
    return longer[len(longer) - len(shorter):] == shorter
