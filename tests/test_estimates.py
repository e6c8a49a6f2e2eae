"""Counts and facets of big lists (issue 18): exact within an instruction budget, else estimated from the
claims sample, always shown, the same for the same request; counts that agree with the lists they count.

The database is built here: 40,000 claims written straight into the schema (speakers with a skewed share
of the claims, three outlets, two years of months, words of known frequency in the quotes), so the truth
of every estimate is known. The sample is kept by the triggers of migration m009, as on a load."""

import random

import pytest
from datasette.app import Datasette

from datasette_newsclaims.loader import counts, store
from datasette_newsclaims.vocabulary import SAMPLE_KEPT, sample_bucket
from datasette_newsclaims.web import estimates, queries

from .conftest import build_news_db
from .test_pages import walk

CLAIMS = 40_000
PER_ARTICLE = 5
OUTLETS = ("Wire", "Daily", "Herald")
WORDS = ("budget", "bridge", "school", "council", "market", "harbour", "tax", "water")


def write_corpus(path, n: int = CLAIMS, seed: int = 7):
    rng = random.Random(seed)
    db = store.open_db(str(path))
    people = [(f"person-{i}", f"Person {i}", "person") for i in range(60)]
    bodies = [(f"body-{i}", f"Body {i}", "organisation") for i in range(20)]
    speakers = people + bodies
    weights = [1 / (i + 1) for i in range(len(speakers))]  # a few speakers say most
    topics = [(f"topic-{i}", f"Topic {i}", "subject") for i in range(12)]
    months = [f"{y}-{m:02d}" for y in (2021, 2022) for m in range(1, 13)]
    names = {sid: name for sid, name, _ in speakers}
    conn = db.conn
    conn.execute("begin")
    conn.executemany("insert into speakers (id, name, kind) values (?, ?, ?)", speakers)
    conn.executemany("insert into topics (id, name, kind) values (?, ?, ?)", topics)
    claim_id = 0
    for a in range(n // PER_ARTICLE):
        article = f"a{a:05d}"
        outlet = OUTLETS[a % 3]
        month = rng.choice(months)
        conn.execute("insert into articles (id, title, source, published, text, text_hash) values (?, ?, ?, ?, ?, ?)",
                     [article, f"Story {a}", outlet, f"{month}-10", "text", f"h{a}"])
        conn.execute("insert into sentences (id, article_id, idx, start, \"end\", text) values (?, ?, 0, 0, 4, 'text')",
                     [a + 1, article])
        for _ in range(PER_ARTICLE):
            claim_id += 1
            sid, name, kind = rng.choices(speakers, weights)[0]
            words = ["said" if rng.random() < 0.6 else "stated", rng.choice(WORDS)]
            if rng.random() < 0.03:
                words.append("oil")
            if claim_id % 997 == 0:
                words.append("zeppelin")
            target_id = rng.choice(speakers)[0] if rng.random() < 0.1 else None
            dated = rng.random() < 0.8
            conn.execute(
                "insert into claims (id, article_id, sentence_id, speaker_id, speaker_mention, kind, quote, start, "
                "\"end\", claim_date, date_basis, source, speaker_kind, target, target_speaker_id, topics) "
                "values (?, ?, ?, ?, ?, ?, ?, 0, 4, ?, ?, ?, ?, ?, ?, '[]')",
                [claim_id, article, a + 1, sid, name, rng.choice(("direct", "indirect", "indirect", "mixed")),
                 " ".join(words), f"{month}-10" if dated else "", "published" if dated else "undated", outlet, kind,
                 names.get(target_id), target_id])
            for topic in rng.sample(topics, rng.choice((0, 1, 1, 2))):
                conn.execute("insert into claim_topics (claim_id, topic_id, claim_date) values (?, ?, ?)",
                             [claim_id, topic[0], f"{month}-10" if dated else ""])
    conn.execute("update newsclaims_meta set value = ? where key = 'claim_count'", [str(claim_id)])
    counts.fill(db)
    conn.execute("commit")
    db.close()
    return path


@pytest.fixture(scope="module")
def corpus_db(tmp_path_factory):
    return write_corpus(tmp_path_factory.mktemp("estimates") / "news.db")


@pytest.fixture
def no_exact(monkeypatch):
    """Every count and facet that is not kept is estimated (the budget is spent at once)."""
    monkeypatch.setattr(estimates, "EXACT_COUNT_STEPS", 1000)
    monkeypatch.setattr(estimates, "EXACT_FACET_STEPS", 1000)


async def get_json(datasette, path):
    response = await datasette.client.get(path)
    assert response.status_code == 200, (path, response.text[:300])
    return response.json()


def truth(db_path, where: str, params=()):
    import sqlite3

    conn = sqlite3.connect(db_path)
    try:
        return conn.execute(f"select count(*) from claims where {where}", params).fetchone()[0]
    finally:
        conn.close()


def test_the_sample_is_the_claims_of_its_buckets_after_writes_replacements_and_deletes(corpus_db, tmp_path):
    import shutil
    import sqlite3

    path = tmp_path / "copy.db"
    shutil.copy(corpus_db, path)
    conn = sqlite3.connect(path)

    def expected():
        return conn.execute(f"select id, speaker_id, kind, claim_date, source from claims where {sample_bucket('id')} "
                            f"< {SAMPLE_KEPT} order by id").fetchall()

    def sampled():
        return conn.execute("select claim_id, speaker_id, kind, claim_date, source from claims_sample "
                            "order by claim_id").fetchall()
    assert sampled() == expected() and abs(len(expected()) * 16 - CLAIMS) < CLAIMS * 0.02  # one in sixteen
    with conn:
        conn.execute("update claims set speaker_id = 'person-1', kind = 'direct' where id % 7 = 0")  # merged, re-kinded
        conn.execute("delete from claim_topics where claim_id < 5000")
        conn.execute("delete from claims where id < 5000")
    assert sampled() == expected()
    topics = conn.execute("select topic_id, key from claims_sample_topics order by 1, 2").fetchall()
    assert topics == conn.execute(f"select topic_id, {sample_bucket('claim_id')} * 1099511627776 + claim_id from "
                                  f"claim_topics where {sample_bucket('claim_id')} < {SAMPLE_KEPT} order by 1, 2"
                                  ).fetchall()
    fts = conn.execute("select count(*) from claims_sample_fts where claims_sample_fts match 'zeppelin'").fetchone()[0]
    assert fts == conn.execute("select count(*) from claims_sample where quote like '%zeppelin%'").fetchone()[0]


@pytest.mark.asyncio
@pytest.mark.parametrize("query, where", [
    ("kind=indirect&speaker_kind=person", "kind = 'indirect' and speaker_kind = 'person'"),
    ("source=Wire&kind=direct", "source = 'Wire' and kind = 'direct'"),
    ("q=said", "quote like '%said%'"),
    ("q=said&date_from=2021&date_to=2021", "quote like '%said%' and claim_date between '2021' and '2021-12-31'"),
    ("topic=topic-3&kind=indirect", "kind = 'indirect' and id in (select claim_id from claim_topics "
                                    "where topic_id = 'topic-3')"),
])
async def test_a_list_too_costly_to_count_shows_an_estimate_close_to_the_truth(corpus_db, no_exact, query, where):
    datasette = Datasette([str(corpus_db)])
    data = await get_json(datasette, "/news/-/claims.json?" + query)
    true = truth(corpus_db, where)
    assert data["count_is"] == "about"
    assert abs(data["count"] - true) <= 0.12 * true, (data["count"], true)
    for name, facet in data["facets"].items():  # complete: every facet has values, each marked estimated
        if name not in ("venue",):  # no claim here has a venue
            assert facet["results"] and facet["estimated"], name
    # the largest speaker's estimate is near its true count in this list
    top = data["facets"]["speaker"]["results"][0]
    true_top = truth(corpus_db, f"({where}) and speaker_id = ?", [top["value"]])
    assert abs(top["count"] - true_top) <= 0.25 * true_top
    html = (await datasette.client.get("/news/-/claims?" + query)).text
    assert f"About {estimates.rounded(data['count']):,} claims" in html and "Estimated from a sample" in html
    again = await get_json(datasette, "/news/-/claims.json?" + query)
    assert again == data  # the same request, the same answer


@pytest.mark.asyncio
async def test_a_list_nothing_of_which_is_in_the_sample_is_bounded_not_guessed(corpus_db, no_exact):
    datasette = Datasette([str(corpus_db)])
    true = truth(corpus_db, "quote like '%zeppelin%' and kind = 'mixed'")
    data = await get_json(datasette, "/news/-/claims.json?q=zeppelin&kind=mixed")
    assert data["count_is"] in ("under", "about")
    if data["count_is"] == "under":
        assert data["count"] >= true


@pytest.mark.asyncio
async def test_in_a_big_database_a_list_is_estimated_first_and_counted_exactly_only_when_small(corpus_db,
                                                                                              monkeypatch):
    """Past ESTIMATE_FIRST claims, a list the sample says is broad is not counted at all (an exact count would
    spend its budget for nothing); one it says is small is counted exactly."""
    monkeypatch.setattr(estimates, "ESTIMATE_FIRST", 0)
    monkeypatch.setattr(estimates, "EXACT_TRY_MAX", 1000)
    monkeypatch.setattr(estimates, "EXACT_COUNT_STEPS", 10**12)  # an exact count would always finish
    datasette = Datasette([str(corpus_db)])
    broad = await get_json(datasette, "/news/-/claims.json?kind=indirect&source=Daily")
    assert broad["count_is"] == "about"
    narrow = await get_json(datasette, "/news/-/claims.json?q=zeppelin&source=Daily")
    assert narrow["count_is"] == "exact" and narrow["count"] == truth(
        corpus_db, "quote like '%zeppelin%' and source = 'Daily'")


@pytest.mark.asyncio
async def test_lists_within_the_budget_are_counted_exactly(corpus_db):
    datasette = Datasette([str(corpus_db)])
    data = await get_json(datasette, "/news/-/claims.json?q=zeppelin")
    assert (data["count_is"], data["count"]) == ("exact", truth(corpus_db, "quote like '%zeppelin%'"))
    assert all(not f["estimated"] for f in data["facets"].values())
    data = await get_json(datasette, "/news/-/claims.json?speaker=person-0")  # a kept count
    assert (data["count_is"], data["count"]) == ("exact", truth(corpus_db, "speaker_id = 'person-0'"))


@pytest.mark.asyncio
@pytest.mark.parametrize("query", [
    "target=body-0", "target=Body 0", "speaker=person-2&kind=direct", "topic=topic-1&source=Daily",
    "q=oil&speaker_kind=organisation", "date_from=2022-03&date_to=2022-03&kind=mixed", "speaker=person-3&topic=topic-2",
])
async def test_every_exact_count_is_the_number_of_claims_paging_returns(corpus_db, query):
    datasette = Datasette([str(corpus_db)])
    pages = await walk(datasette, f"/news/-/claims.json?{query}&_size=100")
    listed = [c["id"] for page in pages for c in page["claims"]]
    assert len(listed) == len(set(listed)) and pages[0]["count_is"] == "exact"
    assert pages[0]["count"] == len(listed) > 0


@pytest.mark.asyncio
async def test_a_target_that_is_also_a_speaker_is_counted_as_it_is_listed(corpus_db):
    """?target=<id> lists claims whose target text or target speaker id is it; its count is theirs (the kept
    count of the target text alone said far fewer)."""
    datasette = Datasette([str(corpus_db)])
    data = await get_json(datasette, "/news/-/claims.json?target=body-0")
    assert data["count"] == truth(corpus_db, "target = 'body-0' or target_speaker_id = 'body-0'") > 0


@pytest.mark.asyncio
async def test_a_search_too_broad_to_rank_is_listed_newest_first_and_says_so(corpus_db, monkeypatch):
    monkeypatch.setattr(queries, "RANK_MAX", 1000)
    datasette = Datasette([str(corpus_db)])
    broad = await get_json(datasette, "/news/-/claims.json?q=said")
    assert broad["sort"] == "newest" and broad["unranked"]
    dates = [c["claim_date"] for c in broad["claims"]]
    assert dates == sorted(dates, reverse=True)
    assert "too many matches to rank by relevance" in (await datasette.client.get("/news/-/claims?q=said")).text
    narrow = await get_json(datasette, "/news/-/claims.json?q=zeppelin")
    assert narrow["sort"] == "relevance" and not narrow["unranked"]


@pytest.mark.asyncio
@pytest.mark.parametrize("query", ["q=said", "q=oil&kind=indirect", "q=said&topic=topic-2", "q=zeppelin",
                                   "q=said&_sort=oldest&source=Herald", "q=said&date_from=2021-03&date_to=2022-02",
                                   "q=oil&date_from=2022-02&_sort=oldest"])
async def test_a_search_read_from_the_date_ordered_index_lists_what_gathering_its_matches_lists(corpus_db, query):
    """A search in date order reads claims_dated_fts a page at a time; without it (private) the matches are
    gathered first: the same pages, in the same order, undated claims last when newest first."""
    path = f"/news/-/claims.json?{query}&_size=100" + ("" if "_sort" in query else "&_sort=newest")
    dated = [c["id"] for p in await walk(Datasette([str(corpus_db)]), path, limit=3) for c in p["claims"]]
    private = {"databases": {"news": {"tables": {"claims_dated_fts": {"allow": False}}}}}
    gathered = [c["id"] for p in await walk(Datasette([str(corpus_db)], metadata=private), path, limit=3)
                for c in p["claims"]]
    assert dated == gathered and len(gathered) > 30


@pytest.mark.asyncio
async def test_a_private_sample_is_never_read_and_what_cannot_be_counted_says_so(corpus_db, no_exact):
    private = {"databases": {"news": {"tables": {t: {"allow": False} for t in
                                                 ("claims_sample", "claims_sample_topics", "claims_sample_fts")}}}}
    datasette = Datasette([str(corpus_db)], metadata=private)
    data = await get_json(datasette, "/news/-/claims.json?kind=indirect&speaker_kind=person")
    assert data["count"] is None and data["count_is"] is None
    assert all(f.get("uncounted") for f in data["facets"].values())


@pytest.mark.asyncio
async def test_small_databases_are_exact_everywhere(tmp_path):
    """On the fixture articles every count and facet is exact: nothing is estimated that need not be."""
    datasette = Datasette([str(build_news_db(tmp_path))])
    for query in ("", "q=said", "kind=direct&speaker_kind=person", "target=United States"):
        data = await get_json(datasette, "/news/-/claims.json?" + query)
        assert data["count_is"] == "exact", query
        assert not any(f["estimated"] for f in data["facets"].values()), query


def test_estimates_round_to_two_significant_figures():
    assert [estimates.rounded(n) for n in (7, 99, 704_055, 12_345, 950)] == [7, 99, 700_000, 12_000, 950]


@pytest.mark.asyncio
async def test_a_value_no_claim_has_lists_nothing_at_once(corpus_db, no_exact):
    data = await get_json(Datasette([str(corpus_db)]), "/news/-/claims.json?source=Nowhere&kind=direct")
    assert (data["count"], data["count_is"], data["claims"], data["next"]) == (0, "exact", [], None)


@pytest.mark.asyncio
async def test_a_page_that_would_take_too_long_to_read_says_so_and_keeps_its_count(corpus_db, monkeypatch):
    monkeypatch.setattr(estimates, "LIST_STEPS", 1000)
    datasette = Datasette([str(corpus_db)])
    data = await get_json(datasette, "/news/-/claims.json?kind=mixed&source=Herald&speaker_kind=organisation")
    assert data["cut"] and data["claims"] == [] and data["count"] > 0
    html = (await datasette.client.get("/news/-/claims?kind=mixed&source=Herald&speaker_kind=organisation")).text
    assert "reading a page of them would take too long" in html


@pytest.mark.asyncio
async def test_whether_a_search_is_ranked_depends_on_its_own_matches_not_its_filters(corpus_db, monkeypatch):
    """bm25 scores every match of the words before the other filters apply: a common word narrowed to a
    few claims by a speaker is still too broad to rank."""
    monkeypatch.setattr(queries, "RANK_MAX", 1000)
    data = await get_json(Datasette([str(corpus_db)]), "/news/-/claims.json?q=said&speaker=person-50")
    assert data["count"] < 1000 and data["unranked"] and data["sort"] == "newest"
