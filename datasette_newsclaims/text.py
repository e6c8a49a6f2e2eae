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


# Lines of a news page that are its furniture, not its story: teasers for other stories, layout notices,
# share and sign-up prompts, photo credits. Matched against a whole line (case-insensitive).
FURNITURE = re.compile(
    r"^(?:"
    r"(?:read|see|watch|listen|related|more|also read|read more|recommended|trending|latest|opinion|"
    r"live|breaking|exclusive|analysis|video|pictures|photos|in pictures)\s*(?:\||:|-|–|—)\s*.*"  # "READ MORE: …"
    r"|(?:story|article) continue[sd]?(?: below| after)?(?: (?:this |the )?(?:advertisement|advert|ad))?\.?"
    r"|(?:advertisement|advert|sponsored(?: content)?|skip advert(?:isement)?|continue reading(?: below)?)\.?"
    r"|share (?:this|on|via)\b.*|(?:share|tweet|email|print|copy link)(?: (?:share|tweet|email|print|copy link))*"
    r"|sign up (?:for|to)\b.*|subscribe (?:to|for|now)\b.*|click here\b.*|follow us\b.*"
    r"|(?:photo|image|picture|video|caption|credit|file photo)\s*:[^.]{0,60}"  # a credit, not a sentence
    r"|(?:image|media) caption\b.*|(?:image|photo) (?:copyright|source)\b.*"
    r"|copyright\b.*|©.*|all rights reserved\.?"
    r"|(?:last )?(?:updated|published|posted|modified)\s*:?\s+(?:on\s+)?"  # "Updated 10:32 AM EST, Tue March 12"
    r"(?:\d|(?:mon|tue|wed|thu|fri|sat|sun|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b).{0,60}(?<![.!?])"
    r")$",
    re.I,
)
# "WATCH: Minister slams rival", "MORE FROM THE GUARDIAN: …": a label in capitals before a headline (a
# dateline before a sentence, "WASHINGTON: The president said ....", ends like a sentence and stays)
# (labels of the article's own content stay: "NOTE:", "CORRECTION:", "UPDATE:", "EDITOR'S NOTE:")
TEASER_LABEL = re.compile(r"^(?!(?:NOTES?|CORRECTION|CLARIFICATION|UPDATE|EDITOR'?S NOTE)\s*:)"
                          r"[A-Z][A-Z ]{2,24}:\s+\S.{0,150}(?<![.!?\"”’'])$")


def is_furniture(line: str) -> bool:
    """A line of page furniture rather than of the article: "READ MORE: Minister slams …", "Story continues
    below advertisement", "Share on Facebook", "Photo: Reuters"."""
    line = line.strip()
    return bool(FURNITURE.match(line) or TEASER_LABEL.match(line))


def in_capitals(line: str) -> bool:
    """A line set in capitals, as wire headlines are ("HERRINGTON SAYS HE MAY CALL FOR TAX BENEFITS"):
    at least three words, and four in five of its letters upper case (tickers like "<AI>" aside)."""
    line = re.sub(r"<[^>]*>", "", line)
    letters = [c for c in line if c.isalpha()]
    return len(line.split()) >= 3 and len(letters) >= 8 and sum(c.isupper() for c in letters) >= 0.8 * len(letters)


def capitals_lines(text: str) -> list[tuple[int, int]]:
    """(start, end) of the lines of a text set in capitals (`in_capitals`)."""
    spans, start = [], 0
    for line in text.splitlines(keepends=True):
        if in_capitals(line):
            spans.append((start, start + len(line)))
        start += len(line)
    return spans


def furniture_lines(text: str) -> list[tuple[int, int]]:
    """(start, end) of the lines of a text that are page furniture by the explicit patterns (FURNITURE; the
    looser capitals-label rule is for pages only, where a headline-like line between paragraphs is a teaser)."""
    spans, start = [], 0
    for line in text.splitlines(keepends=True):
        stripped = line.strip()
        if stripped and FURNITURE.match(stripped):
            spans.append((start, start + len(line)))
        start += len(line)
    return spans


# -- a claim's quote as shown: without the attribution inside it ----------------------------------

SEAM = " ,;:—–-\"“”'‘’"  # what is left at either side of an attribution that is cut out


def quote_parts(claim: dict) -> list[tuple[int, int]]:
    """The parts of a claim's quote to show, as offsets into the quote: all of it, or, when its own
    attribution (speaker, cue, whom and where it was told) sits inside it ('"A," she said, "B"', '"A," he told
    Reuters. "B"', 'The plan, she said, would cost jobs'), what is before the attribution and what is
    after, without the marks and commas at the seam."""
    start, end, quote = claim.get("start"), claim.get("end"), claim.get("quote") or ""
    inside = [(claim.get(a), claim.get(b)) for a, b in (("speaker_start", "speaker_end"), ("cue_start", "cue_end"),
                                                        ("target_start", "target_end"),
                                                        ("venue_start", "venue_end"))]
    inside = [(a, b) for a, b in inside if isinstance(a, int) and isinstance(b, int) and start < a and b < end]
    if not inside or not isinstance(start, int):
        return [(0, len(quote))]
    cut_start, cut_end = min(a for a, _ in inside) - start, max(b for _, b in inside) - start
    left = len(quote[:cut_start].rstrip(SEAM))
    right = len(quote) - len(quote[cut_end:].lstrip(SEAM + "."))
    if left == 0 or right >= len(quote):
        return [(0, len(quote))]
    return [(0, left), (right, len(quote))]


def shown_quote(claim: dict) -> str:
    """A claim's quote as every page shows it: its parts joined by ' … ', never its attribution."""
    quote = claim.get("quote") or ""
    return " … ".join(quote[a:b] for a, b in quote_parts(claim))
