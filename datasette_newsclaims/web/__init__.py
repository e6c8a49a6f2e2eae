"""datasette-newsclaims: the Datasette hooks, and nothing else.

Each hook returns early unless the page shows newsclaims data; the work lives
in views.py (pages), queries.py (SQL), render.py (HTML) and facets.py.
"""

from datasette import hookimpl, hookspecs
from markupsafe import Markup, escape

from .compat import default_label_columns, handled_while_raised
from .facets import KeptFacet, ManyToManyFacet, m2m_filters
from .render import is_claims_row, render_row_quote
from .views import PLUGIN, ROUTES, Urls, newsclaims_databases, visible_newsclaims_databases


@hookimpl
def startup(datasette):
    """Speakers, topics and articles show their names in foreign key columns on every Datasette version."""
    async def inner():
        default_label_columns(datasette, await newsclaims_databases(datasette))
    return inner


@hookimpl(hookwrapper=True)
def handle_exception(datasette, request, exception):
    """Errors on every page answer as Datasette answers them without the plugin: Datasette's own
    handler is run where it works with the `rich` spaCy installs (see compat.py)."""
    outcome = yield
    outcome.force_result([handled_while_raised(result, exception) for result in outcome.get_result()])


@hookimpl
def register_routes():
    """The claims browser, claim, article, speaker, topic and network pages, each with a .json twin."""
    return ROUTES


@hookimpl
def register_facet_classes():
    """Many-to-many facets on table pages (claims by topic through claim_topics), and the claims table's
    columns from the kept counts."""
    return [ManyToManyFacet, KeptFacet]


@hookimpl
def filters_from_request(request, database, table, datasette):
    """What the many-to-many facet selects: `?_m2m_claim_topics=energy` narrows the claims table."""
    return m2m_filters(request, database, table, datasette)


@hookimpl
def render_cell(row, value, column, table, database, datasette):
    """Quotes read as quotations; speakers link to their speaker pages."""
    if table != "claims" or not is_claims_row(row):
        return None
    if column == "quote":
        return render_row_quote(row)
    if column in ("speaker_id", "target_speaker_id") and isinstance(value, dict) and value.get("value"):
        url = Urls(datasette, database).speaker(value["value"])
        return Markup('<a href="{}">{}</a>').format(url, escape(value.get("label") or value["value"]))
    return None


@hookimpl
def extra_css_urls(view_name, datasette):
    """Our stylesheet, on our pages only."""
    if view_name == "newsclaims":
        return [{"url": datasette.urls.static_plugins(PLUGIN, "newsclaims.css")}]
    return []


@hookimpl
def menu_links(datasette, actor):
    """A link to the claims browser, when the actor may view the claims of a newsclaims database."""
    async def inner():
        if await visible_newsclaims_databases(datasette, actor):
            return [{"href": datasette.urls.path("/-/claims"), "label": "Browse news claims"}]
        return []
    return inner


if hasattr(hookspecs, "top_homepage"):  # Datasette 1.0a; defined only there, so 0.65 sees no unknown hook
    @hookimpl
    def top_homepage(datasette, request):
        """The home page links the claims browser (on 0.65 metadata.yml's description does), unless the
        instance's description already does."""
        async def inner():
            description = (await datasette.get_instance_metadata()).get("description_html") or ""
            if "/-/claims" in description or not await visible_newsclaims_databases(datasette, request.actor):
                return ""
            return Markup('<p class="newsclaims-home"><a href="{}">Browse the claims</a>: search quotes, find a '
                          'speaker or a topic, facet by outlet and date.</p>').format(
                datasette.urls.path("/-/claims"))
        return inner


@hookimpl
def table_actions(datasette, database, table):
    """On articles and claims tables of a newsclaims database: open the claims browser."""
    if table not in ("articles", "claims"):
        return None

    async def inner():
        if database not in await newsclaims_databases(datasette):
            return []
        return [{"href": Urls(datasette, database).claims(), "label": "Browse claims with facets and search"}]
    return inner
