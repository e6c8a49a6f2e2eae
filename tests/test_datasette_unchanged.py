"""Installing the plugin never changes how Datasette answers its own URLs."""

import re

import pytest
from datasette.app import Datasette

from .conftest import build_news_db

# core URLs that answer with an error, each of another kind (404, 400, 403, 405, a 500 of Datasette's own)
CORE_URLS = [
    "/news/-/queries/x", "/news/-/queries/x.json", "/news/nope", "/news/nope.json", "/-/nope", "/nope",
    "/news.json?sql=select+nope", "/news?sql=select+nope", "/news/claims/99999", "/news/claims.json?_sort=nope",
    "/news/claims?_facet=nope", "/-/permissions", "/news/-/create", "/news/-/query?sql=select+1",
    "/news/claims.json?_size=nope", "/news/-/nope", "/news/claims.json?_next=nope",
]


@pytest.fixture(scope="module")
def news_db(tmp_path_factory):
    return build_news_db(tmp_path_factory.mktemp("unchanged"))


async def answers(path):
    datasette = Datasette([str(path)])
    out = {}
    for url in CORE_URLS:
        response = await datasette.client.get(url)
        title = re.search(r"<title>(.*?)</title>", response.text, re.S)
        if response.headers.get("content-type", "").startswith("application/json"):
            data = response.json()
            what = (data.get("ok"), data.get("error"))  # timings aside
        else:
            what = title.group(1).strip() if title else response.text[:200]
        out[url] = (response.status_code, what)
    return out


@pytest.mark.asyncio
async def test_core_urls_answer_as_without_the_plugin(news_db, monkeypatch):
    import datasette.handle_exception
    from datasette.plugins import pm

    assert datasette.handle_exception.rich is not None  # spaCy brings rich: the case that went wrong
    with_plugin = await answers(news_db)
    plugin = pm.unregister(name="newsclaims")
    try:
        monkeypatch.setattr(datasette.handle_exception, "rich", None)  # Datasette without what we install
        without = await answers(news_db)
    finally:
        pm.register(plugin, name="newsclaims")
    assert with_plugin == without
    assert with_plugin["/news/-/queries/x"][0] in (400, 404)


@pytest.mark.asyncio
async def test_a_real_error_is_still_a_500_with_its_traceback(news_db, capsys):
    """A bug is not hidden: a failing plugin page answers 500 and its traceback is logged."""
    from datasette import hookimpl
    from datasette.plugins import pm

    class Broken:
        @staticmethod
        @hookimpl
        def register_routes():
            async def broken(request):
                raise RuntimeError("a bug in some plugin")
            return [(r"^/-/broken$", broken)]

    pm.register(Broken, name="broken-for-test")
    try:
        response = await Datasette([str(news_db)]).client.get("/-/broken")
    finally:
        pm.unregister(name="broken-for-test")
    assert response.status_code == 500
    assert "a bug in some plugin" in capsys.readouterr().err
