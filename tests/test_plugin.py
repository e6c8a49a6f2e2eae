"""The plugin inside Datasette: listed, claims table and JSON API readable, text escaped."""

import pytest
import sqlite_utils
from datasette.app import Datasette

from .conftest import ROOT, load


@pytest.fixture(scope="module")
def hostile_db(tmp_path_factory):
    path = tmp_path_factory.mktemp("hostile") / "news.db"
    src = path.parent / "hostile.jsonl"
    import json
    src.write_text(json.dumps({
        "id": "evil", "title": "<script>alert('title')</script>",
        "text": 'Jane Fox said that "<script>alert(1)</script> <img src=x onerror=alert(2)> is a fine tag".',
    }) + "\n", "utf-8")
    assert load(path, src).exit_code == 0
    return path


def datasette(*paths):
    return Datasette([str(p) for p in paths], metadata=None)


@pytest.mark.asyncio
async def test_plugin_is_listed(seed_db):
    response = await datasette(seed_db).client.get("/-/plugins.json")
    names = [p["name"] for p in response.json()]
    assert "datasette-newsclaims" in names


@pytest.mark.asyncio
async def test_claims_json_api_returns_the_claims(seed_db):
    response = await datasette(seed_db).client.get("/news/claims.json?_shape=array&_size=max")
    assert response.status_code == 200
    rows = response.json()
    assert len(rows) == 9
    assert {r["speaker_id"] for r in rows} == {"beijing", "wang-yi", "antony-blinken", "jen-psaki"}
    labelled = (await datasette(seed_db).client.get("/news/claims.json?_shape=array&_labels=on")).json()
    assert {r["speaker_id"]["label"] for r in labelled} == {"Beijing", "Wang Yi", "Antony Blinken", "Jen Psaki"}


@pytest.mark.asyncio
async def test_claims_table_shows_speaker_names_and_quotation_marks(seed_db):
    html = (await datasette(seed_db).client.get("/news/claims")).text
    assert '<a href="/news/-/speakers/wang-yi">Wang Yi</a>' in html
    assert '<q class="newsclaims-quote">to stop supporting Taiwan&#39;s independence</q>' in html


@pytest.mark.asyncio
async def test_metadata_gives_default_facets(seed_db):
    ds = Datasette([str(seed_db)], metadata=sqlite_utils.utils.yaml_load(ROOT / "metadata.yml")
                   if hasattr(sqlite_utils.utils, "yaml_load") else __import__("yaml").safe_load(
                       (ROOT / "metadata.yml").read_text()))
    data = (await ds.client.get("/news/claims.json?_extra=facet_results")).json()
    facets = data["facet_results"]
    facets = facets.get("results", facets)
    assert {"speaker_id", "claim_topics", "target", "claim_date", "date_basis", "kind"} <= set(facets)
    # one date model: the table's date facet is on the column the plugin lists by, so Blinken's claim, said
    # on a day the text does not give, is there under its article's date, and date_basis tells them apart
    assert sum(f["count"] for f in facets["claim_date"]["results"]) == 9
    assert {f["value"]: f["count"] for f in facets["date_basis"]["results"]} == {"said": 8, "published": 1}
    rows = (await ds.client.get("/news/claims.json?_shape=array&date_basis=published")).json()
    assert [(r["speaker_id"], r["claim_date"], r["said_on"]) for r in rows] == [("antony-blinken", "2021-11-14", None)]
    speakers = {f["value"]: f["count"] for f in facets["speaker_id"]["results"]}
    assert speakers["wang-yi"] == 5
    topics = {f["label"]: f["count"] for f in facets["claim_topics"]["results"]}  # from the kept counts
    assert topics["Taiwan"] == 5 and topics["sovereignty"] == 5
    filtered = (await ds.client.get("/news/claims.json?_extra=facet_results&speaker_id=beijing")).json()
    filtered = filtered["facet_results"].get("results", filtered["facet_results"])
    assert {f["label"]: f["count"] for f in filtered["claim_topics"]["results"]} == {
        "Taiwan": 1, "sovereignty": 1, "diplomacy": 1}  # live, through the join table


def with_metadata(path, private=()):
    """Datasette with the project's metadata.yml, the `private` tables allowed to no one."""
    import yaml

    metadata = yaml.safe_load((ROOT / "metadata.yml").read_text())
    for table in private:
        metadata["databases"]["news"]["tables"].setdefault(table, {})["allow"] = False
    return Datasette([str(path)], metadata=metadata)


@pytest.mark.asyncio
async def test_the_claims_table_facets_read_the_kept_counts_unfiltered_and_are_computed_once(seed_db, tmp_path):
    """An unfiltered claims table takes its speaker, target, month, date basis and kind facets from the
    counts the loader keeps (shown by altering one); a filtered one counts live; a column asked for again
    with `_facet=` is Datasette's column facet alone, not a second copy."""
    import shutil

    path = tmp_path / "news.db"
    shutil.copy(seed_db, path)
    sqlite_utils.Database(path).execute("update kept_counts set count = 999 where scope = '' and facet = 'speaker' "
                                        "and value = 'wang-yi'").connection.commit()
    ds = with_metadata(path)

    async def facets(query=""):
        data = (await ds.client.get("/news/claims.json?_extra=facet_results" + query)).json()
        return data["facet_results"].get("results", data["facet_results"])
    whole = await facets()
    assert {f["value"]: f["count"] for f in whole["speaker_id"]["results"]}["wang-yi"] == 999  # the kept count
    assert whole["speaker_id"]["type"] == "kept" and whole["claim_date"]["results"][0]["value"] == "2021-11"
    month = whole["claim_date"]["results"][0]
    assert "claim_date__startswith=2021-11" in month["toggle_url"] and month["count"] == 9
    live = await facets("&kind=indirect")
    assert {f["value"]: f["count"] for f in live["speaker_id"]["results"]} == {
        r["speaker_id"]: r["n"] for r in sqlite_utils.Database(path).query(
            "select speaker_id, count(*) as n from claims where kind = 'indirect' group by 1")}
    assert live["speaker_id"]["results"][0]["label"] != live["speaker_id"]["results"][0]["value"]  # names
    once = await facets("&_facet=speaker_id&_facet=kind")
    assert sorted(k for k in once if k.startswith(("speaker_id", "kind"))) == ["kind", "speaker_id"]
    assert once["speaker_id"]["type"] == "column" and once["kind"]["type"] == "column"
    private = with_metadata(path, private=["kept_counts"])
    data = (await private.client.get("/news/claims.json?_extra=facet_results")).json()
    results = data["facet_results"].get("results", data["facet_results"])
    assert {f["value"]: f["count"] for f in results["speaker_id"]["results"]}["wang-yi"] == 5  # live, not kept
    rows = (await ds.client.get("/news/claims.json?_shape=array&claim_date__startswith=2021-11")).json()
    assert len(rows) == 9


@pytest.mark.asyncio
async def test_hostile_text_is_escaped(hostile_db):
    ds = datasette(hostile_db)
    for path in ["/news/claims", "/news/articles", "/news/articles/evil"]:
        html = (await ds.client.get(path)).text
        assert "<script>alert" not in html, path
        assert "<img src=x" not in html, path
    html = (await ds.client.get("/news/claims")).text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


@pytest.mark.asyncio
async def test_other_databases_are_left_alone(tmp_path):
    other = tmp_path / "other.db"
    sqlite_utils.Database(other)["claims"].insert({"id": 1, "quote": "not ours"}, pk="id")
    ds = datasette(other)
    html = (await ds.client.get("/other/claims")).text
    assert "not ours" in html
    assert "newsclaims-quote" not in html
