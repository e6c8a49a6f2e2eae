"""What the operator made private stays private: every route, every table, every kind of actor.

The oracle is Datasette itself: a table is visible to an actor when Datasette's own table page
answers 200 for that actor. SQLite's authorizer records every table a request reads, so a page that
reads a private table fails here even when it does not show what it read.
"""

import inspect
import sqlite3
import sys

import pytest
from datasette import hookimpl
from datasette.app import Datasette

from datasette_newsclaims.web.access import TABLES

from .conftest import build_news_db

READS: set[str] = set()


def record_reads(action, table, column, database, trigger):
    if action == sqlite3.SQLITE_READ and table:
        READS.add(table)
    return sqlite3.SQLITE_OK


@hookimpl
def prepare_connection(conn):
    """Registered as a plugin for this module's tests: every connection records what it reads."""
    conn.set_authorizer(record_reads)


def table_read(name: str) -> str:
    """FTS5 reads its shadow tables (claims_fts_data, ...) for claims_fts."""
    for fts in ("claims_fts", "sentences_fts"):
        if name.startswith(fts):
            return fts
    return name


@pytest.fixture(scope="module")
def news_db(tmp_path_factory):
    return build_news_db(tmp_path_factory.mktemp("permissions"))


@pytest.fixture(scope="module", autouse=True)
def recorder():
    from datasette.plugins import pm

    pm.register(sys.modules[__name__], name="record_reads_for_tests")
    yield
    pm.unregister(name="record_reads_for_tests")


def datasette_with(path, private: tuple[str, ...]) -> Datasette:
    """`private` tables readable by alice only (and by root where Datasette lets root read everything)."""
    config = {"databases": {"news": {"tables": {t: {"allow": {"id": "alice"}} for t in private}}}}
    key = "config" if "config" in inspect.signature(Datasette).parameters else "metadata"
    datasette = Datasette([str(path)], **{key: config})
    if hasattr(datasette, "root_enabled"):
        datasette.root_enabled = True
    return datasette


ACTORS = {"anonymous": None, "alice": {"id": "alice"}, "bob": {"id": "bob"}, "root": {"id": "root"}}

# route -> the tables it cannot do without (403 when one of them is private)
ROUTES = {
    "/news/-/claims": {"claims"},
    "/news/-/claims?kind=direct&date_from=2021": {"claims"},
    "/news/-/claims?speaker=ana-silva": {"claims"},
    "/news/-/claims?q=tariffs": {"claims", "claims_fts"},
    "/news/-/claims?topic=trade": {"claims", "claim_topics"},
    "/news/-/claims/1": {"claims"},
    "/news/-/articles/trade-1": {"claims", "articles"},
    "/news/-/speakers/ana-silva": {"claims", "speakers"},
    "/news/-/topics/trade": {"claims", "topics", "claim_topics"},
    "/news/-/network": {"claims", "speakers"},  # from the claims when network_edges is private
    "/news/-/network?topic=trade&date_from=2022&_sort=target": {"claims", "speakers", "claim_topics"},
    "/news/-/network?speaker=Ana%20Silva&speaker_kind=person": {"claims", "speakers"},
    "/news/-/compare?speaker=ana-silva&speaker=wang-yi": {"claims", "speakers"},
    "/news/-/compare?speaker=Ana%20Silva&topic=trade": {"claims", "speakers", "topics", "claim_topics"},
    "/news/-/speakers?q=silva": {"claims", "speakers", "kept_counts"},
    "/news/-/topics": {"claims", "topics", "kept_counts"},
    "/news/-/claims?q=silva&speaker=Ana%20Silva&_sort=oldest": {"claims", "claims_fts"},
    "/news/-/quotations/1": {"claims", "quotations"},
    "/news/-/claims?first=1&_sort=repeated": {"claims", "quotations"},
    "/news/-/claims?disputed=1&kind=direct": {"claims", "quotations"},
}
PRIVATE_SETS = [(t,) for t in TABLES] + [tuple(t for t in TABLES if t != "claims"), TABLES]


async def get(datasette, path, actor):
    cookies = {"ds_actor": datasette.sign({"a": actor}, "actor")} if actor else {}
    return await datasette.client.get(path, cookies=cookies)


def json_twin(path, suffix=".json"):
    base, _, query = path.partition("?")
    return base + suffix + ("?" + query if query else "")


def twins(route):
    """The page, its JSON twin, and for every list its CSV export and its streamed JSON."""
    yield route
    yield json_twin(route)
    if not route.partition("?")[0].startswith(("/news/-/claims/", "/news/-/articles/", "/news/-/quotations/")):
        yield json_twin(route, ".csv")
    if route.partition("?")[0].startswith(("/news/-/claims", "/news/-/speakers/", "/news/-/topics/")):
        yield json_twin(route) + ("&" if "?" in route else "?") + "_stream=on"


@pytest.mark.asyncio
@pytest.mark.parametrize("private", PRIVATE_SETS, ids=lambda p: "+".join(p) if len(p) < 3 else f"{len(p)} tables")
async def test_no_page_reads_a_table_the_actor_may_not_view(news_db, private):
    datasette = datasette_with(news_db, private)
    for actor_name, actor in ACTORS.items():
        visible = {t for t in TABLES if (await get(datasette, f"/news/{t}.json", actor)).status_code == 200}
        if actor_name == "alice":
            assert visible == set(TABLES)
        if actor_name in ("anonymous", "bob"):
            # the oracle sees the configuration (1.0a also hides an FTS table with the table it indexes)
            assert visible <= set(TABLES) - set(private) and "claims" in visible or "claims" in private
        for route, needs in ROUTES.items():
            for path in twins(route):
                READS.clear()
                response = await get(datasette, path, actor)
                read = {table_read(t) for t in READS} & set(TABLES)
                where = f"{path} as {actor_name} with {private} private"
                assert read <= visible, f"{where} read {read - visible}"
                if needs <= visible:
                    assert response.status_code == 200, where
                else:
                    assert response.status_code == 403, where
                    assert not read - {"claims"} or "claims" not in visible, where
        # Datasette's own claims table with the topic facet through claim_topics
        READS.clear()
        response = await get(datasette, "/news/claims.json?_facet_m2m=claim_topics&_extra=facet_results", actor)
        read = {table_read(t) for t in READS} & set(TABLES)
        assert read <= visible, f"m2m facet as {actor_name} read {read - visible}"
        if response.status_code == 200:
            results = response.json()["facet_results"]
            results = results.get("results", results)
            assert ("claim_topics" in results) == ({"claims", "claim_topics", "topics"} <= visible)
        # ... and its filter, which reads the join table
        READS.clear()
        response = await get(datasette, "/news/claims.json?_m2m_claim_topics=trade&kind=direct", actor)
        read = {table_read(t) for t in READS} & set(TABLES)
        assert read <= visible, f"m2m filter as {actor_name} read {read - visible}"
        if "claims" in visible:
            assert response.status_code == (200 if {"claim_topics", "topics"} <= visible else 403), actor_name


@pytest.mark.asyncio
async def test_what_is_left_out_is_null_in_json_and_absent_in_html(news_db):
    private = ("articles", "sentences", "facts", "speaker_aliases", "kept_counts", "network_edges", "topics")
    datasette = datasette_with(news_db, private)
    claim = (await get(datasette, "/news/-/claims/1.json", None)).json()
    assert claim["sentence"] is None and claim["paragraph"] is None and claim["article"] is None
    assert claim["claim"]["article_title"] is None and claim["claim"]["article_url"] is None
    assert claim["claim"]["speaker_name"]  # speakers stay visible here
    full = (await get(datasette, "/news/-/claims/1.json", {"id": "alice"})).json()
    assert full["article"]["title"] and full["sentence"]["text"]
    html = (await get(datasette, "/news/-/claims/1", None)).text
    assert full["article"]["title"] not in html and "In its paragraph" not in html

    browser = (await get(datasette, "/news/-/claims.json", None)).json()
    assert "topic" not in browser["facets"] and "speaker" in browser["facets"]
    assert browser["count"] == (await get(datasette, "/news/-/claims.json", {"id": "alice"})).json()["count"]
    titles = {c["article_title"] for c in (await get(datasette, "/news/-/claims.json?_size=max", {"id": "alice"}))
              .json()["claims"]}
    page = (await get(datasette, "/news/-/claims?_size=max", None)).text
    assert not [t for t in titles if t and t in page]

    speaker = (await get(datasette, "/news/-/speakers/ana-silva.json", None)).json()
    assert speaker["speaker"]["aliases"] is None and speaker["speaker"]["addressed_count"] is None
    assert speaker["timeline"] is None and speaker["targets"] is None and speaker["addressed_by"] is None
    assert speaker["speaker"]["claim_count"] == len(speaker["claims"]) > 0  # counted live


@pytest.mark.asyncio
async def test_menu_link_only_for_actors_who_can_see_claims(news_db):
    datasette = datasette_with(news_db, ("claims",))
    assert "Browse news claims" not in (await get(datasette, "/", None)).text
    assert "Browse news claims" in (await get(datasette, "/", {"id": "alice"})).text
    assert (await get(datasette, "/-/claims.json", None)).json()["databases"] == []
