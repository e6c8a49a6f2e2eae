"""Schema, migrations and writes.

Every article's rows (article, sentences, claims, facts, topic links) are
written in one transaction per batch, so a killed load leaves whole articles
or none. Loading the same article again is a no-op: articles are keyed by id
and their text hash.
"""

from __future__ import annotations

import contextlib
import datetime
import hashlib
import json
import logging
import sqlite3
import time
from dataclasses import dataclass, field

import sqlite_utils
from sqlite_utils import Migrations

from .. import vocabulary
from ..canonical import stored_as
from ..extract import EXTRACTOR_VERSION, Extraction
from ..vocabulary import (
    DATE_BASIS,
    DATED_FTS,
    LISTED_ON,
    META_TABLE,
    SAID_ON,
    SAMPLE_COLUMNS,
    SAMPLE_FTS,
    SAMPLE_KEPT,
    SAMPLE_TABLE,
    SAMPLE_TOPICS,
    STORED_CLAIM_FIELDS,
    UNNAMED,
    dated_key,
    listed_on,
    sample_bucket,
    sample_key,
    slug,
    speaker_id_for,
)
from . import counts as kept
from . import identity, quotations
from .sources import Article

log = logging.getLogger("datasette_newsclaims")
QUOTE_TOKENIZER = "porter unicode61"  # claims_fts: "prices" matches "price"

SCHEMA_VERSION = vocabulary.SCHEMA_VERSION
migrations = Migrations("datasette-newsclaims")


@migrations()
def m001_initial_schema(db: sqlite_utils.Database) -> None:
    db["articles"].create({
        "id": str, "title": str, "url": str, "source": str, "published": str, "text": str,
        "text_hash": str, "extractor_version": str, "loaded_at": str,
    }, pk="id")
    db["sentences"].create({
        "id": int, "article_id": str, "idx": int, "start": int, "end": int, "text": str,
    }, pk="id", foreign_keys=[("article_id", "articles", "id")])
    db["speakers"].create({"id": str, "name": str, "kind": str}, pk="id")
    db["speaker_aliases"].create({"speaker_id": str, "alias": str}, pk=("speaker_id", "alias"),
                                 foreign_keys=[("speaker_id", "speakers", "id")])
    db["topics"].create({"id": str, "name": str, "kind": str}, pk="id")
    db["claims"].create({
        "id": int, "article_id": str, "sentence_id": int, "speaker_id": str, "speaker_mention": str,
        "speaker_start": int, "speaker_end": int, "speaker_role": str, "cue": str, "cue_start": int,
        "cue_end": int, "target": str, "target_speaker_id": str, "target_start": int, "target_end": int,
        "quote": str, "start": int, "end": int, "kind": str, "said_on": str, "date_phrase": str,
        "date_source": str, "article_published": str, "topics": str, "pattern": str, "confidence": float,
    }, pk="id", foreign_keys=[
        ("article_id", "articles", "id"), ("sentence_id", "sentences", "id"),
        ("speaker_id", "speakers", "id"), ("target_speaker_id", "speakers", "id"),
    ])
    db["claim_topics"].create({"claim_id": int, "topic_id": str}, pk=("claim_id", "topic_id"),
                              foreign_keys=[("claim_id", "claims", "id"), ("topic_id", "topics", "id")])
    db["facts"].create({
        "id": int, "article_id": str, "sentence_id": int, "text": str, "start": int, "end": int,
        "value": str, "fact_date": str, "date_phrase": str, "entities": str,
    }, pk="id", foreign_keys=[("article_id", "articles", "id"), ("sentence_id", "sentences", "id")])
    db[META_TABLE].create({"key": str, "value": str}, pk="key")
    for table, columns in [
        ("articles", ["published"]), ("articles", ["source"]),
        ("sentences", ["article_id", "idx"]),
        ("claims", ["article_id"]), ("claims", ["sentence_id"]), ("claims", ["speaker_id"]),
        ("claims", ["target_speaker_id"]), ("claims", ["target"]), ("claims", ["kind"]),
        ("claims", ["said_on"]), ("claims", ["article_published"]),
        ("claim_topics", ["topic_id"]), ("speaker_aliases", ["alias"]),
        ("facts", ["article_id"]), ("facts", ["sentence_id"]), ("facts", ["fact_date"]),
    ]:
        db[table].create_index(columns)
    db["claims"].enable_fts(["quote"], fts_version="FTS5", create_triggers=True)  # stemmed by m007
    db["sentences"].enable_fts(["text"], fts_version="FTS5", create_triggers=True)


@migrations()
def m002_claim_date_and_counts(db: sqlite_utils.Database) -> None:
    """A sortable date on every claim (said_on, else the article's date, else '') and a kept claim count,
    so the claims browser pages by index and never counts the whole table per request."""
    db["claims"].add_column("claim_date", str, not_null_default="")
    db.execute("update claims set claim_date = coalesce(said_on, article_published, '')")
    db["claims"].create_index(["claim_date", "id"])
    db.execute(f"insert or replace into {META_TABLE} (key, value) values ('claim_count', "
               "(select count(*) from claims))")


@migrations()
def m003_kept_counts_and_browse_indexes(db: sqlite_utils.Database) -> None:
    """Counts kept in step by every load (see counts.py), and indexes that let every filtered list of
    claims be read newest first straight from an index: no page groups or sorts a million claims."""
    db["claim_topics"].add_column("claim_date", str, not_null_default="")
    db.execute("update claim_topics set claim_date = "
               "(select claim_date from claims where claims.id = claim_topics.claim_id)")
    db["claim_topics"].create_index(["topic_id", "claim_date", "claim_id"])
    for column in ("speaker_id", "kind", "target"):
        db["claims"].create_index([column, "claim_date", "id"])
    for old in ("idx_claims_speaker_id", "idx_claims_kind", "idx_claims_target", "idx_claim_topics_topic_id"):
        db.execute(f"drop index if exists [{old}]")  # prefixes of the indexes above
    kept.create_tables(db)  # filled by m006, which counts facets this migration's claims do not have yet


@migrations()
def m004_publication_timestamp(db: sqlite_utils.Database) -> None:
    """The full publication timestamp with its zone, where the input gave one, and where the date came
    from: 'given' (a date field, the seed prefix), 'page' (the HTML page), 'warc' (the archive record)."""
    db["articles"].add_column("published_at", str)
    db["articles"].add_column("published_from", str)
    db.execute("update articles set published_from = 'given' where published is not null")


@migrations()
def m005_given_id(db: sqlite_utils.Database) -> None:
    """The id an article was given, when it was longer than the pages serve and a shorter one stands in."""
    db["articles"].add_column("given_id", str)


@migrations()
def m006_speaker_kinds_venues_and_identity(db: sqlite_utils.Database) -> None:
    """A claim's speaker kind (as its article gives it), venue ("told Reuters") and outlet (its article's
    source), filters and facets;
    the speaker its article names, apart from the speaker across the corpus (identity.py merges a surname
    into the one full name the corpus has for it); the speakers' surnames, and where a speaker was merged."""
    for column, kind in (("venue", str), ("venue_start", int), ("venue_end", int), ("speaker_kind", str),
                         ("article_speaker_id", str), ("source", str)):
        db["claims"].add_column(column, kind)
    db.execute("update claims set article_speaker_id = speaker_id, "
               "speaker_kind = (select kind from speakers where speakers.id = claims.speaker_id), "
               "source = (select source from articles where articles.id = claims.article_id)")
    db["speakers"].add_column("surname", str)
    db["speakers"].add_column("merged_into", str)
    db.conn.executemany("update speakers set surname = ? where id = ?",
                        [(identity.surname(name), speaker_id) for speaker_id, name in
                         db.execute("select id, name from speakers where kind = 'person'").fetchall()])
    for column in ("venue", "speaker_kind", "source"):
        db["claims"].create_index([column, "claim_date", "id"])
    db["speakers"].create_index(["surname"])
    db["speakers"].create_index(["merged_into"])
    # the kept counts of the new facets are counted, and the surnames settled, by m008


@migrations()
def m007_stemmed_search(db: sqlite_utils.Database) -> None:
    """Quotes indexed with stemming (FTS5's porter over unicode61), so that "oil price" finds "oil
    prices"; the index is rebuilt in place from the claims, its triggers with it."""
    db["claims"].enable_fts(["quote"], fts_version="FTS5", create_triggers=True, tokenize=QUOTE_TOKENIZER,
                            replace=True)
    db["claims"].rebuild_fts()


@migrations()
def m008_date_basis(db: sqlite_utils.Database) -> None:
    """Which date a claim is listed under: the day it was said ('said'), its article's date ('published'),
    or none ('undated'); a filter and a facet of the plugin and of Datasette's claims table."""
    db["claims"].add_column(DATE_BASIS, str, not_null_default="undated")
    db.execute(f"update claims set {DATE_BASIS} = case when said_on is not null and said_on != '' then 'said' "
               "when claim_date != '' then 'published' else 'undated' end")
    db["claims"].create_index([DATE_BASIS, "claim_date", "id"])
    db.execute("delete from kept_counts")  # the facets of m006 and this one: counted again from the claims
    db.execute("delete from network_edges")
    kept.fill(db)
    identity.settle(db, [row[0] for row in db.execute(
        "select distinct surname from speakers where surname is not null").fetchall()], kept.Deltas()).apply(db)


@migrations()
def m009_claims_sample(db: sqlite_utils.Database) -> None:
    """A uniform sample of the claims (1 in 16, by a hash of the id: vocabulary.sample_bucket) with the
    columns the pages filter and facet by, its topics and its quotes' full-text index: the pages estimate
    from it the counts and facets an exact query cannot give in time (web/estimates.py). Triggers on
    `claims` and `claim_topics` keep it, whoever writes (a load, a merge, an upgrade)."""
    create_sample(db)
    fill_sample(db)


def fill_sample(db: sqlite_utils.Database) -> None:
    """The claims sample made again from the claims (for writers that had its triggers off)."""
    for table in (SAMPLE_TABLE, SAMPLE_TOPICS):
        db.execute(f"delete from {table}")
    columns = ", ".join(SAMPLE_COLUMNS)
    db.execute(f"insert into {SAMPLE_TABLE} (key, claim_id, {columns}, quote) select {sample_key('id')}, id, "
               f"{columns}, quote from claims where {sample_bucket('id')} < {SAMPLE_KEPT}")
    db.execute(f"insert into {SAMPLE_TOPICS} (topic_id, key) select topic_id, {sample_key('claim_id')} "
               f"from claim_topics where {sample_bucket('claim_id')} < {SAMPLE_KEPT}")
    db.execute(f"update {SAMPLE_TABLE} set topic_ids = (select group_concat(topic_id, char(31)) "
               f"from claim_topics t where t.claim_id = {SAMPLE_TABLE}.claim_id)")  # by claim_topics' key
    db.execute(f"insert into {SAMPLE_FTS} ({SAMPLE_FTS}) values ('rebuild')")


def create_sample(db: sqlite_utils.Database) -> None:
    columns = ", ".join(SAMPLE_COLUMNS)
    new_values = ", ".join(f"new.{c}" for c in SAMPLE_COLUMNS)
    sampled = f"{sample_bucket('new.id')} < {SAMPLE_KEPT}"
    statements = [f"""
        create table {SAMPLE_TABLE} (key integer primary key, claim_id integer not null,
            {', '.join(c + ' text' for c in SAMPLE_COLUMNS)}, topic_ids text, quote text)""", f"""
        create table {SAMPLE_TOPICS} (topic_id text not null, key integer not null,
            primary key (topic_id, key)) without rowid""", f"""
        create virtual table {SAMPLE_FTS} using fts5(quote, content='{SAMPLE_TABLE}', content_rowid='key',
            tokenize='{QUOTE_TOKENIZER}')""", f"""
        create trigger newsclaims_sample_claims_ai after insert on claims when {sampled} begin
            insert into {SAMPLE_TABLE} (key, claim_id, {columns}, quote)
                values ({sample_key('new.id')}, new.id, {new_values}, new.quote);
        end""", f"""
        create trigger newsclaims_sample_claims_ad after delete on claims
            when {sample_bucket('old.id')} < {SAMPLE_KEPT} begin
            delete from {SAMPLE_TABLE} where key = {sample_key('old.id')};
        end""", f"""
        create trigger newsclaims_sample_claims_au after update of {columns} on claims when {sampled} begin
            update {SAMPLE_TABLE} set ({columns}) = ({new_values}) where key = {sample_key('new.id')};
        end""", f"""
        create trigger newsclaims_sample_topics_ai after insert on claim_topics
            when {sample_bucket('new.claim_id')} < {SAMPLE_KEPT} begin
            insert or ignore into {SAMPLE_TOPICS} (topic_id, key) values (new.topic_id, {sample_key('new.claim_id')});
            update {SAMPLE_TABLE} set topic_ids = coalesce(topic_ids || char(31), '') || new.topic_id
                where key = {sample_key('new.claim_id')};
        end""", f"""
        create trigger newsclaims_sample_topics_ad after delete on claim_topics
            when {sample_bucket('old.claim_id')} < {SAMPLE_KEPT} begin
            delete from {SAMPLE_TOPICS} where topic_id = old.topic_id and key = {sample_key('old.claim_id')};
        end""", f"""
        create trigger newsclaims_sample_fts_ai after insert on {SAMPLE_TABLE} begin
            insert into {SAMPLE_FTS} (rowid, quote) values (new.key, new.quote);
        end""", f"""
        create trigger newsclaims_sample_fts_ad after delete on {SAMPLE_TABLE} begin
            insert into {SAMPLE_FTS} ({SAMPLE_FTS}, rowid, quote) values ('delete', old.key, old.quote);
        end"""]
    for statement in statements:  # one by one: executescript would commit the migration's transaction
        db.execute(statement)
    for column in SAMPLE_COLUMNS:  # a filter reads its claims of the first b buckets as one range of its index
        db.execute(f"create index idx_{SAMPLE_TABLE}_{column} on {SAMPLE_TABLE} ({column})")


@migrations()
def m010_lists_in_date_order(db: sqlite_utils.Database) -> None:
    """The quotes indexed again under each claim's place in date order (vocabulary.DATED_FTS), so that a
    search listed newest first reads one page of its matches, not all of them; kept by triggers. And the
    claims addressed to a speaker in date order (target_speaker_id, claim_date, id), as those addressed
    by name are: a target's list reads both in order."""
    db["claims"].create_index(["target_speaker_id", "claim_date", "id"])
    key_new, key_old = dated_key("new.claim_date", "new.id"), dated_key("old.claim_date", "old.id")
    for statement in (
        f"create virtual table {DATED_FTS} using fts5(quote, content='', tokenize='{QUOTE_TOKENIZER}')",
        f"""create trigger newsclaims_dated_ai after insert on claims begin
            insert into {DATED_FTS} (rowid, quote) values ({key_new}, new.quote);
        end""",
        f"""create trigger newsclaims_dated_ad after delete on claims begin
            insert into {DATED_FTS} ({DATED_FTS}, rowid, quote) values ('delete', {key_old}, old.quote);
        end""",
        f"""create trigger newsclaims_dated_au after update of claim_date, quote on claims begin
            insert into {DATED_FTS} ({DATED_FTS}, rowid, quote) values ('delete', {key_old}, old.quote);
            insert into {DATED_FTS} (rowid, quote) values ({key_new}, new.quote);
        end""",
    ):
        db.execute(statement)
    fill_dated(db)


def fill_dated(db: sqlite_utils.Database) -> None:
    """The date-ordered index made again from the claims (for writers that had its triggers off)."""
    db.execute(f"insert into {DATED_FTS} ({DATED_FTS}) values ('delete-all')")
    db.execute(f"insert into {DATED_FTS} (rowid, quote) select {dated_key('claim_date', 'id')}, quote from claims")


@migrations()
def m011_quotations(db: sqlite_utils.Database) -> None:
    """Quotations: the claims of many articles that say the same words, one row each (loader/quotations.py),
    and every claim's `quotation_id`; the claims written so far assigned in id order, as a load does. The
    quote index's update trigger narrowed to updates of the quote (it re-indexed a claim whose quotation or
    speaker changed)."""
    db["claims"].add_column("quotation_id", int)
    quotations.create_tables(db)
    db.execute("drop trigger if exists claims_au")
    db.execute("""create trigger claims_au after update of quote on claims begin
        insert into claims_fts (claims_fts, rowid, quote) values ('delete', old.rowid, old.quote);
        insert into claims_fts (rowid, quote) values (new.rowid, new.quote);
    end""")
    quotations.assign_unassigned(db)
    quotations.refresh(db)


LOCK_WAIT_SECONDS = 600  # how long a load waits for another process writing the same database


class DatabaseLocked(sqlite3.OperationalError):
    """Another process kept the database's write lock for longer than LOCK_WAIT_SECONDS."""


def while_locked(action, path: str, wait_seconds: float | None = None):
    """Run `action` (which takes the write lock), waiting while another process holds it: SQLite's
    busy handler waits a second at a time; the wait is said once in the log and bounded."""
    wait_seconds = LOCK_WAIT_SECONDS if wait_seconds is None else wait_seconds
    deadline = time.monotonic() + wait_seconds
    said = False
    while True:
        try:
            return action()
        except sqlite3.OperationalError as ex:
            if "locked" not in str(ex) and "busy" not in str(ex):
                raise
            if time.monotonic() >= deadline:
                raise DatabaseLocked(f"{path} stayed locked by another writer for {wait_seconds:.0f} s; "
                                     "nothing of this batch was written") from None
            if not said:
                log.warning("%s is being written by another process: waiting for it (at most %.0f s)",
                            path, wait_seconds)
                said = True


@contextlib.contextmanager
def write_transaction(db: sqlite_utils.Database):
    """One transaction that holds the write lock from its start (BEGIN IMMEDIATE), so that what it reads
    stays true until it commits; waits for another writer (see while_locked); all or nothing."""
    while_locked(lambda: db.conn.execute("BEGIN IMMEDIATE"), db_path(db))
    try:
        yield db
        db.conn.execute("COMMIT")
    except BaseException:
        db.rollback()
        raise


def db_path(db: sqlite_utils.Database) -> str:
    row = db.execute("PRAGMA database_list").fetchone()
    return row[2] if row and row[2] else "the database"


def open_db(path: str) -> sqlite_utils.Database:
    """Open (creating or upgrading) a newsclaims database; WAL so Datasette can read during a load.
    Several loads may open one database at once: the schema is made or upgraded under the write lock,
    by whichever comes first."""
    db = sqlite_utils.Database(path)
    db.execute("PRAGMA busy_timeout=1000")  # the busy handler's wait per try; while_locked bounds the total
    while_locked(db.enable_wal, str(path))
    db.execute("PRAGMA foreign_keys=ON")
    db.execute("PRAGMA synchronous=NORMAL")
    if migrations.pending(db):
        with write_transaction(db):
            migrations.apply(db)  # pending again, under the lock: another load may have done it meanwhile
    return db


def usable_name(name: str | None) -> bool:
    """A name worth a speakers row: two letters or more ("" and "X" are the tagger's debris)."""
    return bool(name) and sum(c.isalnum() for c in name) >= 2


def schema_version(db: sqlite_utils.Database) -> int:
    """The schema version a database's meta table records (0 when it records none)."""
    if not db[META_TABLE].exists():
        return 0
    row = db.execute(f"select value from {META_TABLE} where key = 'schema_version'").fetchone()
    return int(row[0]) if row and str(row[0]).isdigit() else 0


def record_schema(db: sqlite_utils.Database) -> None:
    with write_transaction(db):
        db[META_TABLE].upsert({"key": "schema_version", "value": str(SCHEMA_VERSION)}, pk="key")


def text_hash(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


@dataclass
class WriteCounts:
    articles: int = 0
    unchanged: int = 0
    replaced: int = 0
    sentences: int = 0
    claims: int = 0
    facts: int = 0
    claims_deleted: int = 0

    def add(self, other: WriteCounts) -> None:
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))


# Rows shared across articles: the first one written wins, later ones are ignored.
IGNORE_DUPLICATES = frozenset({"speakers", "speaker_aliases", "topics", "claim_topics"})


@dataclass
class Rows:
    """Rows gathered for one batch, in the order they must be inserted (foreign keys first)."""

    articles: list = field(default_factory=list)
    sentences: list = field(default_factory=list)
    speakers: dict = field(default_factory=dict)  # id -> row: dicts keep the order things were found in
    aliases: dict = field(default_factory=dict)  # (speaker id, alias) -> None
    topics: dict = field(default_factory=dict)
    claims: list = field(default_factory=list)
    claim_topics: list = field(default_factory=list)
    facts: list = field(default_factory=list)
    article_ids: set = field(default_factory=set)

    def tables(self):
        yield "articles", self.articles
        yield "sentences", self.sentences
        yield "speakers", list(self.speakers.values())
        yield "speaker_aliases", [{"speaker_id": s, "alias": a} for s, a in self.aliases]
        yield "topics", list(self.topics.values())
        yield "claims", self.claims
        yield "claim_topics", self.claim_topics
        yield "facts", self.facts


@dataclass
class Writer:
    db: sqlite_utils.Database
    replace: bool = False
    reextract: bool = False
    _next_ids: dict = field(default_factory=dict)

    # -- what to do with an incoming article ---------------------------------------------
    def status(self, article_id: str, hashed: str) -> str:
        """'new', 'unchanged', 'conflict' (same id, other text), or 'replace' (--replace, or --reextract
        of an article extracted by an older version), for an article's id and the `text_hash` of its text."""
        row = self.db.execute("select text_hash, extractor_version from articles where id = ?",
                              [article_id]).fetchone()
        if row is None:
            return "new"
        stored_hash, version = row
        if stored_hash != hashed:
            return "replace" if self.replace else "conflict"
        if self.reextract and version != EXTRACTOR_VERSION:
            return "replace"
        return "unchanged"

    # -- writes ------------------------------------------------------------------------
    def record_model(self, name: str, version: str) -> None:
        with write_transaction(self.db):
            self.db[META_TABLE].upsert_all([
                {"key": "schema_version", "value": str(SCHEMA_VERSION)},
                {"key": "extractor_version", "value": EXTRACTOR_VERSION},
                {"key": "model_name", "value": name},
                {"key": "model_version", "value": version},
            ], pk="key")

    def write_batch(self, items: list[tuple[Article, Extraction]]) -> tuple[WriteCounts, list[Article]]:
        """Write whole articles in one transaction: all of them or none. Returns the counts and the
        articles refused as conflicts (an id already loaded with another text)."""
        counts, conflicts = WriteCounts(), []
        if not items:
            return counts, conflicts
        with write_transaction(self.db):  # ids below are read under the write lock
            self._deltas = kept.Deltas()
            self._rows = Rows()
            self._surnames: set = set()  # of the persons this batch names: their merges are settled after it
            self._merged: dict = {}  # speaker id -> the speaker its claims are listed under, for this batch
            self._speakers_seen: set = set()  # whose kinds are settled after the batch
            self._quotations = quotations.Matcher(self.db)
            ids = self._start_ids()
            for article, extraction in items:
                if article.id in self._rows.article_ids:
                    self._flush()  # the same id twice in one batch: the second is judged against the first
                status = self.status(article.id, text_hash(article.text))
                if status == "unchanged":
                    counts.unchanged += 1
                    continue
                if status == "conflict":
                    conflicts.append(article)
                    continue
                if status == "replace":
                    self._flush()
                    counts.claims_deleted += self.delete_article(article.id)
                    counts.replaced += 1
                self._add_article(article, extraction, ids, counts)
                counts.articles += 1
            self._flush()
            identity.settle(self.db, self._surnames, self._deltas)
            self.db.execute(f"update {META_TABLE} set value = cast(value as integer) + ? where key = 'claim_count'",
                            [counts.claims - counts.claims_deleted])
            self._deltas.apply(self.db)
            # kinds by the evidence across articles, once this batch's claims are counted; a person's
            # new kind can change which surnames join which full name
            changed = identity.settle_kinds(self.db, self._speakers_seen)
            if changed:
                identity.settle(self.db, changed, kept.Deltas()).apply(self.db)
            quotations.refresh(self.db)  # with the claims' speakers settled
        return counts, conflicts

    def _start_ids(self) -> dict:
        ids = {}
        for table in ("sentences", "claims", "facts"):
            ids[table] = (self.db.execute(f"select max(id) from [{table}]").fetchone()[0] or 0) + 1
        return ids

    def delete_article(self, article_id: str) -> int:
        """Remove an article and everything extracted from it; returns how many claims went."""
        db = self.db
        claims = db.execute("select count(*) from claims where article_id = ?", [article_id]).fetchone()[0]
        self._deltas.add(*kept.aggregate(db, "claims.article_id = ?", [article_id]), sign=-1)
        db.execute("delete from claim_topics where claim_id in (select id from claims where article_id = ?)",
                   [article_id])
        for table in ("claims", "facts", "sentences"):
            db.execute(f"delete from [{table}] where article_id = ?", [article_id])
        db.execute("delete from articles where id = ?", [article_id])
        return claims

    def _flush(self) -> None:
        """Insert the rows gathered so far, one executemany per table (sqlite-utils' per-call overhead
        was most of the writer's time when called per article)."""
        for row in self._rows.claims:  # a quotation joined into another since the claim was assigned to it
            row["quotation_id"] = self._quotations.resolve(row["quotation_id"])
        for table, rows in self._rows.tables():
            if rows:
                columns = list(rows[0])
                verb = "insert or ignore" if table in IGNORE_DUPLICATES else "insert"
                sql = (f"{verb} into [{table}] ({', '.join(f'[{c}]' for c in columns)}) "
                       f"values ({', '.join('?' for _ in columns)})")
                self.db.conn.executemany(sql, [[row[c] for c in columns] for row in rows])
        self._rows = Rows()

    def _add_article(self, article: Article, extraction: Extraction, ids: dict, counts: WriteCounts) -> None:
        rows = self._rows
        now = datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds")
        rows.article_ids.add(article.id)
        rows.articles.append({
            "id": article.id, "title": article.title, "url": article.url, "source": article.source,
            "published": article.published, "published_at": article.published_at,
            "published_from": article.published_from, "given_id": article.given_id,
            "text": article.text, "text_hash": text_hash(article.text),
            "extractor_version": EXTRACTOR_VERSION, "loaded_at": now,
        })
        sentence_ids = {}
        for s in extraction.sentences:
            sentence_ids[s.index] = ids["sentences"]
            rows.sentences.append({"id": ids["sentences"], "article_id": article.id, "idx": s.index,
                                   "start": s.start, "end": s.end, "text": s.text})
            ids["sentences"] += 1
        claim_rows, links = [], []
        for claim in extraction.claims:
            if not usable_name(claim.speaker.name):
                continue  # "", "X": no name a page could show
            name, kind = stored_as(claim.speaker.name, claim.speaker.kind)  # "U.S." is the United States
            article_speaker_id = speaker_id_for(name, kind, article.id)
            self._add_speaker(article_speaker_id, name, kind)
            if claim.speaker.resolved_from is None:  # "he", "the company", "a Texaco spokesman" are not names
                rows.aliases[(article_speaker_id, claim.speaker.mention)] = None
            rows.aliases[(article_speaker_id, claim.speaker.name)] = None
            target_id, target_name = None, None
            if claim.target:
                target_name, target_kind = stored_as(claim.target.name, claim.target.kind)
                if target_kind and target_kind != UNNAMED and usable_name(target_name):
                    target_id = self._add_speaker(slug(target_name), target_name, target_kind)
                    rows.aliases[(slug(target_name), claim.target.name)] = None
            claim_id = ids["claims"]
            ids["claims"] += 1
            fields = claim.as_dict()
            row = {column: fields[key] for key, column in STORED_CLAIM_FIELDS.items()}
            row.update(id=claim_id, article_id=article.id, sentence_id=sentence_ids.get(claim.sentence_index),
                       speaker_id=self._listed_under(article_speaker_id), article_speaker_id=article_speaker_id,
                       target=target_name, target_speaker_id=target_id, speaker_kind=kind,
                       article_published=article.published, source=article.source,
                       topics=json.dumps(fields["topics"], ensure_ascii=False))
            row[LISTED_ON], row[DATE_BASIS] = listed_on(row[SAID_ON], article.published)
            row["quotation_id"] = self._quotations.assign(row)
            claim_topic_ids = set()
            for name, kind in claim.topics:
                topic_id = slug(name)
                if topic_id in claim_topic_ids:
                    continue  # "Energy" and "energy": one topic, linked and counted once
                claim_topic_ids.add(topic_id)
                rows.topics.setdefault(topic_id, {"id": topic_id, "name": name, "kind": kind})
                links.append({"claim_id": claim_id, "topic_id": topic_id, LISTED_ON: row[LISTED_ON]})
            claim_rows.append(row)
        rows.claims.extend(claim_rows)
        rows.claim_topics.extend(links)
        self._count_claims(claim_rows, links)
        for fact in extraction.facts:
            rows.facts.append({
                "id": ids["facts"], "article_id": article.id, "sentence_id": sentence_ids.get(fact.sentence_index),
                "text": fact.text, "start": fact.start, "end": fact.end, "value": fact.value,
                "fact_date": fact.date, "date_phrase": fact.date_phrase,
                "entities": json.dumps(fact.entities, ensure_ascii=False),
            })
            ids["facts"] += 1
        counts.sentences += len(extraction.sentences)
        counts.claims += len(claim_rows)
        counts.facts += len(extraction.facts)

    def _add_speaker(self, speaker_id: str, name: str, kind: str) -> str:
        """Gather a speakers row (the first one written wins); returns the speaker its claims are listed
        under (identity.py: a surname merged into the corpus's one full name for it)."""
        self._speakers_seen.add(speaker_id)
        if speaker_id not in self._rows.speakers:
            self._rows.speakers[speaker_id] = {"id": speaker_id, "name": name, "kind": kind,
                                               "surname": identity.surname(name) if kind == "person" else None}
            if kind == "person":
                self._surnames.add(identity.surname(name))
        return self._listed_under(speaker_id)

    def _listed_under(self, speaker_id: str) -> str:
        if speaker_id not in self._merged:
            self._merged[speaker_id] = identity.listed_under(self.db, speaker_id)
        return self._merged[speaker_id]

    def _count_claims(self, claim_rows: list[dict], links: list[dict]) -> None:
        names: dict = {}

        def name_of(table: str, row_id: str) -> str:
            if (table, row_id) not in names:  # the stored name, else the one about to be: the first seen wins
                row = self.db.execute(f"select name from {table} where id = ?", [row_id]).fetchone()
                pending = self._rows.speakers if table == "speakers" else self._rows.topics
                names[(table, row_id)] = row[0] if row else pending[row_id]["name"]
            return names[(table, row_id)]

        topics_of: dict = {}
        for link in links:
            topics_of.setdefault(link["claim_id"], []).append(link["topic_id"])
        self._deltas.add(*kept.increments(claim_rows, topics_of, name_of))

    def finish(self) -> None:
        """After a load: fresh statistics for the query planner, and the write-ahead log folded into
        the database file, so that copying news.db alone copies everything."""
        while_locked(self.db.analyze, db_path(self.db))
        self.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # when another load is writing, as much as it can
