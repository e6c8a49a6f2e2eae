"""What readers give: an Article, or a ReadError naming the input (and line) and what is wrong with it;
and the options that say how to read records."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field

TITLE_MAX = 90

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

    def __post_init__(self):
        if not self.id:
            self.id = content_id(self.text)
        if not self.title:
            self.title = derive_title(self.text)
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
