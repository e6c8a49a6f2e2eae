"""Who is speaking: the mention in the text, its canonical name, role and kind.

One canonical name per person per article: "Chinese Foreign Minister Wang Yi",
"Wang Yi" and "Wang" all become "Wang Yi", with "Chinese Foreign Minister"
kept as the role. Pronouns go to the nearest compatible earlier speaker or
person; "the ministry" and "the company" go to the organisation they refer
back to; "a Texaco spokesman" is Texaco speaking, with "spokesman" as the role.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Protocol

from spacy.tokens import Doc, Span, Token

from ..vocabulary import UNNAMED
from .entities import entities_overlapping, entity_at
from .lexicon import (
    COLLECTIVE_NOUNS,
    COMPANY_NOUNS,
    DETERMINERS,
    DOCUMENT_NOUNS,
    FIRST_PERSON,
    GROUP_PRONOUNS,
    NOT_THE_SAME,
    PEOPLE_NOUNS,
    PERSON_PRONOUNS,
    PUBLIC_BODY_WORDS,
    SPEAKER_KINDS,
    SPOKESPERSON_NOUNS,
    THING_PRONOUNS,
    TITLE_WORDS,
)
from .records import Speaker


class Headlines(Protocol):
    """Where the article has lines in capitals, and how it writes a name elsewhere (ArticleContext)."""

    def in_capitals(self, offset: int) -> bool: ...

    def as_written(self, name: str) -> tuple[str, int] | None: ...


MENTION_DEPS = frozenset({"compound", "amod", "det", "poss", "nmod", "nummod", "case", "flat", "quantmod",
                          "prep", "pobj", "conj", "cc", "punct", "appos", "npadvmod", "advmod"})
MENTION_PREPS = frozenset({"of", "for", "at", "from", "with", "in"})
NEAR = 3000  # characters: how far back a pronoun or "the company" may look for what it refers to
HONORIFICS = re.compile(r"^(?:mr|mrs|ms|miss|dr|sen|rep|gov|gen|prof|sir|lady|lord)\.?\s+", re.I)


def mention_span(head: Token) -> Span:
    """The noun phrase of a speaker, without relative clauses, asides or appositions after a comma."""
    doc = head.doc
    keep = {head.i}
    stack = [head]
    while stack:
        tok = stack.pop()
        for child in tok.children:
            if child.dep_ not in MENTION_DEPS:
                continue
            if child.dep_ == "prep" and (child.lower_ not in MENTION_PREPS or
                                         not any(g.dep_ == "pobj" for g in child.children)):
                continue  # "spokesman for the ministry" is a name; "the agency of hiding ..." is not
            if child.dep_ in ("appos", "punct", "npadvmod") and child.i > head.i:
                continue
            keep.add(child.i)
            stack.append(child)
    start, end = min(keep), max(keep) + 1
    # never run past a comma, dash or parenthesis that opens an aside after the head
    for i in range(head.i + 1, end):
        if doc[i].is_punct and doc[i].text in ",;:()—–-\"“”" and doc[i].text != "-":
            end = i
            break
    # nor start before one that closes an earlier clause
    for i in range(head.i - 1, start - 1, -1):
        if doc[i].is_punct and doc[i].text in ",;:()—–\"“”":
            start = i + 1
            break
    # nor cross a line break, nor begin with a clock time ("12:15 p.m.\n\nWith her husband")
    for i in range(head.i - 1, start - 1, -1):
        if doc[i].is_space and "\n" in doc[i].text or doc[i].ent_type_ == "TIME":
            start = i + 1
            break
    for i in range(head.i + 1, end):
        if doc[i].is_space and "\n" in doc[i].text:
            end = i
            break
    while start < end and (doc[start].is_punct or doc[start].is_space):
        start += 1
    while end > start and (doc[end - 1].is_punct or doc[end - 1].is_space):
        end -= 1
    return doc[start:end]


def clean_name(text: str, indefinite: bool = False, organisation: bool = False) -> str:
    """The name without spacing runs, a possessive ending or a leading "the" (or "a"/"an" too, for
    descriptions: "a company spokesman" -> "company spokesman"); an organisation's without its legal
    form ("Texaco Inc" and "Texaco" are one speaker)."""
    lines = [line for line in text.split("\n") if line.strip()]
    text = lines[-1] if lines else text  # the tagger ran a headline into the text: "COMPONENTS\n\nMicrosemi"
    text = re.sub(r"\s+", " ", text).strip()
    text = TICKER.sub("", text).strip("<> ")  # "NCR Corp <NCR>", "Benetton Group <BTOM.MI"
    text = re.sub(r"(?:'s|’s|'|’)$", "", text).strip()
    text = re.sub(r"^(?:the|an?)\s+" if indefinite else r"^the\s+", "", text, flags=re.I)
    return (LEGAL_FORM.sub("", text) or text) if organisation else text


TICKER = re.compile(r"\s*<[A-Z0-9.]+(?:>|$)")  # a stock symbol in angle brackets, as wire copy gives them
# "Inc", "Corp.", ", Ltd", "& Co", "PLC" at the end of a name that has other words before them
LEGAL_FORM = re.compile(r"(?<=\w)(?:,?\s+(?:&\s+)?(?:(?i:inc|corp|ltd|plc|llc|gmbh|bhd|pty)|Co|CO|Cos|COS|AG|SA|"
                        r"S\.A|NV|N\.V|SpA|SPA|Ltda)\.?)+$")


def person_name(text: str) -> tuple[str, str | None]:
    """A person's name without honorific or leading title, and the title: 'President Reagan' ->
    ('Reagan', 'President'), 'Mr Blair' -> ('Blair', None). A title is a role, never part of the name,
    so that "President Reagan" and "Ronald Reagan" can be one speaker across a corpus."""
    words = clean_name(HONORIFICS.sub("", text)).split()
    title = []
    while len(words) > 1 and words[0].strip(".").lower() in TITLE_WORDS and words[0][:1].isupper():
        title.append(words.pop(0))
    return " ".join(words), " ".join(title) or None


def is_body(mention: str) -> bool:
    """'the company', 'the ministry': an unnamed organisation that 'it' can refer back to."""
    words = mention.lower().split()
    return bool(words) and words[-1] in COMPANY_NOUNS | PUBLIC_BODY_WORDS


def is_document(mention: str) -> bool:
    """'The statement', 'the report': a text that speaks, which 'it' can refer back to ('The statement said on
    Sunday ... It said ...')."""
    words = mention.lower().split()
    return bool(words) and words[-1] in DOCUMENT_NOUNS


def is_business_name(name: str) -> bool:
    """'Allegheny International Inc', 'Reynolds Metals Co', 'Benetton Group': a firm by its legal form or
    its last word, whatever the tagger called it."""
    words = name.split()
    return bool(LEGAL_FORM.search(name)) or (len(words) > 1 and words[-1].lower() in COMPANY_NOUNS | {"group"})


def is_generic_source(span: Span) -> bool:
    """People described, not named: a noun for people ('U.S. officials', 'the ABN economist', 'a senior
    trade official'), or a collective one that is plural or indefinite ('Tokyo dealers', 'a team of
    researchers')."""
    root = span.root
    lemma = root.lemma_.lower()
    if lemma in PEOPLE_NOUNS or root.lower_ in PEOPLE_NOUNS:
        return True
    if lemma not in COLLECTIVE_NOUNS and root.lower_ not in COLLECTIVE_NOUNS:
        return False
    determiners = [t.lower_ for t in root.children if t.dep_ in ("det", "nummod")]
    return root.tag_ in ("NNS", "NNPS") or not determiners or determiners[0] in ("a", "an", "one", "some")


def looks_like_business(name: str) -> bool:
    """A name 'the company' can refer to: not a public body, and a name rather than a phrase the
    tagger took for one ('EdF chief financial officer')."""
    words = name.split()
    lowercase = [w for w in words if w.islower() and w not in ("of", "and", "&", "de", "for", "the")]
    return bool(words) and not lowercase and not PUBLIC_BODY_WORDS & {w.lower() for w in words}


def _entity_in(span: Span, labels: tuple[str, ...]) -> Span | None:
    # an entity may stick out of the mention a little ("Jen Psaki's")
    ents = [e for e in entities_overlapping(span.doc, span.start, span.end) if e.label_ in labels]
    if not ents:
        return None
    # the entity that contains the head of the mention, else the last one
    head = span.root
    for e in ents:
        if e.start <= head.i < e.end:
            return e
    return ents[-1]


class NameIndex:
    """The names an article gives in full, fixed once the Doc is parsed: what a surname, a title +
    surname or "the ministry" stands for. Topics, facts and targets read it; it never changes."""

    def __init__(self, doc: Doc, skip: list[tuple[int, int]] = ()):
        """`skip`: (start, end) of lines whose names are not taken (headlines in capitals)."""
        self.full_names: list[tuple[int, str]] = []  # (offset, name) of every multi-word person name
        self.orgs: list[tuple[int, str]] = []  # (offset, name) of every organisation
        for ent in doc.ents:
            if skip and any(a <= ent.start_char < b for a, b in skip):
                continue
            if ent.label_ == "PERSON":
                name = person_name(ent.text)[0]
                if len(name.split()) >= 2 and not is_business_name(name):  # "John Labatt Ltd" is a firm
                    self.full_names.append((ent.start_char, name))
            elif ent.label_ == "ORG":
                self.orgs.append((ent.start_char, clean_name(ent.text, organisation=True)))

    def full_name_for(self, name: str, offset: int) -> str:
        """'Wang' -> 'Wang Yi' when the article names him in full; nearest earlier mention first."""
        words = name.split()
        if not words:
            return name
        candidates = [(o, full) for o, full in self.full_names if full != name and _extends(full, words)]
        if not candidates:
            return name
        before = [c for c in candidates if c[0] <= offset]
        chosen = max(before) if before else min(candidates)
        return chosen[1]

    def organisations_named(self, word: str, before: int) -> list[tuple[int, str]]:
        """Organisations named before `before` with `word` in their name: 'ministry' -> 'Foreign Ministry'."""
        return [(o, name) for o, name in self.orgs if o < before and word in name.lower().split()]


def _extends(full: str, words: list[str]) -> bool:
    parts = full.split()
    if len(words) >= len(parts):
        return False
    n = len(words)
    return parts[-n:] == words or parts[:n] == words


def is_one_person(speaker: Speaker) -> bool:
    """'a spokesman for the ministry', 'a senior official': one person described, whom 'he' or 'she' can
    refer back to (not 'officials', not 'the ministry')."""
    if speaker.kind != UNNAMED or speaker.resolved_from is not None:
        return False
    words = re.findall(r"[\w-]+", speaker.mention.lower())
    head = next((w for w in words if w in PEOPLE_NOUNS or w in SPOKESPERSON_NOUNS), None)
    return head is not None and not head.endswith(("men", "people")) and words[0] not in ("two", "three", "some")


class Discourse:
    """What the article has talked about so far, in reading order: who spoke (each claim's speaker)
    and which persons and organisations were the subjects of sentences. Pronouns, "the company" and
    "a company spokesman" refer back into it."""

    def __init__(self, names: NameIndex):
        self.names = names
        self.speakers: list[tuple[int, Speaker]] = []  # (offset, speaker) of every claim added
        self.person_subjects: list[tuple[int, str]] = []
        self.group_subjects: list[tuple[int, str, str]] = []  # (offset, name, kind) of groups as subjects

    def note_sentence(self, sent: Span) -> None:
        """Remember persons and organisations that are subjects, for pronouns that come later."""
        for tok in sent:
            if tok.dep_ in ("nsubj", "nsubjpass") and tok.ent_type_ in ("ORG", "NORP", "GPE"):
                ent = entity_at(tok)
                if ent is not None:
                    self.group_subjects.append((tok.idx, clean_name(ent.text, organisation=ent.label_ == "ORG"),
                                                SPEAKER_KINDS[ent.label_]))
            if tok.dep_ in ("nsubj", "nsubjpass") and tok.ent_type_ == "PERSON":
                span = mention_span(tok)
                ent = _entity_in(span, ("PERSON",))
                if ent is not None:
                    name = self.names.full_name_for(person_name(ent.text)[0], ent.start_char)
                    self.person_subjects.append((tok.idx, name))

    def spoke(self, speaker: Speaker) -> None:
        self.speakers.append((speaker.start, speaker))

    def antecedents(self, pronoun: str, before: int) -> tuple[list[tuple[int, str]], str]:
        """(offset, name) of the earlier speakers and subjects a pronoun may refer to, and the kind
        the pronoun implies: he/she a person, they a group, it an organisation or place."""
        if pronoun in PERSON_PRONOUNS:
            found = [(o, s.name) for o, s in self.speakers if o < before and (
                s.kind == "person" or s.resolved_from == "spokesperson" or is_one_person(s))]
            found += [(o, n) for o, n in self.person_subjects if o < before]
            return found, "person"
        if pronoun in GROUP_PRONOUNS:
            found = [(o, s.name) for o, s in self.speakers if o < before and (
                s.kind in ("organisation", UNNAMED) or " and " in s.mention)]
            found += [(o, n) for o, n, k in self.group_subjects if o < before and k in ("organisation", UNNAMED)]
            return found, UNNAMED
        found = [(o, s.name) for o, s in self.speakers if o < before and (s.kind in ("organisation", "place") or (
            s.kind == UNNAMED and (is_body(s.mention) or is_document(s.mention))))]
        found += [(o, n) for o, n, k in self.group_subjects if o < before]
        return found, "organisation"

    def kind_of(self, name: str) -> str | None:
        """The kind last recorded for a name: a speaker's first, then a subject's."""
        kinds = [s.kind for _, s in self.speakers if s.name == name]
        kinds += [k for _, n, k in self.group_subjects if n == name]
        return kinds[-1] if kinds else None

    def business_subjects(self, before: int) -> list[tuple[int, str]]:
        """Organisations that spoke in their own name or were subjects, near and before `before`, that
        look like businesses: what "the company" refers back to."""
        subjects = [(o, s.name) for o, s in self.speakers if s.kind == "organisation" and s.resolved_from is None]
        subjects += [(o, name) for o, name, kind in self.group_subjects if kind == "organisation"]
        return [(o, name) for o, name in subjects if o < before and before - o <= NEAR and looks_like_business(name)]


class SpeakerResolver:
    """A speaker for a noun phrase: its canonical name, role and kind, reading the article's names
    and what it has talked about so far."""

    def __init__(self, doc: Doc, names: NameIndex, discourse: Discourse, headlines: Headlines | None = None):
        self.doc = doc
        self.names = names
        self.discourse = discourse
        self.headlines = headlines

    def org_for(self, head: Token, span: Span, definite: bool = True) -> str | None:
        """The organisation a definite description refers back to: 'the ministry' -> 'Foreign Ministry'
        (the nearest earlier organisation with that word in its name); 'the company' -> 'Texaco' (the
        nearest earlier organisation that was the subject of a sentence or spoke, and is not a public
        body: the company an article is about is its subject, while the lender or buyer it mentions
        usually is not). None for 'a company', 'the other firm', or when nothing fits."""
        if head.tag_ != "NN" or any(t.lower_ in NOT_THE_SAME for t in span) or (
                definite and not any(t.lower_ in ("the", "this", "that") for t in span)):
            return None
        word = head.lower_
        named = self.names.organisations_named(word, span.start_char)
        if named:
            return max(named)[1]
        if word in COMPANY_NOUNS:
            businesses = self.discourse.business_subjects(span.start_char)
            if businesses:
                return max(businesses)[1]
        return None

    # -- resolution -------------------------------------------------------------------
    def resolve(self, head: Token) -> Speaker | None:
        """The speaker a noun phrase names; a name read from a headline in capitals only as the article
        writes it elsewhere ("LAWSON SAYS ..." is Nigel Lawson's), else no speaker."""
        speaker = self._resolve(head)
        if speaker is None or speaker.resolved_from == "pronoun":
            return speaker  # a pronoun's name is its antecedent's, already settled
        if self.headlines is not None and self.headlines.in_capitals(speaker.start):
            speaker = self._as_written(head, speaker)
        return speaker

    def _as_written(self, head: Token, speaker: Speaker) -> Speaker | None:
        """A speaker read from a headline in capitals, named and kinded as the article writes the name
        elsewhere: the whole name, else the head word with its compounds ("LAWSON" of a headline the
        tagger read as one entity); None when only headlines have it."""
        words = [t for t in head.subtree if t.dep_ in ("compound", "flat") and t.head == head] + [head]
        for name in (speaker.name, " ".join(t.text for t in sorted(words, key=lambda t: t.i))):
            found = self.headlines.as_written(name)
            if found is None:
                continue
            written, offset = found
            ent = next((entity_at(t) for t in self.doc.char_span(offset, offset + len(written),
                                                                  alignment_mode="expand") if t.ent_type_), None)
            kind = SPEAKER_KINDS.get(ent.label_, speaker.kind) if ent is not None else speaker.kind
            if ent is not None and is_business_name(ent.text):
                kind = "organisation"
            full = self.names.full_name_for(clean_name(written), speaker.start)
            return replace(speaker, name=full, kind="person" if full != clean_name(written) else kind,
                           resolved_from="headline")
        return None

    def _resolve(self, head: Token) -> Speaker | None:
        if head.tag_ in ("WDT", "WP"):  # "which said", "who said": no name of its own; like a pronoun, the
            return self.pronoun(head)   # nearest speaker or subject it can refer to, else itself, unnamed
        if head.ent_type_ == "TIME" or head.ent_type_ == "DATE" and head.pos_ == "PROPN":
            return None  # "12:15 p.m. said ...", "Saturday said": the parser took a time for the subject
        span = mention_span(head)
        if not len(span):
            return None
        lower = head.lower_
        if len(span) == 1 and lower in FIRST_PERSON:
            return None  # "I said", "we said" inside a quotation: the quoted speaker, not a source
        if len(span) == 1 and head.pos_ == "PRON":
            return self.pronoun(head)
        if head.pos_ == "PRON" and lower not in PERSON_PRONOUNS | GROUP_PRONOUNS | THING_PRONOUNS:
            return None  # "who", "which", "some", "this": not a speaker we can name
        apposed = self._apposed_name(head, span)
        if apposed is not None:
            return apposed
        mention = span.text
        ent = _entity_in(span, tuple(SPEAKER_KINDS))
        if ent is not None and ent.label_ == "PERSON" or (ent is None and self._looks_like_name(span)):
            name_span = ent if ent is not None else span
            if is_business_name(name_span.text):  # "Allegheny International Inc": the tagger's PERSON is a firm
                return Speaker(name=clean_name(name_span.text, organisation=True), mention=mention,
                               start=span.start_char, end=span.end_char, kind="organisation")
            name, title = person_name(name_span.text)
            name = self.names.full_name_for(name, span.start_char)
            role = self._role(span, name_span) or title
            return Speaker(name=name, mention=mention, start=span.start_char, end=span.end_char, kind="person",
                           role=role)
        if (ent is not None and ent.start > span.root.i and span.root.pos_ == "NOUN"
                and span.root.lower_ not in SPOKESPERSON_NOUNS):  # "a spokesman for Mobil" is Mobil
            # "Western business sources in Shanghai", "the research groups of Kiel": the noun phrase speaks
            return Speaker(name=clean_name(mention), mention=mention, start=span.start_char, end=span.end_char,
                           kind=UNNAMED if is_generic_source(span) else "organisation")
        if ent is not None:
            name = clean_name(ent.text, organisation=ent.label_ == "ORG")
            full = self.names.full_name_for(name, span.start_char)
            if full != name:  # the tagger called a surname an organisation
                return Speaker(name=full, mention=mention, start=span.start_char, end=span.end_char, kind="person",
                               role=self._role(span, ent))
            kind = SPEAKER_KINDS.get(ent.label_, "other")
            if ent.label_ == "ORG" and ent.end <= span.root.i and span.root.lower_ in SPOKESPERSON_NOUNS:
                return Speaker(name=name, mention=mention, start=span.start_char, end=span.end_char, kind=kind,
                               role=span.root.text, resolved_from="spokesperson")
            if ent.end < span.end and (span[-1].pos_ == "NOUN" or ent.label_ == "NORP"):
                # "Trump's campaign", "the Chinese ministry": the noun phrase speaks, not the entity;
                # "U.S. officials", "a senior Japanese official": people described, not named
                return Speaker(name=clean_name(mention), mention=mention, start=span.start_char,
                               end=span.end_char, kind=UNNAMED if is_generic_source(span) else "organisation")
            return Speaker(name=name, mention=mention, start=span.start_char, end=span.end_char, kind=kind)
        org = self.org_for(head, span) if head.pos_ == "NOUN" else None
        if org:
            return Speaker(name=org, mention=mention, start=span.start_char, end=span.end_char, kind="organisation",
                           resolved_from="organisation")
        if lower in SPOKESPERSON_NOUNS:  # "a company spokesman": the company the article has named
            for child in head.children:
                if child.dep_ == "compound" and child.pos_ == "NOUN":
                    org = self.org_for(child, self.doc[span.start:head.i], definite=False)
                    if org:
                        return Speaker(name=org, mention=mention, start=span.start_char, end=span.end_char,
                                       kind="organisation", role=head.text, resolved_from="spokesperson")
        return Speaker(name=clean_name(mention, indefinite=True), mention=mention, start=span.start_char,
                       end=span.end_char, kind=UNNAMED)

    def _apposed_name(self, head: Token, span: Span) -> Speaker | None:
        """'The charity's chief executive, Jane Roe, said': the person named in apposition speaks, and the
        description is their role (not the charity, nor 'Nairobi' in 'Our correspondent in Nairobi, John Doe')."""
        if head.pos_ != "NOUN":
            return None
        for child in head.children:
            if child.dep_ != "appos" or child.i <= head.i:
                continue
            ent = entity_at(child)
            if ent is not None and ent.label_ == "PERSON" and ent.end - ent.start <= 4:
                name_span = ent
            elif ent is None and child.pos_ == "PROPN" and child.i - span.end <= 2:
                left = min(t.i for t in child.subtree if t.pos_ == "PROPN")
                name_span = self.doc[left:child.i + 1]
                if not self._looks_like_name(name_span):
                    continue
            else:
                continue
            if not all(t.is_punct or t.is_space for t in self.doc[span.end:name_span.start]):
                continue  # only a comma (or dash) between the description and the name
            name = self.names.full_name_for(person_name(name_span.text)[0], span.start_char)
            role = self._role(span, self.doc[span.end:span.end], possessives=True)  # all of it, but "the", "our"
            return Speaker(name=name, mention=self.doc[span.start:name_span.end].text, start=span.start_char,
                           end=name_span.end_char, kind="person", role=role)
        return None

    def pronoun(self, head: Token) -> Speaker:
        """The nearest earlier speaker or subject the pronoun can refer to; else the pronoun itself, as an
        unnamed speaker: the claim is kept, and says no more than the text does."""
        offset = head.idx
        candidates, kind = self.discourse.antecedents(head.lower_, offset)
        offset_found, name = max(candidates) if candidates else (-NEAR - 1, None)
        if name is None or offset - offset_found > NEAR:  # nothing, or too far back to be safe
            return Speaker(name=head.text, mention=head.text, start=head.idx, end=head.idx + len(head.text),
                           kind=UNNAMED, resolved_from="pronoun")
        kind = self.discourse.kind_of(name) or kind
        return Speaker(name=name, mention=head.text, start=head.idx, end=head.idx + len(head.text), kind=kind,
                       resolved_from="pronoun")

    @staticmethod
    def _looks_like_name(span: Span) -> bool:
        words = [t for t in span if not t.is_punct]
        return (1 <= len(words) <= 4 and all(t.pos_ == "PROPN" for t in words)
                and span.root.ent_type_ in ("", "PERSON"))

    @staticmethod
    def _role(span: Span, name: Span, possessives: bool = False) -> str | None:
        """The words before (or after, for appositions) the name in the mention: 'Chinese Foreign Minister';
        without a leading determiner (and possessive pronoun, with `possessives`)."""
        doc = span.doc
        before = doc[span.start:max(span.start, name.start)]
        words = [t for t in before if not t.is_punct]
        while words and (words[0].lower_ in DETERMINERS or possessives and words[0].tag_ == "PRP$"):
            words = words[1:]
        if words:
            return doc[words[0].i:words[-1].i + 1].text
        for child in span.root.children:
            if child.dep_ == "appos" and child.i > span.root.i:
                sub = list(child.subtree)
                text = doc[sub[0].i:sub[-1].i + 1].text.strip(" ,")
                return re.sub(r"^(?:the|a|an)\s+", "", text, flags=re.I) or None
        return None
