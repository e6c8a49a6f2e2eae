"""The `newsclaims` command: load articles into a database, or print what would be extracted."""

from __future__ import annotations

import json
import sys
import time
from itertools import islice
from typing import Iterator

import click

from . import model as models, pipeline, sources, store
from ..extract import Extractor


def common_options(func):
    func = click.option("--model", default=models.DEFAULT_MODEL, show_default=True,
                        help="Installed spaCy English pipeline to use")(func)
    func = click.option("--batch-size", default=64, show_default=True, type=click.IntRange(1, 10_000),
                        help="Articles per spaCy batch and per database transaction")(func)
    func = click.option("--workers", default=pipeline.default_workers(), show_default=True,
                        type=click.IntRange(1, 64), help="Parser processes")(func)
    func = click.option("--topics", "topics_path", type=click.Path(dir_okay=False),
                        help="Topic lexicon (JSON: topic -> list of terms) instead of the packaged one")(func)
    return func


@click.group()
@click.version_option(package_name="datasette-newsclaims")
def cli():
    "Find who said what, to whom and when in news articles."


def prepare(model: str, topics_path: str | None):
    try:
        nlp = models.load_model(model)
        return nlp, Extractor(nlp, {"topics": topics_path})
    except (ValueError, models.ModelError) as ex:
        raise click.ClickException(str(ex))


def report_error(error: sources.ReadError, errors: list) -> None:
    errors.append(error)
    click.echo(f"error: {error}", err=True)


@cli.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--format", "fmt", type=click.Choice(["jsonl", "json"]), default="jsonl", show_default=True)
@common_options
def extract(paths, fmt, model, batch_size, workers, topics_path):
    """Print the claims and facts found in PATHS (files, folders, or - for stdin) without writing a database.

    One JSON line per article, in input order, offsets into the text as given.
    """
    nlp, extractor = prepare(model, topics_path)
    errors: list = []
    first = True
    if fmt == "json":
        click.echo("[", nl=False)
    for item in pipeline.process(sources.read_paths(paths), nlp, extractor, batch_size, workers):
        if isinstance(item, sources.ReadError):
            report_error(item, errors)
            continue
        if item.error:
            report_error(item.error, errors)
            continue
        article, extraction = item.article, item.extraction
        record = {"id": article.id, "title": article.title, "date": article.published,
                  "claims": extraction.claims_as_dicts(), "facts": [f.as_dict() for f in extraction.facts]}
        line = json.dumps(record, ensure_ascii=False)
        if fmt == "json":
            click.echo(("" if first else ",") + "\n" + line, nl=False)
        else:
            click.echo(line)
        first = False
    if fmt == "json":
        click.echo("\n]")
    if errors:
        sys.exit(1)


@cli.command()
@click.argument("database", type=click.Path(dir_okay=False))
@click.argument("paths", nargs=-1, required=True)
@common_options
@click.option("--replace", is_flag=True, help="Overwrite articles whose id is loaded with a different text")
@click.option("--reextract", is_flag=True, help="Re-extract articles loaded by an older extractor version")
def load(database, paths, model, batch_size, workers, topics_path, replace, reextract):
    """Load articles from PATHS (files, folders, or - for stdin) into DATABASE.

    Reads seed .txt files ("date YYYY-MM-DD" then the article), plain .txt,
    .jsonl/.json and .csv (fields id, text, and optional title, date, url, source).
    Loading the same articles again changes nothing.
    """
    started = time.perf_counter()
    nlp, extractor = prepare(model, topics_path)
    info = models.model_info(nlp, model)
    db = store.open_db(database)
    writer = store.Writer(db, replace=replace, reextract=reextract)
    writer.record_model(info.name, info.version)
    errors: list = []
    totals = store.WriteCounts()
    skipped = {"unchanged": 0}

    def wanted() -> Iterator:
        """Articles that need parsing: unchanged ones and conflicts are settled before spaCy sees them."""
        for item in sources.read_paths(paths):
            if isinstance(item, sources.ReadError):
                yield item
                continue
            status = writer.status(item)
            if status == "unchanged":
                skipped["unchanged"] += 1
                advance(1)
            elif status == "conflict":
                yield conflict_error(item)
            else:
                yield item

    show_progress = sys.stderr.isatty()
    total = sources.count_records(paths) if show_progress else None
    bar = click.progressbar(length=total, label="Loading", file=sys.stderr) if total else None

    def advance(n: int) -> None:
        if bar is not None:
            bar.update(n)

    if bar is not None:
        bar.__enter__()
    try:
        stream = pipeline.process(wanted(), nlp, extractor, batch_size, workers)
        while True:
            batch, batch_errors = [], []
            for item in islice(stream, batch_size):
                if isinstance(item, sources.ReadError):
                    batch_errors.append(item)
                elif item.error:
                    batch_errors.append(item.error)
                else:
                    batch.append((item.article, item.extraction))
            if not batch and not batch_errors:
                break
            counts, conflicts = writer.write_batch(batch)
            totals.add(counts)
            for error in batch_errors + [conflict_error(a) for a in conflicts]:
                report_error(error, errors)
            advance(len(batch) + len(batch_errors))
    finally:
        if bar is not None:
            bar.__exit__(None, None, None)
    writer.finish()
    elapsed = time.perf_counter() - started
    totals.unchanged += skipped["unchanged"]
    summary = (f"{totals.articles} articles loaded ({totals.replaced} replaced, {totals.unchanged} unchanged), "
               f"{totals.sentences} sentences, {totals.claims} claims, {totals.facts} facts, "
               f"{len(errors)} errors in {elapsed:.1f}s")
    if totals.articles:
        summary += f" ({totals.articles / elapsed:.1f} articles/s)"
    click.echo(summary, err=True)
    click.echo(f"model {info.name} {info.version}; database {database}", err=True)
    if errors:
        click.echo(f"{len(errors)} input(s) not loaded:", err=True)
        for error in errors:
            click.echo(f"  {error}", err=True)
        sys.exit(1)


def conflict_error(article: sources.Article) -> sources.ReadError:
    return sources.ReadError(article.origin, f"article id {article.id!r} is already loaded with a different "
                                             "text; not overwritten (use --replace to overwrite it)")


if __name__ == "__main__":
    cli()
