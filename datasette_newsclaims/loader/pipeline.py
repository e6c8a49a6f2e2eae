"""Batching and worker processes: articles in, (article, extraction) pairs out.

`newsclaims extract` and `newsclaims load` both go through `process`, so what
is measured is what is loaded.
"""

from __future__ import annotations

import json
import multiprocessing
import re
import traceback
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files
from itertools import chain, islice

from spacy.lang.en.stop_words import STOP_WORDS
from spacy.tokens import Doc

from ..extract import EXTRACTOR_VERSION, Extraction, Extractor
from ..extract import NAME as COMPONENT
from .model import MAX_LENGTH, release_caches
from .sources import Article, ReadError

MAX_ARTICLE_CHARS = 50_000_000  # beyond this an "article" is a dump, not an article: refused with an error
PARSE_CHARS = 25_000  # characters parsed together at most (see parse): the peak memory of a worker
PART_CHARS = MAX_LENGTH // 2  # longer texts are parsed in parts cut at paragraph breaks, to bound the parser's memory
WORDS = re.compile(r"[^\W\d_]+")
BLANK_LINE = re.compile(r"\n[ \t\r]*\n\s*")  # where parse cuts a text into paragraphs
PARSE_BATCH = 256  # paragraphs per nlp.pipe batch
MIN_WORDS_FOR_LANGUAGE = 40
LANGUAGE_SAMPLE = 5_000  # characters looked at
CLEARLY_ENGLISH = 0.25  # English prose has 40-50% English function words
MIN_FOREIGN_FUNCTION_WORDS = 0.15  # prose in a language has 30-50% of its function words


@dataclass
class ArticleResult:
    article: Article
    extraction: Extraction | None = None
    error: ReadError | None = None


def batched(items: Iterable, size: int) -> Iterator[list]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


def process(items: Iterable[Article | ReadError], nlp, extractor: Extractor, batch_size: int = 64,
            workers: int = 1) -> Iterator[ArticleResult | ReadError]:
    """Parse and extract every article, in input order; errors pass through in place.

    With several workers each batch is parsed *and extracted* in a worker process, which sends
    back only the extraction: Docs never cross between processes, so the parent has little to do
    but read and write.
    """
    batches = batched(items, batch_size)
    if workers <= 1:
        for batch in batches:
            yield from run_batch(nlp, extractor, batch, batch_size)
        return
    first, second = next(batches, None), next(batches, None)
    if second is None:  # a single batch: not worth starting processes
        if first:
            yield from run_batch(nlp, extractor, first, batch_size)
        return
    yield from _in_workers(chain([first, second], batches), nlp, extractor, batch_size, workers)


def run_batch(nlp, extractor: Extractor, batch: list, batch_size: int) -> list[ArticleResult | ReadError]:
    """Parse and extract a batch; long articles are parsed in parts and their extractions joined."""
    out: list = []
    texts: list[str] = []
    parts_of: dict[int, list[tuple[int, int]]] = {}  # position in out -> [(part offset, part index in texts)]
    for item in batch:
        if isinstance(item, Article):
            problem = refuse(item)
            if problem:
                item = ReadError(item.origin, problem)
        if isinstance(item, Article):
            parts_of[len(out)] = []
            for start, end in split_text(item.text):
                parts_of[len(out)].append((start, len(texts)))
                texts.append(item.text[start:end])
        out.append(item)
    # Docs are extracted as they come out of the parser and dropped: only one article's Docs live at a time.
    # Inside the memory zone the words spaCy learns from this batch are forgotten at its end, so a
    # process's memory does not grow with the number of distinct words it has seen.
    with nlp.memory_zone():
        docs = parse(nlp, texts, batch_size)
        for i, parts in parts_of.items():
            article = out[i]
            extracted, error = [], None
            for offset, _ in parts:
                doc = next(docs)
                if error is None:
                    try:
                        extracted.append((offset, extractor(doc, article.published)))
                    except Exception as ex:  # a rule that trips on odd text must not stop the load
                        error = ReadError(article.origin, f"extraction failed: {type(ex).__name__}: {ex}",
                                          detail=traceback.format_exc())
            if error:
                out[i] = ArticleResult(article, error=error)
            else:
                out[i] = ArticleResult(article, Extraction.merge(extracted))
    release_caches(nlp)
    return out


def parse(nlp, texts: list[str], batch_size: int) -> Iterator:
    """One Doc per text, parsed paragraph by paragraph and joined (`Doc.from_docs`, the text exactly as
    given): no sentence and no dependency crosses a blank line, so a headline is never parsed into the
    lead under it ("ALLEGHENY SELLS UNITS / Allegheny International said ..." would make the
    headline's words the subject of "said"). nlp.pipe runs without the newsclaims component (the caller
    runs it on each Doc, so a failure is one article's), in groups of at most batch_size texts and
    PARSE_CHARS characters: the parser's working memory is bounded by the group, so a run of long
    articles cannot raise the peak."""
    disable = [COMPONENT] if COMPONENT in nlp.pipe_names else []
    group: list[str] = []
    size = 0
    for text in texts:
        if group and (size + len(text) > PARSE_CHARS or len(group) >= batch_size):
            yield from _parse_group(nlp, group, disable)
            group, size = [], 0
        group.append(text)
        size += len(text)
    if group:
        yield from _parse_group(nlp, group, disable)


def _parse_group(nlp, texts: list[str], disable: list[str]) -> Iterator:
    paragraphs = [parse_paragraphs(text) for text in texts]
    docs = nlp.pipe(chain.from_iterable(paragraphs), batch_size=PARSE_BATCH, disable=disable)
    for parts in paragraphs:
        yield Doc.from_docs([next(docs) for _ in parts], ensure_whitespace=False)


def parse_paragraphs(text: str) -> list[str]:
    """The text cut after each blank line (the blank line stays with the paragraph before it, so the
    pieces join back into the text exactly)."""
    pieces, start = [], 0
    for match in BLANK_LINE.finditer(text):
        pieces.append(text[start:match.end()])
        start = match.end()
    if start < len(text) or not pieces:
        pieces.append(text[start:])
    return pieces


def refuse(article: Article) -> str | None:
    """Why an article cannot be loaded, or None."""
    if len(article.text) > MAX_ARTICLE_CHARS:
        return (f"article is {len(article.text):,} characters, over the {MAX_ARTICLE_CHARS:,} limit: "
                "split it into articles")
    if not WORDS.search(article.text) and not any(ch.isdigit() for ch in article.text):
        return "no sentences: the text has no words"
    if not looks_english(article.text):
        return "does not look like English (too few English function words): the model reads English only"
    return None


def looks_english(text: str) -> bool:
    """False only for text that is clearly another language: mostly in a non-Latin script, or with more
    function words of French, Spanish, German, Italian, Portuguese or Dutch than of English. English
    that is short of function words (a table of company results) still passes."""
    sample = text[:LANGUAGE_SAMPLE]
    words = [w.lower() for w in WORDS.findall(sample)]
    english = sum(1 for w in words if w in STOP_WORDS) / len(words) if words else 0.0
    if english >= CLEARLY_ENGLISH:
        return True  # ordinary English prose: nothing more to look at (the common case, kept cheap)
    letters = [c for c in sample if c.isalpha()]
    if len(letters) >= 200 and sum(1 for c in letters if ord(c) > 0x24F) / len(letters) > 0.5:
        return False
    if len(words) < MIN_WORDS_FOR_LANGUAGE:
        return True  # too short to tell: give it the benefit of the doubt
    foreign = max(sum(1 for w in words if w in stop) / len(words) for stop in foreign_function_words())
    return not (foreign >= MIN_FOREIGN_FUNCTION_WORDS and foreign > english)


@lru_cache(maxsize=1)
def foreign_function_words() -> list[frozenset]:
    """Function words of six languages English news is most often confused with, minus English ones
    (spaCy's stop word lists, kept as data: importing spaCy's French, Spanish, ... packages takes
    seconds, paid again in every worker process)."""
    data = json.loads(files("datasette_newsclaims").joinpath("data/function_words.json").read_text("utf-8"))
    return [frozenset(data[lang]) for lang in ("fr", "es", "de", "it", "pt", "nl")]


def split_text(text: str, size: int = PART_CHARS) -> list[tuple[int, int]]:
    """(start, end) parts of at most `size` characters, cut at a paragraph break, else a line break,
    else a sentence end, else a space, so that no part is too long for the parser."""
    parts, start = [], 0
    while len(text) - start > size:
        window = text[start:start + size]
        cut = -1
        for sep in ("\n\n", "\n", ". ", " "):
            cut = window.rfind(sep, size // 2)
            if cut > 0:
                cut += len(sep)
                break
        if cut <= 0:
            cut = size
        parts.append((start, start + cut))
        start += cut
    parts.append((start, len(text)))
    return parts


_WORKER_STATE: tuple | None = None  # (nlp, extractor), inherited by forked workers


def _worker_batch(batch: list, batch_size: int) -> list:
    nlp, extractor = _WORKER_STATE
    return run_batch(nlp, extractor, batch, batch_size)


def _in_workers(batches: Iterator[list], nlp, extractor: Extractor, batch_size: int,
                workers: int) -> Iterator[ArticleResult | ReadError]:
    global _WORKER_STATE
    _WORKER_STATE = (nlp, extractor)
    context = multiprocessing.get_context("fork")  # workers share the loaded model with the parent
    pending: deque = deque()
    # Workers live as long as the load: each batch is parsed in a memory zone (see run_batch), so a
    # worker's memory stays flat however many articles it reads, and its caches stay warm.
    with context.Pool(workers) as pool:
        for batch in batches:
            pending.append(pool.apply_async(_worker_batch, (batch, batch_size)))
            while len(pending) >= 2 * workers:  # bounded: memory does not grow with the input
                yield from pending.popleft().get()
        while pending:
            yield from pending.popleft().get()


__all__ = ["EXTRACTOR_VERSION", "ArticleResult", "process"]
