"""Who a speaker is across the corpus: a surname joins the one full name the corpus has for it.

Within an article the extractor already names a person in full when the article does ("Reagan" after
"Ronald Reagan" is Ronald Reagan). Across articles, a person some article calls only "Reagan" (or
"President Reagan": the title is the role) is the full-named speaker with that surname when the corpus
holds exactly one ("Ronald Reagan") and the articles of both talk about a same named thing
(`shared_context`); it stays "Reagan" when the corpus holds none or several ("Ronald Reagan" and
"Nancy Reagan": which one is not for us to guess), or when nothing ties them (in a corpus of many
people, one full name with a common surname is no evidence on its own).

This is settled as the corpus grows, inside each batch's transaction: a claim keeps the speaker its
article names (`claims.article_speaker_id`) and is listed under the speaker across the corpus
(`claims.speaker_id`); `speakers.merged_into` says where a surname went. When a batch brings a surname's
first full name, the surname's claims (and the claims addressed to it) move to it, and the kept counts
follow; when it brings a second, they move back. The result depends on which names the corpus holds,
never on the order they came in, so no `--reextract` is needed.
"""

from __future__ import annotations

from .. import vocabulary
from ..extract.lexicon import LEGAL_FORM_WORDS, TITLE_WORDS
from . import counts as kept

# "Martin Luther King Jr", "Henry Ford II": the surname is the word before
NAME_SUFFIXES = frozenset({"jr", "jr.", "sr", "sr.", "ii", "iii", "iv"})
NOT_SURNAMES = TITLE_WORDS | LEGAL_FORM_WORDS | {"group"}


def surname(name: str) -> str | None:
    """The surname of a person's name, folded for comparison: 'Ronald Reagan' -> 'reagan'; None for a
    word that is no surname ('Pope', 'Ltd': a title or a legal form the tagger took for a name)."""
    words = name.split()
    while len(words) > 1 and words[-1].lower().strip(",") in NAME_SUFFIXES:
        words = words[:-1]
    last = words[-1].strip(",").casefold() if words else None
    return None if last is None or last.strip(".") in NOT_SURNAMES else last


def is_surname_only(name: str) -> bool:
    return len(name.split()) == 1


def listed_under(db, speaker_id: str) -> str:
    """The speaker a claim of this (article-named) speaker is listed under: itself unless merged."""
    row = db.execute("select merged_into from speakers where id = ?", [speaker_id]).fetchone()
    return row[0] if row and row[0] else speaker_id


def settle_kinds(db, speaker_ids) -> set[str]:
    """A speaker's kind is the one most of its claims' articles give it (kept counts, speaker_kind facet;
    a tie keeps the kind it has): a footballer some article's tagger took for a firm stays a person.
    Returns the surnames of the persons whose kind changed, for `settle`."""
    changed = set()
    for speaker_id in sorted(set(speaker_ids)):
        votes = db.execute("select value, count from kept_counts where scope = ? and facet = 'speaker_kind' "
                           "order by count desc, value", [vocabulary.scope("speaker", speaker_id)]).fetchall()
        row = db.execute("select kind, name from speakers where id = ?", [speaker_id]).fetchone()
        if not votes or row is None or row[0] == votes[0][0] or row[0] == vocabulary.UNNAMED:
            continue
        if len(votes) > 1 and votes[1][1] == votes[0][1] and row[0] in (v for v, _ in votes[:2]):
            continue  # a tie: the kind stays
        kind = votes[0][0]
        db.execute("update speakers set kind = ?, surname = ? where id = ?",
                   [kind, surname(row[1]) if kind == "person" else None, speaker_id])
        if "person" in (row[0], kind):
            changed.add(surname(row[1]))
    return changed


def settle(db, surnames, deltas: kept.Deltas) -> kept.Deltas:
    """Bring the merges of these surnames in line with the speakers the corpus now holds; the changes to
    the kept counts go into `deltas` (applied by the caller, in the same transaction)."""
    for name in sorted({s for s in surnames if s}):
        rows = db.execute("select id, name, merged_into from speakers where surname = ? and kind = 'person'",
                          [name]).fetchall()
        full = [speaker_id for speaker_id, speaker_name, merged in rows
                if not is_surname_only(speaker_name) and merged is None]
        for speaker_id, speaker_name, merged in rows:
            if is_surname_only(speaker_name):
                wanted = full[0] if len(full) == 1 and shared_context(db, speaker_id, full[0]) else None
                _move(db, speaker_id, speaker_name, {merged, speaker_id} - {None}, wanted or speaker_id, deltas)
                if merged != wanted:
                    db.execute("update speakers set merged_into = ? where id = ?", [wanted, speaker_id])
    return deltas


CONTEXT_ARTICLES = 200  # articles read per speaker for the context a merge needs (the first by id)


def shared_context(db, short_id: str, full_id: str) -> bool:
    """Whether the articles that name a surname alone and those that name the full name (as speaker or
    target) talk about a
    same named thing (a person, organisation or place among their claims' topics, the two names aside):
    "Reagan" and "Ronald Reagan" share Moscow, Congress, the White House; the Nelson of a Toronto video
    firm and Glen Nelson of Medtronic share nothing, and stay apart. Read from at most CONTEXT_ARTICLES
    articles of each, the first by id, so that the answer depends on the corpus, not on load order."""
    def topics(speaker_id: str) -> set:
        name = db.execute("select name from speakers where id = ?", [speaker_id]).fetchone()[0]
        articles = [r[0] for r in db.execute(
            "select article_id from claims where speaker_id in (?, ?) and article_speaker_id = ? union "
            "select article_id from claims where target_speaker_id in (?, ?) and target = ? "
            "order by article_id limit ?",
            [speaker_id, full_id, speaker_id, speaker_id, full_id, name, CONTEXT_ARTICLES])]
        if not articles:
            return set()
        marks = ", ".join("?" for _ in articles)
        return {r[0] for r in db.execute(
            f"select distinct ct.topic_id from claims c join claim_topics ct on ct.claim_id = c.id "
            f"join topics t on t.id = ct.topic_id where c.article_id in ({marks}) and t.kind != 'subject'",
            articles)}

    names = {short_id, full_id}
    return bool((topics(short_id) - names) & (topics(full_id) - names))


def _move(db, speaker_id: str, name: str, places: set, to: str, deltas: kept.Deltas) -> None:
    """List under `to` the claims its article gives to `speaker_id` (and those addressed to it by the same
    name) wherever they are listed now; the kept counts lose them where they were and gain them at `to`."""
    def where(ids) -> tuple[str, list]:
        marks = ", ".join("?" for _ in ids)
        return (f"(claims.speaker_id in ({marks}) and claims.article_speaker_id = ?) or "
                f"(claims.target_speaker_id in ({marks}) and claims.target = ?)", [*ids, speaker_id, *ids, name])

    away = sorted(places - {to})
    condition, params = where(away)
    if not away or db.execute(f"select 1 from claims where {condition} limit 1", params).fetchone() is None:
        return
    deltas.add(*kept.aggregate(db, *where(sorted(places | {to}))), sign=-1)
    for place in away:
        db.execute("update claims set speaker_id = ? where speaker_id = ? and article_speaker_id = ?",
                   [to, place, speaker_id])
        db.execute("update claims set target_speaker_id = ? where target_speaker_id = ? and target = ?",
                   [to, place, name])
    deltas.add(*kept.aggregate(db, *where([to])))
