"""datasette-newsclaims: the Datasette hooks, and nothing else.

Each hook returns early unless the page shows newsclaims data; the work lives
in the modules named below.
"""

from datasette import hookimpl

from .views import is_claims_row, render_quote


@hookimpl
def render_cell(row, value, column, table):
    """Quotes in the claims table read as quotations."""
    if table == "claims" and column == "quote" and is_claims_row(row):
        return render_quote(value)
    return None
