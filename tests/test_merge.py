"""Shards and merge (issue 15, point 3): databases loaded apart, folded into one that holds what one load of
all the inputs holds."""

import json
import sqlite3

import pytest
from click.testing import CliRunner

from datasette_newsclaims import api
from datasette_newsclaims.cli import cli
from datasette_newsclaims.vocabulary import SAMPLE_KEPT, dated_key, sample_bucket

from .conftest import ROOT
from .test_cluster import corpus, rows


def split(path, parts: int, directory) -> list:
    lines = path.read_text("utf-8").splitlines(keepends=True)
    size = -(-len(lines) // parts)
    out = []
    for i in range(parts):
        part = directory / f"part-{i}.jsonl"
        part.write_text("".join(lines[i * size:(i + 1) * size]), "utf-8")
        out.append(part)
    return out


@pytest.fixture(scope="module")
def sources(tmp_path_factory):
    """The seed, the corpus of the cluster tests, and a surname that only the corpus can join to a full name."""
    directory = tmp_path_factory.mktemp("merge")
    path = corpus(directory, n=30)
    with path.open("a", encoding="utf-8") as f:
        f.write(json.dumps({"id": "r-1", "date": "2022-02-01", "text": "Omar Reyes said the Lisbon bridge would "
                            "open in June."}) + "\n")
    extra = directory / "late.jsonl"
    extra.write_text(json.dumps({"id": "r-2", "date": "2022-03-01", "text": "Minister Reyes said the Lisbon "
                                 "bridge was late."}) + "\n", "utf-8")
    return [ROOT / "seeds" / next(p.name for p in (ROOT / "seeds").iterdir()), *split(path, 3, directory), extra]


@pytest.fixture(scope="module")
def one_load(sources, tmp_path_factory):
    path = tmp_path_factory.mktemp("one") / "news.db"
    assert api.load(str(path), [str(s) for s in sources], workers=1).ok
    return path


@pytest.fixture(scope="module")
def shards(sources, tmp_path_factory):
    directory = tmp_path_factory.mktemp("shards")
    out = []
    for i, source in enumerate(sources):
        shard = directory / f"shard-{i:02d}.db"
        assert api.load(str(shard), [str(source)], workers=1).ok
        out.append(shard)
    return out


def test_a_merged_database_equals_one_load_of_all_the_inputs(one_load, shards, tmp_path):
    path = tmp_path / "news.db"
    result = CliRunner().invoke(cli, ["merge", str(path), *map(str, shards)])
    assert result.exit_code == 0, result.output
    assert f"{len(shards)} shard(s) merged" in result.output
    assert rows(path) == rows(one_load)
    db = sqlite3.connect(path)
    # the surname of the last shard joined the full name of another one, as in one load
    assert db.execute("select merged_into from speakers where id = 'reyes'").fetchone() == ("omar-reyes",)
    # the full-text indexes hold every claim and sentence
    assert db.execute("select count(*) from claims_fts where claims_fts match 'bridge'").fetchone()[0] == \
        db.execute("select count(*) from claims where quote like '%bridge%'").fetchone()[0] > 0
    assert db.execute("select value from newsclaims_meta where key = 'claim_count'").fetchone()[0] == \
        str(db.execute("select count(*) from claims").fetchone()[0])
    # the quotes in date order, and the claims sample, are those of the merged claims
    keyed = f"select {dated_key('claim_date', 'id')} from claims where quote like '%bridge%' order by 1"
    assert [r[0] for r in db.execute(keyed)] == [r[0] for r in db.execute(
        "select rowid from claims_dated_fts where claims_dated_fts match 'bridge' order by rowid")]
    sampled = "select group_concat(claim_id) from (select claim_id from claims_sample order by 1)"
    assert db.execute(sampled).fetchone() == db.execute(
        f"select group_concat(id) from claims where {sample_bucket('id')} < {SAMPLE_KEPT}").fetchone()
    # ... and the triggers keep them in step with loads after the merge
    db.close()
    later = tmp_path / "later.jsonl"
    later.write_text(json.dumps({"id": "later", "text": "Jane Fox said the ferry would sail again."}) + "\n")
    assert api.load(str(path), [str(later)]).ok
    db = sqlite3.connect(path)
    assert db.execute("select count(*) from claims_fts where claims_fts match 'ferry'").fetchone()[0] == 1
    assert db.execute("select count(*) from claims_dated_fts where claims_dated_fts match 'ferry'").fetchone()[0] == 1


def test_merging_a_shard_twice_changes_nothing(shards, tmp_path):
    path = tmp_path / "news.db"
    api.merge(str(path), [str(s) for s in shards])
    before = rows(path)
    again = api.merge(str(path), [str(s) for s in shards[:2]])
    assert again.articles == 0 and again.unchanged > 0
    assert rows(path) == before


def test_merging_shards_one_at_a_time_equals_merging_them_together(one_load, shards, tmp_path):
    path = tmp_path / "news.db"
    for shard in reversed(shards):  # in any order: the result depends on the names, not the order
        api.merge(str(path), [str(shard)])
    merged, clean = rows(path), rows(one_load)
    for table in ("claims", "speakers", "kept_counts", "network_edges", "topics", "speaker_aliases"):
        assert len(merged[table]) == len(clean[table]), table
    db, ref = sqlite3.connect(path), sqlite3.connect(one_load)
    query = ("select a.id, c.speaker_id, c.article_speaker_id, c.target_speaker_id, c.quote, c.start from claims c "
             "join articles a on a.id = c.article_id order by a.id, c.start, c.end")
    assert db.execute(query).fetchall() == ref.execute(query).fetchall()
    counts = "select scope, facet, value, count from kept_counts order by 1, 2, 3"
    assert db.execute(counts).fetchall() == ref.execute(counts).fetchall()
    # the same quotations: the same claims together, saying the same of themselves (ids aside)
    assert quotations_by_claims(db) == quotations_by_claims(ref)


def quotations_by_claims(db) -> list:
    groups = {}
    for article_id, start, quotation_id in db.execute("select article_id, start, quotation_id from claims "
                                                      "where quotation_id is not null"):
        groups.setdefault(quotation_id, []).append((article_id, start))
    out = []
    for quotation_id, members in groups.items():
        row = db.execute("select text, words, speaker_id, first_article_id, first_date, first_source, claims, "
                         "articles, outlets, speakers, speakers_disagree from quotations where id = ?",
                         [quotation_id]).fetchone()
        out.append((sorted(members), row))
    assert len(out) == db.execute("select count(*) from quotations").fetchone()[0]  # none left over
    return sorted(out)


def altered(shard, path, key: str, value: str):
    """A copy of a shard whose newsclaims_meta says `key` is `value`."""
    path.write_bytes(shard.read_bytes())
    db = sqlite3.connect(path)
    db.execute("update newsclaims_meta set value = ? where key = ?", [value, key])
    db.commit()
    db.close()
    return path


def test_a_shard_of_another_schema_or_extractor_is_refused(shards, tmp_path):
    old = altered(shards[1], tmp_path / "old.db", "schema_version", "7")
    result = CliRunner().invoke(cli, ["merge", str(tmp_path / "news.db"), str(shards[0]), str(old)])
    assert result.exit_code == 1 and "old.db: schema 7" in result.output and "newsclaims upgrade" in result.output
    assert not (tmp_path / "news.db").exists()  # nothing is merged when one shard is refused
    other = altered(shards[1], tmp_path / "other.db", "extractor_version", "1")
    with pytest.raises(api.LoadError, match="extractor version 1"):
        api.merge(str(tmp_path / "news.db"), [str(other)])
    with pytest.raises(api.LoadError, match="no such database"):
        api.merge(str(tmp_path / "news.db"), [str(tmp_path / "missing.db")])
