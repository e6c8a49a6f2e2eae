"""Parsing and extraction on a Dask cluster: the batches of `pipeline.process`, run on the workers of a
Dask scheduler (`tcp://host:8786`), or of a `LocalCluster` started for the load (`local:N`).

The workers read the inputs they can see (sources/pieces.py: ranges of JSON lines files, pages, texts and
feeds, on paths they share with this machine or at fsspec URLs such as `s3://`), parse and extract; this
machine lists and cuts the inputs, settles each piece's articles against the database before they are
parsed (from their ids and text hashes: a rerun parses nothing already loaded), reads what the workers
cannot, and writes the database. Each worker process loads the model once (`_MODELS`) and keeps it for
every task it runs. At most two tasks per worker thread are out at a time, and results come back in
input order, so this machine's memory does not grow with the corpus and a distributed load writes
exactly what `--workers 1` writes. A worker that dies takes its task with it and Dask runs it again
elsewhere; a scheduler that goes away ends the load with `ClusterError` (what was written stays written:
the same command finishes the job).

Dask and distributed are an optional extra: `pip install 'datasette-newsclaims[dask]'`.
"""

from __future__ import annotations

import contextlib
import copy
import os
import re
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import groupby
from pathlib import Path

from ..extract import Extractor
from . import model as models
from . import store
from .pipeline import ArticleResult, batched, run_batch
from .sources import Article, ReadError
from .sources.pieces import Piece, ReadPiece, plan, read_piece, renumbered

Settle = Callable[[str, str, str], "tuple[bool, ReadError | None]"]  # (id, text hash, origin) -> parse it?, error

TASK_ARTICLES = 64  # articles per task: some seconds of a worker's time, many tasks per worker
LOCAL = re.compile(r"^local(?::(\d+))?$")
CONNECT_TIMEOUT = "30s"
WORKER_WAIT_SECONDS = 120


# Dask's settings for a LocalCluster started for a load (the README gives them for `dask worker`). Measured
# on 2,000 articles with 2 workers: 79 s and 149 s of CPU with Dask's defaults, 64 s and 115 s with these.
LOCAL_CONFIG = {
    # the sampling profiler looks at every task's stack every 10 ms: a tenth of the parse time
    "distributed.worker.profile.enabled": False,
    # the workers' environment without MALLOC_TRIM_THRESHOLD_=65536, which makes glibc hand memory back
    # after every parse and fault it in again for the next (a fifth of the CPU went to the kernel)
    "distributed.nanny.pre-spawn-environ": {"OMP_NUM_THREADS": 1, "MKL_NUM_THREADS": 1, "OPENBLAS_NUM_THREADS": 1},
    # event-loop health checks every 20 ms, system and memory monitors every 0.5 s and 0.1 s: each wakes a
    # thread that takes the GIL from the parse
    "distributed.admin.tick.interval": "1s",
    "distributed.admin.system-monitor.interval": "2s",
    "distributed.worker.memory.monitor-interval": "1s",
}


class ClusterError(RuntimeError):
    """The cluster cannot be reached, or went away during the load."""


def client_for(scheduler: str):
    """A Dask client: `local:N` starts a LocalCluster of N worker processes (one thread each) that lives
    as long as the client; anything else is the address of a running scheduler."""
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        raise ClusterError("--scheduler needs Dask: pip install 'datasette-newsclaims[dask]'") from None
    import dask

    local = LOCAL.match(scheduler)
    try:
        if local:
            workers = int(local.group(1) or 2)
            with dask.config.set(LOCAL_CONFIG):
                cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                                       dashboard_address=None)
            return Client(cluster)
        client = Client(scheduler, timeout=CONNECT_TIMEOUT)
    except OSError as ex:  # includes distributed's CommClosedError and connect timeouts
        raise ClusterError(f"cannot reach the Dask scheduler at {scheduler}: {ex}") from None
    try:
        client.wait_for_workers(1, timeout=WORKER_WAIT_SECONDS)
    except TimeoutError:
        client.close()
        raise ClusterError(f"the Dask scheduler at {scheduler} has no workers (waited "
                           f"{WORKER_WAIT_SECONDS} s): start some with `dask worker {scheduler}`") from None
    return client


@contextlib.contextmanager
def connected(scheduler: str | None):
    """A client of the cluster for as long as the block runs (None without a scheduler); a LocalCluster
    started for it is closed with it."""
    if not scheduler:
        yield None
        return
    client = client_for(scheduler)
    try:
        yield client
    finally:
        cluster = getattr(client, "cluster", None)
        client.close()
        if cluster is not None:  # a LocalCluster started for this load
            cluster.close()


_MODELS: dict = {}  # (model, topics) -> (nlp, extractor): loaded once per worker process


def worker_model(model: str, topics: str | None):
    key = (model, topics)
    if key not in _MODELS:
        nlp = models.load_model(model)
        _MODELS[key] = (nlp, Extractor(nlp, {"topics": topics}))
    return _MODELS[key]


def extract_task(batch: list[Article | ReadError], model: str, topics: str | None,
                 batch_size: int) -> list[ArticleResult | ReadError]:
    """What a worker runs: `run_batch` with the worker's own copy of the model."""
    nlp, extractor = worker_model(model, topics)
    return run_batch(nlp, extractor, batch, batch_size)


_SHARDS: dict = {}  # shard path -> store.Writer, per worker process


def shard_task(batch: list[Article | ReadError], model: str, topics: str | None, batch_size: int,
               directory: str, info: tuple[str, str]) -> tuple[store.WriteCounts, list[ReadError]]:
    """What a worker runs with `--shards DIR`: `run_batch`, then the articles written into the worker's own
    shard (DIR/shard-<worker>.db, one transaction per task); returns the counts and the errors only."""
    from distributed import get_worker

    path = str(Path(directory) / f"shard-{re.sub(r'[^A-Za-z0-9_.-]+', '-', str(get_worker().name))}.db")
    if path not in _SHARDS:
        _SHARDS[path] = store.Writer(store.open_db(path))
        _SHARDS[path].record_model(*info)
    results = extract_task(batch, model, topics, batch_size)
    errors = [r if isinstance(r, ReadError) else r.error for r in results
              if isinstance(r, ReadError) or r.error is not None]
    counts, conflicts = _SHARDS[path].write_batch([(r.article, r.extraction) for r in results
                                                   if isinstance(r, ArticleResult) and r.error is None])
    errors += [ReadError(a.origin, f"article id {a.id!r} is already in {path} with a different text")
               for a in conflicts]
    return counts, errors


def model_info(client, model: str, topics: str | None) -> models.ModelInfo:
    """The model's name and version, as the workers have it; every worker loads it now, while the client
    starts reading. A model or topic lexicon the workers cannot load is a ClusterError."""
    def load(model, topics):
        return models.model_info(worker_model(model, topics)[0], model)
    try:
        infos = client.run(load, model, topics)
    except (ValueError, models.ModelError) as ex:
        raise ClusterError(f"the workers cannot load the model: {ex}") from None
    return next(iter(infos.values()))


def tasks(client, paths: Iterable[str], read: Callable[[list[str]], Iterable[Article | ReadError]],
          passed_over=None) -> Iterator[Piece | list[Article | ReadError]]:
    """The inputs as tasks, in input order: `Piece`s the workers read, and batches of TASK_ARTICLES of what
    `read(paths)` gives (the inputs this machine reads, settled)."""
    seen: dict[str, bool] = {}

    def workers_see(path: str) -> bool:
        if path not in seen:
            seen[path] = all(found == _stat(path) for found in client.run(_stat, path).values())
        return seen[path]

    for by_workers, units in groupby(plan(paths, workers_see, passed_over), key=lambda u: isinstance(u, Piece)):
        if by_workers:
            yield from units
        else:
            yield from batched(read(list(units)), TASK_ARTICLES)


def _stat(path: str) -> tuple[bool, int] | None:
    """(is a folder, size) of a path, None when it is not there: what workers must see as this machine does."""
    try:
        return os.path.isdir(path), os.path.getsize(path) if os.path.isfile(path) else 0
    except OSError:
        return None


def piece_keys(read: ReadPiece) -> tuple[list[tuple[int, str, str, str]], int]:
    """What this machine needs to settle a piece before it is parsed (position, id, text hash and origin of
    each article), and the lines of its range."""
    return ([(i, a.id, store.text_hash(a.text), a.origin) for i, a in enumerate(read.items)
             if isinstance(a, Article)], read.lines)


def piece_items(read: ReadPiece, skip: frozenset, name: str, offset: int) -> list[Article | ReadError]:
    """A piece's items to parse: those settled already left out, lines numbered from the file's start."""
    out = []
    for i, item in enumerate(read.items):
        if i not in skip:
            item = copy.copy(item)  # the read stays as it was: Dask may run this task again
            item.origin = renumbered(item.origin, name, offset)
            out.append(item)
    return out


def process(client, units: Iterable[Piece | list], model: str, topics: str | None, batch_size: int,
            settle: Settle, options=None, scheduler: str = "") -> Iterator[ArticleResult | ReadError]:
    """`pipeline.process` on the cluster: every article of `tasks(...)` parsed and extracted on a worker, in
    input order."""
    return _run(client, units, scheduler, lambda batch: client.submit(
        extract_task, batch, model, topics, batch_size, pure=False), lambda results: results, settle, options)


def process_to_shards(client, units: Iterable[Piece | list], model: str, topics: str | None,
                      batch_size: int, directory: str, info: tuple[str, str], settle: Settle, options=None,
                      scheduler: str = "") -> Iterator[tuple[store.WriteCounts, list[ReadError]]]:
    """Like `process`, but each worker writes what it extracts into a shard of its own in `directory` (no
    single writer); yields each task's counts and errors. `merge` folds the shards together after."""
    Path(directory).mkdir(parents=True, exist_ok=True)
    return _run(client, units, scheduler, lambda batch: client.submit(
        shard_task, batch, model, topics, batch_size, str(Path(directory).resolve()), info, pure=False),
        lambda outcome: [outcome], settle, options)


@dataclass
class _Reading:
    """A piece a worker is reading: its articles are settled here when their keys come back."""

    piece: Piece
    read: object  # the Future of read_piece: the articles stay on the workers
    keys: object  # the Future of piece_keys


def _run(client, units, scheduler: str, submit, unpack, settle: Settle, options) -> Iterator:
    """Tasks out, at most two per worker thread, their results in input order. A piece is read by a
    worker; its keys come back, are settled here, and only then is it parsed (`_parse`)."""
    from distributed import wait

    LOST = _lost()  # noqa: N806 (the exception classes of distributed, imported when there is a cluster)
    pending: deque = deque()  # _Reading, or (errors, Future of the task), in input order
    lines: dict[str, int] = {}  # file -> lines of its ranges settled so far

    def start_ready(wait_first: bool = False) -> None:
        """Start parsing the pieces whose keys are back, in input order (the first waits if asked)."""
        for i in range(len(pending)):
            entry = pending[i]
            if isinstance(entry, _Reading):
                if not (entry.keys.done() or (wait_first and i == 0)):
                    return
                pending[i] = _parse(client, entry, submit, settle, lines)

    def take():
        while True:
            start_ready()
            front = pending[0]
            if isinstance(front, _Reading):
                start_ready(wait_first=True)
                continue
            if front[1].done():
                break
            reading = next((e.keys for e in pending if isinstance(e, _Reading)), None)
            wait([front[1]] + ([reading] if reading is not None else []), return_when="FIRST_COMPLETED")
        errors, future = pending.popleft()
        yield from errors
        yield from unpack(future.result())

    try:
        for unit in units:
            if isinstance(unit, Piece):
                read = client.submit(read_piece, unit, options, pure=False)
                pending.append(_Reading(unit, read, client.submit(piece_keys, read, pure=False)))
            else:
                pending.append(([], submit(unit)))
            in_flight = max(2, 2 * sum(client.nthreads().values()))  # workers may come and go
            while len(pending) >= in_flight:
                yield from take()
        while pending:
            yield from take()
    except LOST as ex:
        raise ClusterError(f"the Dask scheduler {scheduler} went away during the load ({type(ex).__name__}: "
                           f"{ex}); what was loaded is kept: run the same command again for the rest") from None
    finally:
        for entry in pending:
            for future in ((entry.read, entry.keys) if isinstance(entry, _Reading) else (entry[1],)):
                future.cancel()


def _parse(client, entry: _Reading, submit, settle: Settle, lines: dict[str, int]):
    """Settle a piece's articles from their keys and submit the rest for parsing: (errors, Future)."""
    keys, count = entry.keys.result()
    part = entry.piece.range
    offset = 0
    if part is not None:  # ranges of one file are settled in order: the lines before this one are known
        offset = lines.get(part.url, 0) if part.start else 0
        lines[part.url] = offset + count
    name = part.origin if part is not None else ""
    skip, errors = set(), []
    for position, article_id, hashed, origin in keys:
        keep, error = settle(article_id, hashed, renumbered(origin, name, offset))
        if not keep:
            skip.add(position)
        if error is not None:
            errors.append(error)
    items = client.submit(piece_items, entry.read, frozenset(skip), name, offset, pure=False)
    return errors, submit(items)


def _lost() -> tuple[type[BaseException], ...]:
    """What the client raises when the scheduler is gone: a closed or refused connection (OSError), a timeout,
    a future cancelled with the scheduler's state."""
    import asyncio
    import concurrent.futures

    from distributed import TimeoutError as DaskTimeout

    return OSError, DaskTimeout, asyncio.CancelledError, concurrent.futures.CancelledError


__all__ = ["ClusterError", "client_for", "connected", "tasks", "process", "process_to_shards", "TASK_ARTICLES"]
