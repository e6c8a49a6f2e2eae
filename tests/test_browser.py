"""Browser tests: a real `datasette serve` process driven by Playwright in Debian's Chromium.

Screenshots of the main pages go to test-artifacts/ for people to look at.
"""

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from .conftest import ROOT, build_news_db

CHROMIUM = os.environ.get("NEWSCLAIMS_CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = ROOT / "test-artifacts"
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]

playwright_api = pytest.importorskip("playwright.sync_api", reason="pip install playwright (in the test extra)")

if not shutil.which(CHROMIUM) and not os.path.exists(CHROMIUM):
    pytest.fail(f"Chromium not found at {CHROMIUM}: apt-get install -y chromium (scripts/test does it)",
                pytrace=False)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    yield from served(build_news_db(tmp_path_factory.mktemp("browser")))


@pytest.fixture(scope="module")
def repeated_server(tmp_path_factory):
    """A database of one statement repeated across outlets (tests/quotation_corpus.py)."""
    from datasette_newsclaims import api

    from .quotation_corpus import write_corpus

    directory = tmp_path_factory.mktemp("browser-quotations")
    write_corpus(directory / "repeated.jsonl")
    assert api.load(str(directory / "news.db"), [str(directory / "repeated.jsonl")], workers=1).ok
    yield from served(directory / "news.db")


def served(path):
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "datasette", "serve", str(path), "-p", str(port),
                                "-m", str(ROOT / "metadata.yml")], stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            urllib.request.urlopen(url + "/-/versions.json", timeout=1)
            break
        except OSError:
            if process.poll() is not None:
                raise RuntimeError(process.stderr.read().decode()) from None
            time.sleep(0.1)
    yield url
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture(scope="module")
def browser():
    with playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.dialogs = []
    page.on("dialog", lambda dialog: (page.dialogs.append(dialog.message), dialog.dismiss()))
    yield page
    context.close()


def shot(page, name):
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def card_speakers(page):
    return page.locator(".claim-card .speaker").all_inner_texts()


def test_clicking_a_facet_narrows_the_list(server, page):
    page.goto(server + "/news/-/claims")
    shot(page, "claims-browser")
    before = card_speakers(page)
    assert len(set(before)) > 1
    page.locator('.facet[data-facet="speaker"] a', has_text="Wang Yi").click()
    page.wait_for_url("**speaker=wang-yi**")
    after = card_speakers(page)
    assert after and set(after) == {"Wang Yi"} and len(after) == 5
    assert page.locator(".active-filter").inner_text().startswith("speaker")
    page.locator('.facet[data-facet="kind"] a', has_text="mixed").click()
    page.wait_for_url("**kind=mixed**")
    assert len(card_speakers(page)) == 4
    shot(page, "claims-browser-filtered")


def test_search_box_finds_and_highlights(server, page):
    page.goto(server + "/news/-/claims")
    page.fill("#q", "halfway")
    page.click('.newsclaims-search input[type="submit"]')
    page.wait_for_url("**q=halfway**")
    assert page.locator(".claim-card").count() == 2
    assert page.locator(".claim-quote mark").first.inner_text().lower() == "halfway"
    shot(page, "claims-search")


def test_article_reader_highlights_spans_and_side_list_jumps(server, page):
    page.goto(server + "/news/-/articles/84db678766ceb297")
    marks = page.locator(".article-text mark.claim[id^='claim-']")
    assert marks.count() == 9
    shot(page, "article-reader")
    last = page.locator(".article-claims a.jump").nth(8)
    target = last.get_attribute("href")
    last.click()
    page.wait_for_url("**" + target)
    highlighted = page.locator(target)
    assert highlighted.evaluate("el => el.matches(':target')")
    assert highlighted.is_visible() and "President Biden will discuss" in highlighted.inner_text()
    box = highlighted.bounding_box()
    assert 0 <= box["y"] < 900  # scrolled into view
    highlighted.focus()
    info = highlighted.evaluate("el => getComputedStyle(el, '::after').content")
    assert "Jen Psaki" in info


def test_speaker_topic_network_pages_render(server, page):
    for name, path, selector in [("speaker", "/news/-/speakers/wang-yi", "svg.newsclaims-timeline"),
                                 ("topic", "/news/-/topics/trade", ".claim-card"),
                                 ("network", "/news/-/network", "svg.newsclaims-network"),
                                 ("compare", "/news/-/compare?speaker=wang-yi&speaker=ana-silva&topic=trade",
                                  "svg.newsclaims-compare"),
                                 ("claim", "/news/-/claims/1", ".claim-paragraph mark")]:
        page.goto(server + path)
        assert page.locator(selector).first.is_visible(), name
        shot(page, name)


def test_injected_payloads_never_execute(server, page):
    page.add_init_script("window.__alerts = []; window.alert = (m) => window.__alerts.push(String(m));")
    for path in ["/news/-/claims", "/news/-/claims?q=fine", "/news/-/articles/~3Cb~3Eevil~3C~2Fb~3E",
                 "/news/-/speakers/jane-fox", "/news/-/speakers/tom-hale", "/news/claims", "/news/articles"]:
        page.goto(server + path)
        page.wait_for_load_state("load")
        assert page.evaluate("window.__alerts") == [], path
        assert page.locator("img[src=x]").count() == 0, path
    page.goto(server + "/news/-/articles/~3Cb~3Eevil~3C~2Fb~3E")
    assert "<script>alert(1)</script>" in page.locator(".article-text").inner_text()
    shot(page, "hostile-article")
    assert page.dialogs == []


# -- every screen and key; the users' tasks --------------------------------------------------------

AXE = ROOT / "tests" / "axe" / "node_modules" / "axe-core" / "axe.min.js"
PLUGIN_PAGES = ["/news/-/claims", "/news/-/claims?q=halfway&kind=mixed", "/news/-/claims/1", "/news/-/quotations/1",
                "/news/-/claims?_sort=repeated&first=1",
                "/news/-/articles/84db678766ceb297", "/news/-/speakers/wang-yi", "/news/-/topics/trade",
                "/news/-/network", "/news/-/network?topic=trade", "/news/-/compare?speaker=wang-yi&topic=trade",
                "/news/-/speakers", "/news/-/topics", "/news/-/claims?date_to=soon"]


def axe_violations(page) -> list[dict]:
    if not AXE.exists():
        pytest.fail(f"axe-core not found at {AXE}: npm ci --prefix tests/axe (scripts/test does it)", pytrace=False)
    page.add_script_tag(path=str(AXE))
    # elements, not CSS selectors: axe's selector builder throws on Datasette 1.0a's <navigation-search>
    return page.evaluate("""async () => {
        const result = await axe.run(document, {resultTypes: ["violations"], selectors: false, elementRef: true});
        return result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
            nodes: v.nodes.slice(0, 3).map(n => n.element ? n.element.outerHTML.slice(0, 160) : "")}));
    }""")


@pytest.mark.parametrize("width", [1280, 390])
def test_no_plugin_page_has_a_serious_accessibility_violation(server, browser, width):
    context = browser.new_context(viewport={"width": width, "height": 844})
    page = context.new_page()
    problems = {}
    for path in PLUGIN_PAGES:
        page.goto(server + path)
        serious = [v for v in axe_violations(page) if v["impact"] in ("serious", "critical")]
        if serious:
            problems[path] = serious
    context.close()
    assert problems == {}


def test_on_a_phone_the_first_claim_shows_without_scrolling(server, browser):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.goto(server + "/news/-/claims")
    first = page.locator(".claim-card").first
    box = first.bounding_box()
    assert box["y"] + 40 < 844, box  # its quote starts on the first screen
    assert not page.locator(".newsclaims-facets").is_visible()  # folded under "Filters"
    shot(page, "claims-browser-phone")
    page.locator(".newsclaims-filters > summary").click()
    page.locator('.facet[data-facet="kind"] a', has_text="mixed").click()
    page.wait_for_url("**kind=mixed**")
    assert page.locator(".claim-card").count() == 4
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # nothing wider than the screen
    context.close()


def test_the_keyboard_reaches_the_first_claim_through_the_skip_link(server, page):
    page.goto(server + "/news/-/claims")
    for _ in range(30):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.classList.contains('skip-link')"):
            break
    else:
        pytest.fail("no skip link within 30 presses of Tab")
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.closest('.claim-card') !== null")
    assert focused, page.evaluate("document.activeElement.outerHTML")
    # every node of the network is reachable by Tab, and says what it is
    page.goto(server + "/news/-/network")
    names = []
    for _ in range(60):
        page.keyboard.press("Tab")
        label = page.evaluate("document.activeElement.closest('svg') ? document.activeElement.getAttribute("
                              "'aria-label') : null")
        if label:
            names.append(label)
    assert "Wang Yi: 2 claims" in names and "United States: 2 claims" in names


def test_a_fact_checker_finds_a_person_from_the_search_box(server, page):
    page.goto(server)
    page.locator(".newsclaims-home a", has_text="Browse the claims").click()  # on the page, not only in the menu
    page.wait_for_url("**/news/-/claims")
    page.fill("#q", "Ana Silva")
    page.click('.newsclaims-search input[type="submit"]')
    page.wait_for_url("**q=Ana+Silva**")
    page.locator(".newsclaims-matching a", has_text="Ana Silva").click()
    page.wait_for_url("**/news/-/speakers/ana-silva")
    assert page.locator("h1").inner_text() == "Ana Silva"
    assert page.locator(".claim-card").count() == 4


def test_a_reporter_downloads_a_filtered_csv(server, page):
    import csv
    import io

    page.goto(server + "/news/-/claims?speaker=wang-yi&kind=mixed")
    with page.expect_download() as download:
        page.locator("a.csv-link").click()
    text = open(download.value.path(), encoding="utf-8").read()
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == 4 and {r["speaker_name"] for r in rows} == {"Wang Yi"} and {r["kind"] for r in rows} == {
        "mixed"}
    assert download.value.suggested_filename == "news-claims.csv"


def test_a_researcher_filters_the_network_by_topic(server, page):
    page.goto(server + "/news/-/network")
    assert page.locator(".newsclaims-network-table tbody tr").count() == 4
    page.fill("#topic", "trade")
    page.click('.newsclaims-search input[type="submit"]')
    page.wait_for_url("**topic=trade**")
    rows = page.locator(".newsclaims-network-table tbody tr").all_inner_texts()
    assert [" ".join(r.split()) for r in rows] == ["Tom Hale Ana Silva 1"]
    page.get_by_role("link", name="Speaker", exact=True).click()  # sort the table
    page.wait_for_url("**_sort=speaker**")
    shot(page, "network-by-topic")


def test_a_fact_checker_traces_a_quote_to_its_first_appearance(repeated_server, browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(repeated_server + "/news/-/claims")
    page.select_option("#_sort", "repeated")
    page.check('input[name="first"]')
    page.click('.newsclaims-search input[type="submit"]')
    page.wait_for_url("**_sort=repeated**")
    first = page.locator(".claim-card").first
    assert "in 6 articles" in first.inner_text() and "attribution disputed" in first.inner_text()
    assert page.locator(".claim-card").count() == 6  # one card per statement
    first.locator("a.quotation-link").click()
    page.wait_for_url("**/news/-/quotations/**")
    assert page.locator("h1").inner_text() == "The same words in 6 articles"
    assert "Disputed attribution" in page.locator(".quotation-disputed").inner_text()
    assert page.locator(".quotation-timeline > li").count() == 6
    assert page.locator("ins.wording-changed").count() >= 1 and page.locator(".trimmed").count() >= 1
    rows = [" ".join(r.split()) for r in page.locator(".quotation-attributions tbody tr").all_inner_texts()]
    assert rows[0].startswith("Maria Lopez 4") and any(r.startswith("John Carter 1") for r in rows)
    shot(page, "quotation")
    page.locator(".quotation-summary a", has_text="Story 0").click()  # the first appearance, in its article
    page.wait_for_url("**/news/-/articles/q00**")
    serious = [v for v in axe_violations(page) if v["impact"] in ("serious", "critical")]
    context.close()
    assert serious == []
