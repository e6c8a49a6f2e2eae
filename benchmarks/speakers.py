"""Speakers across a corpus (issue 13): what a loaded database says about its speakers.

    .venv/bin/python benchmarks/speakers.py news.db [--sample 50] [--seed 13]

Prints, for a database loaded by `newsclaims load`:

* the share of claims whose speaker is unnamed, and the claims per speaker kind;
* speakers with a capitalised headline alias: an alias with four letters or more and no lower-case
  letter that none of the speaker's articles writes on a line not set in capitals (target 0);
* empty or one-character speaker names (target 0);
* how many claims have a target and how many a venue, and the most frequent of each;
* surnames merged into a full name across articles, and a random sample of merged aliases to check by
  hand: half of them surname merges across articles, half variants stored under one place, body or
  firm ("the U.S." -> United States, "Ericsson Corp" -> Ericsson).
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from datasette_newsclaims.text import in_capitals  # noqa: E402


def headline_aliases(db: sqlite3.Connection) -> list[tuple[str, str]]:
    """(speaker name, alias) of aliases in capitals that only headlines write."""
    found = []
    rows = db.execute("select speaker_id, alias from speaker_aliases").fetchall()
    for speaker_id, alias in rows:
        letters = [c for c in alias if c.isalpha()]
        if len(letters) < 4 or any(c.islower() for c in letters):
            continue
        texts = db.execute("select distinct a.text from claims c join articles a on a.id = c.article_id "
                           "where c.article_speaker_id = ? or c.target_speaker_id = ? limit 20",
                           [speaker_id, speaker_id]).fetchall()
        in_body = any(alias in line and not in_capitals(line) for (text,) in texts for line in text.splitlines())
        if not in_body:
            found.append((speaker_id, alias))
    return found


def measure(path, sample: int = 50, seed: int = 13) -> dict:
    db = sqlite3.connect(str(path))
    claims = db.execute("select count(*) from claims").fetchone()[0]
    kinds = dict(db.execute("select speaker_kind, count(*) from claims group by 1").fetchall())
    debris = headline_aliases(db)
    out = {"claims": claims, "kinds": kinds, "unnamed_share": kinds.get("unnamed", 0) / claims if claims else 0.0,
           "headline_alias_speakers": len({s for s, _ in debris}), "headline_aliases": debris[:20],
           "short_names": db.execute("select count(*) from speakers where length(trim(name)) < 2").fetchone()[0]}
    for column in ("target", "venue"):
        out[column] = {"claims": db.execute(f"select count(*) from claims where {column} is not null").fetchone()[0],
                       "top": db.execute(f"select {column}, count(*) from claims where {column} is not null "
                                         "group by 1 order by 2 desc limit 8").fetchall()}
    merges = db.execute("select s.name, m.name, (select count(*) from claims where article_speaker_id = s.id) "
                        "from speakers s join speakers m on m.id = s.merged_into").fetchall()
    variants = db.execute("select a.alias, s.name from speaker_aliases a join speakers s on s.id = a.speaker_id "
                          "where s.kind in ('place', 'organisation') and a.alias != s.name "
                          "and exists (select 1 from claims c where c.article_speaker_id = s.id "
                          "or c.target_speaker_id = s.id)").fetchall()
    rng = random.Random(seed)
    surnames = [f"[surname] {short} -> {full} ({n} claims)" for short, full, n in merges]
    others = [f"[variant] {alias} -> {name}" for alias, name in variants if alias.lower() != name.lower()]
    rng.shuffle(surnames)
    rng.shuffle(others)
    picked = surnames[:sample // 2]  # half the sample from the merges across articles, the rest variants
    picked += others[:sample - len(picked)]
    out.update(surname_merges=len(merges), merged_aliases=len(surnames) + len(others), sample=picked)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("database")
    parser.add_argument("--sample", type=int, default=50)
    parser.add_argument("--seed", type=int, default=13)
    args = parser.parse_args()
    m = measure(args.database, args.sample, args.seed)
    print(f"claims: {m['claims']:,}; unnamed speakers: {m['unnamed_share']:.1%}")
    print("claims per speaker kind:", ", ".join(f"{k} {n:,}" for k, n in sorted(m["kinds"].items())))
    print(f"speakers with a capitalised headline alias: {m['headline_alias_speakers']}", m["headline_aliases"])
    print(f"empty or one-character speaker names: {m['short_names']}")
    for column in ("target", "venue"):
        n = m[column]["claims"]
        print(f"claims with a {column}: {n:,} ({n / m['claims']:.1%}); most frequent: {m[column]['top']}")
    print(f"surnames merged into a full name: {m['surname_merges']}")
    print(f"a random sample of {len(m['sample'])} merged aliases (of {m['merged_aliases']}), to check by hand:")
    for line in m["sample"]:
        print("  " + line)


if __name__ == "__main__":
    main()
