"""The plugin's pages and their JSON twins, through Datasette's test client."""

import json
import re
from urllib.parse import quote

import pytest
import sqlite_utils
from datasette.app import Datasette
from hypothesis import given, settings
from hypothesis import strategies as st

from datasette_newsclaims.web import render

from .conftest import ROOT, build_news_db


@pytest.fixture(scope="module")
def news_db(tmp_path_factory):
    return build_news_db(tmp_path_factory.mktemp("pages"))


@pytest.fixture(scope="module")
def plain_db(tmp_path_factory):
    path = tmp_path_factory.mktemp("plain") / "plain.db"
    sqlite_utils.Database(path)["things"].insert({"id": 1, "name": "not news"}, pk="id")
    return path


def ds(*paths, **settings):
    return Datasette([str(p) for p in paths], settings=settings or None)


async def get(datasette, path):
    return await datasette.client.get(path)


def claim_ids(data):
    return [c["id"] for c in data["claims"]]


async def walk(datasette, path, limit: int | None = None) -> list[dict]:
    """Every page of a paged JSON list, following its `_next` tokens (the first `limit` pages when given)."""
    from urllib.parse import parse_qsl, urlencode, urlsplit

    pages = []
    while path and (limit is None or len(pages) < limit):
        response = await get(datasette, path)
        assert response.status_code == 200, (path, response.text[:300])
        data = response.json()
        pages.append(data)
        base = urlsplit(path)
        args = [(k, v) for k, v in parse_qsl(base.query) if k != "_next"] + [("_next", data["next"])]
        path = f"{base.path}?{urlencode(args)}" if data["next"] else None
    return pages


@pytest.mark.asyncio
@pytest.mark.parametrize("path", [
    "/news/-/claims", "/news/-/claims?q=tariffs", "/news/-/claims/1", "/news/-/articles/trade-1",
    "/news/-/speakers/ana-silva", "/news/-/topics/trade", "/news/-/network",
])
async def test_every_page_and_its_json_twin(news_db, path):
    datasette = ds(news_db)
    html = await get(datasette, path)
    assert html.status_code == 200
    assert "<!DOCTYPE html>" in html.text and "newsclaims.css" in html.text
    base, _, query = path.partition("?")
    twin = await get(datasette, base + ".json" + ("?" + query if query else ""))
    assert twin.status_code == 200 and twin.headers["content-type"].startswith("application/json")
    assert twin.json()["database"] == "news"


@pytest.mark.asyncio
async def test_instance_claims_redirects_to_the_only_database(news_db, plain_db):
    response = await get(ds(news_db, plain_db), "/-/claims")
    assert response.status_code == 302 and response.headers["location"] == "/news/-/claims"
    data = (await get(ds(news_db, plain_db), "/-/claims.json")).json()
    assert data["databases"] == [{"name": "news", "url": "/news/-/claims"}]


@pytest.mark.asyncio
async def test_chooser_when_several_databases(news_db, tmp_path):
    other = tmp_path / "more.db"
    other.write_bytes(news_db.read_bytes())
    response = await get(ds(news_db, other), "/-/claims")
    assert response.status_code == 200
    assert 'href="/news/-/claims"' in response.text and 'href="/more/-/claims"' in response.text


@pytest.mark.asyncio
async def test_claims_are_newest_first_with_cards(news_db):
    data = (await get(ds(news_db), "/news/-/claims.json?_size=max")).json()
    dates = [c["claim_date"] for c in data["claims"]]
    assert dates == sorted(dates, reverse=True)
    assert data["count"] == len(data["claims"]) == sqlite_utils.Database(news_db)["claims"].count
    html = (await get(ds(news_db), "/news/-/claims")).text
    assert ('<a class="speaker" href="/news/-/speakers/ana-silva">Ana Silva</a>, '
            '<span class="role">Trade Minister</span>') in html


@pytest.mark.asyncio
async def test_search_highlights_hits_and_orders_by_relevance(news_db):
    response = await get(ds(news_db), "/news/-/claims?q=tariffs")
    assert "<mark>tariffs</mark>" in response.text
    data = (await get(ds(news_db), "/news/-/claims.json?q=tariffs")).json()
    assert data["claims"] and all("tariffs" in c["quote"] for c in data["claims"])
    assert "bridge" not in json.dumps(data["claims"])


@pytest.mark.asyncio
async def test_search_with_fts_syntax_is_taken_literally(news_db):
    for q in ['"unbalanced', "tariffs OR", "NEAR(", "a AND (b", "tariffs*", "quote:tariffs"]:
        response = await get(ds(news_db), "/news/-/claims.json?q=" + quote(q))
        assert response.status_code == 200, q
    assert claim_ids((await get(ds(news_db), "/news/-/claims.json?q=" + quote('"tariffs'))).json())
    for q in ["*", '"', "\x00", "( )"]:  # nothing to search for
        response = await get(ds(news_db), "/news/-/claims.json?q=" + quote(q))
        assert response.status_code == 400 and "no words" in response.json()["error"], q


@pytest.mark.asyncio
@pytest.mark.parametrize("query,check", [
    ("speaker=ana-silva", lambda c: c["speaker_id"] == "ana-silva"),
    ("target=Germany", lambda c: c["target"] == "Germany"),
    ("topic=trade", lambda c: "trade" in c["topics"]),
    ("kind=direct", lambda c: c["kind"] == "direct"),
    ("date_from=2022-04-01&date_to=2022-05-31", lambda c: "2022-04-01" <= c["claim_date"] <= "2022-05-31"),
    ("date_from=2022-04&date_to=2022-04", lambda c: c["claim_date"].startswith("2022-04")),
    ("article=trade-2", lambda c: c["article_id"] == "trade-2"),
    ("speaker=ana-silva&topic=trade&kind=indirect",
     lambda c: c["speaker_id"] == "ana-silva" and "trade" in c["topics"] and c["kind"] == "indirect"),
])
async def test_filters_narrow_and_combine(news_db, query, check):
    everything = (await get(ds(news_db), "/news/-/claims.json?_size=max")).json()["claims"]
    data = (await get(ds(news_db), "/news/-/claims.json?_size=max&" + query)).json()
    assert data["claims"], query
    assert all(check(c) for c in data["claims"])
    assert claim_ids(data) == [c["id"] for c in everything if check(c)]
    assert data["count"] == len(data["claims"])


@pytest.mark.asyncio
async def test_facets_count_and_link_to_narrower_lists(news_db):
    data = (await get(ds(news_db), "/news/-/claims.json")).json()
    speakers = {f["value"]: f for f in data["facets"]["speaker"]["results"]}
    assert speakers["ana-silva"]["count"] == 4 and speakers["wang-yi"]["count"] == 5
    assert speakers["ana-silva"]["toggle_url"] == "/news/-/claims.json?speaker=ana-silva"
    topics = {f["label"] for f in data["facets"]["topic"]["results"]}
    assert {"trade", "Taiwan"} <= topics
    months = {f["value"]: f["count"] for f in data["facets"]["month"]["results"]}
    assert months["2021-11"] == 9
    narrowed = (await get(ds(news_db), speakers["ana-silva"]["toggle_url"])).json()
    selected = [f for f in narrowed["facets"]["speaker"]["results"] if f["selected"]]
    assert [f["value"] for f in selected] == ["ana-silva"]
    assert selected[0]["toggle_url"] == "/news/-/claims.json"


@pytest.mark.asyncio
async def test_keyset_paging_walks_every_claim_once(news_db):
    datasette = ds(news_db)
    pages = await walk(datasette, "/news/-/claims.json?_size=3")
    assert all(len(data["claims"]) <= 3 for data in pages)
    seen = [i for data in pages for i in claim_ids(data)]
    everything = (await get(datasette, "/news/-/claims.json?_size=max")).json()
    assert seen == claim_ids(everything)


@pytest.mark.asyncio
async def test_search_paging_walks_every_hit_once(news_db):
    datasette = ds(news_db)
    all_hits = claim_ids((await get(datasette, "/news/-/claims.json?q=the&_size=max")).json())
    seen = [i for data in await walk(datasette, "/news/-/claims.json?q=the&_size=2") for i in claim_ids(data)]
    assert seen == all_hits and len(seen) > 2


@pytest.mark.asyncio
async def test_claim_page_shows_sentence_paragraph_and_related(news_db):
    datasette = ds(news_db)
    data = (await get(datasette, "/news/-/claims.json?speaker=wang-yi&kind=mixed&_size=max")).json()
    claim = data["claims"][-1]
    page = (await get(datasette, f"/news/-/claims/{claim['id']}.json")).json()
    assert page["claim"]["quote"] == claim["quote"]
    assert claim["quote"] in page["sentence"]["text"] and page["sentence"]["text"] in page["paragraph"]["text"]
    assert page["related"] and all(r["speaker_id"] == "wang-yi" and r["id"] != claim["id"] for r in page["related"])
    html = (await get(datasette, f"/news/-/claims/{claim['id']}")).text
    assert f'href="/news/-/articles/84db678766ceb297#claim-{claim["id"]}"' in html


@pytest.mark.asyncio
async def test_article_page_highlights_every_claim_and_lists_them(news_db):
    datasette = ds(news_db)
    data = (await get(datasette, "/news/-/articles/84db678766ceb297.json")).json()
    assert len(data["claims"]) == 9 and len(data["facts"]) >= 3
    html = (await get(datasette, "/news/-/articles/84db678766ceb297")).text
    for claim in data["claims"]:
        assert f'id="claim-{claim["id"]}"' in html
        assert f'href="#claim-{claim["id"]}"' in html
    assert html.count('<mark class="claim') >= 9
    assert 'title="Wang Yi → United States, 2021-11-13"' in html
    assert 'class="fact"' in html


@pytest.mark.asyncio
async def test_article_ids_with_slashes_and_dots_round_trip(news_db):
    datasette = ds(news_db)
    data = (await get(datasette, "/news/-/claims.json?article=odd/id.json")).json()
    url = data["claims"][0]["article_url"].split("#")[0]
    assert url == "/news/-/articles/odd~2Fid~2Ejson"
    page = (await get(datasette, url + ".json")).json()
    assert page["article"]["id"] == "odd/id.json"


@pytest.mark.asyncio
async def test_speaker_page(news_db):
    data = (await get(ds(news_db), "/news/-/speakers/ana-silva.json")).json()
    speaker = data["speaker"]
    assert speaker["name"] == "Ana Silva" and speaker["claim_count"] == 4 and speaker["article_count"] == 3
    assert {"Ana Silva", "Trade Minister Ana Silva", "Silva"} <= set(speaker["aliases"])
    assert speaker["roles"] == ["Trade Minister"]
    assert {t["target"] for t in data["targets"]} == {"Germany"}  # "told reporters": a venue
    assert [t["month"] for t in data["timeline"]] == ["2022-03", "2022-04", "2022-05"]
    assert [s["name"] for s in data["addressed_by"]] == ["Tom Hale"]  # "Tom Hale accused Ana Silva of ..."
    assert speaker["addressed_count"] == 1
    html = (await get(ds(news_db), "/news/-/speakers/ana-silva")).text
    assert '<svg class="newsclaims-timeline"' in html
    tom = (await get(ds(news_db), "/news/-/speakers/tom-hale.json")).json()
    assert {t["target"] for t in tom["targets"]} == {"Ana Silva", "government"}


@pytest.mark.asyncio
async def test_topic_page(news_db):
    data = (await get(ds(news_db), "/news/-/topics/trade.json")).json()
    assert data["topic"]["name"] == "trade" and data["topic"]["claim_count"] == len(
        (await get(ds(news_db), "/news/-/claims.json?topic=trade&_size=max")).json()["claims"])
    assert data["speakers"][0]["name"] in ("Ana Silva", "Tom Hale")
    assert all("trade" in c["topics"] for c in data["claims"])


@pytest.mark.asyncio
async def test_network_page_draws_and_tabulates(news_db):
    data = (await get(ds(news_db), "/news/-/network.json")).json()
    edges = {(e["source"], e["target"]): e["weight"] for e in data["edges"]}
    assert edges[("wang-yi", "united-states")] == 2 and edges[("beijing", "washington")] == 1
    assert edges[("tom-hale", "ana-silva")] == 1
    html = (await get(ds(news_db), "/news/-/network")).text
    assert '<svg class="newsclaims-network"' in html and '<table class="rows-and-columns' in html


@pytest.mark.asyncio
@pytest.mark.parametrize("query, expected", [
    ("", {("wang-yi", "united-states"): 2, ("beijing", "washington"): 1, ("tom-hale", "ana-silva"): 1,
          ("ana-silva", "germany"): 1}),
    ("topic=trade", {("tom-hale", "ana-silva"): 1}),
    ("topic=Taiwan", {("wang-yi", "united-states"): 2, ("beijing", "washington"): 1}),  # a name as written
    ("speaker=ana-silva", {("tom-hale", "ana-silva"): 1, ("ana-silva", "germany"): 1}),  # made and received
    ("speaker=Ana%20Silva&date_from=2022-05", {("ana-silva", "germany"): 1}),
    ("date_from=2021-11&date_to=2021-11", {("wang-yi", "united-states"): 2, ("beijing", "washington"): 1}),
    ("speaker_kind=place", {("beijing", "washington"): 1}),
    ("topic=energy&speaker_kind=place", {}),
])
async def test_the_network_is_filtered(news_db, query, expected):
    datasette = ds(news_db)
    data = (await get(datasette, f"/news/-/network.json?{query}")).json()
    assert {(e["source"], e["target"]): e["weight"] for e in data["edges"]} == expected
    for e in data["edges"]:  # each weight links to the claims it counts, with the same filters
        listed = (await get(datasette, e["claims_url"].replace("/-/claims?", "/-/claims.json?"))).json()
        assert listed["count"] == e["weight"] == len(listed["claims"])
    html = (await get(datasette, f"/news/-/network?{query}")).text
    if query:
        assert 'aria-label="remove filter' in html
    if not expected:
        assert "No claim of these names its addressee." in html and "newsclaims-network\"" not in html


@pytest.mark.asyncio
async def test_the_network_table_sorts_and_exports(news_db):
    datasette = ds(news_db)
    by_speaker = (await get(datasette, "/news/-/network.json?_sort=speaker")).json()["edges"]
    assert [e["source_name"] for e in by_speaker] == ["Ana Silva", "Beijing", "Tom Hale", "Wang Yi"]
    by_target = (await get(datasette, "/news/-/network.json?_sort=target")).json()["edges"]
    assert [e["target_name"] for e in by_target] == ["Ana Silva", "Germany", "United States", "Washington"]
    by_claims = (await get(datasette, "/news/-/network.json")).json()["edges"]
    assert by_claims[0]["weight"] == 2
    html = (await get(datasette, "/news/-/network?_sort=target")).text
    assert 'aria-sort="ascending">Addresses' in html
    assert re.search(r'<a href="[^"]*_sort=speaker[^"]*">Speaker</a>', html)
    response = await get(datasette, "/news/-/network.csv?topic=trade")
    assert response.headers["content-type"].startswith("text/csv")
    rows = list(__import__("csv").reader(response.text.splitlines()))
    assert rows == [["source", "source_name", "target", "target_name", "weight"],
                    ["tom-hale", "Tom Hale", "ana-silva", "Ana Silva", "1"]]
    assert 'href="/news/-/network.csv?topic=trade"' in (await get(datasette, "/news/-/network?topic=trade")).text
    for bad in ("_sort=weight", "q=tariffs", "article=trade-1", "kind=sideways", "date_from=soon"):
        assert (await get(datasette, f"/news/-/network.json?{bad}")).status_code == 400, bad


@pytest.mark.asyncio
async def test_every_node_of_the_network_is_a_named_link(news_db):
    html = (await get(ds(news_db), "/news/-/network")).text
    svg = re.search(r"<svg class=\"newsclaims-network\".*?</svg>", html, re.S).group(0)
    assert 'role="img"' not in svg and 'role="group"' in svg
    links = re.findall(r'<a href="([^"]+)" aria-label="([^"]+)">', svg)
    assert sorted(label for _, label in links) == ["Ana Silva: 2 claims", "Beijing: 1 claim", "Germany: 1 claim",
                                                   "Tom Hale: 1 claim", "United States: 2 claims",
                                                   "Wang Yi: 2 claims", "Washington: 1 claim"]
    assert ("/news/-/speakers/wang-yi", "Wang Yi: 2 claims") in links


def test_the_network_layout_keeps_every_label_apart():
    """60 links of a hub-heavy network with long names: no two node-and-label boxes overlap, the
    parts are packed into rows, and the same network is laid out the same way twice."""
    names = [f"Speaker number {i} of the {'very ' * (i % 4)}long names" for i in range(40)]
    edges = []
    for i in range(60):
        source, target = (0, i % 39 + 1) if i < 25 else (i % 40, (i * 7) % 40)
        if source == target:
            target = (target + 1) % 40
        edges.append({"source": f"s{source}", "source_name": names[source], "target": f"s{target}",
                      "target_name": names[target], "weight": 60 - i})
    nodes = render.network_layout(edges)
    assert len(nodes) == len({e[k] for e in edges for k in ("source", "target")})
    boxes = [n.box() for n in nodes]
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            assert min(a[2], b[2]) <= max(a[0], b[0]) or min(a[3], b[3]) <= max(a[1], b[1]), (a, b)
    again = render.network_layout(edges)
    def where(laid):
        return [(n.id, round(n.x, 6), round(n.y, 6)) for n in laid]
    assert where(again) == where(nodes)
    big = max(nodes, key=lambda n: n.claims)
    assert big.id == "s0" and big.r == max(n.r for n in nodes)  # size by claims


@pytest.mark.asyncio
@pytest.mark.parametrize("path", [
    "/news/-/claims/999999", "/news/-/claims/999999.json", "/news/-/articles/nope", "/news/-/speakers/nope",
    "/news/-/topics/nope.json", "/nope/-/claims", "/plain/-/claims", "/plain/-/network.json",
])
async def test_unknown_ids_and_databases_are_404(news_db, plain_db, path):
    assert (await get(ds(news_db, plain_db), path)).status_code == 404


@pytest.mark.asyncio
@pytest.mark.parametrize("query", [
    "kind=bogus", "date_from=yesterday", "_size=abc", "_next=garbage", "q=" + "x" * 201,
    "speaker=" + "y" * 400, "_size=99999999999999999999",
])
async def test_bad_parameters_are_400(news_db, query):
    response = await get(ds(news_db), "/news/-/claims.json?" + query)
    assert response.status_code == 400


@pytest.mark.asyncio
async def test_page_size_is_bounded_and_an_over_limit_size_is_said(news_db):
    for size in ("100000", "101", "0"):
        response = await get(ds(news_db), "/news/-/claims.json?_size=" + size)
        assert response.status_code == 400 and "from 1 to 100" in response.json()["error"], size
    assert len((await get(ds(news_db), "/news/-/claims.json?_size=100")).json()["claims"]) <= 100


@pytest.mark.asyncio
async def test_a_speaker_filter_takes_a_name_as_written(news_db):
    by_id = (await get(ds(news_db), "/news/-/claims.json?speaker=wang-yi&_size=max")).json()
    by_name = (await get(ds(news_db), "/news/-/claims.json?speaker=Wang%20Yi&_size=max")).json()
    assert by_id["count"] > 0 and claim_ids(by_name) == claim_ids(by_id) and by_name["count"] == by_id["count"]
    nobody = (await get(ds(news_db), "/news/-/claims.json?speaker=Nobody%20Atall")).json()
    assert nobody["count"] == 0 and nobody["claims"] == []


@pytest.mark.asyncio
async def test_base_url_is_respected(news_db):
    datasette = ds(news_db, base_url="/prefix/")
    response = await get(datasette, "/news/-/claims")  # the test client adds the prefix itself
    assert response.status_code == 200
    links = re.findall(r'href="([^"#]+)"', response.text)
    ours = [link for link in links if "/-/" in link and not link.startswith("http")]
    outside = [link for link in ours if not link.startswith("/prefix/")]
    assert ours and not outside, outside
    data = (await get(datasette, "/news/-/claims.json")).json()
    assert data["claims"][0]["url"].startswith("/prefix/news/-/claims/")


@pytest.mark.asyncio
async def test_database_without_newsclaims_tables_is_left_alone(plain_db):
    datasette = ds(plain_db)
    home = await get(datasette, "/")
    assert home.status_code == 200 and "Browse news claims" not in home.text
    table = await get(datasette, "/plain/things")
    assert table.status_code == 200 and "Browse claims" not in table.text
    chooser = (await get(datasette, "/-/claims.json")).json()
    assert chooser["databases"] == []


@pytest.mark.asyncio
async def test_menu_link_and_table_actions(news_db):
    datasette = ds(news_db)
    home = (await get(datasette, "/")).text
    assert re.search(r'href="/-/claims"[^>]*>\s*Browse news claims', home)
    for table in ("claims", "articles"):
        page = (await get(datasette, f"/news/{table}")).text
        assert re.search(r'href="/news/-/claims"[^>]*>\s*Browse claims with facets and search', page)
    assert "Browse claims with facets" not in (await get(datasette, "/news/speakers")).text


@pytest.mark.asyncio
async def test_topic_facet_on_the_claims_table_through_the_join_table(news_db):
    datasette = ds(news_db)
    data = (await get(datasette, "/news/claims.json?_facet_m2m=claim_topics&_extra=facet_results")).json()
    results = data["facet_results"]
    results = results.get("results", results)
    facet = results["claim_topics"]
    trade = next(v for v in facet["results"] if v["label"] == "trade")
    narrowed = (await get(datasette, trade["toggle_url"].replace("/news/claims?", "/news/claims.json?") +
                          "&_shape=array")).json()
    assert len(narrowed) == trade["count"] and all("trade" in json.loads(c["topics"]) for c in narrowed)


@pytest.mark.asyncio
async def test_topic_facet_narrows_the_claims_table_with_other_filters(news_db):
    """Datasette 0.65's own `_through` filter names its parameter like the first column filter's, so a
    topic with kind=direct listed nothing; the facet's own filter works with any other."""
    datasette = ds(news_db)
    path = "/news/claims.json?_facet_m2m=claim_topics&_extra=facet_results&_shape=objects&_size=max"
    for extra in ("kind=direct", "kind=indirect&speaker_id__not=nobody", "_search=trade"):
        data = (await get(datasette, f"{path}&{extra}")).json()
        results = data["facet_results"]
        facet = results.get("results", results)["claim_topics"]
        assert facet["results"], extra
        for value in facet["results"]:
            assert "_through" not in value["toggle_url"]
            narrowed = (await get(datasette, value["toggle_url"].replace("/news/claims?", "/news/claims.json?"))).json()
            rows = narrowed["rows"]
            assert len(rows) == value["count"] > 0, (extra, value["value"])
            for row in rows:
                assert value["label"] in json.loads(row["topics"]), (extra, row["id"])
                if extra.startswith("kind="):
                    assert row["kind"] == extra.split("&")[0][len("kind="):]


@pytest.mark.asyncio
async def test_a_join_filter_on_a_table_that_is_not_one_is_refused(news_db):
    datasette = ds(news_db)
    assert (await get(datasette, "/news/claims.json?_m2m_speakers=x")).status_code == 400
    assert (await get(datasette, "/news/claims.json?_m2m_no_such_table=x")).status_code == 400
    ok = (await get(datasette, "/news/claims.json?_m2m_claim_topics=no-such-topic&_shape=array")).json()
    assert ok == []


@pytest.mark.asyncio
@pytest.mark.parametrize("path", [
    "/news/-/claims", "/news/-/claims?q=fine", "/news/-/articles/~3Cb~3Eevil~3C~2Fb~3E",
    "/news/-/speakers/jane-fox", "/news/-/claims?article=%3Cb%3Eevil%3C/b%3E", "/news/claims", "/news/articles",
])
async def test_hostile_text_is_escaped_everywhere(news_db, path):
    html = (await get(ds(news_db), path)).text
    for payload in ("<script>alert", "<img src=x", "<b>evil</b>", 'href="javascript:'):
        assert payload not in html, (path, payload)



@pytest.mark.asyncio
async def test_the_article_reader_shows_the_text_exactly(news_db):
    """The reader cuts the text into pieces at every claim and fact: put together again, with the markup
    taken off, each paragraph is the article's paragraph, with no whitespace added or lost."""
    import html as html_lib

    from datasette_newsclaims.web.render import paragraphs

    datasette = ds(news_db)
    text = (await get(datasette, "/news/-/articles/84db678766ceb297.json")).json()["article"]["text"]
    page = (await get(datasette, "/news/-/articles/84db678766ceb297")).text
    body = page.split('<div class="article-text">', 1)[1].split("</div>", 1)[0]
    shown = [html_lib.unescape(re.sub(r"<[^>]+>", "", p)) for p in re.findall(r"<p>(.*?)</p>", body, re.S)]
    assert shown == [text[a:b] for a, b in paragraphs(text)]
    assert body.count("<mark") >= 9


def add_big_article(path, n_claims: int) -> str:
    """An article with `n_claims` claims, one per paragraph, written straight into the database."""
    db = sqlite_utils.Database(path)
    lines, claims, offset = [], [], 0
    for i in range(n_claims):
        line = f'"Point {i} stands," said Ana Silva.'
        claims.append({"article_id": "big", "speaker_id": "ana-silva", "quote": f"Point {i} stands,",
                       "start": offset + 1, "end": offset + 1 + len(f"Point {i} stands,"), "kind": "direct",
                       "cue": "said", "speaker_mention": "Ana Silva", "claim_date": "2022-01-01", "topics": "[]"})
        lines.append(line)
        offset += len(line) + 2
    db["articles"].insert({"id": "big", "title": "A long one", "text": "\n\n".join(lines), "published": "2022-01-01"},
                          alter=False)
    db["claims"].insert_all(claims, alter=False)
    return "big"


@pytest.fixture(scope="module")
def big_db(news_db, tmp_path_factory):
    import shutil

    path = tmp_path_factory.mktemp("big") / "news.db"
    shutil.copy(news_db, path)
    add_big_article(path, 20_000)
    return path


@pytest.mark.asyncio
async def test_an_article_with_20000_claims_is_paged(big_db):
    datasette = ds(big_db)
    pages = await walk(datasette, "/news/-/articles/big.json")
    assert all(data["claim_count"] == 20_000 and len(data["claims"]) <= 500 for data in pages)
    seen = [c["start"] for data in pages for c in data["claims"]]
    assert len(seen) == 20_000 and seen == sorted(set(seen))  # every claim once, in reading order
    html = (await get(datasette, "/news/-/articles/big")).text
    assert "500 claims of 20,000 marked on this page" in html and 'rel="next"' in html
    assert html.count('<mark class="claim') == 500 and html.count('id="claim-') == 500
    # each page shows the part of the text its claims are in, and the pages cover the whole text
    assert "Point 499 stands" in html and "Point 500 stands" not in html
    shown, path = 0, "/news/-/articles/big"
    while path:
        page = (await get(datasette, path)).text
        shown += page.count("<mark class=\"claim")
        found = re.search(r'href="([^"]+)" rel="next"', page)
        path = found.group(1).replace("&amp;", "&") if found else None
    assert shown == 20_000 and "Point 19999 stands" in page


@settings(max_examples=300, deadline=None)
@given(data=st.data())
def test_pieces_follow_the_innermost_claim_and_anchor_each_once(data):
    text = data.draw(st.lists(st.sampled_from(["a", "bb", " ", "\n", "\n\n"]), max_size=60).map("".join))
    spans = st.tuples(st.integers(0, len(text)), st.integers(0, len(text))).map(sorted)
    claims = [{"id": i, "start": a, "end": b} for i, (a, b) in enumerate(data.draw(st.lists(spans, max_size=8)))]
    paragraphs = render.paragraphs(text)
    pieces = render.article_pieces(text, claims, [])
    assert ["".join(p.text for p in para) for para in pieces] == [text[s:e] for s, e in paragraphs]
    for (p_start, _), para in zip(paragraphs, pieces):
        at = p_start
        for piece in para:
            covering = [c for c in claims if c["start"] <= at and c["end"] >= at + len(piece.text)]
            innermost = max(covering, key=lambda c: (c["start"], -c["end"], c["id"])) if covering else None
            assert piece.claim == innermost
            at += len(piece.text)
    anchors = [a for para in pieces for p in para for a in p.anchors]
    shown = {c["id"] for c in claims if any(max(c["start"], s) < min(c["end"], e) for s, e in paragraphs)}
    assert sorted(anchors) == sorted(f"claim-{i}" for i in shown)


@pytest.mark.asyncio
async def test_a_query_that_runs_out_of_time_is_a_400_that_says_so(news_db, monkeypatch):
    from datasette.database import QueryInterrupted

    from datasette_newsclaims.web import queries

    async def interrupted(*args, **kwargs):
        raise QueryInterrupted(Exception("interrupted"), "select ...", {})

    monkeypatch.setattr(queries, "get_article", interrupted)
    for path in ("/news/-/articles/trade-1", "/news/-/articles/trade-1.json"):
        response = await get(ds(news_db), path)
        assert response.status_code == 400 and "took too long" in response.text


@pytest.mark.asyncio
async def test_a_quote_is_shown_without_the_attribution_inside_it(tmp_path):
    import json as _json

    from .conftest import load

    src = tmp_path / "split.jsonl"
    src.write_text(_json.dumps({"id": "split", "text": (
        '"Prices will rise this winter," Jane Fox said, "and wages will not follow them."\n\n'
        "The new plan, Tom Hale said, would cost jobs across the region.")}) + "\n", "utf-8")
    assert load(tmp_path / "news.db", src).exit_code == 0
    datasette = ds(tmp_path / "news.db")
    claims = (await get(datasette, "/news/-/claims.json")).json()["claims"]
    shown = sorted(c["shown_quote"] for c in claims)
    assert shown == ["Prices will rise this winter … and wages will not follow them",
                     "The new plan … would cost jobs across the region"]
    for path in ("/news/-/claims", "/news/-/claims?q=wages", "/news/-/articles/split", "/news/claims"):
        html = (await get(datasette, path)).text
        quotes = re.findall(r"<q[^>]*>(.*?)</q>", html, re.S)
        assert quotes and not [q for q in quotes if "said" in q], (path, quotes)
    hit = (await get(datasette, "/news/-/claims?q=wages")).text
    assert "Prices will rise this winter … and <mark>wages</mark> will not follow them" in hit


@pytest.mark.asyncio
async def test_each_filter_chip_removes_its_filter_and_only_it(news_db):
    datasette = ds(news_db)
    html = (await get(datasette, "/news/-/claims?date_from=2021&date_to=2022-04&kind=direct")).text
    chips = dict(re.findall(r'<a href="([^"]+)" aria-label="remove filter ([a-z_]+)"', html))
    assert set(chips.values()) == {"date_from", "date_to", "kind"}
    for url, name in chips.items():
        left = set(re.findall(r"[?&]([a-z_]+)=", url.replace("&amp;", "&")))
        assert left == {"date_from", "date_to", "kind"} - {name}, (name, url)


def test_the_addressee_is_part_of_the_attribution_a_shown_quote_leaves_out():
    text = '"It is still looking good," he told Reuters. "We have seen good economic data."'
    claim = {"quote": text[1:-2], "start": 1, "end": len(text) - 2, "speaker_start": text.index("he told"),
             "speaker_end": text.index("he told") + 2, "cue_start": text.index("told"),
             "cue_end": text.index("told") + 4, "target_start": text.index("Reuters"),
             "target_end": text.index("Reuters") + 7}
    assert render.shown_quote(claim) == "It is still looking good … We have seen good economic data"


@pytest.mark.asyncio
async def test_a_long_articles_markup_is_built_off_the_event_loop(big_db, monkeypatch):
    """Other requests are served while a long article is cut and marked up: the work runs in a thread."""
    import threading

    threads = []
    real = render.article_html

    def recording(*args, **kwargs):
        threads.append(threading.current_thread())
        return real(*args, **kwargs)

    monkeypatch.setattr(render, "article_html", recording)
    response = await get(ds(big_db), "/news/-/articles/big")
    assert response.status_code == 200 and threads
    assert threads[0] is not threading.current_thread()  # the event loop runs in this thread


@pytest.mark.asyncio
async def test_pages_have_a_main_landmark_and_the_browser_a_skip_link(news_db):
    datasette = ds(news_db)
    for path in ("/news/-/claims", "/news/-/claims/1", "/news/-/speakers/ana-silva", "/news/-/network"):
        assert (await get(datasette, path)).text.count('<main id="newsclaims-main">') == 1, path
    html = (await get(datasette, "/news/-/claims")).text
    skip, facets, cards = (html.index('href="#newsclaims-cards"'), html.index('aria-label="Facets"'),
                           html.index('id="newsclaims-cards"'))
    assert skip < facets < cards  # the skip link comes before the facets it skips


@pytest.mark.asyncio
async def test_the_article_header_has_one_separator_between_the_parts_it_has(news_db, tmp_path):
    def meta(html):
        text = re.sub(r"<[^>]+>", "", re.search(r'<p class="article-meta">(.*?)</p>', html, re.S).group(1))
        return " ".join(text.split())

    html = (await get(ds(news_db), "/news/-/articles/trade-1")).text
    assert meta(html).startswith("2022-03-04 · Test Wire · original · ")
    assert 'href="https://example.org/trade-1"' in html
    from .conftest import load

    path = tmp_path / "undated.db"
    src = tmp_path / "undated.jsonl"
    src.write_text(json.dumps({"id": "u1", "source": "bbc", "title": "Undated",
                               "text": "Jane Fox said the bridge would reopen in June."}) + "\n", "utf-8")
    assert load(path, src).exit_code == 0
    assert meta((await get(ds(path), "/undated/-/articles/u1")).text).startswith("bbc · 1 claim")


def test_a_timeline_keeps_its_empty_months():
    from datasette_newsclaims.web.queries import with_empty_months

    rows = [{"value": "2021-11", "count": 2}, {"value": "2022-02", "count": 1}]
    assert with_empty_months(rows) == [{"month": "2021-11", "count": 2}, {"month": "2021-12", "count": 0},
                                       {"month": "2022-01", "count": 0}, {"month": "2022-02", "count": 1}]
    assert with_empty_months([{"value": "2022-02", "count": 1}]) == [{"month": "2022-02", "count": 1}]
    stray = [{"value": "0201-01", "count": 1}, {"value": "2022-02", "count": 1}]  # a typo'd year: no 21,000 bars
    assert len(with_empty_months(stray)) == 2


@pytest.mark.asyncio
async def test_search_forgives_word_endings(news_db):
    """Quotes are indexed with stemming: "tariff" finds "tariffs", "protecting" finds "protect"."""
    datasette = ds(news_db)
    exact = (await get(datasette, "/news/-/claims.json?q=tariffs&_size=max")).json()
    assert exact["count"] > 0
    for query in ("tariff", "Tariffs", "TARIFF"):
        data = (await get(datasette, f"/news/-/claims.json?q={query}&_size=max")).json()
        assert set(claim_ids(data)) == set(claim_ids(exact)), query
    protect = (await get(datasette, "/news/-/claims.json?q=protecting+jobs")).json()
    assert protect["count"] >= 1 and "protect jobs" in protect["claims"][0]["quote"]
    assert (await get(datasette, "/news/-/claims.json?q=tariffx")).json()["count"] == 0


@pytest.mark.asyncio
async def test_lists_sort_by_date_both_ways_and_by_relevance_when_searching(news_db):
    datasette = ds(news_db)
    newest = await walk(datasette, "/news/-/claims.json?_size=3")
    oldest = await walk(datasette, "/news/-/claims.json?_size=3&_sort=oldest")
    newest_ids = [i for page in newest for i in claim_ids(page)]
    oldest_ids = [i for page in oldest for i in claim_ids(page)]
    assert oldest_ids == newest_ids[::-1] and len(set(oldest_ids)) == len(oldest_ids) == newest[0]["count"]
    dates = [c["claim_date"] for page in oldest for c in page["claims"]]
    assert dates == sorted(dates) and oldest[0]["sort"] == "oldest"
    search = (await get(datasette, "/news/-/claims.json?q=tariffs&_sort=oldest&_size=max")).json()
    assert [c["claim_date"] for c in search["claims"]] == sorted(c["claim_date"] for c in search["claims"])
    assert (await get(datasette, "/news/-/claims.json?q=tariffs")).json()["sort"] == "relevance"
    for bad in ("_sort=relevance", "_sort=sideways"):
        assert (await get(datasette, "/news/-/claims.json?" + bad)).status_code == 400
    html = (await get(datasette, "/news/-/claims?_sort=oldest")).text
    assert "oldest first" in html and '<option value="oldest" selected>' in html


@pytest.mark.asyncio
async def test_speaker_and_topic_indexes_are_paged_searchable_and_sorted(news_db):
    datasette = ds(news_db)
    data = (await get(datasette, "/news/-/speakers.json?_size=max")).json()
    names = [r["name"] for r in data["rows"]]
    assert "Ana Silva" in names and "Wang Yi" in names and all(r["kind"] != "unnamed" for r in data["rows"])
    claims = [r["claims"] for r in data["rows"]]
    assert claims == sorted(claims, reverse=True)
    silva = next(r for r in data["rows"] if r["name"] == "Ana Silva")
    listed = (await get(datasette, f"/news/-/claims.json?speaker={silva['id']}")).json()
    assert listed["count"] == silva["claims"]  # the index's count is the list's
    paged = [r["id"] for page in await walk(datasette, "/news/-/speakers.json?_size=2") for r in page["rows"]]
    assert paged == [r["id"] for r in data["rows"]]
    by_name = [r["name"] for page in await walk(datasette, "/news/-/speakers.json?_size=2&_sort=name")
               for r in page["rows"]]
    assert by_name == sorted(names, key=str.lower)
    found = (await get(datasette, "/news/-/speakers.json?q=silva")).json()["rows"]
    assert [r["name"] for r in found] == ["Ana Silva"]
    assert (await get(datasette, "/news/-/speakers.json?q=100%25")).json()["rows"] == []  # % is a character
    persons = (await get(datasette, "/news/-/speakers.json?kind=person&_size=max")).json()["rows"]
    assert persons and {r["kind"] for r in persons} == {"person"}
    topics = (await get(datasette, "/news/-/topics.json?q=TAIW")).json()["rows"]
    assert [r["name"] for r in topics] == ["Taiwan"]
    for bad in ("speakers.json?_sort=size", "speakers.json?kind=unnamed", "topics.json?q=" + "x" * 201,
                "speakers.json?_next=garbage"):
        assert (await get(datasette, "/news/-/" + bad)).status_code == 400, bad
    html = (await get(datasette, "/news/-/speakers?q=silva")).text
    assert 'href="/news/-/speakers/ana-silva"' in html and "<table" in html


@pytest.mark.asyncio
async def test_the_search_box_offers_speakers_and_topics_whose_names_match(news_db):
    datasette = ds(news_db)
    data = (await get(datasette, "/news/-/claims.json?q=silva")).json()
    assert [s["id"] for s in data["matching"]["speakers"]] == ["ana-silva"]
    html = (await get(datasette, "/news/-/claims?q=silva")).text
    assert 'href="/news/-/speakers/ana-silva"' in html and "Speakers whose names match" not in html
    assert 'aria-label="Speakers and topics whose names match"' in html
    assert (await get(datasette, "/news/-/claims.json")).json()["matching"] is None


@pytest.mark.asyncio
async def test_the_claims_list_exports_as_csv_with_its_filters_and_order(news_db):
    import csv as csvlib
    import io

    datasette = ds(news_db)
    listed = (await get(datasette, "/news/-/claims.json?speaker=ana-silva&_sort=oldest&_size=max")).json()
    response = await get(datasette, "/news/-/claims.csv?speaker=ana-silva&_sort=oldest")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"]
    rows = list(csvlib.DictReader(io.StringIO(response.text)))
    assert [int(r["id"]) for r in rows] == claim_ids(listed) and len(rows) == listed["count"]
    assert rows[0]["speaker_name"] == "Ana Silva" and rows[0]["url"].startswith("http")
    everything = list(csvlib.DictReader(io.StringIO((await get(datasette, "/news/-/claims.csv")).text)))
    assert len(everything) == (await get(datasette, "/news/-/claims.json")).json()["count"]
    html = (await get(datasette, "/news/-/claims?speaker=ana-silva")).text
    assert 'href="/news/-/claims.csv?speaker=ana-silva"' in html
    assert (await get(datasette, "/news/-/claims.csv?kind=bogus")).status_code == 400


@pytest.mark.asyncio
@pytest.mark.parametrize("page_path, list_query", [
    ("/news/-/claims?kind=mixed&_sort=oldest", "kind=mixed&_sort=oldest"),
    ("/news/-/claims?q=the", "q=the"),
    ("/news/-/speakers/wang-yi", "speaker=wang-yi"),
    ("/news/-/topics/taiwan", "topic=taiwan"),
])
async def test_every_list_exports_all_its_claims_as_csv_and_streamed_json(news_db, monkeypatch, page_path, list_query):
    """Read three claims at a time, so that the exports run over several keyset pages."""
    import csv as csvlib
    import io

    from datasette_newsclaims.web import views

    monkeypatch.setattr(views, "CSV_PAGE", 3)
    datasette = ds(news_db)
    expected = [c["id"] for page in await walk(datasette, f"/news/-/claims.json?{list_query}&_size=2")
                for c in page["claims"]]
    assert len(expected) > 3
    base, _, query = page_path.partition("?")
    csv_response = await get(datasette, f"{base}.csv" + (f"?{query}" if query else ""))
    assert csv_response.status_code == 200 and csv_response.headers["content-type"].startswith("text/csv")
    assert [int(r["id"]) for r in csvlib.DictReader(io.StringIO(csv_response.text))] == expected
    streamed = (await get(datasette, f"{base}.json?_stream=on" + (f"&{query}" if query else ""))).json()
    assert [c["id"] for c in streamed["claims"]] == expected
    assert all(c["url"].startswith("http://localhost/news/-/claims/") for c in streamed["claims"])
    html = (await get(datasette, page_path)).text
    assert f'href="{base}.csv' in html


@pytest.mark.asyncio
async def test_the_indexes_export_as_csv(news_db):
    import csv as csvlib
    import io

    datasette = ds(news_db)
    for path, query in (("/news/-/speakers", "kind=person&_sort=name"), ("/news/-/topics", "")):
        pages = await walk(datasette, f"{path}.json?{query}&_size=2")
        expected = [(r["id"], r["name"], str(r["claims"])) for page in pages for r in page["rows"]]
        assert len(pages) > 2
        text = (await get(datasette, f"{path}.csv?{query}")).text
        rows = [(r["id"], r["name"], r["claims"]) for r in csvlib.DictReader(io.StringIO(text))]
        assert rows == expected
    assert (await get(datasette, "/news/-/speakers.csv?kind=unnamed")).status_code == 400


@pytest.mark.asyncio
@pytest.mark.parametrize("query", [
    "", "kind=mixed", "speaker=wang-yi&date_from=2021-11&date_to=2021-11", "topic=taiwan&kind=mixed",
    "speaker_kind=named&_sort=oldest", "q=tariffs", "source=Test%20Wire&date_basis=published", "article=trade-1",
])
async def test_open_in_table_lists_the_same_claims_in_datasettes_table(news_db, query):
    datasette = ds(news_db)
    html = (await get(datasette, f"/news/-/claims?{query}")).text
    table = html_unescape(re.search(r'<a href="([^"]+)" class="table-link">Open in table</a>', html).group(1))
    assert table.startswith("/news/claims")
    listed = {c["id"] for c in (await get(datasette, f"/news/-/claims.json?{query}&_size=max")).json()["claims"]}
    rows = (await get(datasette, table.replace("/news/claims", "/news/claims.json", 1) +
                      ("&" if "?" in table else "?") + "_shape=array&_size=max")).json()
    assert {r["id"] for r in rows} == listed and listed


def html_unescape(text):
    import html

    return html.unescape(text)


def test_a_csv_cell_that_a_spreadsheet_would_run_is_defused():
    from datasette_newsclaims.web.views import csv_cell

    assert csv_cell("=HYPERLINK(\"http://evil\")") == "'=HYPERLINK(\"http://evil\")"
    assert csv_cell("@SUM(A1)") == "'@SUM(A1)" and csv_cell("plain words") == "plain words"
    assert csv_cell(None) == "" and csv_cell(-3) == "-3"  # numbers stay numbers


@pytest.mark.asyncio
async def test_one_date_model_the_basis_of_every_date_is_shown_and_filtered(tmp_path):
    """A claim is listed under the day it was said, else its article's date, else it is undated; the page
    says which in words (not in a title attribute), and `date_basis` lists each kind, undated included."""
    from .conftest import load

    src = tmp_path / "more.jsonl"
    src.write_text(json.dumps({"id": "u1", "source": "bbc", "title": "Undated",
                               "text": "Jane Fox said the bridge would reopen in June."}) + "\n", "utf-8")
    path = tmp_path / "news.db"
    assert load(path, ROOT / "seeds", src).exit_code == 0
    datasette = ds(path)
    data = (await get(datasette, "/news/-/claims.json?_size=max")).json()
    bases = {f["value"]: f["count"] for f in data["facets"]["date_basis"]["results"]}
    assert bases == {"said": 8, "published": 1, "undated": 1}
    for basis, expected in (("said", 8), ("published", 1), ("undated", 1)):
        listed = (await get(datasette, f"/news/-/claims.json?date_basis={basis}&_size=max")).json()
        assert listed["count"] == len(listed["claims"]) == expected
        assert {c["date_basis"] for c in listed["claims"]} == {basis}
    undated = (await get(datasette, "/news/-/claims.json?date_basis=undated")).json()["claims"][0]
    assert (undated["speaker_id"], undated["claim_date"], undated["said_on"]) == ("jane-fox", "", None)
    published = (await get(datasette, "/news/-/claims.json?date_basis=published")).json()["claims"][0]
    assert (published["speaker_id"], published["claim_date"]) == ("antony-blinken", "2021-11-14")
    html = (await get(datasette, "/news/-/claims?speaker=antony-blinken")).text
    assert re.search(r'<time datetime="2021-11-14"[^>]*>2021-11-14</time> <span class="date-basis">\(article\'s date\)',
                     html)
    assert "title=\"the article's date" not in html
    html = (await get(datasette, "/news/-/claims?speaker=jen-psaki")).text
    assert re.search(r'>2021-11-12</time> <span class="date-basis">\(On Friday\)</span>', html)
    html = (await get(datasette, "/news/-/claims")).text
    assert re.search(r'<a href="[^"]*date_basis=undated[^"]*">undated</a> <span class="count">1</span>', html)
    assert re.search(r'<a href="[^"]*date_basis=published[^"]*">the article&#39;s date</a>', html)
    bad = await get(datasette, "/news/-/claims.json?date_basis=someday")
    assert bad.status_code == 400 and "date_basis must be one of said, published, undated" in bad.json()["error"]


@pytest.mark.asyncio
async def test_compare_draws_speakers_and_topics_on_one_axis_of_months(news_db):
    datasette = ds(news_db)
    data = (await get(datasette, "/news/-/compare.json?speaker=wang-yi&speaker=Ana%20Silva&topic=trade")).json()
    assert data["months"] == ["2021-11", "2021-12", "2022-01", "2022-02", "2022-03", "2022-04", "2022-05"]
    counts = {s["name"]: s["counts"] for s in data["series"]}
    assert counts == {"Wang Yi": [5, 0, 0, 0, 0, 0, 0], "Ana Silva": [0, 0, 0, 0, 2, 1, 1],
                      "trade": [0, 0, 0, 0, 3, 2, 0]}
    assert [(s["facet"], s["id"], s["total"], s["undated"]) for s in data["series"]] == [
        ("speaker", "wang-yi", 5, 0), ("speaker", "ana-silva", 4, 0), ("topic", "trade", 5, 0)]
    html = (await get(datasette, "/news/-/compare?speaker=wang-yi&speaker=ana-silva&topic=trade")).text
    svg = re.search(r'<svg class="newsclaims-compare".*?</svg>', html, re.S).group(0)
    assert svg.count("<polyline") == 3 and svg.count("<circle") == 21  # a marker on every month, empty ones too
    assert 'stroke-dasharray="6 3"' in svg and "Ana Silva, 2022-03: 2" in svg
    table = re.search(r'<table class="rows-and-columns newsclaims-compare-table">.*?</table>', html, re.S).group(0)
    assert re.search(r'<th scope="row">2021-12</th><td>0</td><td>0</td><td>0</td>', table)
    text = (await get(datasette, "/news/-/compare.csv?speaker=wang-yi&topic=trade")).text
    assert text.splitlines()[:2] == ["month,Wang Yi,trade", "2021-11,5,0"]


@pytest.mark.asyncio
async def test_compare_takes_at_most_five_and_names_what_it_cannot_find(news_db):
    datasette = ds(news_db)
    six = "&".join(f"speaker={s}" for s in ("wang-yi", "ana-silva", "tom-hale", "beijing", "jen-psaki",
                                            "antony-blinken"))
    assert (await get(datasette, f"/news/-/compare.json?{six}")).status_code == 400
    missing = await get(datasette, "/news/-/compare.json?speaker=wang-yi&topic=nope")
    assert missing.status_code == 400 and "no topic 'nope'" in missing.json()["error"]
    # the page itself answers 400 with its form, the message, and what it could draw
    page = await get(datasette, "/news/-/compare?speaker=wang-yi&topic=nope")
    assert page.status_code == 400
    assert "no topic &#39;nope&#39;" in page.text and "(given: “nope”)" in page.text
    assert 'value="Wang Yi"' in page.text and '<svg class="newsclaims-compare"' in page.text
    index = (await get(datasette, "/news/-/speakers")).text
    assert re.search(r'<form action="/news/-/compare" method="get"', index)
    assert '<input type="checkbox" name="speaker" value="wang-yi"' in index


@pytest.mark.asyncio
async def test_a_wrong_parameter_shows_the_page_with_its_form_and_the_message(news_db):
    datasette = ds(news_db)
    page = await get(datasette, "/news/-/claims?date_to=soon&kind=direct")
    assert page.status_code == 400
    assert "date_to must be a date" in page.text and "(given: “soon”)" in page.text
    assert '<form class="core newsclaims-search"' in page.text and 'class="claim-card' in page.text
    assert "kind: <strong>direct</strong>" in page.text  # the other filters still apply
    twice = await get(datasette, "/news/-/claims?date_to=soon&_sort=sideways")
    assert twice.status_code == 400 and "date_to must be" in twice.text and "_sort must be" in twice.text
    assert (await get(datasette, "/news/-/claims.json?date_to=soon")).status_code == 400
    evil = await get(datasette, "/news/-/claims?kind=%3Cscript%3Ealert(1)%3C/script%3E")
    assert evil.status_code == 400 and "<script>alert(1)" not in evil.text


@pytest.mark.asyncio
async def test_plugin_pages_say_their_language(news_db):
    datasette = ds(news_db)
    for path in ("/news/-/claims", "/news/-/network", "/news/-/compare", "/news/-/articles/trade-1"):
        assert '<html lang="en">' in (await get(datasette, path)).text, path


def test_speaker_colours_are_readable_on_white():
    def luminance(hex_colour):
        channels = [int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    css = (ROOT / "datasette_newsclaims/web/static/newsclaims.css").read_text()
    colours = dict(re.findall(r"--nc-(\d+): (#[0-9a-f]{6});", css))
    assert len(colours) == render.SPEAKER_COLOURS
    for background in ("#ffffff", "#f5f5f5"):
        for number, colour in colours.items():
            light, dark = sorted((luminance(colour), luminance(background)), reverse=True)
            assert (light + 0.05) / (dark + 0.05) >= 4.5, (number, colour, background)
    assert all(f".sp-{i} {{ --sp: var(--nc-{i}); }}" in css for i in range(render.SPEAKER_COLOURS))


def test_an_article_gives_each_of_its_first_twelve_speakers_a_colour_of_their_own():
    claims = [{"speaker_id": f"speaker-{i % 13}"} for i in range(30)]
    colours = render.article_colours(claims)
    assert len(set(colours[f"speaker-{i}"] for i in range(12))) == 12
    assert colours["speaker-12"] == colours["speaker-0"]  # the thirteenth shares, as it must


@pytest.mark.asyncio
async def test_a_text_that_starts_with_its_title_shows_it_once(tmp_path):
    from .conftest import load

    src = tmp_path / "a.jsonl"
    text = "Minister defends plan\n\nThe minister said the plan would cut waiting lists by half."
    src.write_text(json.dumps({"id": "h1", "title": "Minister defends plan", "text": text}) + "\n", "utf-8")
    path = tmp_path / "news.db"
    assert load(path, src).exit_code == 0
    html = (await get(ds(path), "/news/-/articles/h1")).text
    assert html.count("Minister defends plan") == 2  # the page's <title> and its heading
    assert '<div class="article-headline"><h1>Minister defends plan</h1>' in html
    assert re.search(r"<p>The minister said.*?</p>", html, re.S)


@pytest.mark.asyncio
async def test_the_home_page_links_the_claims_browser(news_db):
    """In the page, not only in the menu: metadata.yml's description does it on every version, the
    top_homepage hook on the 1.0 alphas when the description does not."""
    import yaml

    metadata = yaml.safe_load((ROOT / "metadata.yml").read_text())
    with_metadata = Datasette([str(news_db)], metadata=metadata)
    html = (await get(with_metadata, "/")).text
    assert len(re.findall(r'<p class="newsclaims-home"><a href="/-/claims">Browse the claims</a>', html)) == 1
    bare = (await get(ds(news_db), "/")).text
    has_hook = hasattr(__import__("datasette.hookspecs").hookspecs, "top_homepage")
    assert ('<p class="newsclaims-home"><a href="/-/claims">' in bare) == has_hook


@pytest.mark.asyncio
async def test_a_timeline_gives_its_numbers_in_the_page_not_only_in_tooltips(news_db):
    html = (await get(ds(news_db), "/news/-/speakers/ana-silva")).text
    numbers = re.search(r'<details class="timeline-numbers">.*?</details>', html, re.S).group(0)
    rows = re.findall(r'<th scope="row">([0-9-]+)</th><td>(\d+)</td>', numbers)
    assert rows == [("2022-03", "2"), ("2022-04", "1"), ("2022-05", "1")]


@pytest.mark.asyncio
async def test_the_network_leaves_out_sources_the_text_does_not_name(tmp_path):
    from .conftest import load

    src = tmp_path / "a.jsonl"
    src.write_text(json.dumps({"id": "n1", "date": "2022-01-05", "text": (
        "Analysts told Gordon Brown that rates would rise.\n\n"
        "Jane Fox told Gordon Brown that the budget was wrong.")}) + "\n", "utf-8")
    path = tmp_path / "news.db"
    assert load(path, src).exit_code == 0
    datasette = ds(path)
    for query in ("", "?date_from=2022"):  # kept and live
        named = (await get(datasette, f"/news/-/network.json{query}")).json()["edges"]
        assert [(e["source_name"], e["target_name"]) for e in named] == [("Jane Fox", "Gordon Brown")], query
    unnamed = (await get(datasette, "/news/-/network.json?speaker_kind=unnamed")).json()["edges"]
    assert [(e["source_name"], e["target_name"]) for e in unnamed] == [("Analysts", "Gordon Brown")]
