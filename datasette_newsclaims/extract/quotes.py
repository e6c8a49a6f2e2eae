"""Find quotations in raw text by their marks, robustly.

News text is messy: straight and curly marks mixed, stray marks, quotes that
run over several paragraphs (each new paragraph reopens the quote, the
unfinished one is never closed). We pair marks paragraph by paragraph, use the
direction of curly marks and the spacing around straight ones, and drop what
cannot be paired instead of giving up on the article.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..text import paragraphs

OPENING = "“„«"
CLOSING = "”»"
STRAIGHT = '"'
ALL_MARKS = OPENING + CLOSING + STRAIGHT
MARKS = re.compile(f"[{re.escape(ALL_MARKS)}]")
MAX_QUOTE_CHARS = 5000  # a longer run between two marks is two stray marks, not a quotation


@dataclass(frozen=True)
class QuoteSpan:
    start: int  # first character inside the marks
    end: int  # one past the last character inside the marks
    open_mark: int  # offset of the opening mark
    close_mark: int | None  # offset of the closing mark; None when it runs to the end of a paragraph

    @property
    def outer_start(self) -> int:
        return self.open_mark

    @property
    def outer_end(self) -> int:
        return self.close_mark + 1 if self.close_mark is not None else self.end


def mark_direction(text: str, i: int) -> str:
    """'open', 'close' or '?' for the mark at text[i]."""
    ch = text[i]
    if ch in OPENING:
        return "open"
    if ch in CLOSING:
        return "close"
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    before_open = before.isspace() or before in "([{—–-/:"
    after_close = after.isspace() or after in ".,;:!?)]}—–-" or i + 1 >= len(text)
    if before_open and not after_close:
        return "open"
    if after_close and not before_open:
        return "close"
    return "?"


def find_quotes(text: str, max_chars: int = MAX_QUOTE_CHARS) -> list[QuoteSpan]:
    spans: list[QuoteSpan] = []
    paras = paragraphs(text)
    for index, (p_start, p_end) in enumerate(paras):
        open_at = None
        for match in MARKS.finditer(text, p_start, p_end):
            i = match.start()
            direction = mark_direction(text, i)
            if open_at is None:
                if direction != "close":
                    open_at = i
                continue
            if direction == "open" and text[i] != text[open_at] and text[open_at] in OPENING:
                continue  # a stray straight mark inside a curly quote
            if direction == "open" and text[i] in OPENING:
                open_at = i  # an unclosed curly quote followed by a new one: the first was stray
                continue
            if direction == "open" and i - open_at > 1 and text[open_at] == STRAIGHT:
                # two opening-looking straight marks: the first one was stray
                open_at = i
                continue
            if i - open_at > 1 and i - open_at <= max_chars:
                spans.append(QuoteSpan(open_at + 1, i, open_at, i))
            open_at = None
        if open_at is not None:
            # An unclosed quote: by convention it continues when the next paragraph reopens it.
            next_opens = index + 1 < len(paras) and text[paras[index + 1][0]:paras[index + 1][0] + 1] in ALL_MARKS
            end = p_end
            while end > open_at + 1 and text[end - 1].isspace():
                end -= 1
            if next_opens and end - open_at > 1 and end - open_at <= max_chars:
                spans.append(QuoteSpan(open_at + 1, end, open_at, None))
    return spans


def trim_span(text: str, start: int, end: int) -> tuple[int, int]:
    """Shrink a span past spaces and trailing punctuation, and past a quotation mark left unpaired."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in ".,;:—–-"):
        end -= 1
    if len(MARKS.findall(text, start, end)) % 2:
        if start < end and text[start] in ALL_MARKS:
            start += 1
        elif end > start and text[end - 1] in ALL_MARKS:
            end -= 1
        while end > start and (text[end - 1].isspace() or text[end - 1] in ".,;:—–-"):
            end -= 1
    return start, end


def has_quote_marks(text: str) -> bool:
    return bool(MARKS.search(text))
