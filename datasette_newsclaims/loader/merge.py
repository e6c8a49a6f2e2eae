"""Shards into one database: `newsclaims merge news.db shard-*.db`.

A shard is an ordinary database that `newsclaims load` wrote on any machine. Merging copies each
shard's new articles (ids not in the target yet; an id there with another text is a conflict, reported
and left out) with everything extracted from them, under new row ids; speakers, their aliases and
topics are one row per slug across shards. What depends on the whole corpus is then worked out once
for the result, as a load works it out batch by batch: the surnames joined to full names
(identity.py; a claim is copied under the speaker its article names), the speakers' kinds, the kept
counts and the full-text indexes (rebuilt once, not by triggers row by row). So a merged database holds
what one load of all the inputs holds, row ids aside, and merging a shard twice changes nothing.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ..extract import EXTRACTOR_VERSION
from ..vocabulary import META_TABLE, SCHEMA_VERSION, slug
from . import counts as kept
from . import identity, quotations
from .store import fill_dated, open_db, write_transaction

FTS_TABLES = ("claims", "sentences")  # their FTS triggers are dropped during a merge, the index rebuilt after


class MergeError(Exception):
    """A shard that cannot be merged (missing, not a newsclaims database, another schema or extractor)."""


@dataclass
class MergeReport:
    database: str
    shards: int = 0
    articles: int = 0  # copied
    unchanged: int = 0  # already in the target with the same text
    conflicts: list[str] = field(default_factory=list)  # "shard: article id", same id with another text
    claims: int = 0
    seconds: float = 0.0

    def summary(self) -> str:
        line = (f"{self.shards} shard(s) merged into {self.database}: {self.articles} article(s) copied, "
                f"{self.unchanged} already there, {self.claims} claim(s), {len(self.conflicts)} conflict(s) "
                f"in {self.seconds:.1f}s")
        if self.claims and self.seconds:
            line += f" ({self.claims / self.seconds:,.0f} claims/s)"
        return line


def check_shard(path: str) -> None:
    """MergeError unless `path` is a newsclaims database of this schema and extractor version."""
    if not Path(path).is_file():
        raise MergeError(f"{path}: no such database")
    try:
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            meta = dict(db.execute(f"select key, value from {META_TABLE}").fetchall())
        finally:
            db.close()
    except sqlite3.Error as ex:
        raise MergeError(f"{path}: not a newsclaims database ({ex})") from None
    if meta.get("schema_version") != str(SCHEMA_VERSION):
        raise MergeError(f"{path}: schema {meta.get('schema_version')}, this version merges schema "
                         f"{SCHEMA_VERSION}: run `newsclaims upgrade {path}` first")
    if meta.get("extractor_version") not in (None, EXTRACTOR_VERSION):
        raise MergeError(f"{path}: extracted by extractor version {meta.get('extractor_version')}, this version "
                         f"is {EXTRACTOR_VERSION}: load it again with --reextract first")


PENDING = "merge_pending"  # in newsclaims_meta from the first shard copied to the end: the FTS triggers' SQL


def merge(database: str, shards: Iterable[str], on_shard: Callable[[str], None] | None = None) -> MergeReport:
    """Fold `shards` into `database` (created when missing): each shard in one transaction (all of it or
    none), then what depends on the whole corpus in one more. The full-text triggers are off from the
    first shard to the end (their SQL kept in newsclaims_meta), and the indexes rebuilt once; an
    interrupted merge leaves whole shards and that mark, and the same command finishes it."""
    import json
    import time

    started = time.perf_counter()
    shards = list(shards)
    for shard in shards:
        check_shard(shard)
        if Path(shard).resolve() == Path(database).resolve():
            raise MergeError(f"{shard} is the database being merged into")
    report = MergeReport(database=str(database))
    db = open_db(database)
    db.conn.create_function("newsclaims_slug", 1, slug, deterministic=True)
    for shard in shards:
        db.execute("attach database ? as shard", [shard])  # outside a transaction, as SQLite wants
        try:
            with write_transaction(db):
                triggers = fts_triggers(db)
                if triggers:
                    db[META_TABLE].upsert({"key": PENDING, "value": json.dumps(triggers)}, pk="key")
                    for name in triggers:
                        db.execute(f"drop trigger [{name}]")
                copy_shard(db, shard, report)
        finally:
            db.execute("detach database shard")
        report.shards += 1
        if on_shard is not None:
            on_shard(shard)
    pending = db.execute(f"select value from {META_TABLE} where key = ?", [PENDING]).fetchone()
    if pending:
        with write_transaction(db):
            for table in FTS_TABLES:  # the full-text indexes, once, rather than by triggers row by row
                db.execute(f"insert into [{table}_fts]([{table}_fts]) values ('rebuild')")
            fill_dated(db)  # and the quotes in date order
            for sql in json.loads(pending[0]).values():
                db.execute(sql)
            settle_corpus(db)  # moves claims between speakers: with the indexes whole and the triggers back
            quotations.refresh(db)  # with the speakers settled
            db[META_TABLE].upsert_all([
                {"key": "schema_version", "value": str(SCHEMA_VERSION)},
                {"key": "extractor_version", "value": EXTRACTOR_VERSION},
                {"key": "claim_count", "value": str(db.execute("select count(*) from claims").fetchone()[0])},
            ], pk="key")
            db.execute(f"delete from {META_TABLE} where key = ?", [PENDING])
        db.execute("analyze")
    report.seconds = time.perf_counter() - started
    return report


def fts_triggers(db) -> dict[str, str]:
    """The full-text triggers on claims and sentences (those that keep the claims sample stay on: they
    write one claim in sixteen; and those that list the quotations to work out again)."""
    marks = ", ".join("?" for _ in FTS_TABLES)
    return dict(db.execute(f"select name, sql from sqlite_master where type = 'trigger' and tbl_name in ({marks}) "
                           "and name not like 'newsclaims_sample%' and name not like 'newsclaims_quotation%'",
                           FTS_TABLES).fetchall())


def columns(db, schema: str, table: str) -> list[str]:
    return [row[1] for row in db.execute(f"pragma {schema}.table_info([{table}])").fetchall()]


def copy_shard(db, shard: str, report: MergeReport) -> int:
    """Copy the attached shard's new articles and what was extracted from them, under new row ids; returns
    how many articles were copied."""
    db.execute("create temp table merging (id text primary key)")
    db.execute("insert into merging select s.id from shard.articles s where s.id not in (select id from "
               "main.articles)")
    report.unchanged += db.execute(
        "select count(*) from shard.articles s join main.articles m on m.id = s.id and "
        "m.text_hash = s.text_hash").fetchone()[0]
    report.conflicts += [f"{shard}: article id {row[0]!r} is already merged with a different text" for row in
                         db.execute("select s.id from shard.articles s join main.articles m on m.id = s.id "
                                    "and m.text_hash != s.text_hash").fetchall()]
    offsets = {table: db.execute(f"select coalesce(max(id), 0) from main.[{table}]").fetchone()[0] -
               db.execute(f"select coalesce(min(id), 1) - 1 from shard.[{table}]").fetchone()[0]
               for table in ("sentences", "claims", "facts")}
    new = "article_id in (select id from temp.merging)"

    def copy(table: str, where: str, replace: dict | None = None, verb: str = "insert") -> int:
        in_shard = set(columns(db, "shard", table))
        names = [c for c in columns(db, "main", table) if c in in_shard]
        values = [(replace or {}).get(c, f"[{c}]") for c in names]
        cursor = db.execute(f"{verb} into main.[{table}] ({', '.join(f'[{c}]' for c in names)}) "
                            f"select {', '.join(values)} from shard.[{table}] where {where}")
        return cursor.rowcount

    copied = copy("articles", "id in (select id from temp.merging)")
    report.articles += copied
    copy("sentences", new, {"id": f"id + {offsets['sentences']}"})
    # one row per slug; where a surname went is worked out again for the whole corpus (settle_corpus)
    copy("speakers", "1", {"merged_into": "null"}, verb="insert or ignore")
    copy("speaker_aliases", "1", verb="insert or ignore")
    copy("topics", "1", verb="insert or ignore")
    # a claim comes under the speaker (and addressee) its article names, as a load first writes it
    first_claim = db.execute("select coalesce(max(id), 0) from main.claims").fetchone()[0]
    report.claims += copy("claims", new, {
        "id": f"id + {offsets['claims']}", "sentence_id": f"sentence_id + {offsets['sentences']}",
        "speaker_id": "article_speaker_id", "quotation_id": "null",
        "target_speaker_id": "case when target_speaker_id is null then null else newsclaims_slug(target) end"})
    copy("claim_topics", f"claim_id in (select id from shard.claims where {new})",
         {"claim_id": f"claim_id + {offsets['claims']}"}, verb="insert or ignore")
    copy("facts", new, {"id": f"id + {offsets['facts']}", "sentence_id": f"sentence_id + {offsets['sentences']}"})
    quotations.assign_unassigned(db, after_id=first_claim)  # matched as a load matches them, in id order
    db.execute("drop table temp.merging")
    return copied


def settle_corpus(db) -> None:
    """What depends on the whole corpus, worked out once: kept counts from the claims, the speakers' kinds
    by their articles' votes, the surnames joined to full names, and the kept counts after them."""
    db.execute("delete from kept_counts")
    db.execute("delete from network_edges")
    kept.fill(db)
    speakers = [row[0] for row in db.execute("select id from speakers").fetchall()]
    identity.settle_kinds(db, speakers)
    surnames = [row[0] for row in db.execute("select distinct surname from speakers where surname is not null")]
    identity.settle(db, surnames, kept.Deltas()).apply(db)
