"""How newsclaims values are shown in Datasette pages. Everything from articles is escaped."""

from __future__ import annotations

from markupsafe import Markup, escape

CLAIM_COLUMNS = frozenset({"speaker_id", "cue", "quote", "kind", "said_on"})


def is_claims_row(row) -> bool:
    """A row of a newsclaims claims table (and not some other table that happens to be called claims)."""
    try:
        return CLAIM_COLUMNS <= set(row.keys())
    except AttributeError:
        return False


def render_quote(value) -> Markup | None:
    if not isinstance(value, str) or not value:
        return None
    return Markup('<q class="newsclaims-quote">{}</q>').format(escape(value))
