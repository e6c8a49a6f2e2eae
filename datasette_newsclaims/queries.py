"""The SQL behind the plugin's pages. Every value goes in as a parameter; every size is bounded.

Functions take a Datasette `Database` and plain arguments and return plain
dicts and lists, so the views stay thin and the queries are easy to test and
to benchmark.
"""

from __future__ import annotations

import base64
import json
import re
from dataclasses import dataclass, field

from datasette.utils import escape_fts

DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
MAX_QUERY_CHARS = 200
MAX_ID_CHARS = 300
FACET_SIZE = 10
FILTER_NAMES = ("q", "speaker", "target", "topic", "kind", "date_from", "date_to", "article")
KINDS = ("direct", "indirect", "mixed")
DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
CLAIM_COLUMNS = """
    claims.id, claims.article_id, claims.sentence_id, claims.speaker_id, speakers.name as speaker_name,
    speakers.kind as speaker_kind, claims.speaker_mention, claims.speaker_role, claims.cue, claims.target,
    claims.target_speaker_id, claims.quote, claims.start, claims."end", claims.kind, claims.said_on,
    claims.date_phrase, claims.date_source, claims.article_published, claims.claim_date, claims.topics,
    claims.pattern, claims.confidence, articles.title as article_title
"""
CLAIM_JOINS = """
    join speakers on speakers.id = claims.speaker_id
    join articles on articles.id = claims.article_id
"""


class BadRequest(ValueError):
    """A request parameter that cannot be honoured; the view answers 400 with this message."""


@dataclass
class ClaimFilters:
    q: str | None = None
    speaker: str | None = None
    target: str | None = None
    topic: str | None = None
    kind: str | None = None
    date_from: str | None = None
    date_to: str | None = None
    article: str | None = None

    @classmethod
    def from_args(cls, args) -> "ClaimFilters":
        values = {}
        for name in FILTER_NAMES:
            value = (args.get(name) or "").strip()
            if not value:
                continue
            limit = MAX_QUERY_CHARS if name == "q" else MAX_ID_CHARS
            if len(value) > limit:
                raise BadRequest(f"{name} is too long (at most {limit} characters)")
            values[name] = value
        if "kind" in values and values["kind"] not in KINDS:
            raise BadRequest(f"kind must be one of {', '.join(KINDS)}")
        for name in ("date_from", "date_to"):
            if name in values and not DATE.match(values[name]):
                raise BadRequest(f"{name} must be a date: YYYY, YYYY-MM or YYYY-MM-DD")
        if "date_to" in values:
            values["date_to"] = _end_of(values["date_to"])
        return cls(**values)

    def active(self) -> dict:
        return {name: getattr(self, name) for name in FILTER_NAMES if getattr(self, name)}

    def where(self) -> tuple[list[str], dict]:
        clauses, params = [], {}
        if self.speaker:
            clauses.append("claims.speaker_id = :speaker")
            params["speaker"] = self.speaker
        if self.target:
            clauses.append("(claims.target = :target or claims.target_speaker_id = :target)")
            params["target"] = self.target
        if self.topic:
            clauses.append("claims.id in (select claim_id from claim_topics where topic_id = :topic)")
            params["topic"] = self.topic
        if self.kind:
            clauses.append("claims.kind = :kind")
            params["kind"] = self.kind
        if self.date_from:
            clauses.append("claims.claim_date >= :date_from")
            params["date_from"] = self.date_from
        if self.date_to:
            clauses.append("claims.claim_date != '' and claims.claim_date <= :date_to")
            params["date_to"] = self.date_to
        if self.article:
            clauses.append("claims.article_id = :article")
            params["article"] = self.article
        if self.q:
            clauses.append("claims.id in (select rowid from claims_fts where claims_fts match :q)")
            params["q"] = escape_fts(self.q)
        return clauses, params


def _end_of(value: str) -> str:
    """date_to=2021 or 2021-11 covers the whole year or month."""
    if len(value) == 4:
        return value + "-12-31"
    if len(value) == 7:
        return value + "-31"
    return value


def page_size(args) -> int:
    raw = args.get("_size")
    if raw in (None, ""):
        return DEFAULT_PAGE_SIZE
    if raw == "max":
        return MAX_PAGE_SIZE
    if not str(raw).isdigit() or len(str(raw)) > 6:
        raise BadRequest("_size must be a whole number")
    return max(1, min(int(raw), MAX_PAGE_SIZE))


def encode_token(*values) -> str:
    return base64.urlsafe_b64encode(json.dumps(values).encode()).decode().rstrip("=")


def decode_token(token: str, types: tuple) -> tuple:
    try:
        if len(token) > 1000:
            raise ValueError
        values = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
        if not isinstance(values, list) or len(values) != len(types):
            raise ValueError
        return tuple(t(v) for t, v in zip(types, values))
    except (ValueError, TypeError):
        raise BadRequest("_next is not a token this page gave out") from None


def row_dict(row) -> dict:
    return {k: row[k] for k in row.keys()}


def claim_dict(row) -> dict:
    claim = row_dict(row)
    claim["topics"] = json.loads(claim.get("topics") or "[]")
    return claim


@dataclass
class ClaimsPage:
    claims: list[dict] = field(default_factory=list)
    next: str | None = None
    count: int | None = None  # None when counting took too long
    facets: dict = field(default_factory=dict)


async def claims_page(db, filters: ClaimFilters, size: int, next_token: str | None,
                      time_limit_ms: int = 1000) -> ClaimsPage:
    clauses, params = filters.where()
    page = ClaimsPage()
    if filters.q:
        # relevance order: bm25 rank, then id
        sql = f"""
            select {CLAIM_COLUMNS}, claims_fts.rank as rank,
                   highlight(claims_fts, 0, char(2), char(3)) as highlighted
            from claims_fts join claims on claims.id = claims_fts.rowid {CLAIM_JOINS}
            where claims_fts match :q {''.join(' and ' + c for c in clauses if 'claims_fts' not in c)}
        """
        if next_token:
            rank, last_id = decode_token(next_token, (float, int))
            sql += " and (claims_fts.rank > :rank or (claims_fts.rank = :rank and claims.id > :last_id))"
            params.update(rank=rank, last_id=last_id)
        sql += " order by claims_fts.rank, claims.id limit :limit"
    else:
        sql = f"select {CLAIM_COLUMNS} from claims {CLAIM_JOINS}"
        where = list(clauses)
        if next_token:
            date, last_id = decode_token(next_token, (str, int))
            where.append("(claims.claim_date < :date or (claims.claim_date = :date and claims.id < :last_id))")
            params.update(date=date, last_id=last_id)
        if where:
            sql += " where " + " and ".join(where)
        sql += " order by claims.claim_date desc, claims.id desc limit :limit"
    params["limit"] = size + 1
    rows = list(await db.execute(sql, params))
    page.claims = [claim_dict(r) for r in rows[:size]]
    if len(rows) > size:
        last = rows[size - 1]
        page.next = encode_token(last["rank"], last["id"]) if filters.q else encode_token(last["claim_date"], last["id"])
    page.count = await count_claims(db, filters, time_limit_ms)
    page.facets = await claim_facets(db, filters, time_limit_ms)
    return page


async def timed(db, sql: str, params: dict, time_limit_ms: int):
    """Run a query that may be slow on a big database; None when it runs out of time."""
    from datasette.database import QueryInterrupted

    try:
        return list(await db.execute(sql, params, custom_time_limit=time_limit_ms))
    except QueryInterrupted:
        return None


async def count_claims(db, filters: ClaimFilters, time_limit_ms: int) -> int | None:
    clauses, params = filters.where()
    if not clauses:
        rows = await timed(db, "select value from newsclaims_meta where key = 'claim_count'", {}, time_limit_ms)
        if rows:
            return int(rows[0][0])
    sql = "select count(*) from claims" + (" where " + " and ".join(clauses) if clauses else "")
    rows = await timed(db, sql, params, time_limit_ms)
    return rows[0][0] if rows else None


FACETS = {
    "speaker": """
        select claims.speaker_id as value, speakers.name as label, count(*) as count
        from claims join speakers on speakers.id = claims.speaker_id {where}
        group by claims.speaker_id order by count desc, label limit {limit}""",
    "topic": """
        select claim_topics.topic_id as value, topics.name as label, count(*) as count
        from claim_topics join claims on claims.id = claim_topics.claim_id
        join topics on topics.id = claim_topics.topic_id {where}
        group by claim_topics.topic_id order by count desc, label limit {limit}""",
    "target": """
        select claims.target as value, claims.target as label, count(*) as count
        from claims {where_target}
        group by claims.target order by count desc, label limit {limit}""",
    "kind": """
        select claims.kind as value, claims.kind as label, count(*) as count
        from claims {where} group by claims.kind order by count desc limit {limit}""",
    "month": """
        select substr(claims.claim_date, 1, 7) as value, substr(claims.claim_date, 1, 7) as label, count(*) as count
        from claims {where_dated} group by value order by value desc limit {limit}""",
}


async def claim_facets(db, filters: ClaimFilters, time_limit_ms: int) -> dict:
    clauses, params = filters.where()
    out = {}
    for name, template in FACETS.items():
        where = " where " + " and ".join(clauses) if clauses else ""
        target_clauses = clauses + ["claims.target is not null"]
        dated = clauses + ["claims.claim_date != ''"]
        sql = template.format(where=where, where_target=" where " + " and ".join(target_clauses),
                              where_dated=" where " + " and ".join(dated), limit=FACET_SIZE if name != "month" else 24)
        rows = await timed(db, sql, params, time_limit_ms)
        out[name] = {"results": [row_dict(r) for r in rows] if rows is not None else [],
                     "timed_out": rows is None}
    return out


async def get_claim(db, claim_id: int) -> dict | None:
    rows = list(await db.execute(f"select {CLAIM_COLUMNS} from claims {CLAIM_JOINS} where claims.id = :id",
                                 {"id": claim_id}))
    return claim_dict(rows[0]) if rows else None


async def get_article(db, article_id: str) -> dict | None:
    rows = list(await db.execute("select * from articles where id = :id", {"id": article_id}))
    return row_dict(rows[0]) if rows else None


async def article_claims(db, article_id: str) -> list[dict]:
    rows = await db.execute(f"select {CLAIM_COLUMNS} from claims {CLAIM_JOINS} where claims.article_id = :id "
                            "order by claims.start, claims.id", {"id": article_id})
    return [claim_dict(r) for r in rows]


async def article_facts(db, article_id: str) -> list[dict]:
    rows = await db.execute("select * from facts where article_id = :id order by start", {"id": article_id})
    facts = [row_dict(r) for r in rows]
    for fact in facts:
        fact["entities"] = json.loads(fact.get("entities") or "[]")
    return facts


async def sentence(db, sentence_id) -> dict | None:
    if sentence_id is None:
        return None
    rows = list(await db.execute("select * from sentences where id = :id", {"id": sentence_id}))
    return row_dict(rows[0]) if rows else None


async def related_claims(db, claim: dict, limit: int = 10) -> list[dict]:
    """The same speaker's other claims on any of this claim's topics."""
    rows = await db.execute(f"""
        select {CLAIM_COLUMNS} from claims {CLAIM_JOINS}
        where claims.speaker_id = :speaker and claims.id != :id and claims.id in (
            select claim_id from claim_topics where topic_id in (
                select topic_id from claim_topics where claim_id = :id))
        order by claims.claim_date desc, claims.id desc limit :limit
    """, {"speaker": claim["speaker_id"], "id": claim["id"], "limit": limit})
    return [claim_dict(r) for r in rows]


async def get_speaker(db, speaker_id: str) -> dict | None:
    rows = list(await db.execute("select * from speakers where id = :id", {"id": speaker_id}))
    if not rows:
        return None
    speaker = row_dict(rows[0])
    speaker["aliases"] = [r[0] for r in await db.execute(
        "select alias from speaker_aliases where speaker_id = :id order by length(alias), alias", {"id": speaker_id})]
    speaker["roles"] = [r[0] for r in await db.execute(
        "select speaker_role from claims where speaker_id = :id and speaker_role is not null "
        "group by speaker_role order by count(*) desc limit 10", {"id": speaker_id})]
    counts = list(await db.execute(
        "select count(*), count(distinct article_id) from claims where speaker_id = :id", {"id": speaker_id}))[0]
    speaker["claim_count"], speaker["article_count"] = counts[0], counts[1]
    speaker["addressed_count"] = list(await db.execute(
        "select count(*) from claims where target_speaker_id = :id", {"id": speaker_id}))[0][0]
    return speaker


async def speaker_summary(db, speaker_id: str) -> dict:
    params = {"id": speaker_id, "limit": FACET_SIZE}
    timeline = [row_dict(r) for r in await db.execute(
        "select substr(claim_date, 1, 7) as month, count(*) as count from claims "
        "where speaker_id = :id and claim_date != '' group by month order by month", params)]
    targets = [row_dict(r) for r in await db.execute(
        "select target, target_speaker_id, count(*) as count from claims where speaker_id = :id "
        "and target is not null group by target order by count desc, target limit :limit", params)]
    topics = [row_dict(r) for r in await db.execute(
        "select topics.id, topics.name, count(*) as count from claim_topics "
        "join claims on claims.id = claim_topics.claim_id join topics on topics.id = claim_topics.topic_id "
        "where claims.speaker_id = :id group by topics.id order by count desc, topics.name limit :limit", params)]
    addressed_by = [row_dict(r) for r in await db.execute(
        "select claims.speaker_id, speakers.name, count(*) as count from claims "
        "join speakers on speakers.id = claims.speaker_id where claims.target_speaker_id = :id "
        "group by claims.speaker_id order by count desc, speakers.name limit :limit", params)]
    return {"timeline": timeline, "targets": targets, "topics": topics, "addressed_by": addressed_by}


async def get_topic(db, topic_id: str) -> dict | None:
    rows = list(await db.execute("select * from topics where id = :id", {"id": topic_id}))
    if not rows:
        return None
    topic = row_dict(rows[0])
    topic["claim_count"] = list(await db.execute(
        "select count(*) from claim_topics where topic_id = :id", {"id": topic_id}))[0][0]
    return topic


async def topic_summary(db, topic_id: str) -> dict:
    params = {"id": topic_id, "limit": FACET_SIZE}
    speakers = [row_dict(r) for r in await db.execute(
        "select claims.speaker_id, speakers.name, count(*) as count from claim_topics "
        "join claims on claims.id = claim_topics.claim_id join speakers on speakers.id = claims.speaker_id "
        "where claim_topics.topic_id = :id group by claims.speaker_id order by count desc, speakers.name "
        "limit :limit", params)]
    timeline = [row_dict(r) for r in await db.execute(
        "select substr(claims.claim_date, 1, 7) as month, count(*) as count from claim_topics "
        "join claims on claims.id = claim_topics.claim_id where claim_topics.topic_id = :id "
        "and claims.claim_date != '' group by month order by month", params)]
    return {"speakers": speakers, "timeline": timeline}


async def network(db, limit: int = 60, time_limit_ms: int = 1000) -> list[dict] | None:
    """Who addresses whom: speaker -> named target, weighted by claims; None when it took too long."""
    rows = await timed(db, """
        select claims.speaker_id as source, s.name as source_name, s.kind as source_kind,
               claims.target_speaker_id as target, t.name as target_name, t.kind as target_kind,
               count(*) as weight
        from claims join speakers s on s.id = claims.speaker_id join speakers t on t.id = claims.target_speaker_id
        where claims.target_speaker_id is not null
        group by claims.speaker_id, claims.target_speaker_id
        order by weight desc, source_name, target_name limit :limit
    """, {"limit": limit}, time_limit_ms)
    return [row_dict(r) for r in rows] if rows is not None else None
