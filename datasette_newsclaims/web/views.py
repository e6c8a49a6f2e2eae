"""Page handlers for the plugin's routes. Each page has a JSON twin with the same data.

A handler checks the database is a newsclaims database the actor may see,
parses and bounds its parameters, asks `queries` for the data and hands it to
a template (HTML) or to `Response.json` (the `.json` twin).
"""

from __future__ import annotations

import asyncio
import csv
import io
import json
from urllib.parse import parse_qsl, urlencode

from datasette.database import QueryInterrupted
from datasette.utils import path_with_removed_args, path_with_replaced_args, tilde_decode, tilde_encode
from datasette.utils.asgi import AsgiStream, BadRequest, Forbidden, NotFound, Request, Response

from .. import wording
from ..vocabulary import (
    CLAIM_COLUMNS,
    DATE_BASIS,
    DATE_BASIS_LABELS,
    DATED_FTS,
    FACET_FILTER,
    FACET_TITLES,
    KINDS,
    LISTED_ON,
    NAMED,
    SAMPLE_TABLE,
    SCHEMA_VERSION,
    UNNAMED,
    is_newsclaims_db,
)
from . import estimates, queries, render
from .access import Access, access_for
from .compat import can_view_table
from .facets import FILTER_PREFIX as M2M_FILTER

PLUGIN = "datasette-newsclaims"
MAX_QUERY_STRING = 4096
FILTERS_SHOWN = 10  # wrong parameters a page drops, one by one, before it gives up and answers a bare 400


# -- shared helpers ---------------------------------------------------------------------------

async def newsclaims_databases(datasette) -> list[str]:
    names = []
    for name, db in datasette.databases.items():
        if name == "_internal":
            continue
        try:
            if is_newsclaims_db(await db.table_names()):
                names.append(name)
        except Exception:  # an unreadable database is simply not ours
            continue
    return names


async def visible_newsclaims_databases(datasette, actor) -> list[str]:
    """The newsclaims databases whose claims the actor may view."""
    return [n for n in await newsclaims_databases(datasette) if await can_view_table(datasette, actor, n, "claims")]


async def newsclaims_db(datasette, request, *subject: str):
    """The request's database and what the actor may read of it; 403 unless the actor may view
    `claims` and the tables of the page's subject (see access.py)."""
    name = tilde_decode(request.url_vars["database"])
    try:
        db = datasette.get_database(name)
    except KeyError:
        raise NotFound(f"Database not found: {name}") from None
    if not is_newsclaims_db(await db.table_names()):
        raise NotFound(f"{name} is not a newsclaims database")
    await require_current_schema(db)
    access = await access_for(datasette, request.actor, db.name)
    access.require("claims", *subject)
    return db, access


class OutdatedDatabase(Exception):
    """A database written by an older version: the pages read columns it does not have yet."""

    status = 503


async def require_current_schema(db) -> None:
    """The pages read the columns of the current schema: an older database answers 503 saying how to
    upgrade it. (Told from the claims table's columns, not from newsclaims_meta, which may be private.)"""
    columns = set(await db.table_columns("claims"))
    missing = [c for c in CLAIM_COLUMNS if c not in columns]
    tables = set(await db.table_names())
    missing_tables = [t for t in (SAMPLE_TABLE, DATED_FTS) if t not in tables]
    if missing or missing_tables:
        lack = (f"its claims lack {', '.join(missing)}" if missing else
                f"it lacks the tables {', '.join(missing_tables)}")
        raise OutdatedDatabase(f"{db.name} was written by an older datasette-newsclaims ({lack}; this version "
                               f"reads schema {SCHEMA_VERSION}): run `newsclaims upgrade` on its file, then reload")


def wants_json(request) -> bool:
    return request.url_vars.get("format") == "json"


def url_id(request, key: str) -> str:
    raw = request.url_vars[key]
    if len(raw) > 3 * queries.MAX_ID_CHARS:
        raise NotFound("No such id")
    value = tilde_decode(raw)
    if len(value) > queries.MAX_ID_CHARS or "/" in raw:
        raise NotFound("No such id")  # ids with a slash arrive tilde-encoded (~2F), never as a path
    return value


class Urls:
    """URLs of the plugin's pages, built on Datasette's so base_url is respected."""

    def __init__(self, datasette, database: str):
        self.ds = datasette
        self.database = database
        self.db = datasette.urls.database(database)

    def claims(self, **args) -> str:
        path = f"{self.db}/-/claims"
        if args:
            path += "?" + urlencode({k: v for k, v in args.items() if v})
        return path

    def claim(self, claim_id) -> str:
        return f"{self.db}/-/claims/{claim_id}"

    def article(self, article_id, claim_id=None) -> str:
        return f"{self.db}/-/articles/{tilde_encode(str(article_id))}" + (f"#claim-{claim_id}" if claim_id else "")

    def quotation(self, quotation_id) -> str:
        return f"{self.db}/-/quotations/{quotation_id}"

    def speakers(self) -> str:
        return f"{self.db}/-/speakers"

    def topics(self) -> str:
        return f"{self.db}/-/topics"

    def speaker(self, speaker_id) -> str:
        return f"{self.db}/-/speakers/{tilde_encode(str(speaker_id))}"

    def topic(self, topic_id) -> str:
        return f"{self.db}/-/topics/{tilde_encode(str(topic_id))}"

    def network(self) -> str:
        return f"{self.db}/-/network"

    def compare(self, **args) -> str:
        return f"{self.db}/-/compare" + ("?" + urlencode(args, doseq=True) if args else "")

    def css(self) -> str:
        return self.ds.urls.static_plugins(PLUGIN, "newsclaims.css")


def table_url(datasette, database: str, filters: queries.ClaimFilters, sort: str = "newest") -> str | None:
    """Datasette's own claims table with the list's filters, as far as its filters can say them (a target
    is matched by its name only; the plugin also matches its speaker id); None for a list by quotation
    (`first`, `disputed`, most repeated first), which the table's filters cannot say."""
    if filters.first or filters.disputed or sort == "repeated":
        return None
    args = []
    for name, value in filters.active().items():
        if name == "q":
            args.append(("_search", value))
        elif name == "speaker":
            args.append(("speaker_id", value))
        elif name == "speaker_kind":
            args.append(("speaker_kind__not", UNNAMED) if value == NAMED else ("speaker_kind", value))
        elif name == "topic":
            args.append((M2M_FILTER + "claim_topics", value))
        elif name == "date_from":
            args.append((f"{LISTED_ON}__gte", value))
        elif name == "date_to":
            args.append((f"{LISTED_ON}__lte", value))
        elif name == "article":
            args.append(("article_id", value))
        else:  # target, venue, source, kind, date_basis: columns of the same name
            args.append((name, value))
    if sort == "oldest":
        args.append(("_sort", LISTED_ON))
    elif sort == "newest":
        args.append(("_sort_desc", LISTED_ON))
    return datasette.urls.table(database, "claims") + ("?" + urlencode(args) if args else "")


async def respond(datasette, request, template: str, data: dict, extra: dict | None = None):
    if wants_json(request):
        return Response.json(data, default=str)
    context = dict(data)
    context.update(extra or {})
    context["render"] = render
    context["about"] = estimates.rounded  # an estimate shown to two significant figures
    context["json_url"] = json_twin(request)
    context["errors"] = request.scope.get("newsclaims_errors") or []
    html = await datasette.render_template([f"newsclaims/{template}"], context, request=request,
                                           view_name="newsclaims")
    return Response.html(with_language(html))


def with_language(html: str) -> str:
    """The page's language on its root element (Datasette 0.65's base.html has none): the articles are
    English (the loader refuses others) and so is every word the plugin adds."""
    return html.replace("<html>", '<html lang="en">', 1) if "<html>" in html[:200] else html


def json_twin(request) -> str:
    return twin(request, ".json")


def twin(request, suffix: str) -> str:
    """The page's URL with `.json` or `.csv` before its query string."""
    query = request.query_string
    return request.path + suffix + (f"?{query}" if query else "")


def public_claim(claim: dict, urls: Urls, access: Access) -> dict:
    """A claim as pages and JSON show it: the stored fields plus links (none to a page the actor may not see)."""
    out = {k: v for k, v in claim.items() if k not in ("highlighted", "rank", "spread")}
    out["shown_quote"] = render.shown_quote(claim)  # the quote without the attribution inside it
    speakers = access.can("speakers")
    out["url"] = urls.claim(claim["id"])
    out["article_url"] = urls.article(claim["article_id"], claim["id"]) if access.can("articles") else None
    out["speaker_url"] = urls.speaker(claim["speaker_id"]) if speakers else None
    target = claim.get("target_speaker_id")
    out["target_url"] = urls.speaker(target) if speakers and target else None
    quotation = claim.get("quotation_id")
    out["quotation_url"] = urls.quotation(quotation) if quotation and access.can("quotations") else None
    return out


# -- pages --------------------------------------------------------------------------------------

async def instance_claims(datasette, request):
    """/-/claims: straight to the claims browser, or a chooser when there are several databases."""
    visible = await visible_newsclaims_databases(datasette, request.actor)
    if len(visible) == 1 and not wants_json(request):
        return Response.redirect(Urls(datasette, visible[0]).claims())
    data = {"databases": [{"name": n, "url": Urls(datasette, n).claims()} for n in visible]}
    return await respond(datasette, request, "chooser.html", data)


async def claims_browser(datasette, request):
    db, access = await newsclaims_db(datasette, request)
    urls = Urls(datasette, db.name)
    filters = queries.ClaimFilters.from_args(request.args)
    if streams(request):
        return await claims_export(datasette, request, db, access, filters, f"{db.name}-claims")
    page = await claims_page_of(datasette, request, db, access, filters)
    claims = [public_claim(c, urls, access) for c in page.claims]
    next_url = path_with_replaced_args(request, {"_next": page.next}) if page.next else None
    facets = {}
    for name, facet in page.facets.items():
        param = FACET_FILTER[name]
        items = []
        for row in facet["results"]:
            value = row["value"]
            selected = (getattr(filters, name, None) == value) if name != "month" else (
                filters.date_from == value and filters.date_to == queries._end_of(value))
            if name == "month":
                toggle = path_with_replaced_args(request, {"date_from": None if selected else value,
                                                           "date_to": None if selected else value, "_next": None})
            else:
                toggle = path_with_replaced_args(request, {param: None if selected else value, "_next": None})
            items.append({"value": value, "label": row["label"], "count": row["count"], "selected": selected,
                          "toggle_url": toggle})
        facets[name] = {"results": items, "estimated": facet["estimated"]}
        if facet.get("uncounted"):
            facets[name]["uncounted"] = True
    data = {
        "database": db.name,
        "filters": filters.active(),
        "sort": page.sort,
        "unranked": page.unranked,
        "cut": page.cut,
        "matching": await queries.names_matching(db, access, filters.q) if filters.q else None,
        "count": page.count.value if page.count else None,
        "count_is": page.count.kind if page.count else None,
        "claims": claims,
        "next": page.next,
        "next_url": next_url,
        "facets": facets,
    }
    highlighted = {c["id"]: render.search_hit(c.get("highlighted"), shown["shown_quote"], render.quote_parts(c))
                   for c, shown in zip(page.claims, claims)}
    # by name, not value: a chip shows date_to=2022-04 as the 2022-04-31 it means, and any page is left
    clear_urls = {name: path_with_removed_args(request, {name, "_next"}) for name in filters.active()}
    return await respond(datasette, request, "claims.html", data,
                         {"nc": urls, "highlighted": highlighted, "clear_urls": clear_urls,
                          "csv_url": twin(request, ".csv"),
                          "csv_label": "CSV (every claim listed)",
                          "table_url": table_url(datasette, db.name, filters, data["sort"]),
                          "args": request.args, "kinds": KINDS,
                          "facet_titles": FACET_TITLES, "facet_labels": {DATE_BASIS: DATE_BASIS_LABELS}})


async def claim_page(datasette, request):
    """A claim with its sentence (null when `sentences` is private), its paragraph and article (null when
    `articles` is) and the speaker's related claims (null when `claim_topics` is)."""
    db, access = await newsclaims_db(datasette, request)
    urls = Urls(datasette, db.name)
    claim = await queries.get_claim(db, access, parse_claim_id(request))
    if claim is None:
        raise NotFound("Claim not found")
    data = {"database": db.name, "claim": public_claim(claim, urls, access),
            "sentence": await queries.sentence(db, access, claim["sentence_id"]), "paragraph": None, "article": None}
    paragraph_pieces = []
    if access.can("articles"):
        article = await queries.get_article(db, claim["article_id"])
        text = article["text"]
        p_start, p_end = render.paragraph_around(text, claim["start"], claim["end"])
        data["paragraph"] = {"start": p_start, "end": p_end, "text": text[p_start:p_end]}
        data["article"] = {k: article[k] for k in ("id", "title", "url", "source", "published")}
        paragraph_pieces = render.pieces_between(text, p_start, p_end, [data["claim"]], [])
    related = await queries.related_claims(db, access, claim)
    data["related"] = [public_claim(c, urls, access) for c in related] if related is not None else None
    data["quotation"] = None  # where else its words appear; null when `quotations` is private
    if claim.get("quotation_id") and access.can("quotations"):
        quotation = await queries.get_quotation(db, access, claim["quotation_id"])
        if quotation:
            data["quotation"] = quotation_summary(quotation, urls, access)
    return await respond(datasette, request, "claim.html", data, {"nc": urls, "paragraph_pieces": paragraph_pieces})


def quotation_summary(quotation: dict, urls: Urls, access: Access) -> dict:
    out = dict(quotation)
    out["url"] = urls.quotation(quotation["id"])
    out["speaker_url"] = urls.speaker(quotation["speaker_id"]) if access.can("speakers") else None
    out["first_article_url"] = urls.article(quotation["first_article_id"], quotation["first_claim_id"]) \
        if access.can("articles") else None
    out["first_claim_url"] = urls.claim(quotation["first_claim_id"])
    return out


async def quotation_page(datasette, request):
    """The same words in many articles: the canonical text, who said them first and where, each article's
    wording (the differences marked) in date order, and who the articles give them to."""
    db, access = await newsclaims_db(datasette, request, "quotations")
    urls = Urls(datasette, db.name)
    raw = url_id(request, "quotation_id")
    if not raw.isdigit() or len(raw) > 18:
        raise NotFound("Quotation not found")
    quotation = await queries.get_quotation(db, access, int(raw))
    if quotation is None:
        raise NotFound("Quotation not found")
    appearances, next_token = await queries.quotation_appearances(db, access, quotation["id"],
                                                                  request.args.get("_next") or None)
    claims = []
    for claim in appearances:
        shown = public_claim(claim, urls, access)
        shown["differences"] = wording.differences(quotation["text"] or "", shown["shown_quote"])
        claims.append(shown)
    data = {"database": db.name, "quotation": quotation_summary(quotation, urls, access),
            "attributions": await queries.quotation_attributions(db, access, quotation["id"]),
            "appearances": claims, "next": next_token}
    for row in data["attributions"] or []:
        row["speaker_url"] = urls.speaker(row["speaker_id"]) if access.can("speakers") else None
    return await respond(datasette, request, "quotation.html", data, {
        "nc": urls, "next_url": path_with_replaced_args(request, {"_next": next_token}) if next_token else None})


async def article_page(datasette, request):
    """An article needs `articles`; its facts are null when `facts` is private."""
    db, access = await newsclaims_db(datasette, request, "articles")
    urls = Urls(datasette, db.name)
    article = await queries.get_article(db, url_id(request, "article_id"))
    if article is None:
        raise NotFound("Article not found")
    page = await queries.article_claims(db, access, article["id"], request.args.get("_next") or None)
    claims = [public_claim(c, urls, access) for c in page.claims]
    facts = await queries.article_facts(db, access, article["id"])
    data = {"database": db.name, "article": article, "claims": claims, "claim_count": page.count,
            "next": page.next, "facts": facts}
    if wants_json(request):
        return Response.json(data, default=str)
    # A page of a long article shows the part of the text its claims are in: from the first one's
    # paragraph (the start, on the first page) to the last one's (the end, on the last page). The marked
    # text is built in a thread, so that a long article never holds up the other requests.
    text = article["text"]
    section = (claims[0]["start"] if claims and request.args.get("_next") else 0,
               claims[-1]["end"] if claims and page.next else len(text))
    colours = render.article_colours(claims)
    heading, article_text = await asyncio.to_thread(render.article_html, text, claims, facts or [], section,
                                                    colours, article["title"])
    return await respond(datasette, request, "article.html", data, {
        "nc": urls, "heading": heading, "article_text": article_text, "colours": colours,
        "next_url": path_with_replaced_args(request, {"_next": page.next}) if page.next else None})


CSV_COLUMNS = ("id", "claim_date", DATE_BASIS, "said_on", "speaker_id", "speaker_name", "speaker_kind", "speaker_role",
               "cue", "target", "venue", "kind", "shown_quote", "quote", "article_id", "article_title", "source", "url")
CSV_PAGE = 500  # claims read per query while an export streams
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")  # a spreadsheet would run a cell that starts so


def csv_cell(value) -> str:
    """A value as a CSV cell; text from an article that a spreadsheet would read as a formula is
    prefixed with an apostrophe (the article is untrusted; its text is otherwise as stored)."""
    if value is None:
        return ""
    text = str(value)
    return "'" + text if isinstance(value, str) and text.startswith(FORMULA_START) else text


async def claims_export(datasette, request, db, access: Access, filters: queries.ClaimFilters, name: str):
    """Every claim of a list, with the same filters and order, as CSV (`.csv`) or as one JSON document
    (`.json?_stream=on`): streamed page by page (keyset), never held in memory; the same permissions as the
    page (403 before the first byte)."""
    urls = Urls(datasette, db.name)
    sort = queries.sort_of(request.args, filters)
    await settle_filters(db, access, filters, sort)  # a 403 comes before the first byte
    time_limit = datasette.setting("sql_time_limit_ms")
    as_csv = request.url_vars.get("format") == "csv"

    async def claims():
        token = None
        while True:
            page = await queries.claims_page(db, access, filters, CSV_PAGE, token, time_limit, sort, summarised=False)
            shown = [public_claim(claim, urls, access) for claim in page.claims]
            for claim in shown:
                for key in ("url", "article_url", "speaker_url", "target_url"):
                    if claim.get(key):
                        claim[key] = datasette.absolute_url(request, claim[key])
            yield shown
            token = page.next
            if token is None:
                return

    async def stream_json(out):
        head = {"database": db.name, "filters": filters.active(), "sort": sort}
        await out.write(json.dumps(head, default=str)[:-1] + ', "claims": [')
        first = True
        async for shown in claims():
            if shown:
                await out.write(("" if first else ",") + ",".join(json.dumps(c, default=str) for c in shown))
                first = False
        await out.write("]}")

    if as_csv:
        return csv_download(f"{name}.csv", CSV_COLUMNS, claims())
    return AsgiStream(stream_json, content_type="application/json; charset=utf-8")


def streams(request) -> bool:
    """A whole list: `.csv`, or `.json?_stream=on` (pages and their JSON twins are paged)."""
    format = request.url_vars.get("format")
    return format == "csv" or (format == "json" and request.args.get("_stream") in ("on", "1"))


async def settle_filters(db, access: Access, filters: queries.ClaimFilters, sort: str | None = None) -> None:
    """Before a list is read: a search needs `claims_fts`, a topic filter `claim_topics`, the quotation
    filters and the order by spread `quotations` (else 403);
    `speaker=` and `topic=` become the speaker and topic they list (a name as written, a merged surname)."""
    if filters.q:
        access.require("claims_fts")
    if filters.first or filters.disputed or sort == "repeated":
        access.require("quotations")
    if filters.topic:
        access.require("claim_topics")
        filters.topic = await queries.topic_listed_as(db, access, filters.topic)
    if filters.speaker:
        filters.speaker = await queries.speaker_listed_as(db, access, filters.speaker)


async def claims_page_of(datasette, request, db, access: Access, filters: queries.ClaimFilters) -> queries.ClaimsPage:
    """A page of claims, with its count and facets."""
    sort = queries.sort_of(request.args, filters)
    await settle_filters(db, access, filters, sort)
    return await queries.claims_page(db, access, filters, queries.page_size(request.args),
                                     request.args.get("_next") or None, datasette.setting("facet_time_limit_ms"),
                                     sort)


async def profile_page(datasette, request, db, access: Access, kind: str, row: dict, summary: dict):
    """A speaker's or a topic's page: who or what it is, its summary, and its claims newest first."""
    urls = Urls(datasette, db.name)
    filters = queries.ClaimFilters(**{kind: row["id"]})
    page = await claims_page_of(datasette, request, db, access, filters)
    data = {"database": db.name, kind: row, **summary,
            "claims": [public_claim(c, urls, access) for c in page.claims], "next": page.next}
    return await respond(datasette, request, f"{kind}.html", data, {
        "nc": urls, "timeline_svg": render.timeline_svg(summary["timeline"] or []),
        "next_url": path_with_replaced_args(request, {"_next": page.next}) if page.next else None,
        "csv_url": request.path + ".csv", "csv_label": "CSV (every claim)",
        "table_url": table_url(datasette, db.name, filters)})


async def profile_export(datasette, request, db, access: Access, kind: str, row_id: str):
    """A speaker's or a topic's claims, all of them: `.csv` or `.json?_stream=on`."""
    return await claims_export(datasette, request, db, access, queries.ClaimFilters(**{kind: row_id}),
                               f"{db.name}-{kind}-{row_id}")


async def speaker_page(datasette, request):
    """A speaker needs `speakers`; aliases, summaries and who addresses them are null where their tables are private."""
    db, access = await newsclaims_db(datasette, request, "speakers")
    speaker = await queries.get_speaker(db, access, url_id(request, "speaker_id"),
                                        datasette.setting("facet_time_limit_ms"))
    if speaker is None:
        raise NotFound("Speaker not found")
    if speaker.get("merged_into"):  # a surname the corpus now knows by one full name: its page is that one's
        target = Urls(datasette, db.name).speaker(speaker["merged_into"])
        suffix = "." + request.url_vars["format"] if request.url_vars.get("format") else ""
        return Response.redirect(target + suffix + ("?" + request.query_string if request.query_string else ""))
    if streams(request):
        return await profile_export(datasette, request, db, access, "speaker", speaker["id"])
    return await profile_page(datasette, request, db, access, "speaker", speaker,
                              await queries.speaker_summary(db, access, speaker["id"]))


async def topic_page(datasette, request):
    """A topic needs `topics` and `claim_topics`; its summary is null when `kept_counts` is private."""
    db, access = await newsclaims_db(datasette, request, "topics", "claim_topics")
    topic = await queries.get_topic(db, access, url_id(request, "topic_id"), datasette.setting("facet_time_limit_ms"))
    if topic is None:
        raise NotFound("Topic not found")
    if streams(request):
        return await profile_export(datasette, request, db, access, "topic", topic["id"])
    return await profile_page(datasette, request, db, access, "topic", topic,
                              await queries.topic_summary(db, access, topic["id"]))


async def speakers_index(datasette, request):
    """Every named speaker with its claim count: needs `speakers` and `kept_counts`."""
    return await index_of(datasette, request, "speaker", "speakers")


async def topics_index(datasette, request):
    """Every topic with its claim count: needs `topics` and `kept_counts`."""
    return await index_of(datasette, request, "topic", "topics")


async def index_of(datasette, request, facet: str, table: str):
    db, access = await newsclaims_db(datasette, request, table, "kept_counts")
    urls = Urls(datasette, db.name)
    link = urls.speaker if facet == "speaker" else urls.topic
    if request.url_vars.get("format") == "csv":
        return index_csv(datasette, request, db, facet, table, link)
    page = await queries.index_page(db, facet, request.args)
    rows = [dict(r, url=link(r["id"]), claims_url=urls.claims(**{facet: r["id"]})) for r in page.rows]
    data = {"database": db.name, "index": table, "q": request.args.get("q") or None,
            "kind": request.args.get("kind") or None, "sort": request.args.get("_sort") or "claims",
            "rows": rows, "next": page.next,
            "next_url": path_with_replaced_args(request, {"_next": page.next}) if page.next else None}
    return await respond(datasette, request, "index.html", data, {
        "nc": urls, "csv_url": twin(request, ".csv")})


INDEX_COLUMNS = ("id", "name", "kind", "claims", "url")


def index_csv(datasette, request, db, facet: str, table: str, link):
    """Every row of a speakers or topics index (its `q`, `kind` and order), streamed page by page."""
    args = {k: request.args.get(k) for k in ("q", "kind", "_sort") if request.args.get(k)}
    queries.index_page_args(args, facet)  # a bad parameter is a 400 before the first byte

    async def pages():
        token = None
        while True:
            page = await queries.index_page(db, facet, dict(args, _size=str(queries.MAX_PAGE_SIZE),
                                                           **({"_next": token} if token else {})))
            yield [dict(row, url=datasette.absolute_url(request, link(row["id"]))) for row in page.rows]
            token = page.next
            if token is None:
                return
    return csv_download(f"{db.name}-{table}.csv", INDEX_COLUMNS, pages())


async def network_page(datasette, request):
    """The network needs `speakers`; unfiltered it reads the kept `network_edges` (the claims when that is
    private); a topic filter needs `claim_topics`."""
    db, access = await newsclaims_db(datasette, request, "speakers")
    urls = Urls(datasette, db.name)
    filters = queries.network_filters(request.args)
    sort = request.args.get("_sort") or "claims"
    if sort not in queries.NETWORK_SORTS:
        raise queries.BadRequest(f"_sort must be one of {', '.join(queries.NETWORK_SORTS)}", "_sort")
    await settle_filters(db, access, filters)
    edges = await queries.network(db, access, filters, time_limit_ms=datasette.setting("facet_time_limit_ms"))
    timed_out = edges is None
    edges = sorted(edges or [], key=queries.NETWORK_SORTS[sort])
    given = {name: request.args.get(name) for name in filters.active()}  # date_to=2021-11 as given
    for e in edges:
        e["claims_url"] = urls.claims(**dict(given, speaker=e["source"], target=e["target"]))
    data = {"database": db.name, "filters": filters.active(), "sort": sort, "edges": edges, "timed_out": timed_out}
    if request.url_vars.get("format") == "csv":
        return csv_download(f"{db.name}-network.csv", ("source", "source_name", "target", "target_name", "weight"),
                            in_hand(edges))
    if wants_json(request):
        return Response.json(data, default=str)
    drawn = sorted(edges, key=queries.NETWORK_SORTS["claims"])  # the same drawing whatever the table's order
    return await respond(datasette, request, "network.html", data, {
        "nc": urls, "network_svg": await asyncio.to_thread(render.network_svg, drawn, urls.speaker),
        "sort_urls": {name: path_with_replaced_args(request, {"_sort": None if name == "claims" else name})
                      for name in queries.NETWORK_SORTS},
        "clear_urls": {name: path_with_removed_args(request, {name}) for name in filters.active()},
        "csv_url": twin(request, ".csv"),
        "args": request.args})


async def compare_page(datasette, request):
    """Claims per month of up to five speakers (`speaker=`, repeated) and topics (`topic=`) on one chart,
    with the numbers in a table: needs `speakers` for speakers, `topics` and `claim_topics` for topics."""
    items = [(facet, value.strip()) for facet in ("speaker", "topic")
             for value in request.args.getlist(facet) if value.strip()]
    subject = ("speakers",) * any(f == "speaker" for f, _ in items) + ("topics", "claim_topics") * any(
        f == "topic" for f, _ in items)
    db, access = await newsclaims_db(datasette, request, *subject)
    urls = Urls(datasette, db.name)
    if any(len(value) > queries.MAX_ID_CHARS for _, value in items):
        raise queries.BadRequest(f"a speaker or topic is at most {queries.MAX_ID_CHARS} characters")
    chart = await queries.compared(db, access, items, datasette.setting("facet_time_limit_ms"))
    for s in chart["series"]:
        s["url"] = urls.speaker(s["id"]) if s["facet"] == "speaker" else urls.topic(s["id"])
        s["claims_url"] = urls.claims(**{s["facet"]: s["id"]})
    data = {"database": db.name, **chart}
    if request.url_vars.get("format") == "csv":
        rows = [dict(month=month, **{s["name"]: s["counts"][i] for s in chart["series"]})
                for i, month in enumerate(chart["months"])]
        return csv_download(f"{db.name}-compared.csv", ("month", *(s["name"] for s in chart["series"])),
                            in_hand(rows))
    if wants_json(request):
        return Response.json(data, default=str)
    return await respond(datasette, request, "compare.html", data, {
        "nc": urls, "chart_svg": render.compare_svg(chart["months"], chart["series"]),
        "dashes": render.SERIES_DASHES, "max_compared": queries.MAX_COMPARED,
        "csv_url": twin(request, ".csv"),
        "rows": list(zip(chart["months"], zip(*(s["counts"] for s in chart["series"]))))})


def csv_download(filename: str, columns: tuple[str, ...], pages) -> AsgiStream:
    """Rows as a CSV download, written page by page as they come (`pages`: an async iterator of lists of
    dicts), so that an export of any size is never held in memory."""
    async def stream(out):
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(columns)
        async for rows in pages:
            for row in rows:
                writer.writerow([csv_cell(row.get(c)) for c in columns])
            await out.write(buffer.getvalue())
            buffer.seek(0)
            buffer.truncate()
        await out.write(buffer.getvalue())  # the header, when there was no page
    return AsgiStream(stream, headers={"content-disposition": f'attachment; filename="{filename}"'},
                      content_type="text/csv; charset=utf-8")


async def in_hand(rows: list[dict]):
    """The rows a page already holds, as the one page of a `csv_download`."""
    yield rows


def answers_errors(handler):
    """Unknown ids, bad parameters, private tables and queries that run out of time get Datasette's
    error page (or JSON) with a 404, 400 or 403, rendered here rather than raised: one log line, no
    traceback, for a mistyped or hostile URL. (A query that runs out of time is a 400, as on
    Datasette's own pages.)"""
    async def wrapped(datasette, request):
        try:
            if len(request.query_string) > MAX_QUERY_STRING:  # every link on a page repeats it
                raise BadRequest(f"the query string is over {MAX_QUERY_STRING:,} characters")
            return await shown_with_its_form(handler, datasette, request)
        except (NotFound, BadRequest, Forbidden, queries.BadRequest, QueryInterrupted, OutdatedDatabase) as ex:
            if isinstance(ex, QueryInterrupted):
                message, status = "This page took too long to compute: narrow it with a filter", 400
            elif isinstance(ex, queries.BadRequest):
                message, status = str(ex), 400
            else:
                message, status = (str(ex.args[0]) if ex.args else "Not found"), ex.status
            info = {"ok": False, "error": message, "status": status, "title": None}
            if wants_json(request) or request.path.endswith(".json"):
                return Response.json(info, status=status)
            html = await datasette.render_template(["error.html"], info, request=request)
            return Response.html(html, status=status)
    wrapped.__name__ = handler.__name__
    wrapped.__doc__ = handler.__doc__
    return wrapped


async def shown_with_its_form(handler, datasette, request):
    """A page (not a JSON or CSV twin) whose parameter is wrong ("date_to=soon", a speaker to compare that
    does not exist) answers 400 with the page itself, its form and the message, as if the parameter were
    not given, so the user can correct it where they typed it; the twins answer a plain 400."""
    errors = []
    while True:
        try:
            response = await handler(datasette, request)
            break
        except queries.BadRequest as ex:
            pairs = parse_qsl(request.query_string, keep_blank_values=True)
            kept = [(k, v) for k, v in pairs if k != ex.param or (ex.value is not None and v != ex.value)]
            if request.url_vars.get("format") or len(kept) == len(pairs) or len(errors) >= FILTERS_SHOWN:
                raise
            given = ex.value if ex.value is not None else next(v for k, v in pairs if k == ex.param)
            errors.append({"message": str(ex), "given": given})
            request = Request(dict(request.scope, query_string=urlencode(kept).encode("latin-1"),
                                   newsclaims_errors=errors), request.receive)
    if errors:
        response.status = 400
    return response


async def no_such_page(datasette, request):
    raise NotFound("No such page")


def parse_claim_id(request) -> int:
    raw = request.url_vars["claim_id"]
    if not raw.isdigit() or len(raw) > 15:
        raise NotFound("Claim not found")
    return int(raw)


# Each pattern takes anything under its namespace, so every URL there is answered by a handler.
ROUTES = [
    (r"^/-/claims(\.(?P<format>json))?$", instance_claims),
    (r"^/(?P<database>[^/]+)/-/claims(\.(?P<format>json|csv))?$", claims_browser),
    (r"^/(?P<database>[^/]+)/-/claims/(?P<claim_id>.+?)(\.(?P<format>json))?$", claim_page),
    (r"^/(?P<database>[^/]+)/-/articles/(?P<article_id>.+?)(\.(?P<format>json))?$", article_page),
    (r"^/(?P<database>[^/]+)/-/quotations/(?P<quotation_id>.+?)(\.(?P<format>json))?$", quotation_page),
    (r"^/(?P<database>[^/]+)/-/speakers(\.(?P<format>json|csv))?$", speakers_index),
    (r"^/(?P<database>[^/]+)/-/topics(\.(?P<format>json|csv))?$", topics_index),
    (r"^/(?P<database>[^/]+)/-/speakers/(?P<speaker_id>.+?)(\.(?P<format>json|csv))?$", speaker_page),
    (r"^/(?P<database>[^/]+)/-/topics/(?P<topic_id>.+?)(\.(?P<format>json|csv))?$", topic_page),
    (r"^/(?P<database>[^/]+)/-/network(\.(?P<format>json|csv))?$", network_page),
    (r"^/(?P<database>[^/]+)/-/compare(\.(?P<format>json|csv))?$", compare_page),
    (r"^/(?P<database>[^/]+)/-/compare[./].*$", no_such_page),
    (r"^/(?P<database>[^/]+)/-/network[./].*$", no_such_page),
]
ROUTES = [(pattern, answers_errors(handler)) for pattern, handler in ROUTES]
