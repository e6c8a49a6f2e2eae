"""News as it comes: pages, archives, feeds, compressed files, JSON as tools save it, dates as people write
them. Every input here is built by the test; nothing is fetched."""

import bz2
import gzip
import io
import json
import lzma

import pytest
import sqlite_utils
from click.testing import CliRunner

from datasette_newsclaims.cli import cli
from datasette_newsclaims.loader.sources import Article, PassedOver, ReadError, ReadOptions, parse_published, read_paths

STORY = [
    "The finance minister, Ana Silva, said on Monday that the plan would cut hospital waiting times by half.",
    '"We will not raise taxes this year," Silva told reporters at the ministry in Lisbon.',
    "The opposition leader, Tom Hale, said the figures did not add up and called for an inquiry.",
]
FURNITURE = ["READ MORE: Minister slams rival over budget leak", "Story continues below advertisement",
             "Share on Facebook", "Photo: Reuters", "Article Continued Below"]


def page(date_meta=True, title="Minister backs plan"):
    meta = '<meta property="article:published_time" content="2023-05-10T08:30:00+02:00">' if date_meta else ""
    paragraphs = [STORY[0], FURNITURE[0], STORY[1], FURNITURE[1], FURNITURE[4], STORY[2]]
    return f"""<!DOCTYPE html><html><head><title>{title} | The Daily</title>
<meta property="og:site_name" content="The Daily"><link rel="canonical" href="https://daily.example/politics/plan">
{meta}</head><body><nav><a href="/">Home</a> <a href="/politics">Politics</a> <a href="/sport">Sport</a></nav>
<article><h1>{title}</h1>{''.join(f'<p>{p}</p>' for p in paragraphs)}
<figure><img src="x.jpg"><figcaption>{FURNITURE[3]}</figcaption></figure>
<div class="share"><a href="#">{FURNITURE[2]}</a></div></article>
<footer>Copyright 2023 The Daily. All rights reserved. <a href="/privacy">Privacy</a></footer></body></html>"""


def read(*paths, stdin=None, **options):
    items = list(read_paths([str(p) for p in paths], stdin=stdin, options=ReadOptions(**options)))
    return [i for i in items if isinstance(i, Article)], [i for i in items if isinstance(i, ReadError)]


def only_article(*paths, **options):
    articles, errors = read(*paths, **options)
    assert not errors and len(articles) == 1, (articles, errors)
    return articles[0]


def assert_is_the_story(article):
    assert article.text == "\n\n".join(STORY)
    for line in FURNITURE + ["Home", "Privacy", "Copyright", "Minister backs plan"]:
        assert line not in article.text


def test_a_saved_page_gives_its_story_title_date_url_and_site(tmp_path):
    path = tmp_path / "plan.html"
    path.write_text(page(), "utf-8")
    article = only_article(path)
    assert_is_the_story(article)
    assert (article.title, article.published, article.published_from) == ("Minister backs plan", "2023-05-10", "page")
    assert article.published_at == "2023-05-10T08:30:00+02:00"  # the page's article:published_time
    assert (article.url, article.source) == ("https://daily.example/politics/plan", "The Daily")


def test_page_furniture_never_becomes_a_claim(tmp_path):
    path = tmp_path / "plan.html"
    path.write_text(page(), "utf-8")
    result = CliRunner().invoke(cli, ["extract", str(path)])
    claims = json.loads(result.output)["claims"]
    assert {c["speaker"] for c in claims} >= {"Ana Silva"}
    for claim in claims:
        assert not any(word in claim["quote"] for word in ("slams", "advertisement", "Continued", "Facebook"))
        assert claim["speaker"] not in ("Story", "Minister", "Article", "Photo")


def test_html_in_a_text_field_a_txt_file_and_stdin_is_read_as_a_page(tmp_path):
    record = {"id": "p1", "title": "Given title", "date": "2023-05-11", "text": page(), "url": "https://x.example/a"}
    (tmp_path / "pages.jsonl").write_text(json.dumps(record) + "\n", "utf-8")
    article = only_article(tmp_path / "pages.jsonl")
    assert_is_the_story(article)
    # what the record says wins over what the page says; the original URL is kept
    assert (article.id, article.title, article.published, article.url) == (
        "p1", "Given title", "2023-05-11", "https://x.example/a")
    (tmp_path / "page.txt").write_text(page(), "utf-8")
    assert_is_the_story(only_article(tmp_path / "page.txt"))
    articles, errors = read("-", stdin=io.StringIO(page()))
    assert not errors and articles[0].title == "Minister backs plan"


def test_a_page_without_a_story_is_an_error_not_an_empty_article(tmp_path):
    path = tmp_path / "index.html"
    path.write_text("<html><body><nav><a href='/'>Home</a></nav><p>Menu</p></body></html>", "utf-8")
    articles, errors = read(path)
    assert articles == [] and "no article text" in errors[0].reason


@pytest.mark.parametrize("suffix, compress", [(".gz", gzip.compress), (".bz2", bz2.compress),
                                              (".xz", lzma.compress), (".zst", None)])
def test_compressed_files_of_any_format(tmp_path, suffix, compress):
    if compress is None:
        import zstandard

        compress = zstandard.ZstdCompressor().compress
    lines = "".join(json.dumps({"id": f"c{i}", "text": STORY[i]}) + "\n" for i in range(3))
    (tmp_path / f"news.jsonl{suffix}").write_bytes(compress(lines.encode()))
    (tmp_path / f"page.html{suffix}").write_bytes(compress(page().encode()))
    articles, errors = read(tmp_path)
    assert not errors
    assert sorted(a.id for a in articles if a.id.startswith("c")) == ["c0", "c1", "c2"]
    assert any(a.title == "Minister backs plan" for a in articles)


def test_json_as_people_save_it(tmp_path):
    one = {"id": "o1", "body": STORY[0], "headline": "One", "pubDate": "Mon, 16 Mar 1987 14:00:00 GMT",
           "link": "https://e.example/1", "publisher": "Wire"}
    (tmp_path / "single.json").write_text(json.dumps(one), "utf-8")
    (tmp_path / "pretty.json").write_text(json.dumps(one | {"id": "o2"}, indent=2), "utf-8")
    (tmp_path / "array.json").write_text(json.dumps([one | {"id": "o3"}, one | {"id": "o4"}], indent=1), "utf-8")
    articles, errors = read(tmp_path)
    assert not errors and sorted(a.id for a in articles) == ["o1", "o2", "o3", "o4"]
    first = next(a for a in articles if a.id == "o1")
    assert (first.text, first.title, first.url, first.source) == (STORY[0], "One", "https://e.example/1", "Wire")
    assert (first.published, first.published_at) == ("1987-03-16", "1987-03-16T14:00:00+00:00")


def test_a_newsapi_response(tmp_path):
    response = {"status": "ok", "totalResults": 2, "articles": [
        {"source": {"id": "reuters", "name": "Reuters"}, "title": "Full", "url": "https://r.example/1",
         "publishedAt": "2023-05-10T22:30:00Z", "content": " ".join(STORY)},
        {"source": {"id": None, "name": "Wire"}, "title": "Cut", "url": "https://r.example/2",
         "publishedAt": "2023-05-10T08:00:00Z", "content": STORY[0][:60] + "… [+949 chars]"},
    ]}
    (tmp_path / "newsapi.json").write_text(json.dumps(response, indent=2), "utf-8")
    articles, errors = read(tmp_path / "newsapi.json")
    assert len(articles) == 1 and articles[0].source == "Reuters" and articles[0].published == "2023-05-10"
    assert articles[0].published_at == "2023-05-10T22:30:00+00:00"
    assert errors[0].origin.endswith("newsapi.json:articles[2]") and "[+N chars]" in errors[0].reason


def test_news_please_and_other_field_names(tmp_path):
    records = [{"maintext": STORY[0], "title": "NP", "date_publish": "2023-05-10 08:30:00",
                "source_domain": "np.example"},
               {"story_text": STORY[1], "publish_date": "7 April 1987"},
               {"article": STORY[2], "published": 1684900000}]
    (tmp_path / "np.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records), "utf-8")
    a, b, c = read(tmp_path / "np.jsonl")[0]
    assert (a.text, a.source, a.published) == (STORY[0], "np.example", "2023-05-10")
    assert (b.text, b.published) == (STORY[1], "1987-04-07")
    assert (c.text, c.published, c.published_at) == (STORY[2], "2023-05-24", "2023-05-24T03:46:40+00:00")


def test_field_option_names_other_fields(tmp_path):
    (tmp_path / "odd.csv").write_text("key,words,when\nk1,\"" + STORY[0] + "\",03/04/2021\n", "utf-8")
    articles, errors = read(tmp_path / "odd.csv")
    assert articles == [] and "no text column" in errors[0].reason
    article = only_article(tmp_path / "odd.csv", fields={"text": "words", "date": "when", "id": "key"})
    assert (article.id, article.text, article.published) == ("k1", STORY[0], "2021-03-04")
    dmy = only_article(tmp_path / "odd.csv", fields={"text": "words", "date": "when"}, date_order="DMY")
    assert dmy.published == "2021-04-03"


@pytest.mark.parametrize("value, day, moment", [
    ("2023-05-10", "2023-05-10", None),
    ("2023-05-10T23:30:00-05:00", "2023-05-10", "2023-05-10T23:30:00-05:00"),  # the local day, not UTC's
    ("2023-05-10T08:30:00Z", "2023-05-10", "2023-05-10T08:30:00+00:00"),
    ("Mar 16, 1987", "1987-03-16", None),
    ("7 April 1987", "1987-04-07", None),
    ("03/16/1987", "1987-03-16", None),
    ("Mon, 16 Mar 1987 14:00:00 +0100", "1987-03-16", "1987-03-16T14:00:00+01:00"),
    (542908800, "1987-03-16", "1987-03-16T16:00:00+00:00"),
    ("542908800000", "1987-03-16", "1987-03-16T16:00:00+00:00"),  # milliseconds
    ("unknown", None, None),
])
def test_dates_as_written(value, day, moment):
    assert parse_published(value) == (day, moment)


@pytest.mark.parametrize("value", ["2021-13-45", "32/01/2020", "1987-02-30", "99/99/1987"])
def test_a_date_that_cannot_be_is_an_error(value):
    with pytest.raises(ValueError):
        parse_published(value)


def warc_file(path, pages):
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with open(path, "wb") as fh:
        writer = WARCWriter(fh, gzip=str(path).endswith(".gz"))
        for uri, body, content_type in pages:
            http = StatusAndHeaders("200 OK", [("Content-Type", content_type)], protocol="HTTP/1.1")
            record = writer.create_warc_record(uri, "response", payload=io.BytesIO(body), http_headers=http,
                                               warc_headers_dict={"WARC-Date": "2023-06-01T10:00:00Z"})
            writer.write_record(record)
        writer.write_record(writer.create_warc_record("https://d.example/", "request", payload=io.BytesIO(b"GET /"),
                                                      warc_headers_dict={"WARC-Date": "2023-06-01T10:00:00Z"}))


@pytest.mark.parametrize("name", ["crawl.warc", "crawl.warc.gz"])
def test_warc_archives(tmp_path, name):
    path = tmp_path / name
    warc_file(path, [("https://daily.example/a", page().encode(), "text/html; charset=utf-8"),
                     ("https://daily.example/b", page(date_meta=False, title="Second").encode(), "text/html"),
                     ("https://daily.example/logo.png", b"\x89PNG...", "image/png")])
    passed_over = PassedOver()
    items = list(read_paths([str(path)], passed_over=passed_over))
    articles, errors = [i for i in items if isinstance(i, Article)], [i for i in items if isinstance(i, ReadError)]
    assert not errors and [a.url for a in articles] == ["https://daily.example/a", "https://daily.example/b"]
    assert passed_over == {"WARC records that are not HTML pages": 2}  # the image and the request
    dated, undated = articles
    assert (dated.published, dated.published_from) == ("2023-05-10", "page")
    assert (undated.published, undated.published_from) == ("2023-06-01", "warc")  # the record's WARC-Date
    assert_is_the_story(dated)


def test_rss_and_atom_feeds(tmp_path):
    body = "".join(f"<p>{p}</p>" for p in STORY)
    rss = f"""<?xml version="1.0"?><rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel><title>The Daily</title><link>https://daily.example</link>
<item><title>Minister backs plan</title><link>https://daily.example/plan</link>
<pubDate>Wed, 10 May 2023 08:30:00 +0200</pubDate><description>Short.</description>
<content:encoded><![CDATA[{body}]]></content:encoded></item>
<item><title>Teaser only</title><link>https://daily.example/teaser</link><description>A summary.</description></item>
</channel></rss>"""
    atom = f"""<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Wire</title>
<entry><title>Atom story</title><link href="https://wire.example/1"/><id>urn:wire:1</id>
<updated>2023-05-11T10:00:00Z</updated><content type="html">{body.replace('<', '&lt;').replace('>', '&gt;')}</content>
</entry></feed>"""
    (tmp_path / "daily.rss").write_text(rss, "utf-8")
    (tmp_path / "wire.atom").write_text(atom, "utf-8")
    articles, errors = read(tmp_path)
    assert [a.title for a in articles] == ["Minister backs plan", "Atom story"]
    rss_article, atom_article = articles
    assert rss_article.text == "\n\n".join(STORY) and rss_article.url == "https://daily.example/plan"
    assert (rss_article.published, rss_article.published_at, rss_article.source) == (
        "2023-05-10", "2023-05-10T08:30:00+02:00", "The Daily")
    assert atom_article.text == "\n\n".join(STORY) and atom_article.published == "2023-05-11"
    assert len(errors) == 1 and "item 2" in errors[0].origin and "only a summary" in errors[0].reason


def test_parquet(tmp_path):
    pa = pytest.importorskip("pyarrow")
    import pyarrow.parquet as pq

    table = pa.table({"id": ["q1", "q2"], "text": [STORY[0], STORY[1]], "date": ["2023-05-10", None]})
    pq.write_table(table, tmp_path / "news.parquet", row_group_size=1)
    articles, errors = read(tmp_path / "news.parquet")
    assert not errors and [(a.id, a.published) for a in articles] == [("q1", "2023-05-10"), ("q2", None)]


def test_a_folder_load_lists_what_it_passed_over_and_nothing_loaded_fails(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "plan.html").write_text(page(), "utf-8")
    (folder / "logo.png").write_bytes(b"\x89PNG")
    (folder / "notes.md").write_text("notes", "utf-8")
    (folder / "more.md").write_text("notes", "utf-8")
    result = CliRunner().invoke(cli, ["load", str(tmp_path / "news.db"), str(folder), "--workers", "1"])
    assert result.exit_code == 0, result.output
    assert "1 article loaded" in result.output
    assert "passed over: 2 .md, 1 .png" in result.output
    row = next(sqlite_utils.Database(tmp_path / "news.db").query("select * from articles"))
    assert (row["published"], row["published_from"], row["source"]) == ("2023-05-10", "page", "The Daily")
    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / "notes.md").write_text("notes", "utf-8")
    result = CliRunner().invoke(cli, ["load", str(tmp_path / "news.db"), str(empty)])
    assert result.exit_code == 1 and "no articles found in the inputs" in result.output


def test_newcomer_mistakes_get_one_line(tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps({"text": STORY[0]}) + "\n", "utf-8")
    missing = CliRunner().invoke(cli, ["load", str(tmp_path / "no" / "such" / "news.db"), str(src)])
    assert missing.exit_code == 2 and "does not exist" in missing.output and "Traceback" not in missing.output
    swapped = CliRunner().invoke(cli, ["load", str(src), str(tmp_path / "news.db")])
    assert swapped.exit_code == 2 and "the database comes first" in swapped.output
    bad_field = CliRunner().invoke(cli, ["load", str(tmp_path / "news.db"), str(src), "--field", "body"])
    assert bad_field.exit_code == 2 and "ROLE=NAME" in bad_field.output


def test_wire_copy_with_angle_brackets_is_text_and_escaped_markup_in_a_page_is_refused(tmp_path):
    wire = ("Ferranti Plc <FNTI.L> said its unit has won a contract from <Martin Marietta> of the U.S. "
            "to supply laser rangefinders, the company said.")
    (tmp_path / "wire.jsonl").write_text(json.dumps({"id": "w", "text": wire}) + "\n", "utf-8")
    assert only_article(tmp_path / "wire.jsonl").text == wire
    escaped = "".join(f"<p>&lt;div class='x'&gt;&lt;p&gt;{s}&lt;/p&gt;&lt;/div&gt;</p>" for s in STORY * 3)
    (tmp_path / "escaped.html").write_text(f"<html><body><article>{escaped}</article></body></html>", "utf-8")
    articles, errors = read(tmp_path / "escaped.html")
    assert articles == [] and "still looks like markup" in errors[0].reason


def test_a_page_dated_only_by_its_url(tmp_path):
    html = page(date_meta=False).replace('<link rel="canonical" href="https://daily.example/politics/plan">', "")
    record = {"text": html, "url": "https://daily.example/2023/05/10/politics/plan"}
    (tmp_path / "p.jsonl").write_text(json.dumps(record) + "\n", "utf-8")
    article = only_article(tmp_path / "p.jsonl")
    assert (article.published, article.published_from) == ("2023-05-10", "page")
    (tmp_path / "undated.html").write_text(page(date_meta=False), "utf-8")  # "Copyright 2023" is no date
    assert only_article(tmp_path / "undated.html").published is None


def test_ids_and_titles_are_kept_as_given_but_for_their_ends(tmp_path):
    record = {"id": " wire  42 ", "title": "Job cuts 'false economy'  - TUC", "text": STORY[0],
              "source": {"id": "bbc", "name": "BBC News"}}
    (tmp_path / "r.jsonl").write_text(json.dumps(record) + "\n", "utf-8")
    article = only_article(tmp_path / "r.jsonl")
    assert (article.id, article.title, article.source) == ("wire  42", "Job cuts 'false economy'  - TUC", "BBC News")
