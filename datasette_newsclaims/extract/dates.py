"""When something was said: find the time phrase that governs a verb and resolve it to a day.

Only phrases that name a day are resolved ("on Saturday", "yesterday", "last
Friday", "on March 3", "Nov. 12"); "this year" or "recently" give no day, and
no day is better than a guessed one. Weekdays are resolved here (past or
future relative to the article's date); the rest goes to dateparser.
"""

from __future__ import annotations

import datetime
import re
from functools import lru_cache

from spacy.tokens import Span, Token

from .entities import entity_at

WEEKDAYS = {name: i for i, name in enumerate(
    ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"])}
RELATIVE_DAYS = {"today": 0, "tonight": 0, "yesterday": -1, "tomorrow": 1}
# times of day that name a day relative to the article's: "last night" is the evening before it
# appeared, "this morning" the day itself
DAY_TIMES = re.compile(r"^(?:(last)\s+(night|evening)|(this)\s+(morning|afternoon|evening))$")
MONTHS = re.compile(r"\b(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+\d{1,2}\b"
                    r"|\b\d{1,2}\s+(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\b"
                    r"|\b\d{4}-\d{2}-\d{2}\b|\b\d{1,2}/\d{1,2}/\d{2,4}\b", re.I)
DATE_PREPS = frozenset({"on", "at", "in", "during", "last", "this", "earlier", "late", "early"})
FUTURE_MARKERS = frozenset({"will", "shall", "'ll", "set", "scheduled", "due", "expected", "plan", "plans"})


def resolve_date(phrase: str, base: str | None, prefer: str = "past") -> str | None:
    """Resolve a time phrase against the article's date (YYYY-MM-DD); None when it names no day."""
    if not phrase or not base:
        return None
    return _resolve(phrase.strip().lower(), base, prefer)


@lru_cache(maxsize=4096)
def _resolve(phrase: str, base: str, prefer: str) -> str | None:
    try:
        base_day = datetime.date.fromisoformat(base)
    except ValueError:
        return None
    words = re.findall(r"[a-z]+", phrase)
    day_time = DAY_TIMES.match(" ".join(w for w in words if w not in ("on", "at", "in", "early", "late", "earlier")))
    if day_time:
        return (base_day + datetime.timedelta(days=-1 if day_time.group(1) else 0)).isoformat()
    for word, delta in RELATIVE_DAYS.items():
        if word in words:
            return (base_day + datetime.timedelta(days=delta)).isoformat()
    weekday = next((WEEKDAYS[w] for w in words if w in WEEKDAYS), None)
    if weekday is not None:
        if "next" in words:
            prefer = "future"
        elif "last" in words:
            prefer = "past"
        if prefer == "future":
            delta = (weekday - base_day.weekday()) % 7
            if "next" in words and delta == 0:
                delta = 7
        else:
            delta = -((base_day.weekday() - weekday) % 7)
            if "last" in words and delta == 0:
                delta = -7
        return (base_day + datetime.timedelta(days=delta)).isoformat()
    if not MONTHS.search(phrase):
        return None
    return _dateparser(phrase, base_day, prefer)


def _dateparser(phrase: str, base_day: datetime.date, prefer: str) -> str | None:
    import dateparser  # imported on first use: it is slow to import and rarely needed

    cleaned = re.sub(r"^(?:on|at|in|by|since|from|until|of)\s+", "", phrase)
    settings = {
        "RELATIVE_BASE": datetime.datetime.combine(base_day, datetime.time()),
        "PREFER_DATES_FROM": "future" if prefer == "future" else "past",
        "REQUIRE_PARTS": ["day", "month"],
    }
    try:
        parsed = dateparser.parse(cleaned, languages=["en"], settings=settings)
    except Exception:  # dateparser raises a zoo of errors on odd input; a missing date is the right answer
        return None
    return parsed.date().isoformat() if parsed else None


def date_phrase_for(verb: Token, exclude: tuple[int, int] | None = None) -> Span | None:
    """The DATE entity that modifies a verb directly: 'on Saturday asked', 'said Friday', 'said yesterday',
    or a time that names a day: 'said last night', 'told reporters this morning', 'said tonight'."""
    doc = verb.doc
    for child in verb.children:
        if exclude and exclude[0] <= child.idx < exclude[1]:
            continue
        if child.dep_ in ("npadvmod", "tmod") and child.ent_type_ == "TIME":
            ent = _entity_of(child)
            if ent is not None and (DAY_TIMES.match(ent.text.lower()) or ent.text.lower() == "tonight"):
                return ent
    for child in verb.children:
        if exclude and exclude[0] <= child.idx < exclude[1]:
            continue
        if child.dep_ == "prep" and child.lower_ in DATE_PREPS:
            for pobj in child.children:
                if pobj.dep_ == "pobj" and pobj.ent_type_ in ("DATE", "TIME"):
                    ent = _entity_of(pobj)
                    if ent is not None:
                        return doc[child.i:ent.end] if child.i < ent.start else ent
        elif child.dep_ in ("npadvmod", "tmod", "advmod", "obl") and child.ent_type_ == "DATE":
            return _entity_of(child)
        elif child.dep_ in ("npadvmod", "tmod") and child.ent_type_ == "TIME" and any(
                t.ent_type_ == "DATE" for t in child.subtree):  # "said yesterday afternoon", "Monday night"
            subtree = list(child.subtree)
            return doc[subtree[0].i:subtree[-1].i + 1]
    return None


def _entity_of(token: Token) -> Span | None:
    return entity_at(token)


def tense_preference(verb: Token) -> str:
    """Past for past-tense speech ('said'), future for 'will say' or 'is set to'."""
    words = {c.lower_ for c in verb.children if c.dep_ in ("aux", "auxpass")} | {verb.lower_}
    if words & FUTURE_MARKERS or verb.head.lower_ in FUTURE_MARKERS:
        return "future"
    return "past"
