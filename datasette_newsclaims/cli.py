"""The `newsclaims` command: a thin layer over the Python API (datasette_newsclaims.api) that formats its reports.

spaCy is imported when a command runs, never for `--help`.
"""

from __future__ import annotations

import json
import logging
import sys
from pathlib import Path

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
    func = click.option("--field", "fields", multiple=True, metavar="ROLE=NAME", callback=parse_fields,
                        help="Read a record's ROLE (text, title, date, url, source, id) from the field NAME, "
                             "e.g. --field text=story_text (repeatable)")(func)
    func = click.option("--date-order", type=click.Choice(["MDY", "DMY", "YMD"], case_sensitive=False),
                        help="How to read ambiguous numeric dates like 03/04/2021 (default MDY)")(func)
    func = click.option("-v", "--verbose", is_flag=True,
                        help="Log more: the traceback of every extraction that failed")(func)
    return func


def parse_fields(ctx, param, values) -> dict:
    from .loader.sources import ROLES  # the readers, not spaCy: --help stays light

    fields = {}
    for value in values:
        role, _, name = value.partition("=")
        if role not in ROLES or not name.strip():
            raise click.BadParameter(f"{value!r}: expected ROLE=NAME with ROLE one of {', '.join(ROLES)}")
        fields[role] = name.strip()
    return fields


def read_options(fields: dict, date_order: str | None):
    from .loader.sources import ReadOptions

    return ReadOptions(fields=fields, date_order=date_order.upper() if date_order else None)


def check_database_path(database: str, paths) -> None:
    """One-line errors for the mistakes a newcomer makes: a folder that does not exist, the arguments
    swapped (`load in.jsonl out.db`), an input given as the database."""
    path = Path(database)
    if not path.parent.exists():
        raise click.UsageError(f"cannot create {database}: the folder {path.parent} does not exist")
    from .loader.sources import format_of

    if format_of(path.name)[0] and path.exists() and any(p.endswith((".db", ".sqlite", ".sqlite3")) for p in paths):
        raise click.UsageError(f"{database} looks like an input and {paths[-1]} like the database: "
                               "the database comes first (newsclaims load news.db INPUT...)")
    if path.exists() and path.is_file():
        with path.open("rb") as fh:
            head = fh.read(16)
        if head and not head.startswith(b"SQLite format 3"):
            raise click.UsageError(f"{database} exists and is not a SQLite database: the database comes first "
                                   "(newsclaims load news.db INPUT...)")


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


def loader_api(command: str):
    """The loader's API, or one line saying what to install: serving needs only Datasette, so the packages
    that build a database (spaCy and its model, dateparser, sqlite-utils, the readers) are an extra."""
    try:
        from . import api
    except ImportError as ex:
        raise click.ClickException(f"newsclaims {command} needs the loader's packages ({ex.name} is not installed): "
                                   "pip install 'datasette-newsclaims[load]'") from None
    return api


@cli.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--format", "fmt", type=click.Choice(["jsonl", "json"]), default="jsonl", show_default=True)
@common_options
def extract(paths, fmt, model, batch_size, workers, topics_path, fields, date_order, verbose):
    """Print the claims and facts found in PATHS (files, folders, or - for stdin) without writing a database.

    One JSON line per article, in input order, offsets into the text as given.
    """
    api = loader_api("extract")

    setup_logging(verbose)
    try:
        results = api.extract(paths, model=model, workers=workers, batch_size=batch_size, topics=topics_path,
                              options=read_options(fields, date_order))
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
@click.option("--scheduler", metavar="ADDRESS",
              help="Parse and extract on a Dask cluster: a scheduler's address (tcp://host:8786), or local:N for "
                   "N worker processes on this machine (needs the [dask] extra)")
@click.option("--shards", metavar="DIR", type=click.Path(file_okay=False),
              help="With --scheduler: every worker writes its own shard into DIR (seen by the workers and this "
                   "machine), merged into DATABASE at the end")
def load(database, paths, model, batch_size, workers, topics_path, fields, date_order, verbose, replace, reextract,
         scheduler, shards):
    """Load articles from PATHS (files, folders, or - for stdin) into DATABASE.

    Reads text (.txt, the seed format "date YYYY-MM-DD" then the article), JSON
    lines and JSON documents, CSV, web pages (.html), WARC archives, RSS/Atom
    feeds and Parquet, compressed or not (.gz, .bz2, .xz). Loading the same
    articles again changes nothing.
    """
    api = loader_api("load")
    from .loader import sources

    check_database_path(database, paths)
    setup_logging(verbose)
    total = sources.count_records(paths) if sys.stderr.isatty() else None
    bar = click.progressbar(length=total, label="Loading", file=sys.stderr) if total else None
    try:
        if bar is not None:
            bar.__enter__()
        report = api.load(database, paths, model=model, workers=workers, batch_size=batch_size,
                          topics=topics_path, replace=replace, reextract=reextract,
                          options=read_options(fields, date_order), on_error=report_error,
                          on_progress=bar.update if bar is not None else None, scheduler=scheduler,
                          shards=shards)
    except api.LoadError as ex:
        raise click.ClickException(str(ex)) from None
    finally:
        if bar is not None:
            bar.__exit__(None, None, None)
    click.echo(report.summary(), err=True)
    click.echo(f"model {report.model}; database {database}", err=True)
    if report.passed_over:
        click.echo(f"passed over: {report.passed_over.describe()}", err=True)
    if report.errors:
        click.echo(f"{len(report.errors)} input(s) not loaded:", err=True)
        for error in report.errors:
            click.echo(f"  {error}", err=True)
    if not report.ok and not report.errors:
        click.echo("no articles found in the inputs", err=True)
    if not report.ok:
        sys.exit(1)


@cli.command()
@click.argument("database", type=click.Path(dir_okay=False))
@click.argument("shards", nargs=-1, required=True, type=click.Path(dir_okay=False))
def merge(database, shards):
    """Fold SHARDS (databases `newsclaims load` wrote, on any machine) into DATABASE.

    Row ids are given anew; speakers and topics are one row per name; surnames, speaker kinds, kept counts
    and the full-text indexes are worked out once for the result, which holds what one load of all the
    inputs holds. Merging a shard twice changes nothing. Shards of another schema or extractor version
    are refused.
    """
    api = loader_api("merge")
    try:
        report = api.merge(database, shards, on_shard=lambda shard: click.echo(f"merged {shard}", err=True))
    except api.LoadError as ex:
        raise click.ClickException(str(ex)) from None
    click.echo(report.summary(), err=True)
    for conflict in report.conflicts:
        click.echo(f"  {conflict}", err=True)
    if report.conflicts:
        sys.exit(1)


@cli.command()
@click.argument("database", type=click.Path(dir_okay=False))
def upgrade(database):
    """Bring DATABASE, written by an older version, to this version's schema (a load does it too)."""
    api = loader_api("upgrade")
    try:
        before, after = api.upgrade(database)
    except api.LoadError as ex:
        raise click.ClickException(str(ex)) from None
    click.echo(f"{database}: schema {before} -> {after}" if before != after else
               f"{database}: schema {after}, already current", err=True)


if __name__ == "__main__":
    cli()
