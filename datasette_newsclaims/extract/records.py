"""What extraction produces: plain records with named fields, no spaCy objects inside.

A `Claim` is who (`Speaker`) said what (its quote span) through which words (`Cue`), to whom
(`Target`) and when (`said_on`, a `DatePhrase`). `Claim.as_dict` is the `newsclaims extract`
contract; its keys are listed once, with the columns that store them, in `vocabulary.CLAIM_FIELDS`.
Every offset is a Python string index into the article's text.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(kw_only=True)
class Cue:
    """The words that introduce a claim: "said", "called on", "according to", a headline's colon."""

    text: str
    start: int
    end: int


@dataclass(kw_only=True)
class Speaker:
    name: str  # canonical: "Wang Yi" for "Wang", "he" and "Chinese Foreign Minister Wang Yi"
    mention: str  # the words in the text
    start: int
    end: int
    kind: str  # person, organisation, place, unnamed (vocabulary.UNNAMED)
    role: str | None = None  # "Chinese Foreign Minister", "spokesman"
    # "pronoun", "organisation", "spokesperson", "headline" (a name in capitals, as the article writes it
    # elsewhere) when the name is not the mention itself
    resolved_from: str | None = None


@dataclass(kw_only=True)
class Target:
    """The addressee named in the sentence ("urged the US", "accused it"), never a guessed one; the same
    record holds a claim's venue ("told reporters", "at a news conference"; kind None)."""

    name: str
    start: int
    end: int
    kind: str | None  # person, organisation, place, unnamed; None for a common noun


@dataclass(kw_only=True)
class DatePhrase:
    """When something was said: the phrase in the text and the day it resolves to (None when it names none)."""

    phrase: str
    day: str | None  # YYYY-MM-DD
    source: str | None = None  # "cue" (the verb's own phrase), "occasion", "continuation"; None without a day


@dataclass(kw_only=True)
class Claim:
    start: int  # the quote's span; for a quotation split by its attribution, from the first part to the last
    end: int
    quote: str
    speaker: Speaker
    cue: Cue
    kind: str  # direct, indirect, mixed
    pattern: str  # the family of the rule that found it ("quote-cue", "cue-clause", ...), as stored
    confidence: float
    sentence_index: int
    target: Target | None = None
    venue: Target | None = None  # where it was said, not to whom: "told Reuters", "at a news conference"
    said_on: DatePhrase | None = None
    topics: list[tuple[str, str]] = field(default_factory=list)  # (name, kind)
    # '"A," she said, "B."' is one claim whose quote runs from A to B; segments are the quoted parts alone
    segments: list[tuple[int, int]] = field(default_factory=list)

    def shift(self, offset: int, sentences: int) -> None:
        """Move every offset by `offset` characters and the sentence index by `sentences`."""
        self.start, self.end = self.start + offset, self.end + offset
        self.speaker.start, self.speaker.end = self.speaker.start + offset, self.speaker.end + offset
        self.cue.start, self.cue.end = self.cue.start + offset, self.cue.end + offset
        for part in (self.target, self.venue):
            if part is not None:
                part.start, part.end = part.start + offset, part.end + offset
        self.segments = [(a + offset, b + offset) for a, b in self.segments]
        self.sentence_index += sentences

    def as_dict(self) -> dict:
        """The claim as `newsclaims extract` prints it (keys in the order of vocabulary.CLAIM_FIELDS)."""
        target, venue, said_on = self.target, self.venue, self.said_on
        return {
            "quote": self.quote, "start": self.start, "end": self.end,
            "speaker": self.speaker.name, "speaker_mention": self.speaker.mention,
            "speaker_start": self.speaker.start, "speaker_end": self.speaker.end,
            "speaker_kind": self.speaker.kind, "speaker_role": self.speaker.role,
            "cue": self.cue.text, "cue_start": self.cue.start, "cue_end": self.cue.end,
            "target": target.name if target else None, "target_start": target.start if target else None,
            "target_end": target.end if target else None, "target_kind": target.kind if target else None,
            "venue": venue.name if venue else None, "venue_start": venue.start if venue else None,
            "venue_end": venue.end if venue else None,
            "date": said_on.day if said_on else None, "date_phrase": said_on.phrase if said_on else None,
            "date_source": said_on.source if said_on else None,
            "kind": self.kind, "pattern": self.pattern, "confidence": round(self.confidence, 2),
            "sentence_index": self.sentence_index,
            "segments": [list(seg) for seg in self.segments] or [[self.start, self.end]],
            "topics": [name for name, _ in self.topics],
        }


@dataclass(kw_only=True)
class Fact:
    """A checkable statement in the article's own voice, with a quantity or a dated event."""

    start: int
    end: int
    text: str
    sentence_index: int
    value: str | None = None  # the quantities, "; "-joined
    date: str | None = None  # the day the sentence's date phrase resolves to
    date_phrase: str | None = None
    entities: list[str] = field(default_factory=list)

    def shift(self, offset: int, sentences: int) -> None:
        self.start, self.end = self.start + offset, self.end + offset
        self.sentence_index += sentences

    def as_dict(self) -> dict:
        return {"text": self.text, "start": self.start, "end": self.end, "sentence_index": self.sentence_index,
                "value": self.value, "date": self.date, "date_phrase": self.date_phrase,
                "entities": self.entities}


@dataclass(kw_only=True)
class Sentence:
    index: int
    start: int
    end: int
    text: str


@dataclass(kw_only=True)
class Extraction:
    """Everything found in one article (or one part of a long one)."""

    sentences: list[Sentence] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)
    facts: list[Fact] = field(default_factory=list)

    def claims_as_dicts(self) -> list[dict]:
        return [c.as_dict() for c in self.claims]

    @classmethod
    def merge(cls, parts: list[tuple[int, Extraction]]) -> Extraction:
        """Join the extractions of consecutive parts of one text (a very long article parsed in pieces),
        moving every offset by where its part starts and renumbering sentences."""
        merged = cls()
        for offset, part in parts:
            first = len(merged.sentences)
            for s in part.sentences:
                merged.sentences.append(Sentence(index=s.index + first, start=s.start + offset,
                                                 end=s.end + offset, text=s.text))
            for c in part.claims:
                c.shift(offset, first)
                merged.claims.append(c)
            for f in part.facts:
                f.shift(offset, first)
                merged.facts.append(f)
        return merged
