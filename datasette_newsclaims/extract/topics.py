"""What a claim is about: named entities in its quote and subjects from a topic lexicon.

The lexicon ships with the package (`data/topics.json`) and can be replaced
with a file of the same shape: {"topic": ["word", "phrase", ...], ...}.
"""

from __future__ import annotations

import json
import re
from importlib import resources
from pathlib import Path

from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

from ..canonical import canonical, topic_name
from .entities import entities_within_chars
from .lexicon import LEGAL_FORM_WORDS, TOPIC_ENTITY_LABELS
from .speakers import NameIndex, clean_name

ABBREVIATION = re.compile(r"^(?:[A-Z]\.){2,}$")


def load_lexicon(path: str | Path | None = None) -> dict[str, list[str]]:
    """The topic lexicon: the packaged one, or the user's file; raises ValueError naming a bad file."""
    if path is None:
        raw = resources.files("datasette_newsclaims").joinpath("data/topics.json").read_text("utf-8")
        origin = "packaged topics.json"
    else:
        origin = str(path)
        try:
            raw = Path(path).read_text("utf-8")
        except OSError as ex:
            raise ValueError(f"{origin}: cannot read topic lexicon: {ex.strerror or ex}") from None
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as ex:
        raise ValueError(f"{origin}:{ex.lineno}: invalid JSON in topic lexicon: {ex.msg}") from None
    if not isinstance(data, dict):
        raise ValueError(f"{origin}: topic lexicon must be a JSON object of topic -> list of terms")
    lexicon = {}
    for topic, terms in data.items():
        if topic.startswith("_"):
            continue
        if not isinstance(terms, list) or not all(isinstance(t, str) for t in terms):
            raise ValueError(f"{origin}: topic {topic!r} must map to a list of strings")
        lexicon[topic] = terms
    return lexicon


class TopicTagger:
    def __init__(self, vocab, make_doc, lexicon: dict[str, list[str]]):
        self.matcher = PhraseMatcher(vocab, attr="LOWER")
        for topic, terms in lexicon.items():
            self.matcher.add(topic, [make_doc(term) for term in terms if term.strip()])

    def subject_spans(self, doc: Doc) -> list[tuple[int, int, str]]:
        """(start_char, end_char, topic) for every lexicon match in the article."""
        out = []
        for match_id, start, end in self.matcher(doc):
            span = doc[start:end]
            out.append((span.start_char, span.end_char, doc.vocab.strings[match_id]))
        return out


def is_topic_name(name: str) -> bool:
    """An entity's name worth a topic: two letters at least, and a capital (an entity in lower case is
    the tagger's debris: "cts", "mln", "pct"), and not a legal form alone ("Co")."""
    return len(name) >= 2 and any(c.isupper() for c in name) and name.lower().strip(".") not in LEGAL_FORM_WORDS


def entity_topic_name(text: str, organisation: bool = False) -> str:
    name = clean_name(text, organisation=organisation)
    if ABBREVIATION.match(name):
        name = name.replace(".", "")
    return name


def topics_in(doc: Doc, start: int, end: int, subjects: list[tuple[int, int, str]],
              names: NameIndex) -> list[tuple[str, str]]:
    """Topics of the text between start and end, as (name, kind), entities first, no repeats."""
    seen: dict[str, str] = {}
    seen_folded: set[str] = set()  # a name once, whatever its case ("Energy", "energy")
    for ent in entities_within_chars(doc, start, end):
        if ent.label_ in TOPIC_ENTITY_LABELS:
            name = entity_topic_name(ent.text, organisation=ent.label_ == "ORG")
            if ent.label_ == "PERSON":
                name = names.full_name_for(name, ent.start_char)
            found = canonical(name)
            kind = found.kind if found else TOPIC_ENTITY_LABELS[ent.label_]
            name = topic_name(name)
            if name != ent.text and kind == "group":
                kind = "place"  # "Japanese" is about Japan
            if is_topic_name(name) and name.lower() not in seen_folded:
                seen[name] = kind
                seen_folded.add(name.lower())
    for s, e, topic in subjects:
        if s >= start and e <= end and topic.lower() not in seen_folded:
            seen[topic] = "subject"
            seen_folded.add(topic.lower())
    return list(seen.items())
