"""Plain-text helpers shared by the extractor and the pages (no spaCy here: the Datasette plugin imports it)."""

from __future__ import annotations

import re

# a blank line, or a line break before a quotation mark (news starts a new quoted paragraph that way)
PARAGRAPH_BREAK = re.compile(r"\n\s*\n|\r\n\s*\r\n|\n(?=[ \t]*[\"“„«])")


def paragraphs(text: str) -> list[tuple[int, int]]:
    """(start, end) of each paragraph: blank lines, or a line break before a quotation mark."""
    spans, start = [], 0
    for match in PARAGRAPH_BREAK.finditer(text):
        spans.append((start, match.start()))
        start = match.end()
    spans.append((start, len(text)))
    return [(s, e) for s, e in spans if e > s]
