"""Counts kept in step by the loader, so that no page groups a million claims on a request.

`kept_counts` holds, for each *scope* (all claims, one speaker's claims, one
topic's claims), how many claims have each value of each facet (speaker,
speaker kind, topic, target, venue, source, kind, month, date basis). The claims browser reads its facets and totals
from it when the list is unfiltered or filtered by one speaker or one topic;
speaker and topic pages read their timelines, targets, topics and speakers
from it. `network_edges` counts claims per (speaker, named target).

The loader adds what each batch of claims brings (`increments`, computed from
the rows in hand) and subtracts what a replaced article took away
(`aggregate` over its claims) inside the batch's transaction. `aggregate` over
all claims gives the same tables from scratch: the migration uses it, and the
tests check the kept tables against it.
"""

from __future__ import annotations

from collections import Counter

from ..vocabulary import ALL_CLAIMS, DATE_BASIS, FACETS, LISTED_ON, facets_in, scope

# facet -> (value, label, extra joins, condition)
FACET_SQL = {
    "speaker": ("claims.speaker_id", "speakers.name", "join speakers on speakers.id = claims.speaker_id", ""),
    "topic": ("ft.topic_id", "topics.name",
              "join claim_topics ft on ft.claim_id = claims.id join topics on topics.id = ft.topic_id", ""),
    "speaker_kind": ("claims.speaker_kind", "claims.speaker_kind", "", ""),
    "target": ("claims.target", "claims.target", "", "claims.target is not null"),
    "venue": ("claims.venue", "claims.venue", "", "claims.venue is not null"),
    "source": ("claims.source", "claims.source", "", "claims.source is not null"),
    "kind": ("claims.kind", "claims.kind", "", ""),
    "month": ("substr(claims.claim_date, 1, 7)", "substr(claims.claim_date, 1, 7)", "", "claims.claim_date != ''"),
    DATE_BASIS: ("claims.date_basis", "claims.date_basis", "", ""),
}
# scope -> (scope expression, extra joins); the expressions give vocabulary.scope's encoding
SCOPE_SQL = {
    ALL_CLAIMS: (f"'{ALL_CLAIMS}'", ""),
    "speaker": (f"'{scope('speaker', '')}' || claims.speaker_id", ""),
    "topic": (f"'{scope('topic', '')}' || st.topic_id", "join claim_topics st on st.claim_id = claims.id"),
}
assert set(FACET_SQL) == set(FACETS)


def aggregate(db, where: str = "", params=()) -> tuple[dict, dict]:
    """({(scope, facet, value): (label, count)}, {(source, target): weight}) of the claims matching `where`."""
    counts: dict = {}
    for scope_name, (scope_expr, scope_join) in SCOPE_SQL.items():
        for facet in facets_in(scope_name):
            value, label, join, condition = FACET_SQL[facet]
            conditions = " and ".join(f"({c})" for c in (condition, where) if c)
            sql = (f"select {scope_expr}, {value}, {label}, count(*) from claims {scope_join} {join} "
                   f"{'where ' + conditions if conditions else ''} group by 1, 2")
            for scope_value, facet_value, facet_label, n in db.execute(sql, params).fetchall():
                counts[(scope_value, facet, facet_value)] = (facet_label, n)
    edges = {}
    sql = ("select speaker_id, target_speaker_id, count(*) from claims where target_speaker_id is not null"
           + (f" and ({where})" if where else "") + " group by 1, 2")
    for source, target, weight in db.execute(sql, params).fetchall():
        edges[(source, target)] = weight
    return counts, edges


def increments(claims: list[dict], topics_of: dict, name_of) -> tuple[dict, dict]:
    """What new claim rows add: the same shape as `aggregate`, computed without a query per claim.

    claims: rows as written (speaker_id, speaker_kind, target, venue, kind, claim_date, target_speaker_id, id);
    topics_of: claim id -> [topic ids]; name_of(table, id) -> stored name.
    """
    counts: Counter = Counter()
    labels: dict = {}
    edges: Counter = Counter()
    for row in claims:
        topics = topics_of.get(row["id"], [])
        values = {
            "speaker": [(row["speaker_id"], name_of("speakers", row["speaker_id"]))],
            "topic": [(t, name_of("topics", t)) for t in topics],
            "speaker_kind": [(row["speaker_kind"], row["speaker_kind"])],
            "target": [(row["target"], row["target"])] if row["target"] is not None else [],
            "venue": [(row["venue"], row["venue"])] if row["venue"] is not None else [],
            "source": [(row["source"], row["source"])] if row["source"] is not None else [],
            "kind": [(row["kind"], row["kind"])],
            "month": [(row[LISTED_ON][:7],) * 2] if row[LISTED_ON] else [],
            DATE_BASIS: [(row[DATE_BASIS], row[DATE_BASIS])],
        }
        scopes = [ALL_CLAIMS, scope("speaker", row["speaker_id"])] + [scope("topic", t) for t in topics]
        for scope_value in scopes:
            for facet in facets_in(scope_value):
                for value, label in values[facet]:
                    key = (scope_value, facet, value)
                    counts[key] += 1
                    labels[key] = label
        if row["target_speaker_id"]:
            edges[(row["speaker_id"], row["target_speaker_id"])] += 1
    return {k: (labels[k], n) for k, n in counts.items()}, dict(edges)


def create_tables(db) -> None:
    db["kept_counts"].create({"scope": str, "facet": str, "value": str, "label": str, "count": int},
                             pk=("scope", "facet", "value"))
    db["kept_counts"].create_index(["scope", "facet", "count"])
    db["network_edges"].create({"source": str, "target": str, "weight": int}, pk=("source", "target"),
                               foreign_keys=[("source", "speakers", "id"), ("target", "speakers", "id")])
    db["network_edges"].create_index(["target"])
    db["network_edges"].create_index(["weight"])


def fill(db) -> None:
    counts, edges = aggregate(db)
    db["kept_counts"].insert_all({"scope": s, "facet": f, "value": v, "label": label, "count": n}
                                 for (s, f, v), (label, n) in counts.items())
    db["network_edges"].insert_all({"source": a, "target": b, "weight": w} for (a, b), w in edges.items())


class Deltas:
    """Changes to the kept counts within one transaction, applied together at its end."""

    def __init__(self):
        self.counts: dict = {}
        self.edges: Counter = Counter()

    def add(self, counts: dict, edges: dict, sign: int = 1) -> None:
        for key, (label, n) in counts.items():
            self.counts[key] = (label, self.counts.get(key, (label, 0))[1] + sign * n)
        for key, n in edges.items():
            self.edges[key] += sign * n

    def apply(self, db) -> None:
        rows = [(s, f, v, label, n) for (s, f, v), (label, n) in self.counts.items() if n]
        db.conn.executemany(
            "insert into kept_counts (scope, facet, value, label, count) values (?, ?, ?, ?, ?) "
            "on conflict (scope, facet, value) do update set count = count + excluded.count", rows)
        db.conn.executemany(
            "insert into network_edges (source, target, weight) values (?, ?, ?) "
            "on conflict (source, target) do update set weight = weight + excluded.weight",
            [(a, b, n) for (a, b), n in self.edges.items() if n])
        if any(n < 0 for _, n in self.counts.values()):
            db.execute("delete from kept_counts where count <= 0")
        if any(n < 0 for n in self.edges.values()):
            db.execute("delete from network_edges where weight <= 0")
