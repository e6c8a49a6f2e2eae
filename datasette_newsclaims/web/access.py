"""What an actor may read: Datasette's `view-table` permission, asked for every table a page reads.

A request gets one `Access`: the newsclaims tables of its database that the actor may view, as
Datasette's own permission API answers for that actor (on 0.65 and the 1.0 alphas alike). Pages
then follow one rule:

- a page whose subject lives in a private table answers 403, as Datasette's table page does
  (`require`): every page needs `claims`; the article page `articles`; the speaker page
  `speakers`; the topic page `topics` and `claim_topics`; the network page `speakers` (its links come from
  `network_edges`, or from `claims` when that is private or the network is filtered); a search
  `claims_fts`; a topic filter `claim_topics`; the quotation page, the `first` and `disputed` filters and
  the order by spread `quotations`;
- any other part of a page that comes from a private table is left out (`can`): it is null in the
  JSON twin and not shown in HTML. Counts and facets that the loader keeps in `kept_counts` are
  counted live from `claims` when `kept_counts` is private; those estimated from the claims sample
  (`claims_sample`, its topics and its full-text index) are not shown when it is private. A search in
  date order reads `claims_dated_fts` when it may, else gathers its matches from `claims_fts`. How far a
  claim's words spread ("also in N articles") is left out when `quotations` is private.

The queries in `queries.py` read a table only after asking `can` for it; the tests check that with
SQLite's authorizer, for every route, actor and private table.
"""

from __future__ import annotations

from dataclasses import dataclass

from datasette.utils.asgi import Forbidden

from ..vocabulary import DATED_FTS, SAMPLE_FTS, SAMPLE_TABLE, SAMPLE_TOPICS
from .compat import can_view_table

# Every table a plugin page may read.
TABLES = ("articles", "sentences", "claims", "claims_fts", "facts", "speakers", "speaker_aliases", "topics",
          "claim_topics", "kept_counts", "network_edges", "newsclaims_meta", SAMPLE_TABLE, SAMPLE_TOPICS, SAMPLE_FTS,
          DATED_FTS, "quotations")


@dataclass(frozen=True)
class Access:
    database: str
    visible: frozenset

    def can(self, *tables: str) -> bool:
        return all(t in self.visible for t in tables)

    def require(self, *tables: str) -> None:
        """403 unless every one of `tables` is visible; the message names them, as Datasette's does."""
        hidden = [t for t in tables if t not in self.visible]
        if hidden:
            raise Forbidden(f"You may not view {', '.join(hidden)} in {self.database}")

    @property
    def kept(self) -> bool:
        """Whether the loader's kept counts may be read (else counts and facets are live)."""
        return self.can("kept_counts", "newsclaims_meta")

    @property
    def sampled(self) -> bool:
        """Whether the claims sample may be read, for the counts and facets it estimates (web/estimates.py)."""
        return self.can(SAMPLE_TABLE, SAMPLE_TOPICS, SAMPLE_FTS, "newsclaims_meta")


async def access_for(datasette, actor, database: str) -> Access:
    visible = [t for t in TABLES if await can_view_table(datasette, actor, database, t)]
    return Access(database, frozenset(visible))
