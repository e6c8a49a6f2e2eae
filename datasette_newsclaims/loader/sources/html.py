"""Web pages -> Article: the main text, title, date, URL and site name, by trafilatura (which finds the
date with htmldate, in the page's markup and URL).

What trafilatura keeps of the page is cleaned once more, line by line: the headline (it is the title),
and the furniture of news sites that sits between paragraphs ("READ MORE: …" teasers, "Story continues
below advertisement", share buttons, photo credits) never reach the text. Paragraphs are separated by
a blank line, as the extractor expects.
"""

from __future__ import annotations

import re

from ...text import is_furniture
from .dates import parse_published
from .records import Article, ReadError

HTML_START = re.compile(rb"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)\b",
                        re.I | re.S)
# tags that lay out a page: text with several of them is a page or a fragment of one. <script> or <img>
# alone do not make a page: in a text they are words like any other (and are shown escaped)
LAYOUT_TAG = re.compile(r"</?(?:p|div|span|a|br|li|ul|ol|td|tr|table|section|article|h[1-6]|em|strong|meta|link)"
                        r"\b[^>]*>", re.I)
# an HTML element (not a wire story's "<Martin Marietta>" or ticker "<FNTI.L>")
TAG = re.compile(r"</?(?:a|abbr|b|body|br|button|div|em|font|footer|form|h[1-6]|head|header|html|i|iframe|img|"
                 r"input|li|link|meta|nav|noscript|ol|p|script|section|span|strong|style|table|td|th|tr|ul)"
                 r"(?=[\s/>])[^>]*>", re.I)
MIN_TEXT_CHARS = 40
# htmldate, through trafilatura: dates from the page's markup and URL only. Its search of the whole text
# takes the copyright line's year for the publication date ("© 2023" -> 2023-01-01) and cost four times
# the rest of reading a page (dateparser on every date-like string): a page without a date in its
# markup is undated (a WARC record's date then stands in). trafilatura's date is htmldate's find_date on
# the page and its URL: calling htmldate again where it found none would repeat the same search
# (the time and zone too, where the page gives them: article:published_time)
DATE_PARAMS = {"extensive_search": False, "original_date": True, "outputformat": "%Y-%m-%dT%H:%M:%S%z"}


def looks_like_html(text: str | bytes) -> bool:
    """A whole page (doctype, <html>, <head> or <body> first), or text thick with tags."""
    head = text[:2000]
    data = head.encode("utf-8", "replace") if isinstance(head, str) else head
    if HTML_START.match(data):
        return True
    sample = head if isinstance(head, str) else head.decode("utf-8", "replace")
    return len(LAYOUT_TAG.findall(sample)) >= 3


def still_markup(text: str) -> bool:
    """Text that is still mostly markup after reading: more than one tag per 200 characters."""
    return len(TAG.findall(text)) > max(2, len(text) // 200)


def html_article(html: str | bytes, origin: str, given: dict | None = None) -> Article | ReadError:
    """An Article from a page. `given` holds what is known already (a record's fields, a WARC record's URL
    and date): a given title, date and source win over the page's, a given URL is kept as the original."""
    import trafilatura  # imported when the first page comes: it is slow to import and needs lxml

    given = dict(given or {})
    try:
        doc = trafilatura.bare_extraction(html, url=given.get("url"), with_metadata=True, include_comments=False,
                                          include_tables=False, include_images=False, favor_precision=True,
                                          fast=True, date_extraction_params=DATE_PARAMS)
    except Exception as ex:  # lxml and trafilatura raise many kinds of errors on broken pages
        return ReadError(origin, f"cannot read the page: {type(ex).__name__}: {ex}")
    if doc is None or not (doc.text or "").strip():
        return ReadError(origin, "no article text found in the page")
    title = (doc.title or "").strip() or None
    text = clean_text(doc.text, title)
    if len(text) < MIN_TEXT_CHARS:
        return ReadError(origin, f"no article text found in the page (only {len(text)} characters)")
    if still_markup(text):
        return ReadError(origin, "the text still looks like markup after reading the page")
    published, published_from = given.get("published"), given.get("published_from")
    published_at = given.get("published_at")
    if not published and doc.date:
        try:
            published, published_at = parse_published(doc.date)
        except ValueError:
            published = None
        published_from = "page" if published else None
    if not published and given.get("fallback_date"):
        published, published_from = given["fallback_date"], given.get("fallback_from")
    return Article(text=text, id=given.get("id") or "", title=given.get("title") or title, published=published,
                   published_at=published_at, published_from=published_from,
                   url=given.get("url") or doc.url, source=given.get("source") or doc.sitename or doc.hostname,
                   origin=origin)


def clean_text(text: str, title: str | None) -> str:
    """Paragraphs separated by a blank line, without the headline and without page furniture."""
    lines = [re.sub(r"[ \t\u00a0]+", " ", line).strip() for line in text.splitlines()]
    lines = [line for line in lines if line and not is_furniture(line)]
    if lines and title and lines[0].strip().lower() == title.strip().lower():
        lines = lines[1:]
    return "\n\n".join(lines)
