"""What readers give: an Article, or a ReadError naming the input (and line) and what is wrong with it;
and the options that say how to read records."""

from __future__ import annotations

import hashlib
import logging
import re
from dataclasses import dataclass, field

from ...vocabulary import MAX_ID_CHARS

log = logging.getLogger("datasette_newsclaims")

TITLE_MAX = 90  # a title made from the text's first sentence
# Longest fields kept as given: a longer title or source is cut, a longer URL dropped (a cut URL is a
# wrong one), a longer id replaced by a shorter one that keeps its start (the given id is kept too).
LIMITS = {"title": 1000, "source": 300, "url": 4096}

# role -> the field names tools use for it, in the order they are tried
FIELD_NAMES = {
    "id": ("id", "_id", "uuid"),
    "text": ("text", "body", "content", "maintext", "article", "story_text", "full_text"),
    "title": ("title", "headline"),
    "date": ("date", "published", "publishedAt", "published_at", "date_publish", "publish_date", "pubDate",
             "datePublished"),
    "url": ("url", "link"),
    "source": ("source", "source_domain", "publisher", "site_name", "sitename"),
}
ROLES = tuple(FIELD_NAMES)


@dataclass
class Article:
    text: str
    id: str = ""
    title: str | None = None
    published: str | None = None  # the local publication date, YYYY-MM-DD
    url: str | None = None
    source: str | None = None
    origin: str = ""  # "path" or "path:line", for messages
    published_at: str | None = None  # the full timestamp with its zone, where one was given (ISO 8601)
    published_from: str | None = None  # where the date came from: "given", "page" (HTML), "warc" (WARC-Date)
    given_id: str | None = None  # the id as given, when it was too long to serve and `id` replaces it

    def __post_init__(self):
        if not self.id:
            self.id = content_id(self.text)
        if len(self.id) > MAX_ID_CHARS:
            self.given_id, self.id = self.id, short_id(self.id)
            log.warning("%s: the id is %s characters, over the %s pages serve: stored as %r (the given id is "
                        "kept in articles.given_id)", self.origin, f"{len(self.given_id):,}", MAX_ID_CHARS, self.id)
        if not self.title:
            self.title = derive_title(self.text)
        for name, limit in LIMITS.items():
            value = getattr(self, name)
            if value and len(value) > limit:
                setattr(self, name, value[:limit - 1] + "…" if name != "url" else None)
                log.warning("%s: the %s is %s characters, over the %s kept: %s", self.origin, name,
                            f"{len(value):,}", f"{limit:,}", "dropped" if name == "url" else "cut")
        if self.published and not self.published_from:
            self.published_from = "given"


@dataclass
class ReadError:
    origin: str
    reason: str
    detail: str | None = None  # a traceback, when the reason is a failure of ours (shown with --verbose)

    def __str__(self):
        return f"{self.origin}: {self.reason}"


@dataclass(frozen=True)
class ReadOptions:
    """How to read records: field names the user gives (`--field text=story_text`) and the order of
    ambiguous numeric dates (`--date-order DMY`)."""

    fields: dict = field(default_factory=dict)  # role -> field name
    date_order: str | None = None  # "DMY", "MDY", "YMD"

    def names_for(self, role: str) -> tuple[str, ...]:
        given = self.fields.get(role)
        return (given,) if given else FIELD_NAMES[role]


DEFAULT_OPTIONS = ReadOptions()


def short_id(given: str) -> str:
    """An id within MAX_ID_CHARS for a longer one: its start, then a hash of the whole (so two long ids
    that share a start stay two, and the same long id is always the same article)."""
    digest = hashlib.sha1(given.encode("utf-8")).hexdigest()[:16]
    return f"{given[:MAX_ID_CHARS - 18]}~{digest}"


def content_id(text: str) -> str:
    """Stable id for an article without one: loading the same text twice is a no-op."""
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:16]


def derive_title(text: str) -> str:
    """The first sentence (or line), shortened at a word boundary."""
    first = text.strip().split("\n", 1)[0].strip()
    match = re.search(r"(?<=[.!?])[\"'”’]?\s+(?=[A-Z\"“‘])", first)
    if match:
        first = first[: match.start()].rstrip()
    if len(first) > TITLE_MAX:
        cut = first[:TITLE_MAX].rsplit(" ", 1)[0].rstrip(",;:-–— ")
        first = cut + "…"
    return first
