"""Records with the field names news tools use -> Article.

A record is a dict (a JSON object, a CSV row, a Parquet row). Its text, title, date, URL, source and id
are found under the names the common tools give them (`records.FIELD_NAMES`, the first one present
wins), or under the names the user gives with `--field ROLE=NAME`.
"""

from __future__ import annotations

import re

from .dates import parse_published
from .html import html_article, looks_like_html
from .records import DEFAULT_OPTIONS, Article, ReadError, ReadOptions

TRUNCATED = re.compile(r"(?:…|\.\.\.)?\s*\[\+\d+ chars\]\s*$")  # NewsAPI's "content": the first 200 characters


def pick(record: dict, role: str, options: ReadOptions):
    """The record's value for a role: the first of its field names that holds something."""
    for name in options.names_for(role):
        value = record.get(name)
        if value not in (None, "", [], {}):
            return value
    return None


def plain(value) -> str | None:
    """A field as plain text: an object gives its name ({'id': 'reuters', 'name': 'Reuters'} -> Reuters).
    Only the ends are trimmed: an id stays the id it was loaded under."""
    if isinstance(value, dict):
        value = value.get("name") or value.get("title") or value.get("id")
    elif isinstance(value, list):
        value = ", ".join(str(v) for v in value if v not in (None, ""))
    if value is None:
        return None
    value = str(value).strip()
    return value or None


def record_to_article(record, origin: str, options: ReadOptions = DEFAULT_OPTIONS) -> Article | ReadError:
    """An Article from a record, or a ReadError saying what is wrong with it. HTML in the text field is
    read as a page (its main text, title and date)."""
    if not isinstance(record, dict):
        return ReadError(origin, "record is not a JSON object")
    text = pick(record, "text", options)
    if not isinstance(text, str) or not text.strip():
        names = "', '".join(options.names_for("text"))
        return ReadError(origin, f"record has no text (looked for '{names}'; --field text=NAME names another)")
    if TRUNCATED.search(text):
        return ReadError(origin, "the text is cut short by the service it came from (it ends '[+N chars]'): "
                                 "not the whole article; fetch the page itself")
    published = published_at = None
    value = pick(record, "date", options)
    if value is not None:
        try:
            published, published_at = parse_published(value, options.date_order)
        except ValueError as ex:
            return ReadError(origin, str(ex))
    fields = dict(id=plain(pick(record, "id", options)) or "", title=plain(pick(record, "title", options)),
                  published=published, published_at=published_at, url=plain(pick(record, "url", options)),
                  source=plain(pick(record, "source", options)), origin=origin)
    if looks_like_html(text):
        return html_article(text, origin, given=fields)
    return Article(text=text, **fields)
