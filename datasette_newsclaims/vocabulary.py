"""The words the loader and the plugin share, each defined once.

Table names, a claim's fields (the key `newsclaims extract` prints and the column that stores it),
the facets, the scopes of the kept counts, the filters of the claims browser, and the slugs that are
row ids. No spaCy, no Datasette, no sqlite-utils here: both halves import it.

Dates of a claim: `said_on` is when it was said, when the text says so (`date` in the `newsclaims
extract` contract, which predates the name); `claim_date` is the date a claim is listed and
filtered under: `said_on`, else the article's publication date, else ''; `date_basis` says which
of the three it is (`said`, `published`, `undated`).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from typing import NamedTuple

META_TABLE = "newsclaims_meta"
# the schema the loader writes (loader/store.py's migrations) and the pages read; `newsclaims upgrade`
# brings an older database to it
SCHEMA_VERSION = 11
NEWSCLAIMS_TABLES = frozenset({"claims", "articles", "speakers", META_TABLE})


# the longest id (of an article, speaker or topic) that the pages serve; the loader keeps ids within it
MAX_ID_CHARS = 300


def is_newsclaims_db(table_names) -> bool:
    return NEWSCLAIMS_TABLES <= set(table_names)


def slug(name: str) -> str:
    """URL-safe id for a canonical name: 'Wang Yi' -> 'wang-yi'. The same name is always the same row."""
    folded = unicodedata.normalize("NFKD", name)
    folded = "".join(c for c in folded if not unicodedata.combining(c)).lower()
    text = re.sub(r"[^a-z0-9]+", "-", folded).strip("-")
    if not text:
        text = "x-" + hashlib.sha1(name.encode("utf-8")).hexdigest()[:10]
    return text[:80]


# -- a claim's fields -------------------------------------------------------------------------------

class ClaimField(NamedTuple):
    key: str  # in `newsclaims extract` output (Claim.as_dict), in this order
    column: str | None  # the column of `claims` that stores it; None when it is stored otherwise


CLAIM_FIELDS = (
    ClaimField("quote", "quote"), ClaimField("start", "start"), ClaimField("end", "end"),
    ClaimField("speaker", None),  # the speaker's row: claims.speaker_id -> speakers (name, kind)
    ClaimField("speaker_mention", "speaker_mention"), ClaimField("speaker_start", "speaker_start"),
    ClaimField("speaker_end", "speaker_end"),
    ClaimField("speaker_kind", "speaker_kind"),  # as the claim's article gives it (SPEAKER_KINDS)
    ClaimField("speaker_role", "speaker_role"),
    ClaimField("cue", "cue"), ClaimField("cue_start", "cue_start"), ClaimField("cue_end", "cue_end"),
    ClaimField("target", "target"),  # the article's name; stored canonical ("US" -> United States, canonical.py)
    ClaimField("target_start", "target_start"), ClaimField("target_end", "target_end"), ClaimField("target_kind", None),
    ClaimField("venue", "venue"), ClaimField("venue_start", "venue_start"), ClaimField("venue_end", "venue_end"),
    ClaimField("date", "said_on"), ClaimField("date_phrase", "date_phrase"), ClaimField("date_source", "date_source"),
    ClaimField("kind", "kind"), ClaimField("pattern", "pattern"), ClaimField("confidence", "confidence"),
    ClaimField("sentence_index", None),  # claims.sentence_id -> sentences
    ClaimField("segments", None),  # recomputed from the quote's marks when shown
    ClaimField("topics", "topics"),  # a JSON list; claim_topics is the join table
)
# extract key -> claims column, for the fields stored as they are
STORED_CLAIM_FIELDS = {f.key: f.column for f in CLAIM_FIELDS if f.column}
SAID_ON = STORED_CLAIM_FIELDS["date"]
LISTED_ON = "claim_date"
DATE_BASIS = "date_basis"
DATE_BASES = ("said", "published", "undated")  # the day it was said; the article's date; neither known
DATE_BASIS_LABELS = {"said": "the day it was said", "published": "the article's date", "undated": "undated"}
# every column of `claims`: row ids and links, the stored fields, and what the loader adds
# (speaker_id is the speaker across the corpus; article_speaker_id the one its article names: "Reagan" in an
# article that says no more is Ronald Reagan's claim once the corpus knows one Reagan only)
CLAIM_COLUMNS = ("id", "article_id", "sentence_id", "speaker_id", "article_speaker_id", "target_speaker_id",
                 *STORED_CLAIM_FIELDS.values(), "article_published", "source", LISTED_ON, DATE_BASIS, "quotation_id")
KINDS = ("direct", "indirect", "mixed")


def listed_on(said_on: str | None, published: str | None) -> tuple[str, str]:
    """(claim_date, date_basis) of a claim said on `said_on` in an article published on `published`."""
    if said_on:
        return said_on, "said"
    if published:
        return published, "published"
    return "", "undated"


# The kind of a speaker the text does not name: "analysts", "a senior official", "the company" when no
# company was named, a pronoun with nothing to refer to. Kept, shown and faceted, but never one speaker
# across articles: each article's "analysts" are their own (see speaker_id).
UNNAMED = "unnamed"
SPEAKER_KINDS = ("person", "organisation", "place", UNNAMED)
NAMED = "named"  # speaker_kind=named: every kind but unnamed ("named speakers only")


def speaker_id_for(name: str, kind: str | None, article_id: str) -> str:
    """The speakers row of a speaker: the slug of its name, the same across articles; for an unnamed
    speaker, that slug qualified by the article ('analysts~3f2a9c1b')."""
    if kind != UNNAMED:
        return slug(name)
    return f"{slug(name)}~{hashlib.sha1(article_id.encode('utf-8')).hexdigest()[:8]}"


# -- facets and the kept counts ------------------------------------------------------------------

FACETS = ("speaker", "speaker_kind", "topic", "target", "venue", "source", "kind", "month", DATE_BASIS)
FACET_TITLES = {"speaker": "Speaker", "speaker_kind": "Speaker kind", "topic": "Topic", "target": "Target",
                "venue": "Venue", "source": "Outlet", "kind": "Kind", "month": "Month", DATE_BASIS: "Dated by"}
# Kept counts are kept for all claims and for each speaker's and each topic's claims
ALL_CLAIMS = ""
SCOPED_FACETS = ("speaker", "topic")


def scope(facet: str, value: str) -> str:
    """The kept-count scope of one speaker's or one topic's claims: 'speaker:wang-yi'."""
    return f"{facet}:{value}"


def scope_facet(scope_value: str) -> str | None:
    """'speaker' for 'speaker:wang-yi' (or for the bare 'speaker'); None for all claims."""
    return scope_value.split(":", 1)[0] if scope_value else None


def facets_in(scope_value: str) -> tuple[str, ...]:
    """A scope does not facet by itself: one speaker's claims have one speaker."""
    return tuple(f for f in FACETS if f != scope_facet(scope_value))


# -- the sample of claims: estimates where an exact count or facet costs too much -------------------

# Every claim falls in one of SAMPLE_BUCKETS buckets by a hash of its id (SQL below, the same in every
# database); the claims of the first SAMPLE_KEPT buckets (1 in 16) are copied into SAMPLE_TABLE under the
# key bucket * SAMPLE_KEY_SHIFT + id, so the claims of the first b buckets are one range of keys: a
# uniform sample of any rate up to 1/16, read in one range scan (web/estimates.py).
SAMPLE_TABLE = "claims_sample"
SAMPLE_TOPICS = "claims_sample_topics"
SAMPLE_FTS = "claims_sample_fts"
SAMPLE_BUCKETS = 4096
SAMPLE_KEPT = 256
SAMPLE_KEY_SHIFT = 2**40  # claim ids stay below it (a trillion)
SAMPLE_COLUMNS = ("speaker_id", "speaker_kind", "target", "target_speaker_id", "venue", "source", "kind",
                  "claim_date", DATE_BASIS)


def sample_bucket(id_sql: str) -> str:
    """SQL for the bucket of a claim id: Fibonacci hashing (the top 12 bits of id * 2654435761 mod 2**32),
    kept within SQLite's 64-bit integers."""
    return f"(((({id_sql}) % 2147483648) * 2654435761) % 4294967296) / 1048576"


def sample_key(id_sql: str) -> str:
    return f"({sample_bucket(id_sql)}) * {SAMPLE_KEY_SHIFT} + ({id_sql})"


# -- search in date order -----------------------------------------------------------------------------

# A second full-text index of the quotes whose rowid is the claim's place in date order: the day of its
# claim_date (0 when undated) times 2**32 plus its id. FTS5 reads a match's rows in rowid order and stops
# at the page's end, so a search listed newest (or oldest) first costs a page, not every match.
DATED_FTS = "claims_dated_fts"
DATED_KEY_SHIFT = 2**32  # claim ids stay below it (four billion)


def dated_key(date_sql: str, id_sql: str) -> str:
    """SQL for a claim's place in date order (see DATED_FTS)."""
    return (f"coalesce(cast(julianday(nullif({date_sql}, '')) as integer), 0) * {DATED_KEY_SHIFT} + ({id_sql})")


# -- the claims browser's filters ------------------------------------------------------------------

FILTERS = ("q", "speaker", "speaker_kind", "target", "venue", "topic", "source", "kind", "date_from", "date_to",
           DATE_BASIS, "article", "first", "disputed")
# filters on a claim's quotation (loader/quotations.py): first appearances only; quotations whose named
# speakers disagree. Each takes the value 1.
QUOTATION_FILTERS = ("first", "disputed")
# the filter a facet value sets; a month sets date_from and date_to to the month
FACET_FILTER = {"speaker": "speaker", "speaker_kind": "speaker_kind", "topic": "topic", "target": "target",
                "venue": "venue", "source": "source", "kind": "kind", "month": "date_from",
                DATE_BASIS: DATE_BASIS}
