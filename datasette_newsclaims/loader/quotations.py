"""Quotations: the claims of many articles that say the same words (wording.py says when).

Every claim whose statement has MIN_WORDS words or more belongs to one `quotations` row
(`claims.quotation_id`); a shorter one to none. The statements are the claims' quotes as shown (the
attribution inside them cut out), each distinct wording a `quotation_texts` row (its words folded, as
`wording.words` gives them, keyed by their hash) whose winnowed fingerprints are indexed in
`quotation_fingerprints`. A claim being written (`Matcher.assign`):

1. a wording already stored is its quotation at once (one lookup: a wire story repeated a hundred
   times costs a hundred lookups);
2. else the stored wordings that share a fingerprint with it (a fingerprint in more than STOP_POSTINGS
   wordings is a stock phrase and leads nowhere) are compared with it (`wording.same_quotation`);
   it joins the quotation of those that match, and when it matches wordings of several quotations it
   joins them into one (the one of lowest id): a quotation is a connected part of the "same words"
   graph, whatever order its claims came in;
3. else it starts a quotation.

What a quotation says of itself (canonical text: the longest wording; the speaker most articles give;
first date, article and outlet; claims, articles and outlets; whether named speakers disagree) is
worked out again from its claims by `refresh`, for the quotations `quotations_stale` lists: triggers on
`claims` list those that gained, lost or re-attributed a claim, whoever wrote (a load, a replace, a
merge, a surname joined to its full name). A quotation that lost claims drops the wordings no claim has
any more, and is split if what is left is no longer one connected part.

Nothing here reads the whole database: a load reads the rows of the wordings it meets.
"""

from __future__ import annotations

from collections import Counter

from .. import wording
from ..text import shown_quote
from ..vocabulary import UNNAMED

TEXTS = "quotation_texts"
FINGERPRINTS = "quotation_fingerprints"
STALE = "quotations_stale"
STOP_POSTINGS = 64  # a fingerprint of more wordings than this is a stock phrase, not a lead
# a candidate shares at least this share of the fingerprints of the one with fewer (a part has all of its
# fingerprints in the whole; a wording with a word changed most of them)
SHARED_FINGERPRINTS = 0.5
MAX_CANDIDATES = 100  # wordings compared with one new wording, those sharing the most fingerprints first
MAX_FINGERPRINTS = 400  # looked up for one wording (SQLite's compound select takes 500 terms)
MAX_SPLIT_TEXTS = 500  # a quotation that lost claims is split again when it has at most this many wordings

# what a claim's shown quote is worked out from (text.quote_parts)
QUOTE_COLUMNS = ("quote", "start", "end", "speaker_start", "speaker_end", "cue_start", "cue_end", "target_start",
                 "target_end", "venue_start", "venue_end", "kind")


def create_tables(db) -> None:
    statements = [
        """create table quotations (id integer primary key, text text, words integer, claim_id integer,
            speaker_id text, first_claim_id integer, first_article_id text, first_date text, first_source text,
            claims integer not null default 0, articles integer not null default 0,
            outlets integer not null default 0, speakers integer not null default 0,
            speakers_disagree integer not null default 0)""",
        f"""create table {TEXTS} (id integer primary key, key integer not null unique,
            quotation_id integer not null, words text not null, direct integer not null,
            fingerprints integer not null)""",
        f"create index idx_{TEXTS}_quotation_id on {TEXTS} (quotation_id)",
        f"""create table {FINGERPRINTS} (fingerprint integer not null, text_id integer not null,
            primary key (fingerprint, text_id)) without rowid""",
        f"create table {STALE} (quotation_id integer primary key, lost integer not null default 0)",
        # most repeated first; the disputed ones; a claim's quotation and its appearances by date
        "create index idx_quotations_spread on quotations (articles desc, id)",
        "create index idx_quotations_disputed on quotations (speakers_disagree, articles desc, id)",
        "create index idx_claims_quotation on claims (quotation_id, claim_date, id)",
        f"""create trigger newsclaims_quotation_ai after insert on claims when new.quotation_id is not null begin
            insert or ignore into {STALE} (quotation_id) values (new.quotation_id);
        end""",
        f"""create trigger newsclaims_quotation_ad after delete on claims when old.quotation_id is not null begin
            insert into {STALE} (quotation_id, lost) values (old.quotation_id, 1)
                on conflict (quotation_id) do update set lost = 1;
        end""",
        f"""create trigger newsclaims_quotation_au after update of quotation_id, speaker_id, speaker_kind
            on claims begin
            insert or ignore into {STALE} (quotation_id) select new.quotation_id where new.quotation_id is not null;
            insert or ignore into {STALE} (quotation_id) select old.quotation_id where old.quotation_id is not null;
        end""",
    ]
    for statement in statements:
        db.execute(statement)


def statement_of(row: dict) -> tuple[list[str], bool, int]:
    """(words, direct, key) of a claim row: its quote as shown, folded; direct unless reported speech; the
    key of that wording (`quotation_texts.key`: the same words quoted and reported are two wordings)."""
    statement, direct = wording.words(shown_quote(row)), row.get("kind") != "indirect"
    return statement, direct, wording.key(statement + ["|direct" if direct else "|indirect"])


# the fingerprints found to be stock phrases, by database file: a stock phrase stays one as the database
# grows (this process's loads ask the index once for each); at most STOCK_PHRASES_KEPT per database
STOCK_PHRASES: dict[str, set[int]] = {}
STOCK_PHRASES_KEPT = 100_000  # a few megabytes


class Matcher:
    """Assigns the claims of one write transaction to quotations (see the module's docstring)."""

    def __init__(self, db):
        self.db = db
        path = db.execute("pragma database_list").fetchone()[2] or f"memory:{id(db)}"
        self.stock = STOCK_PHRASES.setdefault(path, set())
        self.next_id = (db.execute("select max(id) from quotations").fetchone()[0] or 0) + 1
        self.joined: dict[int, int] = {}  # quotation id -> the one it was joined into, in this transaction

    def resolve(self, quotation_id: int | None) -> int | None:
        while quotation_id in self.joined:
            quotation_id = self.joined[quotation_id]
        return quotation_id

    def assign(self, row: dict) -> int | None:
        """The quotation of a claim row (before or after it is written); None for a short statement."""
        statement, direct, key = statement_of(row)
        if len(statement) < wording.MIN_WORDS:
            return None
        found = self.db.execute(f"select quotation_id from {TEXTS} where key = ?", [key]).fetchone()
        if found:
            return self.resolve(found[0])
        fingerprints = sorted(wording.fingerprints(statement))[:MAX_FINGERPRINTS]
        shingles = wording.shingles(statement)
        matched = {quotation_id for quotation_id, words, other_direct in self._candidates(fingerprints)
                   if wording.same_shingles(shingles, direct, wording.shingles(words.split(" ")), bool(other_direct))}
        if matched:
            quotation_id = min(matched)
            for other in sorted(matched - {quotation_id}):
                self._join(other, quotation_id)
        else:
            quotation_id = self.next_id
            self.next_id += 1
            self.db.execute("insert into quotations (id) values (?)", [quotation_id])  # summarised by refresh
        cursor = self.db.execute(f"insert into {TEXTS} (key, quotation_id, words, direct, fingerprints) "
                                 "values (?, ?, ?, ?, ?)",
                                 [key, quotation_id, " ".join(statement), int(direct), len(fingerprints)])
        self.db.conn.executemany(f"insert or ignore into {FINGERPRINTS} (fingerprint, text_id) values (?, ?)",
                                 [(f, cursor.lastrowid) for f in fingerprints])
        return quotation_id

    def _candidates(self, fingerprints: list[int]) -> list[tuple]:
        """(quotation id, words, direct) of the stored wordings that share enough fingerprints that are not
        stock phrases (SHARED_FINGERPRINTS), most shared first."""
        fingerprints = [f for f in fingerprints if f not in self.stock]
        if not fingerprints:
            return []
        sql = " union all ".join(f"select * from (select fingerprint, text_id from {FINGERPRINTS} "
                                 f"where fingerprint = ? limit {STOP_POSTINGS + 1})" for _ in fingerprints)
        postings: dict[int, list[int]] = {}
        for fingerprint, text_id in self.db.execute(sql, fingerprints).fetchall():
            postings.setdefault(fingerprint, []).append(text_id)
        for fingerprint, texts in postings.items():
            if len(texts) > STOP_POSTINGS and len(self.stock) < STOCK_PHRASES_KEPT:
                self.stock.add(fingerprint)
        shared = Counter(text_id for texts in postings.values() if len(texts) <= STOP_POSTINGS for text_id in texts)
        ids = [text_id for text_id, _ in sorted(shared.items(), key=lambda item: (-item[1], item[0]))[:MAX_CANDIDATES]]
        if not ids:
            return []
        marks = ", ".join("?" for _ in ids)
        rows = self.db.execute(f"select id, quotation_id, words, direct, fingerprints from {TEXTS} "
                               f"where id in ({marks}) order by id", ids).fetchall()
        return [(quotation_id, words, direct) for text_id, quotation_id, words, direct, count in rows
                if shared[text_id] >= SHARED_FINGERPRINTS * min(count, len(fingerprints))]

    def _join(self, quotation_id: int, into: int) -> None:
        """One quotation's wordings and claims become another's (the claims' trigger marks both stale)."""
        self.db.execute(f"update {TEXTS} set quotation_id = ? where quotation_id = ?", [into, quotation_id])
        self.db.execute("update claims set quotation_id = ? where quotation_id = ?", [into, quotation_id])
        self.db.execute(f"insert or ignore into {STALE} (quotation_id) values (?)", [quotation_id])
        self.joined[quotation_id] = into


def assign_unassigned(db, after_id: int = 0, chunk: int = 5000) -> int:
    """Assign the written claims that have no quotation yet (ids above `after_id`), in id order: an
    upgrade's or a merge's claims, as a load would have assigned them. Returns how many were assigned."""
    matcher, assigned, last = Matcher(db), 0, after_id
    columns = ", ".join(f"[{c}]" for c in QUOTE_COLUMNS)
    while True:
        # in id order from the table itself: `+` keeps the (quotation_id, ...) index out, which would gather and
        # sort every unassigned claim for each chunk
        rows = db.execute(f"select id, {columns} from claims where id > ? and +quotation_id is null order by id "
                          f"limit {chunk}", [last]).fetchall()
        if not rows:
            return assigned
        updates = []
        for row in rows:
            quotation_id = matcher.assign(dict(zip(("id", *QUOTE_COLUMNS), row)))
            if quotation_id is not None:
                updates.append((quotation_id, row[0]))
        db.conn.executemany("update claims set quotation_id = ? where id = ?",
                            [(matcher.resolve(q), claim_id) for q, claim_id in updates])
        assigned += len(updates)
        last = rows[-1][0]


# -- what a quotation says of itself ------------------------------------------------------------------

def refresh(db) -> int:
    """Work out again every quotation `quotations_stale` lists; returns how many. Those that lost claims
    one by one (they may split); the others all together, from one read of their claims."""
    stale = db.execute(f"select quotation_id, lost from {STALE} order by quotation_id").fetchall()
    for quotation_id, lost in stale:
        if lost:
            _split(db, quotation_id)  # its parts' claims moved: the claims' trigger lists them with the rest
    by_quotation: dict[int, list[dict]] = {quotation_id: [] for quotation_id, _ in stale}
    for claim in _claims_of(db, f"c.quotation_id in (select quotation_id from {STALE})"):
        by_quotation.setdefault(claim["quotation_id"], []).append(claim)
    for quotation_id, claims in by_quotation.items():
        _summarise(db, quotation_id, claims)
    db.execute(f"delete from {STALE}")
    return len(stale)


def _claims_of(db, where: str, params=()) -> list[dict]:
    columns = ", ".join(f"c.[{c}]" for c in QUOTE_COLUMNS)
    cursor = db.execute(
        f"select c.id, c.quotation_id, c.article_id, c.speaker_id, c.speaker_kind, c.source, c.article_published, "
        f"c.claim_date, {columns}, coalesce(s.kind, c.speaker_kind) as kind_of_speaker, s.name as speaker_name "
        f"from claims c left join speakers s on s.id = c.speaker_id where {where}", params)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row)) for row in cursor.fetchall()]


def _summarise(db, quotation_id: int, claims: list[dict]) -> None:
    if not claims:
        _drop_texts(db, db.execute(f"select id, words from {TEXTS} where quotation_id = ?",
                                   [quotation_id]).fetchall())
        db.execute("delete from quotations where id = ?", [quotation_id])
        return
    shown = {c["id"]: shown_quote(c) for c in claims}
    # the first appearance: the earliest claim date, as the pages list them (undated ones last), then the
    # earliest article, then the first written
    in_order = sorted(claims, key=lambda c: (not c["claim_date"], c["claim_date"], c["article_published"] or "",
                                             c["id"]))
    first = in_order[0]
    order = {c["id"]: n for n, c in enumerate(in_order)}
    lengths = {cid: len(wording.words(text)) for cid, text in shown.items()}
    canonical = min(claims, key=lambda c: (-lengths[c["id"]], order[c["id"]]))  # the longest wording
    named = attributions(claims)
    if named:
        speaker = min(named, key=lambda s: (-len(named[s]), s))
    else:
        votes = Counter(c["speaker_id"] for c in claims)
        speaker = min(votes, key=lambda s: (-votes[s], s))
    db.execute(
        "update quotations set text = ?, words = ?, claim_id = ?, speaker_id = ?, first_claim_id = ?, "
        "first_article_id = ?, first_date = ?, first_source = ?, claims = ?, articles = ?, outlets = ?, "
        "speakers = ?, speakers_disagree = ? where id = ?",
        [shown[canonical["id"]], lengths[canonical["id"]], canonical["id"], speaker, first["id"],
         first["article_id"], first["claim_date"], first["source"], len(claims),
         len({c["article_id"] for c in claims}), len({c["source"] for c in claims if c["source"]}),
         len(named), int(disputed(named)), quotation_id])


def attributions(claims: list[dict]) -> dict[str, set]:
    """The named speakers a quotation's claims give, each with the articles that give it. A name that is
    the end of another name the quotation gives ("Lopez" of "Maria Lopez", "Goldsmith" of "Lord Goldsmith")
    is that speaker, when it is the end of one only: an article that names her by surname does not dispute
    her words. Unnamed sources ("analysts") attribute nothing."""
    named: dict[str, set] = {}
    names: dict[str, list[str]] = {}
    for c in claims:
        if c["kind_of_speaker"] != UNNAMED and c["speaker_kind"] != UNNAMED:
            named.setdefault(c["speaker_id"], set()).add(c["article_id"])
            names[c["speaker_id"]] = (c["speaker_name"] or c["speaker_id"]).casefold().split()
    for short in sorted(named, key=lambda s: len(names[s])):
        longer = [s for s in named if s != short and len(names[s]) > len(names[short])
                  and names[s][-len(names[short]):] == names[short]]
        if len(longer) == 1:
            named[longer[0]] |= named.pop(short)
    return named


def disputed(named: dict[str, set]) -> bool:
    """Whether articles give the words to different speakers: no one speaker is named by every article
    that names one (a second speaker inside one article, quoting the first, is no dispute)."""
    articles = set().union(*named.values()) if named else set()
    return len(articles) > 1 and not any(given == articles for given in named.values())


def _drop_texts(db, texts: list[tuple[int, str]]) -> None:
    """Forget wordings (id, words) and their fingerprints (found again from the words: the index is by
    fingerprint)."""
    for text_id, words in texts:
        db.conn.executemany(f"delete from {FINGERPRINTS} where fingerprint = ? and text_id = ?",
                            [(f, text_id) for f in wording.fingerprints(words.split(" "))])
        db.execute(f"delete from {TEXTS} where id = ?", [text_id])


def _split(db, quotation_id: int) -> list[int]:
    """After a quotation lost claims: drop the wordings no claim has any more, and when what is left is no
    longer connected, move each part but the first to a quotation of its own. Returns the new ones."""
    claims = _claims_of(db, "c.quotation_id = ?", [quotation_id])
    live: dict[int, list[int]] = {}  # wording key -> claim ids
    for c in claims:
        live.setdefault(statement_of(c)[2], []).append(c["id"])
    texts = db.execute(f"select id, key, words, direct from {TEXTS} where quotation_id = ? order by id",
                       [quotation_id]).fetchall()
    _drop_texts(db, [(t[0], t[2]) for t in texts if t[1] not in live])
    texts = [t for t in texts if t[1] in live]
    if len(texts) < 2 or len(texts) > MAX_SPLIT_TEXTS:
        return []
    parent = list(range(len(texts)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i in range(len(texts)):
        for j in range(i + 1, len(texts)):
            if find(i) != find(j) and wording.same_quotation(texts[i][2].split(" "), bool(texts[i][3]),
                                                             texts[j][2].split(" "), bool(texts[j][3])):
                parent[find(j)] = find(i)
    parts: dict[int, list] = {}
    for i, text in enumerate(texts):
        parts.setdefault(find(i), []).append(text)
    new = []
    next_id = (db.execute("select max(id) from quotations").fetchone()[0] or 0) + 1
    for part in list(parts.values())[1:]:  # the part of the lowest wording id keeps the quotation
        db.execute("insert into quotations (id) values (?)", [next_id])
        for text_id, key, _, _ in part:
            db.execute(f"update {TEXTS} set quotation_id = ? where id = ?", [next_id, text_id])
            marks = ", ".join("?" for _ in live[key])
            db.execute(f"update claims set quotation_id = ? where id in ({marks})", [next_id, *live[key]])
        new.append(next_id)
        next_id += 1
    return new
