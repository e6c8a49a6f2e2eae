"""The `newsclaims` command: a thin layer over the Python API (datasette_newsclaims.api) that formats its reports.

spaCy is imported when a command runs, never for `--help`.
"""

from __future__ import annotations

import json
import logging
import sys

import click

from .loader import DEFAULT_BATCH_SIZE, DEFAULT_MODEL, default_workers

log = logging.getLogger("datasette_newsclaims")


def common_options(func):
    func = click.option("--model", default=DEFAULT_MODEL, show_default=True,
                        help="Installed spaCy English pipeline to use")(func)
    func = click.option("--batch-size", default=DEFAULT_BATCH_SIZE, show_default=True, type=click.IntRange(1, 10_000),
                        help="Articles per spaCy batch and per database transaction")(func)
    func = click.option("--workers", default=default_workers(), show_default=True,
                        type=click.IntRange(1, 64), help="Parser processes")(func)
    func = click.option("--topics", "topics_path", type=click.Path(dir_okay=False),
                        help="Topic lexicon (JSON: topic -> list of terms) instead of the packaged one")(func)
    func = click.option("-v", "--verbose", is_flag=True,
                        help="Log more: the traceback of every extraction that failed")(func)
    return func


@click.group()
@click.version_option(package_name="datasette-newsclaims")
def cli():
    "Find who said what, to whom and when in news articles."


class EchoHandler(logging.Handler):
    """Log records to standard error through click, like the rest of the command's messages."""

    def emit(self, record: logging.LogRecord) -> None:
        click.echo(self.format(record), err=True)


def setup_logging(verbose: bool) -> None:
    """The package's log on standard error: warnings, or everything with --verbose."""
    handler = EchoHandler()
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    log.handlers[:] = [handler]
    log.propagate = False
    log.setLevel(logging.DEBUG if verbose else logging.WARNING)


def report_error(error) -> None:
    click.echo(f"error: {error}", err=True)
    if error.detail:
        log.debug("%s\n%s", error, error.detail.rstrip())


@cli.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--format", "fmt", type=click.Choice(["jsonl", "json"]), default="jsonl", show_default=True)
@common_options
def extract(paths, fmt, model, batch_size, workers, topics_path, verbose):
    """Print the claims and facts found in PATHS (files, folders, or - for stdin) without writing a database.

    One JSON line per article, in input order, offsets into the text as given.
    """
    from . import api

    setup_logging(verbose)
    try:
        results = api.extract(paths, model=model, workers=workers, batch_size=batch_size, topics=topics_path)
        errors = 0
        first = True
        if fmt == "json":
            click.echo("[", nl=False)
        for item in results:
            error = item if isinstance(item, api.ReadError) else item.error
            if error is not None:
                report_error(error)
                errors += 1
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
    except api.LoadError as ex:
        raise click.ClickException(str(ex)) from None
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
def load(database, paths, model, batch_size, workers, topics_path, verbose, replace, reextract):
    """Load articles from PATHS (files, folders, or - for stdin) into DATABASE.

    Reads seed .txt files ("date YYYY-MM-DD" then the article), plain .txt,
    .jsonl/.json and .csv (fields id, text, and optional title, date, url, source).
    Loading the same articles again changes nothing.
    """
    from . import api
    from .loader import sources

    setup_logging(verbose)
    total = sources.count_records(paths) if sys.stderr.isatty() else None
    bar = click.progressbar(length=total, label="Loading", file=sys.stderr) if total else None
    try:
        if bar is not None:
            bar.__enter__()
        report = api.load(database, paths, model=model, workers=workers, batch_size=batch_size,
                          topics=topics_path, replace=replace, reextract=reextract, on_error=report_error,
                          on_progress=bar.update if bar is not None else None)
    except api.LoadError as ex:
        raise click.ClickException(str(ex)) from None
    finally:
        if bar is not None:
            bar.__exit__(None, None, None)
    click.echo(report.summary(), err=True)
    click.echo(f"model {report.model}; database {database}", err=True)
    if report.errors:
        click.echo(f"{len(report.errors)} input(s) not loaded:", err=True)
        for error in report.errors:
            click.echo(f"  {error}", err=True)
        sys.exit(1)


if __name__ == "__main__":
    cli()
