"""Counts and facets that cost too much to compute exactly, within a fixed amount of work: exact when the
query finishes within a budget of SQLite instructions, else estimated from the claims sample.

The budget is counted in SQLite's virtual-machine instructions (a progress handler), not in milliseconds,
so whether a figure is exact depends on the database and the request only: the same request gives the
same answer, however busy the server.

The claims sample (`vocabulary.SAMPLE_TABLE`, kept by triggers: loader/store.py m009) holds one claim in
sixteen, chosen by a hash of its id, under keys that put the claims of the first b of 4,096 buckets in one
range. An estimate reads the sample claims of the first b buckets that match the list's filters (the
topic and the search through the sample's own topic table and full-text index, restricted to the same
range), b chosen from the size of the database so that about SAMPLE_READ sample claims are looked at,
then more buckets for a narrow list (up to MAX_WIDENING times, never past the whole sample) and fewer
for a broad one, so that the facets are counted from a few thousand matching claims whatever the size.
The count is the database's claims times the matching share of the sample; a facet value's count
likewise. Nothing matching in the sample is a bound, not a guess: "fewer than" the count that three
matches would have meant (the rule of three: 95% sure).
"""

from __future__ import annotations

import math
import sqlite3
from collections import Counter
from dataclasses import dataclass, field

from ..vocabulary import DATE_BASIS, SAMPLE_BUCKETS, SAMPLE_KEPT, SAMPLE_KEY_SHIFT, SAMPLE_TABLE

EXACT_COUNT_STEPS = 300_000  # SQLite VM instructions an exact count may take (about 10-40 ms)
EXACT_FACET_STEPS = 600_000  # and the read of a list's rows its exact facets are counted from
EXACT_FACETS_MAX = 5_000  # claims a list may hold for its facets to be counted exactly
ESTIMATE_FIRST = 200_000  # in a database of more claims, a list is estimated first, counted exactly when small
EXACT_TRY_MAX = 50_000  # estimated claims a list may hold for an exact count to be tried
EXACT_TRY_MAX_SEARCH = 5_000  # and a search with other filters (its matches are gathered to be counted)
LIST_STEPS = 3_000_000  # instructions a page of claims may take to read (filters no index narrows)
SAMPLE_READ = 16_384  # sample claims looked at for a count, whatever the size of the database
FACET_MATCHES = 1_000  # matching sample claims the facets are counted from (at least, where the sample has them)
MAX_WIDENING = 4
PROGRESS_EVERY = 1000  # instructions between two calls of the progress handler


async def bounded(db, sql: str, params: dict, steps: int) -> list | None:
    """The rows of a query that finishes within `steps` SQLite instructions, else None."""
    def run(conn):
        left = [steps // PROGRESS_EVERY]

        def tick():
            left[0] -= 1
            return left[0] < 0
        conn.set_progress_handler(tick, PROGRESS_EVERY)
        try:
            return conn.execute(sql, params).fetchall()
        except sqlite3.OperationalError as ex:
            if "interrupt" in str(ex):
                return None
            raise
        finally:
            conn.set_progress_handler(None, PROGRESS_EVERY)
    return await db.execute_fn(run)


@dataclass(frozen=True)
class Count:
    """How many claims a list holds: exact, about (estimated), or fewer than (nothing of it in the sample)."""

    value: int
    exact: bool = True
    under: bool = False

    @property
    def kind(self) -> str:
        return "exact" if self.exact else "under" if self.under else "about"


@dataclass
class Estimate:
    count: Count
    facets: dict[str, Counter] = field(default_factory=dict)  # facet -> value -> estimated claims
    matched: int = 0  # sample claims matching, the facets counted from
    read: int = 0  # sample claims of the buckets read


def buckets_for(total: int) -> int:
    """How many buckets hold about SAMPLE_READ sample claims in a database of `total` claims."""
    if total <= 0:
        return SAMPLE_KEPT
    return max(1, min(SAMPLE_KEPT, math.ceil(SAMPLE_BUCKETS * SAMPLE_READ / total)))


def key_limit(buckets: int) -> int:
    return buckets * SAMPLE_KEY_SHIFT


FACET_COLUMNS = {"speaker": "{on}.speaker_id", "speaker_kind": "{on}.speaker_kind", "target": "{on}.target",
                 "venue": "{on}.venue", "source": "{on}.source", "kind": "{on}.kind",
                 "month": "substr({on}.claim_date, 1, 7)", DATE_BASIS: "{on}.date_basis", "topic": "{on}.topic_ids"}
TOPIC_SEPARATOR = "\x1f"
CLAIMS_TOPICS = "(select group_concat(topic_id, char(31)) from claim_topics where claim_id = claims.id)"


async def estimate(db, clauses: list[str], params: dict, total: int, facets: tuple[str, ...] = ()) -> Estimate:
    """The count (and, when asked, the facets) of the claims matching `clauses`: conditions on the sample
    `s` that may use `:limit` (`ClaimFilters.where(sample=True)`)."""
    where = " and ".join(["s.key < :limit"] + clauses)

    async def matching(buckets: int) -> tuple[int, int]:
        limit = {**params, "limit": key_limit(buckets)}
        rows = await db.execute(f"select (select count(*) from {SAMPLE_TABLE} where key < :limit), count(*) "
                                f"from {SAMPLE_TABLE} s where {where}", limit)
        read, matched = rows.first()
        return read, matched

    buckets = buckets_for(total)
    read, matched = await matching(buckets)
    if matched < FACET_MATCHES and buckets < SAMPLE_KEPT:  # a narrow list: read further into the sample
        wider = min(SAMPLE_KEPT, buckets * MAX_WIDENING, math.ceil(buckets * FACET_MATCHES / max(matched, 1)))
        if wider > buckets:
            buckets = wider
            read, matched = await matching(buckets)
    result = Estimate(count=scaled_count(matched, read, total), matched=matched, read=read)
    if not facets or not matched:
        return result
    facet_buckets = buckets  # a broad list: its facets from fewer buckets, still FACET_MATCHES claims or more
    if matched > 2 * FACET_MATCHES:
        facet_buckets = max(1, buckets * 2 * FACET_MATCHES // matched)
    columns = ", ".join(FACET_COLUMNS[name].format(on="s") for name in facets)
    limit = {**params, "limit": key_limit(facet_buckets)}
    rows = await db.execute(f"select {columns} from {SAMPLE_TABLE} s where {where}", limit)
    facet_read = read if facet_buckets == buckets else (await db.execute(
        f"select count(*) from {SAMPLE_TABLE} where key < :limit", limit)).first()[0]
    result.facets = facet_counts(rows, facets, total / facet_read if facet_read else 0)
    return result


def facet_columns(facets: tuple[str, ...]) -> str:
    """The columns `facet_counts` reads, from `claims` (the sample has the same, and its topics in a column)."""
    return ", ".join(CLAIMS_TOPICS if name == "topic" else FACET_COLUMNS[name].format(on="claims")
                     for name in facets)


def facet_counts(rows, facets: tuple[str, ...], scale: float = 1.0) -> dict[str, Counter]:
    """Each facet's values counted over rows of `facet_columns` (times `scale` for a sample's)."""
    out = {}
    for i, name in enumerate(facets):
        counted: Counter = Counter()
        for row in rows:
            value = row[i]
            if value is None or value == "":
                continue
            if name == "topic":
                counted.update(value.split(TOPIC_SEPARATOR))
            else:
                counted[value] += 1
        out[name] = counted if scale == 1.0 else Counter(
            {value: max(1, round(n * scale)) for value, n in counted.items()})
    return out


def scaled_count(matched: int, read: int, total: int) -> Count:
    """The database's claims times the matching share of the sample read; with no match, the bound three
    matches would have given."""
    if not read:
        return Count(0, exact=False, under=True)
    if not matched:
        return Count(max(1, round(3 * total / read)), exact=False, under=True)
    return Count(round(total * matched / read), exact=False)


def rounded(n: int) -> int:
    """Two significant figures: an estimate says no more than it knows (704,055 -> 700,000)."""
    if n < 100:
        return n
    digits = int(math.log10(n)) - 1
    return round(n, -digits)


__all__ = ["Count", "Estimate", "bounded", "estimate", "facet_columns", "facet_counts", "rounded",
           "EXACT_COUNT_STEPS", "EXACT_FACET_STEPS", "EXACT_FACETS_MAX", "ESTIMATE_FIRST", "EXACT_TRY_MAX",
           "EXACT_TRY_MAX_SEARCH", "LIST_STEPS"]
