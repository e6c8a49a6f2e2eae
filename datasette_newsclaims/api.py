"""The Python API: `load` articles into a database, or `extract` what would be stored.

The `newsclaims` command is a thin layer over these two functions; scripts and notebooks call them
directly:

    from datasette_newsclaims.api import ReadError, extract, load

    report = load("news.db", ["articles.jsonl"], workers=2)
    print(report.summary())                 # the line `newsclaims load` prints
    for error in report.errors:             # inputs not loaded, each naming its file (and line)
        print(error)

    for result in extract(["articles.jsonl"]):
        if isinstance(result, ReadError) or result.error:
            continue
        for claim in result.extraction.claims:
            print(claim.speaker.name, claim.cue.text, claim.quote)
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path

from .extract import Extractor
from .loader import DEFAULT_BATCH_SIZE, DEFAULT_MODEL, cluster, pipeline, sources, store
from .loader import merge as merging
from .loader import model as models
from .loader.pipeline import ArticleResult
from .loader.sources import Article, PassedOver, ReadError, ReadOptions

__all__ = ["load", "extract", "merge", "LoadReport", "ArticleResult", "ReadError", "ReadOptions", "LoadError"]


class LoadError(Exception):
    """The load cannot start (the model is missing or unusable, the topic lexicon is bad) or cannot go on
    (another process held the database's write lock for longer than a load waits)."""


@dataclass
class LoadReport:
    """What a load did. `errors` lists every input not loaded, each naming its file (and line)."""

    database: str
    model: str = ""  # name and version of the spaCy pipeline
    articles: int = 0  # written, replacements included
    replaced: int = 0
    unchanged: int = 0
    sentences: int = 0
    claims: int = 0
    facts: int = 0
    errors: list[ReadError] = field(default_factory=list)
    passed_over: PassedOver = field(default_factory=PassedOver)  # files in folders of no format read here
    seconds: float = 0.0

    def add(self, counts: store.WriteCounts) -> None:
        """Count what a batch wrote."""
        for name in ("articles", "replaced", "unchanged", "sentences", "claims", "facts"):
            setattr(self, name, getattr(self, name) + getattr(counts, name))

    @property
    def ok(self) -> bool:
        """Nothing went wrong and something was read: a load that found no article is not a success."""
        return not self.errors and bool(self.articles or self.unchanged)

    def summary(self) -> str:
        line = (f"{counted(self.articles, 'article')} loaded ({self.replaced} replaced, {self.unchanged} "
                f"unchanged), {counted(self.sentences, 'sentence')}, {counted(self.claims, 'claim')}, "
                f"{counted(self.facts, 'fact')}, {counted(len(self.errors), 'error')} in {self.seconds:.1f}s")
        if self.articles and self.seconds:
            line += f" ({self.articles / self.seconds:.1f} articles/s)"
        return line


def counted(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def prepare(model: str = DEFAULT_MODEL, topics: str | None = None):
    """The spaCy pipeline and the extractor; LoadError naming the problem when either cannot be made."""
    try:
        nlp = models.load_model(model)
        return nlp, Extractor(nlp, {"topics": topics})
    except (ValueError, models.ModelError) as ex:
        raise LoadError(str(ex)) from None


def extract(paths: Iterable[str], *, model: str = DEFAULT_MODEL, workers: int = 1,
            batch_size: int = DEFAULT_BATCH_SIZE, topics: str | None = None,
            options: ReadOptions | None = None) -> Iterator[ArticleResult | ReadError]:
    """Read and extract every article of `paths` (files, folders, `-` for standard input), in input
    order: an `ArticleResult` per article (with its `extraction`, or its `error` when extraction
    failed), a `ReadError` per input that could not be read. Nothing is written."""
    nlp, extractor = prepare(model, topics)  # here, not on the first next(): a bad model fails the call
    items = sources.read_paths(paths, options=options or ReadOptions())
    return pipeline.process(items, nlp, extractor, batch_size, workers)


def load(database: str, paths: Iterable[str], *, model: str = DEFAULT_MODEL, workers: int = 1,
         batch_size: int = DEFAULT_BATCH_SIZE, topics: str | None = None, replace: bool = False,
         reextract: bool = False, options: ReadOptions | None = None,
         on_error: Callable[[ReadError], None] | None = None,
         on_progress: Callable[[int], None] | None = None, scheduler: str | None = None,
         shards: str | None = None) -> LoadReport:
    """Load the articles of `paths` into `database` (created or upgraded as needed), one transaction
    per batch; loading the same articles again changes nothing. `on_error` hears of each input not
    loaded as it happens, `on_progress` of how many inputs were settled. `options` says how to read
    records (field names, the order of numeric dates). With `scheduler` (a Dask scheduler's address,
    or `local:N`) articles are parsed and extracted on the cluster's workers (loader/cluster.py); with
    `shards` too (a folder every worker and this machine see), each worker writes its own shard there
    and the shards are merged into `database` at the end."""
    if shards and not scheduler:
        raise LoadError("shards are written by the workers of a cluster: give --scheduler too")
    try:
        return _load(database, paths, model, workers, batch_size, topics, replace, reextract, options, on_error,
                     on_progress, scheduler, shards)
    except store.DatabaseLocked as ex:
        raise LoadError(f"{ex}; what was loaded before is kept: run the load again for the rest") from None
    except (cluster.ClusterError, merging.MergeError) as ex:
        raise LoadError(str(ex)) from None


def merge(database: str, shards: Iterable[str], on_shard: Callable[[str], None] | None = None):
    """Fold shard databases (each written by `load` anywhere) into `database`; see loader/merge.py.
    Returns a `MergeReport`; LoadError for a shard that cannot be merged, naming it."""
    try:
        return merging.merge(database, shards, on_shard)
    except (merging.MergeError, store.DatabaseLocked) as ex:
        raise LoadError(str(ex)) from None


def upgrade(database: str) -> tuple[int, int]:
    """Bring a database written by an older version to this version's schema (what `load` does before
    it writes); returns (schema before, schema after). The pages refuse an outdated database."""
    import os

    if not os.path.isfile(database):
        raise LoadError(f"{database}: no such database")
    try:
        db = store.open_db(database)
        before = store.schema_version(db)
        store.record_schema(db)
    except store.DatabaseLocked as ex:
        raise LoadError(str(ex)) from None
    return before, store.SCHEMA_VERSION


def _load(database, paths, model, workers, batch_size, topics, replace, reextract, options, on_error,
          on_progress, scheduler, shards) -> LoadReport:
    started = time.perf_counter()
    with cluster.connected(scheduler) as client:
        return _load_on(database, paths, model, workers, batch_size, topics, replace, reextract, options,
                        on_error, on_progress, scheduler, client, started, shards)


def _load_on(database, paths, model, workers, batch_size, topics, replace, reextract, options, on_error,
             on_progress, scheduler, client, started, shards) -> LoadReport:
    """The load, with a Dask client or None (this machine's processes)."""
    options = options or ReadOptions()
    if client is None:
        nlp, extractor = prepare(model, topics)
        info = models.model_info(nlp, model)
    else:  # the workers have the model: the loading machine only reads and writes
        info = cluster.model_info(client, model, topics)
    db = store.open_db(database)
    writer = store.Writer(db, replace=replace, reextract=reextract)
    writer.record_model(info.name, info.version)
    report = LoadReport(database=str(database), model=f"{info.name} {info.version}")
    advance = on_progress or (lambda n: None)

    def fail(error: ReadError) -> None:
        report.errors.append(error)
        if on_error is not None:
            on_error(error)

    def settle(article_id: str, hashed: str, origin: str) -> tuple[bool, ReadError | None]:
        """Whether an article needs parsing: unchanged ones and conflicts are settled before spaCy sees them."""
        status = writer.status(article_id, hashed)
        if status == "unchanged":
            report.unchanged += 1
            advance(1)
        return status not in ("unchanged", "conflict"), (conflict_error(origin, article_id)
                                                        if status == "conflict" else None)

    def wanted(inputs: list[str]) -> Iterator[Article | ReadError]:
        """The articles of `inputs` that need parsing, read on this machine."""
        for item in sources.read_paths(inputs, options=options, passed_over=report.passed_over):
            if isinstance(item, ReadError):
                yield item
                continue
            keep, error = settle(item.id, store.text_hash(item.text), item.origin)
            if error is not None:
                yield error
            elif keep:
                yield item

    if client is not None:  # the workers read what they can see; this machine reads the rest
        units = cluster.tasks(client, paths, wanted, report.passed_over)
    if shards:  # every worker writes its own shard; this machine reads, settles, then merges
        for counts, errors in cluster.process_to_shards(client, units, model, topics, batch_size, shards,
                                                        (info.name, info.version), settle, options, scheduler):
            report.add(counts)
            for error in errors:
                fail(error)
            advance(counts.articles + counts.unchanged + len(errors))
        db.close()
        merged = merging.merge(database, sorted(str(p) for p in Path(shards).glob("shard-*.db")))
        report.errors += [ReadError(database, conflict) for conflict in merged.conflicts]
        report.seconds = time.perf_counter() - started
        return report
    if client is not None:
        stream = cluster.process(client, units, model, topics, batch_size, settle, options, scheduler)
    else:
        stream = pipeline.process(wanted(paths), nlp, extractor, batch_size, workers)
    write_all(stream, writer, report, batch_size, fail, advance)
    writer.finish()
    report.seconds = time.perf_counter() - started
    return report


def write_all(stream, writer, report: LoadReport, batch_size: int, fail, advance) -> None:
    """Write the extracted articles batch by batch, each in one transaction, counting as they go."""
    while True:
        batch, batch_errors = [], []
        for item in islice(stream, batch_size):
            if isinstance(item, ReadError):
                batch_errors.append(item)
            elif item.error:
                batch_errors.append(item.error)
            else:
                batch.append((item.article, item.extraction))
        if not batch and not batch_errors:
            break
        counts, conflicts = writer.write_batch(batch)
        report.add(counts)
        for error in batch_errors + [conflict_error(a.origin, a.id) for a in conflicts]:
            fail(error)
        advance(len(batch) + len(batch_errors))


def conflict_error(origin: str, article_id: str) -> ReadError:
    return ReadError(origin, f"article id {article_id!r} is already loaded with a different text; not "
                             "overwritten (use --replace to overwrite it)")
