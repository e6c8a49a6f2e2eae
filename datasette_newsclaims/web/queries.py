"""The SQL behind the plugin's pages. Every value goes in as a parameter; every size is bounded.

Functions take a Datasette `Database` and plain arguments and return plain
dicts and lists, so the views stay thin and the queries are easy to test and
to benchmark.
"""

from __future__ import annotations

import base64
import datetime
import json
import math
import re
from dataclasses import dataclass, field

from .. import vocabulary
from ..canonical import canonical_name
from ..vocabulary import (
    ALL_CLAIMS,
    DATE_BASES,
    DATE_BASIS,
    DATED_FTS,
    DATED_KEY_SHIFT,
    FACETS,
    FILTERS,
    KINDS,
    LISTED_ON,
    MAX_ID_CHARS,
    NAMED,
    QUOTATION_FILTERS,
    SAMPLE_FTS,
    SAMPLE_TOPICS,
    SCOPED_FACETS,
    SPEAKER_KINDS,
    UNNAMED,
    dated_key,
    scope,
    scope_facet,
    slug,
)
from . import estimates
from .access import Access
from .estimates import Count

DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
MAX_QUERY_CHARS = 200
FACET_SIZE = 10
ARTICLE_PAGE_SIZE = 500  # claims marked on one page of an article
MAX_ARTICLE_FACTS = 2000
DATE = re.compile(r"^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$")
PAGE_SIZE = re.compile(r"^[0-9]{1,6}$")
MAX_TOKEN_CHARS = 1000
MAX_SQLITE_INT = 2**63 - 1
STORED_COLUMNS = ", ".join(f'claims."{c}"' for c in vocabulary.CLAIM_COLUMNS)


def select_with(access: Access, columns: str, joined: list[tuple[str, str, str, str]]) -> tuple[str, str]:
    """Columns and the joins they need: each (table, its columns, the join, what stands in for them) is read
    only when the actor may view the table, else its stand-in (a null, the mention as written)."""
    out, joins = [columns], []
    for table, read, join, stand_in in joined:
        if access.can(table):
            out.append(read)
            joins.append(join)
        else:
            out.append(stand_in)
    return ", ".join(out), " ".join(joins)


def claim_select(access: Access) -> tuple[str, str]:
    """The columns of a claim as pages show it, and the joins they need: the speaker's name and kind
    (the mention as written when `speakers` is private), the article's title (null when `articles` is) and
    how far its words spread ("also in N articles": null when `quotations` is)."""
    return select_with(access, STORED_COLUMNS, [
        ("speakers", "speakers.name as speaker_name", "join speakers on speakers.id = claims.speaker_id",
         "claims.speaker_mention as speaker_name"),
        ("articles", "articles.title as article_title", "join articles on articles.id = claims.article_id",
         "null as article_title"),
        ("quotations", "qn.articles as quotation_articles, qn.speakers_disagree as quotation_disputed",
         "left join quotations qn on qn.id = claims.quotation_id",
         "null as quotation_articles, null as quotation_disputed")])


class BadRequest(ValueError):
    """A request parameter that cannot be honoured; the view answers 400 with this message. `param` (and
    `value`, for one of a repeated parameter's values) names what was wrong, so that a page can show its
    form again without it (views.answers_errors)."""

    def __init__(self, message: str, param: str | None = None, value: str | None = None):
        super().__init__(message)
        self.param = param
        self.value = value


@dataclass
class ClaimFilters:
    q: str | None = None
    speaker: str | None = None
    speaker_kind: str | None = None
    target: str | None = None
    venue: str | None = None
    topic: str | None = None
    source: str | None = None
    kind: str | None = None
    date_from: str | None = None
    date_to: str | None = None
    date_basis: str | None = None
    article: str | None = None
    first: str | None = None  # "1": a quotation's first appearance only (and the claims of no quotation)
    disputed: str | None = None  # "1": claims of quotations whose named speakers disagree
    # the list's estimates made so far in this request, by the facets they counted (queries.estimated)
    estimates: dict = field(default_factory=dict, init=False, repr=False, compare=False)

    @classmethod
    def from_args(cls, args) -> ClaimFilters:
        values = {}
        for name in FILTERS:
            value = (args.get(name) or "").strip()
            if not value:
                continue
            limit = MAX_QUERY_CHARS if name == "q" else MAX_ID_CHARS
            if len(value) > limit:
                raise BadRequest(f"{name} is too long (at most {limit} characters)", name)
            values[name] = value
        if "kind" in values and values["kind"] not in KINDS:
            raise BadRequest(f"kind must be one of {', '.join(KINDS)}", "kind")
        if "speaker_kind" in values and values["speaker_kind"] not in (*SPEAKER_KINDS, NAMED):
            raise BadRequest(f"speaker_kind must be one of {', '.join((*SPEAKER_KINDS, NAMED))}", "speaker_kind")
        if DATE_BASIS in values and values[DATE_BASIS] not in DATE_BASES:
            raise BadRequest(f"{DATE_BASIS} must be one of {', '.join(DATE_BASES)}", DATE_BASIS)
        for name in QUOTATION_FILTERS:
            if name in values and values[name] != "1":
                raise BadRequest(f"{name} must be 1", name)
        if "target" in values:  # "US", "U.S.", "America": the United States, as targets are stored
            values["target"] = canonical_name(values["target"])
        for name in ("date_from", "date_to"):
            if name in values and not is_date(values[name]):
                raise BadRequest(f"{name} must be a date: YYYY, YYYY-MM or YYYY-MM-DD", name)
        if "q" in values:
            if not fts_query(values["q"]):
                raise BadRequest("q has no words to search for", "q")
        if "date_to" in values:
            values["date_to"] = _end_of(values["date_to"])
        return cls(**values)

    def active(self) -> dict:
        return {name: getattr(self, name) for name in FILTERS if getattr(self, name)}

    def only(self) -> tuple[str, str] | None:
        """(name, value) when exactly one filter is set."""
        active = self.active()
        return next(iter(active.items())) if len(active) == 1 else None

    def where(self, topic_joined: bool = False, sample: bool = False, by_row: bool = False,
              search: bool = True) -> tuple[list[str], dict]:
        """SQL conditions on `claims` (and their parameters). With topic_joined the topic is matched by a
        join on claim_topics instead (the caller's `ct.topic_id = :topic`). With `sample`, conditions on
        the claims sample `s` whose topic and search read the sample's own tables within its first
        buckets (`:limit`, given by estimates.estimate); an article's claims are never estimated.
        `by_row` tests each claim for its topic rather than gathering the topic's claims first (for a list
        read from another index); without `search` the caller matches the search itself."""
        on = "s" if sample else "claims"
        clauses, params = [], {}
        if self.speaker:
            clauses.append(f"{on}.speaker_id = :speaker")
            params["speaker"] = self.speaker
        if self.speaker_kind == NAMED:
            clauses.append(f"{on}.speaker_kind != '{UNNAMED}'")
        elif self.speaker_kind:
            clauses.append(f"{on}.speaker_kind = :speaker_kind")
            params["speaker_kind"] = self.speaker_kind
        if self.target:
            clauses.append(f"({on}.target = :target or {on}.target_speaker_id = :target)")
            params["target"] = self.target
        for name in ("venue", "source", "kind", DATE_BASIS):
            if getattr(self, name):
                clauses.append(f"{on}.{name} = :{name}")
                params[name] = getattr(self, name)
        if self.topic:
            if sample:
                clauses.append(f"s.key in (select key from {SAMPLE_TOPICS} where topic_id = :topic and key < :limit)")
            elif by_row:
                clauses.append("exists (select 1 from claim_topics where claim_id = claims.id and topic_id = :topic)")
            elif not topic_joined:
                clauses.append("claims.id in (select claim_id from claim_topics where topic_id = :topic)")
            params["topic"] = self.topic
        if self.date_from:
            clauses.append(f"{on}.claim_date >= :date_from")
            params["date_from"] = self.date_from
        if self.date_to:
            clauses.append(f"{on}.claim_date != '' and {on}.claim_date <= :date_to")
            params["date_to"] = self.date_to
        if self.article:
            if sample:
                raise ValueError("an article's claims are counted, not estimated")
            clauses.append("claims.article_id = :article")
            params["article"] = self.article
        # a claim's quotation: the sample's claim read for it (the sample has no quotations of its own)
        quotation = "(select quotation_id from claims c where c.id = s.claim_id)" if sample else "claims.quotation_id"
        if self.first:
            claim_id = "s.claim_id" if sample else "claims.id"
            clauses.append(f"coalesce((select first_claim_id from quotations q where q.id = {quotation}), "
                           f"{claim_id}) = {claim_id}")
        if self.disputed:
            clauses.append(f"{quotation} in (select id from quotations where speakers_disagree = 1)")
        if self.q:
            if sample:
                clauses.append(f"s.key in (select rowid from {SAMPLE_FTS} where {SAMPLE_FTS} match :q "
                               "and rowid < :limit)")
            elif search:
                clauses.append("claims.id in (select rowid from claims_fts where claims_fts match :q)")
            params["q"] = fts_query(self.q)
        return clauses, params


def day_number(value: str, end: bool = False) -> int:
    """The day of a date filter (YYYY, YYYY-MM or YYYY-MM-DD, or date_to's YYYY-MM-31) as SQLite's
    julianday() counts it, truncated: the first day it covers, or with `end` the last."""
    parts = [int(p) for p in value.split("-")]
    year, month = parts[0], parts[1] if len(parts) > 1 else (12 if end else 1)
    last = (datetime.date(year + month // 12, month % 12 + 1, 1) - datetime.timedelta(days=1)).day
    day = min(parts[2], last) if len(parts) > 2 else (last if end else 1)
    return datetime.date(year, month, day).toordinal() + 1721424


def is_date(value: str) -> bool:
    """YYYY, YYYY-MM or YYYY-MM-DD, and a day that exists (2021-13-45 and 2021-02-30 do not)."""
    if not DATE.match(value):
        return False
    try:
        datetime.date.fromisoformat((value + "-01-01")[:10])
    except ValueError:
        return False
    return True


def fts_query(q: str) -> str:
    """A search as FTS5 reads it: every whitespace-separated term a quoted phrase, so nothing the user
    types is FTS syntax. Terms without a letter or digit are dropped (FTS5 rejects an empty phrase);
    control characters and quotation marks go."""
    terms = []
    for term in q.split():
        term = "".join(ch for ch in term if ch != '"' and ch.isprintable())
        if re.search(r"\w", term):
            terms.append(f'"{term}"')
    return " ".join(terms)


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
    if not PAGE_SIZE.match(str(raw)) or not 1 <= int(raw) <= MAX_PAGE_SIZE:
        raise BadRequest(f"_size must be a whole number from 1 to {MAX_PAGE_SIZE}, or max", "_size")
    return int(raw)


INDEX_SORTS = ("claims", "name")


def like_containing(text: str) -> str:
    """A LIKE pattern (with `escape '\\'`) for names that hold the text, its % and _ taken literally."""
    return "%" + re.sub(r"([%_\\])", r"\\\1", " ".join(text.split())) + "%"


@dataclass
class IndexPage:
    rows: list = field(default_factory=list)
    next: str | None = None


def index_page_args(args, facet: str = "speaker") -> tuple[str, str, str]:
    """(q, kind, sort) of an index page, or a 400."""
    q = (args.get("q") or "").strip()
    if len(q) > MAX_QUERY_CHARS:
        raise BadRequest(f"q is too long (at most {MAX_QUERY_CHARS} characters)", "q")
    sort = (args.get("_sort") or "claims").strip()
    if sort not in INDEX_SORTS:
        raise BadRequest("_sort must be claims or name", "_sort")
    kind = (args.get("kind") or "").strip() if facet == "speaker" else ""
    if kind and (kind not in SPEAKER_KINDS or kind == UNNAMED):
        raise BadRequest("kind must be person, organisation or place", "kind")
    return q, kind, sort


async def index_page(db, facet: str, args) -> IndexPage:
    """A page of the speakers or topics index: named speakers (unnamed ones are per article) or topics
    with their claim counts, from the kept counts; `q` matches names, `kind` a speaker kind, `_sort` by
    claims (most first) or name, keyset paging by `_next`."""
    q, kind, sort = index_page_args(args, facet)
    table = "speakers" if facet == "speaker" else "topics"
    where, params = ["k.scope = :scope", "k.facet = :facet"], {"scope": ALL_CLAIMS, "facet": facet}
    if facet == "speaker":
        where.append(f"t.kind != '{UNNAMED}'")
        if kind:
            where.append("t.kind = :kind")
            params["kind"] = kind
    if q:
        where.append("k.label like :like escape '\\'")
        params["like"] = like_containing(q)
    next_token = args.get("_next")
    if sort == "claims":
        order = "k.count desc, k.value"
        if next_token:
            count, value = decode_token(next_token, (int, str))
            where.append("(k.count < :count or (k.count = :count and k.value > :value))")
            params.update(count=count, value=value)
    else:
        order = "k.label collate nocase, k.value"
        if next_token:
            label, value = decode_token(next_token, (str, str))
            where.append("(k.label collate nocase > :label or (k.label collate nocase = :label and k.value > :value))")
            params.update(label=label, value=value)
    size = page_size(args)
    params["limit"] = size + 1
    rows = [row_dict(r) for r in await db.execute(
        f"select k.value as id, k.label as name, t.kind as kind, k.count as claims from kept_counts k "
        f"join {table} t on t.id = k.value where {' and '.join(where)} order by {order} limit :limit", params)]
    page = IndexPage(rows=rows[:size])
    if len(rows) > size:
        last = rows[size - 1]
        page.next = encode_token(last["claims"], last["id"]) if sort == "claims" else encode_token(
            last["name"], last["id"])
    return page


async def names_matching(db, access: Access, q: str, limit: int = 5) -> dict:
    """Speakers and topics whose names hold the words searched ("Jack Straw" finds the speaker, though
    no quote says his name): the first rows of their indexes, a short list the claims browser shows above
    its results."""
    out = {}
    for facet, table in (("speaker", "speakers"), ("topic", "topics")):
        if not access.kept or not access.can(table) or (facet == "topic" and "topic" not in facets_for(access)):
            out[table] = None
            continue
        out[table] = (await index_page(db, facet, {"q": q, "_size": str(limit)})).rows
    return out


async def listed_row(db, facet: str, value: str) -> dict | None:
    """The speakers or topics row a `speaker=` or `topic=` value lists: the id itself, or a name as written
    ("John Herrington", "U.S.") by its slug; for a surname the corpus has joined to a full name
    (identity.py), that full name's row. None when there is no such row."""
    table = "speakers" if facet == "speaker" else "topics"
    for candidate in dict.fromkeys((value, slug(canonical_name(value)))):
        rows = list(await db.execute(f"select * from {table} where id = :id", {"id": candidate}))
        if rows:
            row = row_dict(rows[0])
            if row.get("merged_into"):
                return await listed_row(db, facet, row["merged_into"]) or dict(row, id=row["merged_into"])
            return row
    return None


async def speaker_listed_as(db, access: Access, value: str) -> str:
    """The speaker id a `speaker=` filter lists (`listed_row`), the value itself when none is found or
    `speakers` is private."""
    row = await listed_row(db, "speaker", value) if access.can("speakers") else None
    return row["id"] if row else value


async def topic_listed_as(db, access: Access, value: str) -> str:
    """The topic id a `topic=` filter lists (`listed_row`), the value itself when none is found or `topics`
    is private."""
    row = await listed_row(db, "topic", value) if access.can("topics") else None
    return row["id"] if row else value


def encode_token(*values) -> str:
    return base64.urlsafe_b64encode(json.dumps(values).encode()).decode().rstrip("=")


def decode_token(token: str, types: tuple) -> tuple:
    """The values of a `_next` token, each of its type and in range for SQLite, or a 400."""
    try:
        if len(token) > MAX_TOKEN_CHARS:
            raise ValueError
        values = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
        if not isinstance(values, list) or len(values) != len(types):
            raise ValueError
        return tuple(token_value(t, v) for t, v in zip(types, values))
    except (ValueError, TypeError, RecursionError):
        raise BadRequest("_next is not a token this page gave out", "_next") from None


def token_value(kind: type, value):
    if isinstance(value, bool):
        raise ValueError
    if kind is int and isinstance(value, int) and abs(value) <= MAX_SQLITE_INT:
        return value
    if kind is float and isinstance(value, (int, float)) and math.isfinite(value):
        return float(value)
    if kind is str and isinstance(value, str) and len(value) <= MAX_ID_CHARS:
        return value
    raise ValueError


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
    count: Count | None = None  # exact, or estimated (estimates.py)
    facets: dict = field(default_factory=dict)
    sort: str = "newest"  # the order the list is read in
    unranked: bool = False  # a search asked (or defaulting) to be ranked that matches too many claims to rank
    cut: bool = False  # reading the page took more than estimates.LIST_STEPS: nothing listed, the page says so


SORTS = ("relevance", "newest", "oldest", "repeated")  # _sort: relevance is for a search, and its default;
# repeated: the claims of the quotations in most articles first (a claim of no quotation is not listed)
RANK_MAX = 20_000  # a search matching more claims is listed newest first: bm25 ranks every match before a page


def sort_of(args, filters: ClaimFilters) -> str:
    """The order asked for: `_sort`, else most relevant first for a search, newest first otherwise (a search
    too broad to rank is listed newest first all the same: `claims_page`)."""
    value = (args.get("_sort") or "").strip()
    if not value:
        return "relevance" if filters.q else "newest"
    if value not in SORTS or (value == "relevance" and not filters.q):
        raise BadRequest("_sort must be newest, oldest or repeated" +
                         (", or relevance when searching" if filters.q else ""), "_sort")
    return value


async def claims_page(db, access: Access, filters: ClaimFilters, size: int, next_token: str | None,
                      time_limit_ms: int = 1000, sort: str | None = None, summarised: bool = True) -> ClaimsPage:
    """A page of claims in the list's order, with its count and facets (`summarised`: an export reads only
    the claims, page after page). A search's count decides how it is read: ranked by relevance up to
    RANK_MAX matches, else newest first; in date order, a search reads the quotes' date-ordered index
    (`DATED_FTS`) page by page."""
    page = ClaimsPage(sort=sort or ("relevance" if filters.q else "newest"))
    if summarised:
        page.count = await count_claims(db, access, filters, facets_for(access))
    searched_alone = page.count is not None and page.count.exact and filters.only() == ("q", filters.q)
    if page.sort == "relevance" and not (page.count.value <= RANK_MAX if searched_alone  # counted in its index
                                         else await rankable(db, access, filters.q)):
        page.sort, page.unranked = "newest", True
    if page.count is not None and page.count.exact and not page.count.value:
        return page  # nothing to list (and no facet to count)
    clauses, params = filters.where()
    columns, joins = claim_select(access)
    after, direction = ("<", "desc") if page.sort == "newest" else (">", "asc")
    if page.sort == "relevance":
        # relevance order: bm25 rank, then id
        sql = f"""
            select {columns}, claims_fts.rank as rank,
                   highlight(claims_fts, 0, char(2), char(3)) as highlighted
            from claims_fts join claims on claims.id = claims_fts.rowid {joins}
            where claims_fts match :q {''.join(' and ' + c for c in clauses if 'claims_fts' not in c)}
        """
        if next_token:
            rank, last_id = decode_token(next_token, (float, int))
            sql += " and (claims_fts.rank > :rank or (claims_fts.rank = :rank and claims.id > :last_id))"
            params.update(rank=rank, last_id=last_id)
        sql += " order by claims_fts.rank, claims.id limit :limit"
    elif page.sort == "repeated":
        # the quotations by spread, most articles first, and each one's claims in date order: read in that
        # order from (articles desc, id) on quotations and (quotation_id, claim_date, id) on claims
        clauses, params = filters.where(by_row=True)
        where = list(clauses)
        if next_token:
            articles, quotation_id, date, last_id = decode_token(next_token, (int, int, str, int))
            where.append("q.articles <= :articles and (q.articles < :articles or q.id > :quotation_id or "
                         "(q.id = :quotation_id and (claims.claim_date > :date or "
                         "(claims.claim_date = :date and claims.id > :last_id))))")
            params.update(articles=articles, quotation_id=quotation_id, date=date, last_id=last_id)
        sql = (f"select {columns}, q.articles as spread from quotations q cross join claims "
               f"on claims.quotation_id = q.id {joins}{' where ' + ' and '.join(where) if where else ''} "
               "order by q.articles desc, q.id, claims.claim_date, claims.id limit :limit")
    elif filters.q and access.can(DATED_FTS):
        # a search in date order: the date-ordered index gives its matches a page at a time; the other
        # filters are tested on each
        clauses, params = filters.where(by_row=True, search=False)
        where = [f"{DATED_FTS} match :q"] + clauses
        params["q"] = fts_query(filters.q)
        if filters.date_from:  # the dates bound the index's rowids: FTS5 starts at the first and stops at the last
            where.append("d.rowid >= :key_from")
            params["key_from"] = day_number(filters.date_from) * DATED_KEY_SHIFT
        if filters.date_to:
            where.append("d.rowid < :key_to")
            params["key_to"] = (day_number(filters.date_to, end=True) + 1) * DATED_KEY_SHIFT
        if next_token:
            date, last_id = decode_token(next_token, (str, int))
            where.append(f"d.rowid {after} {dated_key(':date', ':last_id')}")
            params.update(date=date, last_id=last_id)
        sql = (f"select {columns} from {DATED_FTS} d cross join claims on claims.id = d.rowid % {DATED_KEY_SHIFT} "
               f"{joins} where {' and '.join(where)} order by d.rowid {direction} limit :limit")
    else:
        # by date (newest first, or oldest), read in order from an index: (claim_date, id),
        # (speaker_id, claim_date, id), ..., or for a topic (topic_id, claim_date, claim_id) on claim_topics;
        # a speaker with fewer claims than the topic is read from the speaker's, its topic tested on each
        if filters.topic and not await fewer_of_speaker(db, access, filters):
            clauses, params = filters.where(topic_joined=True)
            sql = f"select {columns} from claim_topics ct join claims on claims.id = ct.claim_id {joins}"
            where = ["ct.topic_id = :topic"] + clauses
            date_col, id_col = "ct.claim_date", "ct.claim_id"
        else:
            clauses, params = filters.where(by_row=True)
            sql = f"select {columns} from claims {joins}"
            where = list(clauses)
            date_col, id_col = "claims.claim_date", "claims.id"
        if next_token:
            date, last_id = decode_token(next_token, (str, int))
            where.append(f"({date_col} {after} :date or ({date_col} = :date and {id_col} {after} :last_id))")
            params.update(date=date, last_id=last_id)
        if filters.target and not filters.topic:
            # a target is a name or a speaker id: each read in order from its own index, the two merged
            where = [c for c in where if ":target" not in c]
            reads = [f"{sql} where {' and '.join([f'claims.{column} = :target'] + where)} "
                     f"order by {date_col} {direction}, {id_col} {direction} limit :limit"
                     for column in ("target", "target_speaker_id")]
            sql = (f"select * from ({reads[0]}) union select * from ({reads[1]}) "
                   f"order by claim_date {direction}, id {direction} limit :limit")
        else:
            if where:
                sql += " where " + " and ".join(where)
            sql += f" order by {date_col} {direction}, {id_col} {direction} limit :limit"
    params["limit"] = size + 1
    rows = await estimates.bounded(db, sql, params, estimates.LIST_STEPS)
    if rows is None:  # filters no index narrows that match few: the page says so rather than scan for seconds
        page.cut = True
        rows = []
    page.claims = [claim_dict(r) for r in rows[:size]]
    if len(rows) > size:
        last = rows[size - 1]
        if page.sort == "repeated":
            page.next = encode_token(last["spread"], last["quotation_id"], last[LISTED_ON], last["id"])
        else:
            page.next = encode_token(last["rank"] if page.sort == "relevance" else last[LISTED_ON], last["id"])
    if summarised:
        page.facets = await claim_facets(db, access, filters, page.count)
    return page


async def fewer_of_speaker(db, access: Access, filters: ClaimFilters) -> bool:
    """Whether a list's speaker has fewer claims than its topic (by the kept counts)."""
    if not (filters.speaker and filters.topic and access.kept):
        return False
    return await kept_count(db, ALL_CLAIMS, "speaker", filters.speaker) < \
        await kept_count(db, ALL_CLAIMS, "topic", filters.topic)


async def rankable(db, access: Access, q: str | None) -> bool:
    """Whether a search matches few enough claims (RANK_MAX) for bm25 to rank them all before a page:
    counted in its own index, within a budget of instructions."""
    if not q or not access.can("claims_fts"):
        return bool(q)
    rows = await estimates.bounded(db, "select count(*) from (select 1 from claims_fts where claims_fts match :q "
                                       "limit :limit)", {"q": fts_query(q), "limit": RANK_MAX + 1},
                                   estimates.EXACT_COUNT_STEPS)
    return rows is not None and rows[0][0] <= RANK_MAX


async def timed(db, sql: str, params: dict, time_limit_ms: int):
    """Run a query that may be slow on a big database; None when it runs out of time."""
    from datasette.database import QueryInterrupted

    try:
        return list(await db.execute(sql, params, custom_time_limit=time_limit_ms))
    except QueryInterrupted:
        return None


async def kept_count(db, scope_value: str, facet: str, value: str) -> int:
    rows = list(await db.execute("select count from kept_counts where scope = :scope and facet = :facet "
                                 "and value = :value", {"scope": scope_value, "facet": facet, "value": value}))
    return rows[0][0] if rows else 0


def month_of(filters: ClaimFilters) -> str | None:
    """The month when date_from and date_to cover exactly one calendar month."""
    if filters.date_from and len(filters.date_from) == 7 and filters.date_to == _end_of(filters.date_from):
        return filters.date_from
    return None


async def count_claims(db, access: Access, filters: ClaimFilters, facets: tuple[str, ...] = ()) -> Count | None:
    """The kept count when one is kept for exactly this list (and may be read); else an exact count when
    it takes at most estimates.EXACT_COUNT_STEPS instructions; else an estimate from the claims sample.
    A target's list matches its speaker id too, so its count is never the kept count of the target text.
    None when the count would take too long and the sample is private."""
    active = filters.active()
    only = filters.only()
    month = month_of(filters)
    if access.kept:
        if not active:
            return Count(await kept_total(db))
        if only == ("speaker_kind", NAMED):
            return Count(await kept_total(db) - await kept_count(db, ALL_CLAIMS, "speaker_kind", UNNAMED))
        if only and only[0] in FACETS and only[0] != "target":
            return Count(await kept_count(db, ALL_CLAIMS, *only))
        if month and set(active) == {"date_from", "date_to"}:
            return Count(await kept_count(db, ALL_CLAIMS, "month", month))
        for name, value in active.items():  # a value no claim has: nothing to list
            if name in FACETS and name != "target" and value != NAMED and not await kept_count(
                    db, ALL_CLAIMS, name, value):
                return Count(0)
    if only and only[0] == "q" and access.can("claims_fts"):  # a search alone: its index counts its matches
        rows = await estimates.bounded(db, "select count(*) from claims_fts where claims_fts match :q",
                                       {"q": fts_query(filters.q)}, estimates.EXACT_COUNT_STEPS)
        if rows is not None:
            return Count(rows[0][0])
    sampled = access.sampled and not filters.article
    guess = None
    # a big database: a broad list is estimated first (not the disputed claims: few by nature, and each sample
    # claim would be looked up in its quotation)
    if sampled and not filters.disputed and await kept_total(db) > estimates.ESTIMATE_FIRST:
        guess = (await estimated(db, filters, facets)).count  # its facets with it, for claim_facets
        # a search with other filters gathers its matches to count them: tried for few only
        if guess.value > (estimates.EXACT_TRY_MAX_SEARCH if filters.q else estimates.EXACT_TRY_MAX):
            return guess
    clauses, params = filters.where()
    where = " where " + " and ".join(clauses) if clauses else ""
    rows = await estimates.bounded(db, "select count(*) from claims" + where, params, estimates.EXACT_COUNT_STEPS)
    if rows is not None:
        return Count(rows[0][0])
    if not sampled:
        return None
    return guess or (await estimated(db, filters, facets)).count


def counted_value(count: Count | None) -> int | None:
    return count.value if count is not None else None


async def estimated(db, filters: ClaimFilters, facets: tuple[str, ...] = ()) -> estimates.Estimate:
    """The list's estimate (with these facets), made once per request: the count and the facets of a page
    read the same sample once."""
    made = filters.estimates
    for wanted, estimate in made.items():
        if set(facets) <= set(wanted):
            return estimate
    clauses, params = filters.where(sample=True)
    made[facets] = await estimates.estimate(db, clauses, params, await kept_total(db), facets)
    return made[facets]


async def kept_total(db) -> int:
    rows = list(await db.execute("select value from newsclaims_meta where key = 'claim_count'"))
    return int(rows[0][0]) if rows else 0


KEPT_FACETS_SQL = """select value, label, count from kept_counts where scope = :scope and facet = :facet
                     order by count desc, label limit :limit"""


def kept_scope(filters: ClaimFilters) -> str | None:
    """The kept scope whose counts are exactly this list's: all claims, one speaker's, one topic's."""
    if not filters.active():
        return ALL_CLAIMS
    only = filters.only()
    if only and only[0] in SCOPED_FACETS:
        return scope(*only)
    return None


def facets_for(access: Access) -> tuple[str, ...]:
    """The facets an actor may see: the topic facet reads (and its values filter through) claim_topics and topics."""
    return tuple(f for f in FACETS if f != "topic" or access.can("claim_topics", "topics"))


async def claim_facets(db, access: Access, filters: ClaimFilters, count: Count | None) -> dict:
    """Every facet of a list: from the kept counts where they are this list's; exact for a list of up to
    estimates.EXACT_FACETS_MAX claims (each facet within its instruction budget); else estimated from the
    claims sample, all facets from one read of it. A facet is {"results": [...], "estimated": bool}."""
    names = facets_for(access)
    kept = kept_scope(filters)
    if kept is not None and access.kept:
        return await kept_facets(db, kept, filters, names)
    counted, estimated_ = None, False
    if count is not None and count.exact and count.value <= estimates.EXACT_FACETS_MAX:
        clauses, params = filters.where()
        where = " where " + " and ".join(clauses) if clauses else ""
        rows = await estimates.bounded(db, f"select {estimates.facet_columns(names)} from claims{where}", params,
                                       estimates.EXACT_FACET_STEPS)
        if rows is not None:
            counted = estimates.facet_counts(rows, names)
    if counted is None and access.sampled and not filters.article:
        counted, estimated_ = (await estimated(db, filters, names)).facets, True
    if counted is None:  # a private sample: what could not be counted is said to be so
        return {name: {"results": [], "estimated": False, "uncounted": True} for name in names}
    return {name: {"results": await facet_values(db, access, name, counted.get(name, {})), "estimated": estimated_}
            for name in names}


MONTHS_SHOWN = 24


async def facet_values(db, access: Access, name: str, counted) -> list[dict]:
    """A facet's first values (most claims first; months newest first), named: a speaker's and a topic's
    by their rows (when they may be read), others as they are."""
    if name == "month":
        top = sorted(counted.items(), reverse=True)[:MONTHS_SHOWN]
    else:
        top = sorted(counted.items(), key=lambda kv: (-kv[1], kv[0]))[:FACET_SIZE]
    labels = {}
    table = {"speaker": "speakers", "topic": "topics"}.get(name)
    if table and top and access.can(table):
        marks = ", ".join(f":v{i}" for i in range(len(top)))
        labels = dict(await db.execute(f"select id, name from {table} where id in ({marks})",
                                       {f"v{i}": value for i, (value, _) in enumerate(top)}))
    return [{"value": value, "label": labels.get(value, value), "count": n} for value, n in top]


async def kept_facets(db, kept: str, filters: ClaimFilters, names: tuple[str, ...] = FACETS) -> dict:
    """Facets read from the kept counts: an index lookup, whatever the size of the database."""
    out = {}
    facet_of_scope = scope_facet(kept)
    for name in names:
        if name == facet_of_scope:
            value = getattr(filters, name)
            label = await kept_label(db, name, value)
            count = await kept_count(db, ALL_CLAIMS, name, value)
            rows = [{"value": value, "label": label, "count": count}] if count else []
        else:
            limit = FACET_SIZE if name != "month" else MONTHS_SHOWN
            rows = [row_dict(r) for r in await db.execute(KEPT_FACETS_SQL, {"scope": kept, "facet": name,
                                                                             "limit": limit})]
            if name == "month":
                rows.sort(key=lambda r: r["value"], reverse=True)
        out[name] = {"results": rows, "estimated": False}
    return out


async def kept_label(db, facet: str, value: str) -> str:
    rows = list(await db.execute("select label from kept_counts where scope = :scope and facet = :facet "
                                 "and value = :value", {"scope": ALL_CLAIMS, "facet": facet, "value": value}))
    return rows[0][0] if rows else value


async def get_claim(db, access: Access, claim_id: int) -> dict | None:
    columns, joins = claim_select(access)
    rows = list(await db.execute(f"select {columns} from claims {joins} where claims.id = :id", {"id": claim_id}))
    return claim_dict(rows[0]) if rows else None


# -- quotations: the same words in many articles (loader/quotations.py) ------------------------------

APPEARANCES_PAGE = 100  # a quotation's appearances listed on one page
MAX_ATTRIBUTIONS = 50


async def get_quotation(db, access: Access, quotation_id: int) -> dict | None:
    """A quotation with its speaker's name (null when `speakers` is private) and its first article's title
    (null when `articles` is)."""
    columns, joins = select_with(access, "q.*", [
        ("speakers", "s.name as speaker_name", "left join speakers s on s.id = q.speaker_id", "null as speaker_name"),
        ("articles", "a.title as first_title", "left join articles a on a.id = q.first_article_id",
         "null as first_title")])
    rows = list(await db.execute(f"select {columns} from quotations q {joins} where q.id = :id and q.claims > 0",
                                 {"id": quotation_id}))
    return row_dict(rows[0]) if rows else None


async def quotation_attributions(db, access: Access, quotation_id: int) -> list[dict] | None:
    """Who the quotation's claims give its words to: each speaker with their claims, articles and first date,
    most articles first (within a budget of instructions: None past it)."""
    name = "s.name" if access.can("speakers") else "min(c.speaker_mention)"
    join = "left join speakers s on s.id = c.speaker_id" if access.can("speakers") else ""
    rows = await estimates.bounded(db, f"""
        select c.speaker_id, {name} as speaker_name, min(c.speaker_kind) as speaker_kind, count(*) as claims,
               count(distinct c.article_id) as articles, min(nullif(c.claim_date, '')) as first_date
        from claims c {join} where c.quotation_id = :id group by c.speaker_id
        order by articles desc, claims desc, c.speaker_id limit :limit""",
        {"id": quotation_id, "limit": MAX_ATTRIBUTIONS}, estimates.LIST_STEPS)
    return [row_dict(r) for r in rows] if rows is not None else None


async def quotation_appearances(db, access: Access, quotation_id: int,
                                next_token: str | None = None) -> tuple[list[dict], str | None]:
    """A page of a quotation's claims in date order (its index: quotation_id, claim_date, id)."""
    columns, joins = claim_select(access)
    where, params = ["claims.quotation_id = :id"], {"id": quotation_id, "limit": APPEARANCES_PAGE + 1}
    if next_token:
        date, last_id = decode_token(next_token, (str, int))
        where.append("(claims.claim_date > :date or (claims.claim_date = :date and claims.id > :last_id))")
        params.update(date=date, last_id=last_id)
    rows = [claim_dict(r) for r in await db.execute(
        f"select {columns} from claims {joins} where {' and '.join(where)} "
        "order by claims.claim_date, claims.id limit :limit", params)]
    next_ = None
    if len(rows) > APPEARANCES_PAGE:
        rows = rows[:APPEARANCES_PAGE]
        next_ = encode_token(rows[-1][LISTED_ON], rows[-1]["id"])
    return rows, next_


async def get_article(db, article_id: str) -> dict | None:
    rows = list(await db.execute("select * from articles where id = :id", {"id": article_id}))
    return row_dict(rows[0]) if rows else None


async def article_claims(db, access: Access, article_id: str, next_token: str | None = None,
                         size: int = ARTICLE_PAGE_SIZE) -> ClaimsPage:
    """One page of an article's claims in reading order (start, id), and how many it has in all."""
    columns, joins = claim_select(access)
    sql = f"select {columns} from claims {joins} where claims.article_id = :id"
    params = {"id": article_id, "limit": size + 1}
    if next_token:
        start, last_id = decode_token(next_token, (int, int))
        sql += " and (claims.start > :start or (claims.start = :start and claims.id > :last_id))"
        params.update(start=start, last_id=last_id)
    rows = list(await db.execute(sql + " order by claims.start, claims.id limit :limit", params))
    page = ClaimsPage(claims=[claim_dict(r) for r in rows[:size]])
    if len(rows) > size:
        page.next = encode_token(rows[size - 1]["start"], rows[size - 1]["id"])
    page.count = list(await db.execute("select count(*) from claims where article_id = :id", {"id": article_id}))[0][0]
    return page


async def article_facts(db, access: Access, article_id: str) -> list[dict] | None:
    """The article's facts in reading order, the first MAX_ARTICLE_FACTS; None when `facts` is private."""
    if not access.can("facts"):
        return None
    rows = await db.execute("select * from facts where article_id = :id order by start limit :limit",
                            {"id": article_id, "limit": MAX_ARTICLE_FACTS})
    facts = [row_dict(r) for r in rows]
    for fact in facts:
        fact["entities"] = json.loads(fact.get("entities") or "[]")
    return facts


async def sentence(db, access: Access, sentence_id) -> dict | None:
    if sentence_id is None or not access.can("sentences"):
        return None
    rows = list(await db.execute("select * from sentences where id = :id", {"id": sentence_id}))
    return row_dict(rows[0]) if rows else None


async def related_claims(db, access: Access, claim: dict, limit: int = 10) -> list[dict] | None:
    """The same speaker's other claims on any of this claim's topics; None when `claim_topics` is private."""
    if not access.can("claim_topics"):
        return None
    columns, joins = claim_select(access)
    # the speaker's claims newest first, each tested for a shared topic (gathering every claim of the
    # topics first costs a second at ten million claims); a read past the list budget shows none
    rows = await estimates.bounded(db, f"""
        select {columns} from claims {joins}
        where claims.speaker_id = :speaker and claims.id != :id and exists (
            select 1 from claim_topics ct where ct.claim_id = claims.id and ct.topic_id in (
                select topic_id from claim_topics where claim_id = :id))
        order by claims.claim_date desc, claims.id desc limit :limit
    """, {"speaker": claim["speaker_id"], "id": claim["id"], "limit": limit}, estimates.LIST_STEPS)
    return [claim_dict(r) for r in rows or []]


ROLES_FROM = 2000  # a speaker's titles are those of their newest claims


async def get_speaker(db, access: Access, speaker_id: str, time_limit_ms: int = 1000) -> dict | None:
    """A speaker's row with its aliases, roles and counts; a part whose table is private is None."""
    rows = list(await db.execute("select * from speakers where id = :id", {"id": speaker_id}))
    if not rows:
        return None
    speaker = row_dict(rows[0])
    speaker["aliases"] = [r[0] for r in await db.execute(
        "select distinct alias from speaker_aliases where speaker_id = :id or speaker_id in "
        "(select id from speakers where merged_into = :id) order by length(alias), alias limit 50",
        {"id": speaker_id})] if access.can("speaker_aliases") else None
    # the titles of their newest claims, and their articles counted within a budget of instructions, not of
    # time: the page says the same every time, and a speaker of 60,000 claims costs what one of 2,000 does
    roles = await db.execute(f"select speaker_role from (select speaker_role from claims where speaker_id = :id "
                             f"order by claim_date desc, id desc limit {ROLES_FROM}) where speaker_role is not null "
                             "group by speaker_role order by count(*) desc limit 10", {"id": speaker_id})
    speaker["roles"] = [r[0] for r in roles]
    speaker["claim_count"] = counted_value(await count_claims(db, access, ClaimFilters(speaker=speaker_id)))
    articles = await estimates.bounded(db, "select count(distinct article_id) from claims where speaker_id = :id",
                                       {"id": speaker_id}, estimates.EXACT_COUNT_STEPS)
    speaker["article_count"] = articles[0][0] if articles else None  # None: too many to count here
    speaker["addressed_count"] = list(await db.execute(
        "select coalesce(sum(weight), 0) from network_edges where target = :id", {"id": speaker_id}))[0][0] \
        if access.can("network_edges") else None
    return speaker


async def kept_facet(db, scope_value: str, facet: str, limit: int | None = FACET_SIZE,
                     by_value: bool = False) -> list[dict]:
    order = "value" if by_value else "count desc, label"
    sql = (f"select value, label, count from kept_counts where scope = :scope and facet = :facet order by {order}"
           + (" limit :limit" if limit else ""))
    return [row_dict(r) for r in await db.execute(sql, {"scope": scope_value, "facet": facet, "limit": limit})]


MONTH = re.compile(r"^(\d{4})-(\d{2})$")
MAX_TIMELINE_MONTHS = 1200  # a century of months; a longer span (a stray date) is drawn without its gaps


def with_empty_months(rows: list[dict]) -> list[dict]:
    """A timeline from kept month counts (in month order), with every month between the first and the
    last, the empty ones at 0: a gap in the news is shown, not closed up."""
    counts = {r["value"]: r["count"] for r in rows if MONTH.match(str(r["value"]))}
    return [{"month": month, "count": counts.get(month, 0)} for month in month_axis(counts)]


def month_axis(months) -> list[str]:
    """Every month from the first to the last of `months` (YYYY-MM), in order; only the months given when
    the span is longer than MAX_TIMELINE_MONTHS (a stray date would draw 21,000 empty bars)."""
    given = sorted({m for m in months if MONTH.match(str(m))})
    if len(given) < 2:
        return given
    (y0, m0), (y1, m1) = (map(int, MONTH.match(k).groups()) for k in (given[0], given[-1]))
    span = (y1 - y0) * 12 + (m1 - m0) + 1
    if span > MAX_TIMELINE_MONTHS:
        return given
    return [f"{y0 + (m0 - 1 + i) // 12:04d}-{(m0 - 1 + i) % 12 + 1:02d}" for i in range(span)]


MAX_COMPARED = 5  # speakers and topics on one chart


async def compared(db, access: Access, items: list[tuple[str, str]], time_limit_ms: int) -> dict:
    """Claims per month of up to five speakers or topics (`items`: (facet, id or name as written)), on one
    axis of months with the empty ones at 0: from the kept counts, or counted live when they are private.
    Each series also has its total, undated claims included (they are on no month)."""
    if len(items) > MAX_COMPARED:
        raise BadRequest(f"compare at most {MAX_COMPARED} speakers and topics")
    series = []
    for facet, value in items:
        row = await listed_row(db, facet, value)
        if row is None:
            raise BadRequest(f"no {facet} {value!r}: use a name or id from the {facet}s index", facet, value)
        if any(s["facet"] == facet and s["id"] == row["id"] for s in series):
            continue
        filters = ClaimFilters(**{facet: row["id"]})
        if access.kept:
            months = {r["value"]: r["count"] for r in await kept_facet(
                db, scope(facet, row["id"]), "month", limit=None, by_value=True)}
        else:
            clauses, params = filters.where()
            counted = await timed(db, "select substr(claim_date, 1, 7), count(*) from claims where "
                                      f"{' and '.join(clauses)} and claim_date != '' group by 1", params,
                                  time_limit_ms)
            if counted is None:
                raise BadRequest(f"counting the claims of {row['name']} took too long")
            months = dict(counted)
        series.append({"facet": facet, "id": row["id"], "name": row["name"], "months": months,
                       "total": counted_value(await count_claims(db, access, filters))})
    axis = month_axis(m for s in series for m in s["months"])
    for s in series:
        s["counts"] = [s["months"].get(month, 0) for month in axis]
        s["undated"] = None if s["total"] is None else s["total"] - sum(s["months"].values())
        del s["months"]
    return {"months": axis, "series": series}


async def speaker_summary(db, access: Access, speaker_id: str) -> dict:
    """Timeline, targets and topics (from the kept counts) and who addresses the speaker (from the
    network); each is None when a table it comes from is private."""
    summary = {"timeline": None, "targets": None, "topics": None, "addressed_by": None}
    if access.can("kept_counts"):
        scope_value = scope("speaker", speaker_id)
        summary["timeline"] = with_empty_months(
            await kept_facet(db, scope_value, "month", limit=None, by_value=True))
        targets = [{"target": r["value"], "count": r["count"]} for r in await kept_facet(db, scope_value, "target")]
        # a target that is a named person, organisation or place has its speakers row under the same slug
        named = {r[0] for r in await db.execute(
            "select id from speakers where id in (select value from json_each(:ids))",
            {"ids": json.dumps([slug(t["target"]) for t in targets])})}
        for t in targets:
            t["target_speaker_id"] = slug(t["target"]) if slug(t["target"]) in named else None
        summary["targets"] = targets
        if "topic" in facets_for(access):
            summary["topics"] = [{"id": r["value"], "name": r["label"], "count": r["count"]}
                                 for r in await kept_facet(db, scope_value, "topic")]
    if access.can("network_edges"):
        summary["addressed_by"] = [row_dict(r) for r in await db.execute(
            "select network_edges.source as speaker_id, speakers.name, network_edges.weight as count "
            "from network_edges join speakers on speakers.id = network_edges.source where network_edges.target = :id "
            "order by network_edges.weight desc, speakers.name limit :limit", {"id": speaker_id, "limit": FACET_SIZE})]
    return summary


async def get_topic(db, access: Access, topic_id: str, time_limit_ms: int = 1000) -> dict | None:
    rows = list(await db.execute("select * from topics where id = :id", {"id": topic_id}))
    if not rows:
        return None
    topic = row_dict(rows[0])
    topic["claim_count"] = counted_value(await count_claims(db, access, ClaimFilters(topic=topic_id)))
    return topic


async def topic_summary(db, access: Access, topic_id: str) -> dict:
    """Who speaks on the topic most and its timeline, from the kept counts (None when they are private)."""
    if not access.can("kept_counts"):
        return {"speakers": None, "timeline": None}
    scope_value = scope("topic", topic_id)
    speakers = [{"speaker_id": r["value"], "name": r["label"], "count": r["count"]}
                for r in await kept_facet(db, scope_value, "speaker")]
    timeline = with_empty_months(await kept_facet(db, scope_value, "month", limit=None, by_value=True))
    return {"speakers": speakers, "timeline": timeline}


NETWORK_FILTERS = ("speaker", "topic", "speaker_kind", "date_from", "date_to", "kind", "source")
NETWORK_SORTS = {"claims": lambda e: (-e["weight"], e["source_name"], e["target_name"]),
                 "speaker": lambda e: (e["source_name"].casefold(), -e["weight"], e["target_name"]),
                 "target": lambda e: (e["target_name"].casefold(), -e["weight"], e["source_name"])}


def network_filters(args) -> ClaimFilters:
    """The filters the network takes (a claims browser's, but no search or article); 400 for the others."""
    other = [name for name in FILTERS if name not in NETWORK_FILTERS and (args.get(name) or "").strip()]
    if other:
        raise BadRequest(f"the network is filtered by {', '.join(NETWORK_FILTERS)}; not by {', '.join(other)}",
                         other[0])
    return ClaimFilters.from_args(args)


async def network(db, access: Access, filters: ClaimFilters, limit: int = 60,
                  time_limit_ms: int = 1000) -> list[dict] | None:
    """Who addresses whom: speaker -> named target, weighted by claims, the strongest `limit` links; None
    when it took too long. Unfiltered, from the kept `network_edges`; filtered (a speaker's links are the
    ones they make and the ones made to them), counted from the claims that name a target. Speakers the
    text does not name ("he", "analysts": one per article) are left out unless `speaker_kind=unnamed`."""
    names = ("join speakers s on s.id = e.source join speakers t on t.id = e.target"
             + ("" if filters.speaker_kind == UNNAMED else f" and s.kind != '{UNNAMED}'"))
    columns = "e.source, s.name as source_name, e.target, t.name as target_name, e.weight"
    order = "order by e.weight desc, source_name, target_name limit :limit"
    if not filters.active() and access.can("network_edges"):
        sql, params = f"select {columns} from network_edges e {names} {order}", {}
    else:
        speaker = filters.speaker
        filters = ClaimFilters(**{k: v for k, v in filters.active().items() if k != "speaker"})
        clauses, params = filters.where()
        clauses.append("claims.target_speaker_id is not null")
        if speaker:
            clauses.append("(claims.speaker_id = :speaker or claims.target_speaker_id = :speaker)")
            params["speaker"] = speaker
        sql = f"""select {columns} from (
                    select claims.speaker_id as source, claims.target_speaker_id as target, count(*) as weight
                    from claims where {' and '.join(clauses)} group by 1, 2) e {names} {order}"""
    params["limit"] = limit
    rows = await timed(db, sql, params, time_limit_ms)
    return [row_dict(r) for r in rows] if rows is not None else None
