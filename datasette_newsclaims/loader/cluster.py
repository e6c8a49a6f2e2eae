"""Parsing and extraction on a Dask cluster: the batches of `pipeline.process`, run on the workers of a
Dask scheduler (`tcp://host:8786`), or of a `LocalCluster` started for the load (`local:N`).

The client reads the inputs and writes the database, as a local load does; the workers parse and
extract. Each worker process loads the model once (`_MODELS`) and keeps it for every task it runs. At
most `in_flight` tasks are out at a time, and results come back in input order, so the client's memory
does not grow with the corpus and a distributed load writes exactly what `--workers 1` writes. A worker
that dies takes its task with it and Dask runs it again elsewhere; a scheduler that goes away ends the
load with `ClusterError` (what was written stays written: the same command finishes the job).

Dask and distributed are an optional extra: `pip install 'datasette-newsclaims[dask]'`.
"""

from __future__ import annotations

import contextlib
import re
from collections import deque
from collections.abc import Iterable, Iterator
from pathlib import Path

from ..extract import Extractor
from . import model as models
from . import store
from .pipeline import ArticleResult, batched, run_batch
from .sources import Article, ReadError

TASK_ARTICLES = 64  # articles per task: some seconds of a worker's time, many tasks per worker
LOCAL = re.compile(r"^local(?::(\d+))?$")
CONNECT_TIMEOUT = "30s"
WORKER_WAIT_SECONDS = 120


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
            # Dask's sampling profiler looks at every task's stack every 10 ms: a tenth of the parse time
            with dask.config.set({"distributed.worker.profile.enabled": False}):
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


def process_to_shards(client, items: Iterable[Article | ReadError], model: str, topics: str | None,
                      batch_size: int, directory: str, info: tuple[str, str],
                      scheduler: str = "") -> Iterator[tuple[store.WriteCounts, list[ReadError]]]:
    """Like `process`, but each worker writes what it extracts into a shard of its own in `directory` (no
    single writer); yields each task's counts and errors. `merge` folds the shards together after."""
    Path(directory).mkdir(parents=True, exist_ok=True)
    return _run(client, items, scheduler, lambda batch: client.submit(
        shard_task, batch, model, topics, batch_size, str(Path(directory).resolve()), info, pure=False),
        lambda outcome: [outcome])


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


def process(client, items: Iterable[Article | ReadError], model: str, topics: str | None,
            batch_size: int, scheduler: str = "") -> Iterator[ArticleResult | ReadError]:
    """`pipeline.process` on the cluster: every article parsed and extracted on a worker, in input order,
    with at most two tasks per worker thread out at a time."""
    return _run(client, items, scheduler, lambda batch: client.submit(
        extract_task, batch, model, topics, batch_size, pure=False), lambda results: results)


def _run(client, items, scheduler: str, submit, unpack) -> Iterator:
    """Tasks of TASK_ARTICLES items, at most two per worker thread out, their results in input order."""
    LOST = _lost()  # noqa: N806 (the exception classes of distributed, imported when there is a cluster)
    pending: deque = deque()
    try:
        for batch in batched(items, TASK_ARTICLES):
            pending.append(submit(batch))
            in_flight = max(2, 2 * sum(client.nthreads().values()))  # workers may come and go
            while len(pending) >= in_flight:
                yield from unpack(pending.popleft().result())
        while pending:
            yield from unpack(pending.popleft().result())
    except LOST as ex:
        raise ClusterError(f"the Dask scheduler {scheduler} went away during the load ({type(ex).__name__}: "
                           f"{ex}); what was loaded is kept: run the same command again for the rest") from None
    finally:
        for future in pending:
            future.cancel()


def _lost() -> tuple[type[BaseException], ...]:
    """What the client raises when the scheduler is gone: a closed or refused connection (OSError), a timeout,
    a future cancelled with the scheduler's state."""
    import asyncio
    import concurrent.futures

    from distributed import TimeoutError as DaskTimeout

    return OSError, DaskTimeout, asyncio.CancelledError, concurrent.futures.CancelledError


__all__ = ["ClusterError", "client_for", "connected", "process", "process_to_shards", "TASK_ARTICLES"]
