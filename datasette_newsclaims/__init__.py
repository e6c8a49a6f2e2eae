"""datasette-newsclaims: the Datasette hooks, and nothing else.

Each hook returns early unless the table belongs to a newsclaims database;
the work lives in the modules named below.
"""

from datasette import hookimpl

from .views import render_quote


@hookimpl
def render_cell(value, column, table):
    """Quotes in the claims table read as quotations."""
    if table == "claims" and column == "quote":
        return render_quote(value)
    return None
